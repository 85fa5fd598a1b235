/**
 * The broker network's wire protocol ("ZBN1"). Clients, workers and brokers each connect a
 * DEALER to every broker's ROUTER; the ROUTER sees the sender's routing id first, and the role is
 * in its prefix: "C:" clients, "W:" workers, "B:" brokers. Every message starts with the
 * protocol tag and a one-byte command. From the sender's side (the broker adds or strips the
 * routing id of the peer it forwards to or from):
 *
 *   client → broker   PING
 *                     RESERVE  envelope                         (a worker of envelope.service, please)
 *                     REQUEST  worker-id envelope ticket body...
 *                     CANCEL   worker-id envelope ticket        (a reservation the client will not use)
 *   broker → client   PONG     brokers(JSON)
 *                     RESERVED envelope worker-id ticket
 *                     REPLY    envelope body...
 *                     ERROR    envelope code text
 *   worker → broker   PING     service incarnation credits      (reservations it grants this broker now)
 *                     READY    service incarnation credits      (the same, sent when it has some again)
 *                     RESERVED client-id envelope ticket
 *                     REPLY    client-id envelope body...
 *                     ERROR    client-id envelope code text
 *                     DISCONNECT
 *   broker → worker   PONG     brokers(JSON)
 *                     RESERVE  client-id envelope
 *                     REQUEST  client-id envelope ticket body...
 *                     CANCEL   client-id envelope ticket
 *   broker → broker   GOSSIP   self(JSON) live-brokers(JSON)
 *
 * Answers (RESERVED, REPLY, ERROR) carry an envelope whose `original` is the request's id. A
 * worker's incarnation (8 random bytes per run) names its run; a reservation's ticket is the
 * incarnation and 8 random bytes, and a REQUEST runs only with the ticket of a reservation the
 * worker holds.
 */
export const TAG = Buffer.from("ZBN1");

export const PING = 0x01;
export const PONG = 0x02;
export const READY = 0x03;
export const RESERVE = 0x04;
export const RESERVED = 0x05;
export const REQUEST = 0x06;
export const REPLY = 0x07;
export const ERROR = 0x08;
export const CANCEL = 0x09;
export const GOSSIP = 0x0a;
export const DISCONNECT = 0x0b;

const COMMANDS = Array.from({ length: 12 }, (_, code) => Buffer.from([code]));

export function command(code: number): Buffer {
  return COMMANDS[code]!;
}

/** The command of a message that starts with the tag; null otherwise. */
export function commandOf(frames: readonly Buffer[], at = 0): number | null {
  const tag = frames[at];
  const cmd = frames[at + 1];
  if (tag === undefined || cmd === undefined || cmd.length !== 1 || !tag.equals(TAG)) return null;
  return cmd[0]!;
}

export type Role = "client" | "worker" | "broker";

export const ROLE_PREFIX: Record<Role, string> = { client: "C:", worker: "W:", broker: "B:" };

export function roleOf(routingId: Buffer): Role | null {
  if (routingId.length < 3 || routingId[1] !== 0x3a) return null; // "X:"
  switch (routingId[0]) {
    case 0x43:
      return "client";
    case 0x57:
      return "worker";
    case 0x42:
      return "broker";
    default:
      return null;
  }
}

/**
 * Why a request was not answered with a reply. From a broker: NO_SERVICE (no worker offers it),
 * BUSY (its workers stayed busy for the broker's queue timeout), QUEUE_FULL, WORKER_GONE (the
 * reserved worker is not connected to this broker). From a worker: NOT_RESERVED (it holds no
 * reservation for this id and never ran it), RESTARTED (the reservation was made with an earlier
 * run of this worker), HANDLER_FAILED (it ran, and failed; the text says how).
 */
export type ErrorCode =
  "NO_SERVICE" | "BUSY" | "QUEUE_FULL" | "WORKER_GONE" | "NOT_RESERVED" | "RESTARTED" | "HANDLER_FAILED";

export const ERROR_CODES: ReadonlySet<string> = new Set<ErrorCode>([
  "NO_SERVICE",
  "BUSY",
  "QUEUE_FULL",
  "WORKER_GONE",
  "NOT_RESERVED",
  "RESTARTED",
  "HANDLER_FAILED",
]);

/** A broker as the others reach it. */
export interface BrokerAddress {
  endpoint: string;
  /** Its CURVE public key (Z85), when the network uses CURVE. */
  publicKey?: string;
}

export function encodeAddresses(addresses: readonly BrokerAddress[]): Buffer {
  return Buffer.from(JSON.stringify(addresses));
}

/** Reads a list of broker addresses; null when it is not one (a malformed list is ignored whole). */
export function decodeAddresses(frame: Buffer | undefined): BrokerAddress[] | null {
  if (frame === undefined || frame.length > 65_536) return null;
  let value: unknown;
  try {
    value = JSON.parse(frame.toString("utf8"));
  } catch {
    return null;
  }
  if (!Array.isArray(value) || value.length > 1000) return null;
  const out: BrokerAddress[] = [];
  for (const item of value) {
    const address = decodeAddress(item);
    if (address === null) return null;
    out.push(address);
  }
  return out;
}

export function decodeAddress(item: unknown): BrokerAddress | null {
  if (typeof item !== "object" || item === null) return null;
  const { endpoint, publicKey } = item as Record<string, unknown>;
  if (typeof endpoint !== "string" || !/^(tcp|ipc|inproc|ws|wss):\/\//.test(endpoint)) return null;
  if (publicKey !== undefined && (typeof publicKey !== "string" || publicKey.length !== 40)) return null;
  return publicKey === undefined ? { endpoint } : { endpoint, publicKey };
}
