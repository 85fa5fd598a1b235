import { closeSync, fsyncSync, ftruncateSync, openSync, readFileSync, truncateSync, writeSync } from "node:fs";

/**
 * Rolls back a hot rollback journal left by a process killed in the middle of a transaction.
 *
 * SQLite normally does this itself when it opens the database, but node-sqlite3-wasm's file
 * system locks with one `<file>.lock` directory for every lock level, and its
 * xCheckReservedLock reports that directory, our own SHARED lock included, as someone else's
 * RESERVED lock. SQLite then never treats the journal as hot, and reads pages the dead writer
 * had half written ("database disk image is malformed"). So before SQLite opens the file, and
 * only when no other process has it open, we replay the journal as SQLite's pager would:
 * every header segment's page records (checksums checked; a torn record ends the replay), then
 * the file cut back to its size before the transaction, then the journal emptied (not hot).
 *
 * Format: sqlite.org/fileformat2.html#the_rollback_journal. Returns true when pages were restored.
 */
const MAGIC = Buffer.from("d9d505f920a163d7", "hex");
const HEADER_BYTES = 28;

export function rollBackHotJournal(databasePath: string): boolean {
  const journalPath = `${databasePath}-journal`;
  let journal: Buffer;
  try {
    journal = readFileSync(journalPath);
  } catch {
    return false;
  }
  if (journal.length < HEADER_BYTES || !journal.subarray(0, 8).equals(MAGIC)) return false;
  const originalPages = journal.readUInt32BE(16);
  const sectorSize = journal.readUInt32BE(20);
  const pageSize = journal.readUInt32BE(24);
  if (sectorSize < HEADER_BYTES || pageSize < 512 || pageSize > 65536) return false;

  const fd = openSync(databasePath, "r+");
  let restored = false;
  try {
    let header = 0;
    replay: while (header + HEADER_BYTES <= journal.length && journal.subarray(header, header + 8).equals(MAGIC)) {
      let records = journal.readUInt32BE(header + 8);
      const checksumInit = journal.readUInt32BE(header + 12);
      let at = header + sectorSize;
      // 0xffffffff: the header was never updated (no-sync journals): as many records as fit.
      if (records === 0xffffffff) records = Math.floor((journal.length - at) / (pageSize + 8));
      for (let i = 0; i < records; i++) {
        if (at + pageSize + 8 > journal.length) break replay;
        const page = journal.readUInt32BE(at);
        const data = journal.subarray(at + 4, at + 4 + pageSize);
        if (page === 0 || checksum(checksumInit, data) !== journal.readUInt32BE(at + 4 + pageSize)) break replay;
        writeSync(fd, data, 0, pageSize, (page - 1) * pageSize);
        restored = true;
        at += pageSize + 8;
      }
      if (records === 0) break;
      header = Math.ceil(at / sectorSize) * sectorSize;
    }
    ftruncateSync(fd, originalPages * pageSize);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  truncateSync(journalPath, 0);
  return restored;
}

/** SQLite's pager_cksum: the nonce plus every 200th byte, from the end of the page. */
function checksum(init: number, data: Buffer): number {
  let sum = init;
  for (let i = data.length - 200; i > 0; i -= 200) sum = (sum + data[i]!) >>> 0;
  return sum;
}
