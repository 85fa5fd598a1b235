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
 * Parses an allow-list of CURVE public keys: one 40-character Z85 key per line, optionally
 * followed by a name; a line starting with `#` (that is not a key) is a comment. Throws a TypeError naming the first bad line.
 */
export function parseAllowList(text: string, file = "allow-list"): Map<string, string> {
  const keys = new Map<string, string>();
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (line === "") return;
    const [key, ...rest] = line.split(/\s+/);
    // Z85 keys may themselves contain "#": a line is a comment only when it is not a key.
    if (isKey(key!))
      return void keys.set(
        key!,
        rest
          .join(" ")
          .replace(/(^|\s)#.*$/, "")
          .trim(),
      );
    if (line.startsWith("#")) return;
    throw new TypeError(`${file}:${i + 1}: expected a 40-character Z85 CURVE public key, got "${key}"`);
  });
  return keys;
}

/**
 * An allow-list file, read at once and again whenever it changes (polled: editors often replace
 * the file rather than write it). A file that cannot be read or parsed leaves the previous list
 * in force. Events: "change" (keys: Map<key, name>), "error" (error).
 */
export class AllowListFile extends EventEmitter {
  keys: Map<string, string>;
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
