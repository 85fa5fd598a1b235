import { allowMethods, type SocketOptions, type Writable } from "./base.js";
import { defineOptions, refuseConflate } from "./options.js";
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
  /** Not supported yet: setting it true throws ENOTSUP. */
  conflate: boolean;
  invertMatching: boolean;
}
defineOptions(Publisher.prototype, ["noDrop", "invertMatching"]);
defineOptions(Publisher.prototype, ["conflate"], refuseConflate);
allowMethods(Publisher, ["send"]);
