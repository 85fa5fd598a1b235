import { mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { rollBackHotJournal } from "./sqlite-recovery.js";

/**
 * Who holds an SQLite file opened through node-sqlite3-wasm, and what to do when the holder died.
 *
 * That library's file system takes one lock for every SQLite lock level: the directory
 * `<file>.lock` (mkdir is atomic). Another process finds it taken and gets SQLITE_BUSY at once
 * (the VFS cannot sleep), so the store retries; and a process killed holding it leaves it behind
 * for good. To tell a dead holder from a slow one:
 *
 * - `<file>.users/<pid>-<n>`: one empty file per store open (a process may open a file twice);
 * - `<file>.lock-owner`: the pid of the process in a transaction, written once it holds the lock.
 *
 * The lock is stale when its owner is no live user, or, without an owner (a holder killed between
 * its mkdir and writing the owner, or a process that does not write one), when no other user is
 * alive or the lock is older than `staleAfter`. A live holder is never broken however long it
 * takes (a paused process stalls the others; it never has its lock taken from under it).
 *
 * Breaking replays the dead writer's rollback journal while its lock still keeps everyone out
 * (sqlite-recovery.ts says why SQLite would not), then removes the lock. Breakers take turns
 * through `<file>.lock-break`, so that a journal is replayed by one process, before anyone writes.
 * Processes on one host only: liveness is a pid.
 */
export class SqliteLock {
  private readonly lockDir: string;
  private readonly ownerFile: string;
  private readonly breakDir: string;
  private readonly usersDir: string;
  private readonly pid = String(process.pid);
  private readonly userFile: string;

  constructor(
    private readonly path: string,
    private readonly staleAfter: number,
  ) {
    this.lockDir = `${path}.lock`;
    this.ownerFile = `${path}.lock-owner`;
    this.breakDir = `${path}.lock-break`;
    this.usersDir = `${path}.users`;
    this.userFile = join(this.usersDir, `${this.pid}-${(opened += 1)}`);
  }

  /** Records this process as a user. Before any check of the others, so two starting together see each other. */
  register(): void {
    mkdirSync(this.usersDir, { recursive: true });
    writeFileSync(this.userFile, "");
  }

  unregister(): void {
    rmSync(this.userFile, { force: true });
  }

  /** Whether another process has the store open (dead users' files are removed on the way). */
  otherUserAlive(): boolean {
    let alive = false;
    for (const name of readdirSync(this.usersDir)) {
      const pid = Number(name.split("-")[0]);
      if (pid === process.pid) continue;
      if (isAlive(pid)) alive = true;
      else rmSync(join(this.usersDir, name), { force: true });
    }
    return alive;
  }

  /** Our transaction holds the lock now. */
  held(): void {
    writeFileSync(this.ownerFile, this.pid);
  }

  /** Our transaction released the lock. */
  released(): void {
    try {
      if (readFileSync(this.ownerFile, "utf8") === this.pid) rmSync(this.ownerFile, { force: true });
    } catch {
      // no owner file
    }
  }

  /**
   * The lock is busy: breaks it if its holder is dead (replaying its journal first). Returns true
   * when a lock was broken.
   */
  breakIfStale(now = Date.now()): boolean {
    const seen = this.staleLock(now);
    if (seen === null) return false;
    try {
      mkdirSync(this.breakDir);
    } catch {
      // Another process is breaking it; a breaker that died leaves its turn behind: free it.
      if (age(this.breakDir, now) > Math.max(10_000, this.staleAfter))
        rmSync(this.breakDir, { recursive: true, force: true });
      return false;
    }
    try {
      // Still the same stale lock (not one freed and taken again meanwhile)?
      if (this.staleLock(now) !== seen) return false;
      rollBackHotJournal(this.path);
      rmdirSync(this.lockDir);
      rmSync(this.ownerFile, { force: true });
      return true;
    } catch {
      return false;
    } finally {
      rmSync(this.breakDir, { recursive: true, force: true });
    }
  }

  /** The stale lock's creation time, or null when there is none or its holder may be alive. */
  private staleLock(now: number): number | null {
    let created: number;
    try {
      created = statSync(this.lockDir).mtimeMs;
    } catch {
      return null;
    }
    const owner = this.owner(created);
    if (owner !== null) return isAlive(owner) && this.isUser(owner) ? null : created;
    return now - created > this.staleAfter || !this.otherUserAlive() ? created : null;
  }

  /** The owner's pid, if the owner file was written for this lock (not left by an earlier holder). */
  private owner(lockCreated: number): number | null {
    try {
      const st = statSync(this.ownerFile);
      // Written before this lock existed: an earlier holder's, which died between unlock and cleanup.
      if (st.mtimeMs + 50 < lockCreated) return null;
      const pid = Number(readFileSync(this.ownerFile, "utf8"));
      return Number.isInteger(pid) && pid > 0 ? pid : null;
    } catch {
      return null;
    }
  }

  private isUser(pid: number): boolean {
    try {
      return readdirSync(this.usersDir).some((name) => name.split("-")[0] === String(pid));
    } catch {
      return false;
    }
  }
}

/** Stores opened by this process so far: each registers a user file of its own. */
let opened = 0;

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function age(path: string, now: number): number {
  try {
    return now - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}
