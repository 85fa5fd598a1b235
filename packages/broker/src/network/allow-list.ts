import { EventEmitter } from "node:events";
import { readFileSync, statSync } from "node:fs";
import { z85Decode } from "zmtp/z85";

function isKey(text: string): boolean {
  try {
    return text.length === 40 && z85Decode(text).length === 32;
  } catch {
    return false;
  }
}

/**
 * Reads an allow-list: one 40-character Z85 CURVE public key per line, optionally followed by a
 * name; blank lines, and lines starting with `#` that are not keys (Z85 has `#` in its alphabet),
 * are skipped. Throws a TypeError naming the first bad line.
 */
export function parseAllowList(text: string, file = "allow-list"): Set<string> {
  const keys = new Set<string>();
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (line === "") return;
    const key = line.split(/\s+/, 1)[0]!;
    if (isKey(key)) keys.add(key);
    else if (!line.startsWith("#"))
      throw new TypeError(`${file}:${i + 1}: expected a 40-character Z85 CURVE public key, got "${key}"`);
  });
  return keys;
}

/**
 * An allow-list file, read at once and again whenever it changes (polled: editors often replace
 * a file rather than write it), or when `reload()` is called (the CLI does on SIGHUP). A file that
 * cannot be read or parsed leaves the previous keys in force. Events: "change" (keys), "error".
 */
export class AllowListFile extends EventEmitter {
  keys: Set<string>;
  private version: string;
  private readonly timer: NodeJS.Timeout;

  constructor(
    readonly file: string,
    pollInterval = 1000,
  ) {
    super();
    this.version = this.stat();
    this.keys = parseAllowList(readFileSync(file, "utf8"), file);
    this.timer = setInterval(() => {
      if (this.stat() !== this.version) this.reload();
    }, pollInterval);
    this.timer.unref();
  }

  reload(): void {
    this.version = this.stat();
    try {
      this.keys = parseAllowList(readFileSync(this.file, "utf8"), this.file);
      this.emit("change", this.keys);
    } catch (err) {
      if (this.listenerCount("error") > 0) this.emit("error", err);
    }
  }

  close(): void {
    clearInterval(this.timer);
  }

  /** What identifies a version of the file: inode, size and modification time. */
  private stat(): string {
    try {
      const s = statSync(this.file);
      return `${s.ino}:${s.size}:${s.mtimeMs}`;
    } catch {
      return "missing";
    }
  }
}
