import { allowMethods, type SocketOptions, type Writable } from "./base.js";
import { defineOptions } from "./options.js";
import { PublisherCore } from "./xpublisher.js";

/**
 * PUB (RFC 29): each message goes to every subscriber whose subscriptions match its first
 * frame. Never waits: a subscriber at its HWM misses the message (unless noDrop). Messages a
 * subscriber sends, other than its subscriptions, are dropped.
 */
export class Publisher extends PublisherCore {
  constructor(options?: SocketOptions<Publisher>) {
    super("PUB", options, false);
  }
}
export interface Publisher extends Writable {
  noDrop: boolean;
  /** Accepted for zeromq.js compatibility but not applied: a PUB's pipes keep up to their HWM. */
  conflate: boolean;
  invertMatching: boolean;
}
defineOptions(Publisher.prototype, ["noDrop", "conflate", "invertMatching"]);
allowMethods(Publisher, ["send"]);
