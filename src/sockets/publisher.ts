import type { ContextCore } from "../context.js";
import { zmqError } from "../errors.js";
import type { Message } from "./pipe.js";
import { PublisherCore } from "./xpublisher.js";

/**
 * PUB (RFC 29): each message goes to every subscriber whose subscriptions match its first
 * frame. Never waits: a subscriber at its HWM misses the message (unless noDrop). Messages a
 * subscriber sends, other than its subscriptions, are dropped.
 */
export class PublisherSocket extends PublisherCore {
  constructor(context: ContextCore) {
    super("PUB", context, false);
  }

  protected override xrecv(): Message | undefined {
    throw zmqError("ENOTSUP");
  }

  protected override xhasIn(): boolean {
    return false;
  }
}
