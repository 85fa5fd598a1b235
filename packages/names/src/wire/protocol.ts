/**
 * The name service's messages, as pure functions from values to frames and back (no sockets).
 *
 * Requests go from a DEALER to a replica's (or agent's) ROUTER; replies come back on the same
 * DEALER. Updates go out on the replica's XPUB, one message per change, topic first so that a SUB
 * can subscribe to one name. This is the Clone pattern of the ZeroMQ Guide (chapter 5): a
 * snapshot over request-reply, then sequence-numbered updates over publish-subscribe. Sequence
 * numbers count per name, so a watcher of one name can still see a gap; they are only comparable
 * within one epoch (a replica's run), hence every update and snapshot carries the epoch.
 */

/** The topic of the replica's heartbeats: no name starts with "!". */
export const HUGZ_TOPIC = "!hugz";

export type Request =
  | { type: "HELLO"; id: string }
  | { type: "REGISTER"; name: string; endpoint: string; ttl: number }
  | { type: "UNREGISTER"; name: string; endpoint: string }
  | { type: "LOOKUP"; id: string; name: string }
  /** name "" asks for every name. */
  | { type: "SNAPSHOT"; id: string; name: string };

/** One member of a group in a snapshot, with its remaining time to live in ms (0: no expiry known). */
export interface Member {
  endpoint: string;
  ttl: number;
}

export interface Entry {
  name: string;
  seq: number;
  members: Member[];
}

export type Reply =
  | { type: "HELLO"; id: string; epoch: string; publish: string }
  | { type: "OK"; name: string; endpoint: string }
  | { type: "ENDPOINTS"; id: string; name: string; endpoints: string[] }
  | { type: "ENTRY"; id: string; entry: Entry }
  | { type: "END"; id: string; epoch: string; count: number }
  | { type: "ERROR"; id: string; message: string };

export type Update =
  | { type: "UPDATE"; name: string; epoch: string; seq: number; op: "+" | "-"; endpoint: string }
  | { type: "HUGZ"; epoch: string };

const MAX_NAME = 255;
const MAX_ENDPOINT = 1024;

/** A name: 1 to 255 bytes, no whitespace, not starting with "!" (reserved for the service's topics). */
export function isValidName(name: string): boolean {
  return name.length > 0 && Buffer.byteLength(name) <= MAX_NAME && !name.startsWith("!") && !/\s/.test(name);
}

export function isValidEndpoint(endpoint: string): boolean {
  return endpoint.length > 0 && Buffer.byteLength(endpoint) <= MAX_ENDPOINT && !/\s/.test(endpoint);
}

const text = (frames: readonly Buffer[]): string[] => frames.map((f) => f.toString("utf8"));
const frames = (parts: readonly (string | number)[]): Buffer[] => parts.map((p) => Buffer.from(String(p), "utf8"));

/** A non-negative safe integer written in decimal, or null. */
function count(s: string | undefined): number | null {
  if (s === undefined || !/^(0|[1-9][0-9]{0,15})$/.test(s)) return null;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : null;
}

export function encodeRequest(r: Request): Buffer[] {
  switch (r.type) {
    case "HELLO":
      return frames(["HELLO", r.id]);
    case "REGISTER":
      return frames(["REGISTER", r.name, r.endpoint, r.ttl]);
    case "UNREGISTER":
      return frames(["UNREGISTER", r.name, r.endpoint]);
    case "LOOKUP":
      return frames(["LOOKUP", r.id, r.name]);
    case "SNAPSHOT":
      return frames(["SNAPSHOT", r.id, r.name]);
  }
}

