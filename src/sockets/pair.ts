import { SocketBase } from "./base.js";
import type { ContextCore } from "../context.js";
import type { Message, Pipe } from "./pipe.js";

/** PAIR (RFC 31): exactly one peer; later peers are refused, as libzmq does. */
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
    if (this.peer === pipe) this.peer = null;
  }

  protected xsend(msg: Message): boolean {
    const peer = this.peer;
    if (peer === null || !peer.writable) return false;
    peer.write(msg);
    return true;
  }

  protected xrecv(): Message | undefined {
    return this.peer?.read();
  }

  protected xreadActivated(): void {}

  protected xhasIn(): boolean {
    return this.peer?.readable ?? false;
  }

  protected xhasOut(): boolean {
    return this.peer?.writable ?? false;
  }
}
