import { Socket, allowMethods, type Readable, type SocketOptions, type Writable } from "./base.js";
import type { Message, Pipe } from "./pipe.js";

/** PAIR (RFC 31): exactly one peer; later peers are refused, as libzmq does. */
export class Pair extends Socket {
  private peer: Pipe | null = null;

  constructor(options?: SocketOptions<Pair>) {
    super("PAIR", options);
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
}
export interface Pair extends Writable, Readable {}
allowMethods(Pair, ["send", "receive"]);
