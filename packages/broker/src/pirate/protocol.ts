/**
 * The Paranoid Pirate Protocol (ZeroMQ RFC 6): between a queue (ROUTER) and its workers (DEALER).
 * A worker says READY once per connection and HEARTBEAT when it has sent nothing else for a
 * while; the queue sends HEARTBEAT the same way. Requests and replies carry the client's
 * envelope (its routing id, an empty delimiter) before the body. A control message is one
 * frame of one byte; anything else is a request or a reply.
 */
export const PPP_READY = Buffer.from([0x01]);
export const PPP_HEARTBEAT = Buffer.from([0x02]);

export type PirateControl = "ready" | "heartbeat";

export function controlOf(frames: readonly Buffer[]): PirateControl | null {
  if (frames.length !== 1) return null;
  if (frames[0]!.equals(PPP_READY)) return "ready";
  if (frames[0]!.equals(PPP_HEARTBEAT)) return "heartbeat";
  return null;
}

/**
 * Splits a request (or reply) into its envelope (routing ids up to and including the empty
 * delimiter) and its body; null when there is no delimiter or nothing before it.
 */
export function splitEnvelope(frames: readonly Buffer[]): { envelope: Buffer[]; body: Buffer[] } | null {
  const delimiter = frames.findIndex((f) => f.length === 0);
  if (delimiter < 1) return null;
  return { envelope: frames.slice(0, delimiter + 1), body: frames.slice(delimiter + 1) };
}
