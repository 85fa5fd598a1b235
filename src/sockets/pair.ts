import { SocketBase } from "./base.js";
import type { ContextCore } from "../context.js";
import type { Message, Pipe } from "./pipe.js";

/**
 * PAIR (RFC 31): exactly one peer; later peers are refused, as libzmq does. A peer that goes away
 * stays the peer until what it already delivered has been read (libzmq ends the pipe only when its
 * reader reaches the delimiter), so no message that arrived before a disconnect is lost.
 */
export class PairSocket extends SocketBase {
  private peer: Pipe | null = null;

  constructor(context: ContextCore) {
    super("PAIR", context);
  }

  protected xattach(pipe: Pipe): boolean {
    if (this.peer !== null) return false;
    this.peer = pipe;
    return true;
  }

  protected xdetach(pipe: Pipe): void {
    if (this.peer === pipe && !pipe.readable) this.peer = null;
  }

  protected xsend(msg: Message): boolean {
    const peer = this.peer;
    if (peer === null || !peer.writable) return false;
    peer.write(msg);
    return true;
  }

  protected xrecv(): Message | undefined {
    const peer = this.peer;
    if (peer === null) return undefined;
    const msg = peer.read();
    if (peer.closed && !peer.readable) this.peer = null;
    return msg;
  }

  protected xreadActivated(): void {}

  protected xhasIn(): boolean {
    return this.peer?.readable ?? false;
  }

  protected xhasOut(): boolean {
    return this.peer?.writable ?? false;
  }
}
