import { zmqError } from "../../errors.js";
import type { Acceptor as Full } from "../../sockets/session/acceptor.js";
import type { SessionOwner } from "../../sockets/session/owner.js";
import type { ByteStream } from "../../transports/stream.js";

/**
 * `zmtp/browser-lite` leaves the bound side of sessions out: a page cannot listen (its ws
 * transport refuses bind() with ENOTSUP, tcp and ipc are EPROTONOSUPPORT, inproc binds without
 * an acceptor), so no connection is ever accepted there. bind() still makes one before the
 * transport refuses; this stands in for it.
 */
export class Acceptor implements Pick<
  Full,
  "endpoint" | "pendingOutbound" | "listening" | "accept" | "refused" | "close"
> {
  readonly pendingOutbound = false;

  constructor(
    readonly owner: SessionOwner,
    readonly address: string,
    readonly priority: number,
  ) {}

  get endpoint(): string {
    return this.address;
  }

  listening(): void {
    throw zmqError("ENOTSUP", "zmtp/browser-lite cannot listen", this.address);
  }

  readonly accept = (stream: ByteStream): void => {
    stream.destroy();
  };

  readonly refused = (): void => undefined;

  close(): void {}
}
