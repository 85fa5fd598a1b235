import { EventEmitter } from "node:events";
import { readFileSync, statSync } from "node:fs";
import { z85Decode } from "./zmtp/z85.js";

function isCurveKey(text: string): boolean {
  try {
    return text.length === 40 && z85Decode(text).length === 32;
  } catch {
    return false;
  }
}

/**
 * Parses a list of CURVE public keys: one 40-character Z85 key per line, optionally followed by a
 * name (up to a `#` comment); a line starting with `#` is a comment (`#` is in Z85's alphabet, but
 * no key starts with it: its value, 84·85⁴, exceeds 32 bits). Returns key → name ("" when none);
 * throws a TypeError naming the first bad line.
 */
export function parseCurveKeyList(text: string, file = "key list"): Map<string, string> {
  const keys = new Map<string, string>();
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (line === "") return;
    const [key = "", ...rest] = line.split(/\s+/);
    if (isCurveKey(key)) {
      keys.set(
        key,
        rest
          .join(" ")
          .replace(/(^|\s)#.*$/, "")
          .trim(),
      );
    } else if (!line.startsWith("#")) {
      throw new TypeError(`${file}:${i + 1}: expected a 40-character Z85 CURVE public key, got "${key}"`);
    }
  });
  return keys;
}

export interface CurveKeyFileOptions {
  /** How often the file is checked for a change, in ms. Default 1000. */
  pollInterval?: number;
}

/**
 * A file of CURVE public keys (see parseCurveKeyList), read at once and again whenever it changes
 * or `reload()` is called (on SIGHUP, say). The change is found by polling its inode, size and
 * modification time: editors often replace a file rather than write it, which a watch misses. A
 * file that cannot be read or parsed leaves the previous keys in force.
 *
 * Events: "change" (keys: Map<key, name>), "error" (error; unheard errors are dropped).
 *
 *   const keys = new CurveKeyFile("clients.keys");
 *   const auth = new Authenticator({ curve: keys.keys.keys() });
 *   keys.on("change", (next) => auth.setCurveKeys(next.keys()));
 */
export class CurveKeyFile extends EventEmitter {
  keys: Map<string, string>;
  private version: string;
  private readonly timer: ReturnType<typeof setInterval>;

  /** Throws if the file cannot be read or parsed now. */
  constructor(
    readonly file: string,
    options: CurveKeyFileOptions = {},
  ) {
    super();
    this.version = this.stat();
    this.keys = parseCurveKeyList(readFileSync(file, "utf8"), file);
    this.timer = setInterval(() => {
      if (this.stat() !== this.version) this.reload();
    }, options.pollInterval ?? 1000);
    this.timer.unref?.();
  }

  reload(): void {
    this.version = this.stat();
    try {
      this.keys = parseCurveKeyList(readFileSync(this.file, "utf8"), this.file);
      this.emit("change", this.keys);
    } catch (err) {
      if (this.listenerCount("error") > 0) this.emit("error", err);
    }
  }

  close(): void {
    clearInterval(this.timer);
  }

  private stat(): string {
    try {
      const s = statSync(this.file);
      return `${s.ino}:${s.size}:${s.mtimeMs}`;
    } catch {
      return "missing";
    }
  }
}
