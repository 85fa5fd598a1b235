/**
 * Majordomo Protocol 0.1 (ZeroMQ RFC 7, rfc.zeromq.org/spec:7) and its service discovery
 * (RFC 8, MMI): the frames, and pure functions that read them. What the broker's ROUTER receives,
 * after the sender's routing id:
 *
 *   client  "" "MDPC01" service body...          (REQ adds the empty frame; a DEALER sends it)
 *   worker  "" "MDPW01" 0x01 service              READY
 *           "" "MDPW01" 0x03 client... "" body... REPLY (the client's address, a delimiter)
 *           "" "MDPW01" 0x04                      HEARTBEAT
 *           "" "MDPW01" 0x05                      DISCONNECT
 *
 * and what it sends: to a client `client "" "MDPC01" service body...`; to a worker
 * `worker "" "MDPW01" 0x02 client "" body...` (REQUEST), HEARTBEAT or DISCONNECT.
 */
import { EMPTY } from "../common/frames.js";

export const MDP_CLIENT = Buffer.from("MDPC01");
export const MDP_WORKER = Buffer.from("MDPW01");

export const READY = 0x01;
export const REQUEST = 0x02;
export const REPLY = 0x03;
export const HEARTBEAT = 0x04;
export const DISCONNECT = 0x05;

/** RFC 8: service names starting with "mmi." are the broker's own. */
export const MMI_PREFIX = "mmi.";
/** RFC 8 status codes, as the body of an mmi.* reply. */
export const MMI_FOUND = "200";
export const MMI_NOT_FOUND = "404";
export const MMI_NOT_IMPLEMENTED = "501";

export type BrokerInbound =
  | { kind: "request"; service: string; body: Buffer[] }
  | { kind: "ready"; service: string }
  | { kind: "reply"; client: Buffer[]; body: Buffer[] }
  | { kind: "heartbeat" }
  | { kind: "disconnect" };

/** Reads a message a broker received (without the sender's routing id); null if malformed. */
export function parseBrokerInbound(frames: readonly Buffer[]): BrokerInbound | null {
  if (frames.length < 2 || frames[0]!.length !== 0) return null;
  const header = frames[1]!;
  if (header.equals(MDP_CLIENT)) {
    if (frames.length < 3) return null;
    return { kind: "request", service: frames[2]!.toString(), body: frames.slice(3) };
  }
  if (!header.equals(MDP_WORKER) || frames.length < 3 || frames[2]!.length !== 1) return null;
  switch (frames[2]![0]) {
    case READY:
      return frames.length === 4 ? { kind: "ready", service: frames[3]!.toString() } : null;
    case REPLY: {
      const delimiter = frames.findIndex((f, i) => i > 3 && f.length === 0);
      if (delimiter === -1) return null;
      return { kind: "reply", client: frames.slice(3, delimiter), body: frames.slice(delimiter + 1) };
    }
    case HEARTBEAT:
      return frames.length === 3 ? { kind: "heartbeat" } : null;
    case DISCONNECT:
      return { kind: "disconnect" };
    default:
      return null;
  }
}

export type WorkerInbound =
  { kind: "request"; client: Buffer[]; body: Buffer[] } | { kind: "heartbeat" } | { kind: "disconnect" };

/** Reads a message a worker's DEALER received from the broker; null if malformed. */
export function parseWorkerInbound(frames: readonly Buffer[]): WorkerInbound | null {
  if (frames.length < 3 || frames[0]!.length !== 0 || !frames[1]!.equals(MDP_WORKER) || frames[2]!.length !== 1)
    return null;
  switch (frames[2]![0]) {
    case REQUEST: {
      const delimiter = frames.findIndex((f, i) => i > 3 && f.length === 0);
      if (delimiter === -1) return null;
      return { kind: "request", client: frames.slice(3, delimiter), body: frames.slice(delimiter + 1) };
    }
    case HEARTBEAT:
      return { kind: "heartbeat" };
    case DISCONNECT:
      return { kind: "disconnect" };
    default:
      return null;
  }
}

export const command = (code: number): Buffer => Buffer.from([code]);

export function workerMessage(code: number, ...rest: Buffer[]): Buffer[] {
  return [EMPTY, MDP_WORKER, command(code), ...rest];
}
