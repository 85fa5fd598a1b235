/** A message as the engine sees it: its frames. */
type Message = Buffer[];

/**
 * Subscription messages travel through pipes as one-frame messages `0x01 + topic` (subscribe) or
 * `0x00 + topic` (cancel), the ZMTP 3.0 form. Those a SUB socket makes are marked, so the engine
 * can send them to ZMTP 3.1 peers as SUBSCRIBE / CANCEL commands (RFC 37 §2.5.4) — while an
 * XSUB's application messages go out as data frames, exactly as libzmq does (docs/protocol.md §5.6).
 */
const marked = new WeakSet<Message>();

export function subscriptionMessage(subscribe: boolean, topic: Buffer): Message {
  const body = Buffer.allocUnsafe(topic.length + 1);
  body[0] = subscribe ? 1 : 0;
  topic.copy(body, 1);
  const msg = [body];
  marked.add(msg);
  return msg;
}

/** True for a message made by `subscriptionMessage` (cheap pre-checks first: called per message). */
export function isMarkedSubscription(msg: Message): boolean {
  return msg.length === 1 && msg[0]!.length > 0 && msg[0]![0]! <= 1 && marked.has(msg);
}
