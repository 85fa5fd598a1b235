import type { Message } from "../sockets/pipe.js";

/**
 * What zeromq.js's Socket::Send and Socket::Receive do beyond frames for some draft types
 * (SERVER's routing id, RADIO's and DISH's group), keyed by socket type number. The entry that
 * brings those types registers theirs; the classic types have none.
 */
export interface Envelope {
  /**
   * send()'s second argument, required (an object) when set: what the core is given for these
   * frames and options. Throws as the binding does for a bad option.
   */
  readonly wrap?: (frames: Message, options: object) => Message;
  /** What receive() resolves to for a message from the core. */
  readonly unwrap?: (msg: Message) => unknown[];
}

const envelopes = new Map<number, Envelope>();

export function registerEnvelope(type: number, envelope: Envelope): void {
  envelopes.set(type, envelope);
}

export function envelopeOf(type: number): Envelope | null {
  return envelopes.get(type) ?? null;
}