/** The request in `message`, or null when it is malformed (the caller counts and drops it). */
export function decodeRequest(message: readonly Buffer[]): Request | null {
  const [type, a, b, c, ...rest] = text(message);
  if (rest.length > 0) return null;
  switch (type) {
    case "HELLO":
      return a !== undefined && b === undefined ? { type, id: a } : null;
    case "REGISTER": {
      const ttl = count(c);
      if (a === undefined || b === undefined || ttl === null || ttl === 0) return null;
      return isValidName(a) && isValidEndpoint(b) ? { type, name: a, endpoint: b, ttl } : null;
    }
    case "UNREGISTER":
      if (a === undefined || b === undefined || c !== undefined) return null;
      return isValidName(a) && isValidEndpoint(b) ? { type, name: a, endpoint: b } : null;
    case "LOOKUP":
      if (a === undefined || b === undefined || c !== undefined) return null;
      return isValidName(b) ? { type, id: a, name: b } : null;
    case "SNAPSHOT":
      if (a === undefined || b === undefined || c !== undefined) return null;
      return b === "" || isValidName(b) ? { type, id: a, name: b } : null;
    default:
      return null;
  }
}

export function encodeReply(r: Reply): Buffer[] {
  switch (r.type) {
    case "HELLO":
      return frames(["HELLO", r.id, r.epoch, r.publish]);
    case "OK":
      return frames(["OK", r.name, r.endpoint]);
    case "ENDPOINTS":
      return frames(["ENDPOINTS", r.id, r.name, ...r.endpoints]);
    case "ENTRY":
      return frames([
        "ENTRY",
        r.id,
        r.entry.name,
        r.entry.seq,
        ...r.entry.members.flatMap((m) => [m.endpoint, Math.max(0, Math.round(m.ttl))]),
      ]);
    case "END":
      return frames(["END", r.id, r.epoch, r.count]);
    case "ERROR":
      return frames(["ERROR", r.id, r.message]);
  }
}

export function decodeReply(message: readonly Buffer[]): Reply | null {
  const parts = text(message);
  const [type, a, b, c] = parts;
  switch (type) {
    case "HELLO":
      return parts.length === 4 ? { type, id: a!, epoch: b!, publish: c! } : null;
    case "OK":
      return parts.length === 3 ? { type, name: a!, endpoint: b! } : null;
    case "ENDPOINTS":
      return parts.length >= 3 ? { type, id: a!, name: b!, endpoints: parts.slice(3) } : null;
    case "ENTRY": {
      const seq = count(c);
      if (parts.length < 4 || seq === null || parts.length % 2 !== 0 || !isValidName(b!)) return null;
      const members: Member[] = [];
      for (let i = 4; i < parts.length; i += 2) {
        const ttl = count(parts[i + 1]);
        if (ttl === null || !isValidEndpoint(parts[i]!)) return null;
        members.push({ endpoint: parts[i]!, ttl });
      }
      return { type, id: a!, entry: { name: b!, seq, members } };
    }
    case "END": {
      const n = count(c);
      return parts.length === 4 && n !== null ? { type, id: a!, epoch: b!, count: n } : null;
    }
    case "ERROR":
      return parts.length === 3 ? { type, id: a!, message: b! } : null;
    default:
      return null;
  }
}

export function encodeUpdate(u: Update): Buffer[] {
  if (u.type === "HUGZ") return frames([HUGZ_TOPIC, u.epoch]);
  return frames([u.name, u.epoch, u.seq, u.op, u.endpoint]);
}

export function decodeUpdate(message: readonly Buffer[]): Update | null {
  const parts = text(message);
  if (parts[0] === HUGZ_TOPIC) return parts.length === 2 ? { type: "HUGZ", epoch: parts[1]! } : null;
  if (parts.length !== 5) return null;
  const [name, epoch, rawSeq, op, endpoint] = parts as [string, string, string, string, string];
  const seq = count(rawSeq);
  if (seq === null || seq === 0 || (op !== "+" && op !== "-")) return null;
  if (!isValidName(name) || !isValidEndpoint(endpoint)) return null;
  return { type: "UPDATE", name, epoch, seq, op, endpoint };
}
