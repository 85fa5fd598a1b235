import { createHash, randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from "node:crypto";
import { readFileSync, statSync } from "node:fs";

/**
 * The status page's users, from a file: one per line, `NAME:scrypt:N:r:p:SALT:HASH` (base64),
 * written by `zmtp-monitor users add`; blank lines and lines starting with # are ignored. A
 * user's secret is a password (HTTP Basic) or a token `NAME.SECRET` (HTTP Bearer, for scripts
 * and Prometheus): the name in the token says which hash to check, so one scrypt per request.
 *
 * scrypt (node:crypto) is deliberately slow; a credential that verified is remembered (by its
 * SHA-256) for `cacheFor` ms so that a page's many requests cost one derivation. The file is
 * read again when it changes (looked at most once a second).
 */

const KEY_BYTES = 32;
/** scrypt cost: N = 2^14, r = 8, p = 1 (16 MiB, tens of ms): OWASP's minimum for scrypt. */
const COST = { N: 16384, r: 8, p: 1 };
const NAME = /^[A-Za-z0-9_.@-]{1,64}$/;

interface Entry {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  hash: Buffer;
}

function scrypt(secret: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCallback(secret, salt, KEY_BYTES, { ...options, maxmem: 64 * 1024 * 1024 }, (err, key) =>
      err === null ? resolve(key) : reject(err),
    ),
  );
}

/** A users file line for `name` with `secret`. */
export async function userLine(name: string, secret: string): Promise<string> {
  if (!NAME.test(name)) throw new TypeError(`"${name}": a user name is 1-64 of A-Z a-z 0-9 _ . @ -`);
  const salt = randomBytes(16);
  const hash = await scrypt(secret, salt, COST);
  return `${name}:scrypt:${COST.N}:${COST.r}:${COST.p}:${salt.toString("base64")}:${hash.toString("base64")}`;
}

/** A new random token for `name`: `NAME.SECRET`. */
export function newToken(name: string): string {
  return `${name}.${randomBytes(24).toString("base64url")}`;
}

export function parseUsers(text: string): Map<string, Entry> {
  const users = new Map<string, Entry>();
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const [name, scheme, N, r, p, salt, hash, ...rest] = line.split(":");
    if (scheme !== "scrypt" || rest.length > 0 || hash === undefined || !NAME.test(name!))
      throw new Error(`line ${i + 1}: expected NAME:scrypt:N:r:p:SALT:HASH`);
    users.set(name!, {
      N: Number(N),
      r: Number(r),
      p: Number(p),
      salt: Buffer.from(salt!, "base64"),
      hash: Buffer.from(hash, "base64"),
    });
  });
  return users;
}

export class UserFile {
  private users: Map<string, Entry>;
  private mtime: number;
  private checkedAt = 0;
  private readonly verified = new Map<string, { user: string; until: number }>();

  constructor(
    readonly path: string,
    private readonly cacheFor = 300_000,
  ) {
    this.users = parseUsers(readFileSync(path, "utf8"));
    this.mtime = statSync(path).mtimeMs;
  }

  get size(): number {
    return this.users.size;
  }

  /** Whether `name` is (still) in the file: a user removed loses what was granted to them. */
  has(name: string): boolean {
    this.reloadIfChanged();
    return this.users.has(name);
  }

  /** The user name if `secret` is `name`'s, else null. */
  async verify(name: string, secret: string): Promise<string | null> {
    this.reloadIfChanged();
    const key = createHash("sha256").update(`${name}\0${secret}`).digest("base64");
    const cached = this.verified.get(key);
    if (cached !== undefined && cached.until > Date.now()) return cached.user;
    const entry = this.users.get(name);
    // An unknown name costs a derivation too: its answer must not come faster than a known one's.
    const check = entry ?? { ...COST, salt: Buffer.alloc(16), hash: Buffer.alloc(KEY_BYTES) };
    const derived = await scrypt(secret, check.salt, { N: check.N, r: check.r, p: check.p });
    if (entry === undefined || derived.length !== entry.hash.length || !timingSafeEqual(derived, entry.hash))
      return null;
    if (this.verified.size > 10_000) this.verified.clear();
    this.verified.set(key, { user: name, until: Date.now() + this.cacheFor });
    return name;
  }

  /** A Bearer token `NAME.SECRET`. */
  verifyToken(token: string): Promise<string | null> {
    const dot = token.indexOf(".");
    if (dot <= 0) return Promise.resolve(null);
    return this.verify(token.slice(0, dot), token);
  }

  private reloadIfChanged(): void {
    if (Date.now() - this.checkedAt < 1000) return;
    this.checkedAt = Date.now();
    try {
      const mtime = statSync(this.path).mtimeMs;
      if (mtime === this.mtime) return;
      this.users = parseUsers(readFileSync(this.path, "utf8"));
      this.mtime = mtime;
      this.verified.clear();
    } catch {
      // unreadable or malformed now: the users read before stay in force
    }
  }
}
