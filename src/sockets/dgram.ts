import type { ContextCore } from "../context.js";
import { zmqError } from "../errors.js";
import { SocketBase } from "./base.js";
import type { Message, Pipe } from "./pipe.js";

/**
 * DGRAM: raw datagrams over udp://, each message two parts, `[address, body]`: the address is
 * where a sent body goes ("a.b.c.d:port") and where a received one came from ("a.b.c.d:port" and
 * a NUL). One peer only: a second bind or connect gets no pipe (dgram.cpp). libzmq checks the
 * parts one by one, so a message of the wrong shape leaves what came before it: a first part
 * without MORE is EINVAL, a second part with MORE is EINVAL and the message stays open, and the
 * next single part completes it. Over tcp, ipc and inproc it is a raw socket, as in libzmq.
 */
export class DgramSocket extends SocketBase {
  private pipe: Pipe | null = null;
  /** The address part of a message whose body has not come yet (libzmq's _more_out). */
  private pending: Buffer | null = null;

  constructor(context: ContextCore) {
    super("DGRAM", context);
    // libzmq's raw_socket; its raw_notify is on by default for every type, so over tcp and ipc
    // an empty message announces a connection and its end, as on a STREAM.
    this.options.rawSocket = true;
  }

  protected xattach(pipe: Pipe): boolean {
    if (this.pipe !== null) return false;
    this.pipe = pipe;
    return true;
  }

  /** A pipe that went away stays the peer until what it delivered was read (as PAIR's, dgram.cpp). */
  protected xdetach(pipe: Pipe): void {
    if (this.pipe === pipe && !pipe.readable) this.pipe = null;
  }

  protected xsend(msg: Message): boolean {
    const pipe = this.pipe;
    if (pipe === null) return false;
    for (let i = 0; i < msg.length; i++) {
      const more = i < msg.length - 1;
      if ((this.pending === null) !== more) throw zmqError("EINVAL");
      if (!pipe.writable) return false;
      if (this.pending === null) {
        this.pending = Buffer.from(msg[i]!);
      } else {
        pipe.write([this.pending, msg[i]!]);
        this.pending = null;
      }
    }
    return true;
  }

  protected xrecv(): Message | undefined {
    const pipe = this.pipe;
    if (pipe === null) return undefined;
    const msg = pipe.read();
    if (pipe.closed && !pipe.readable) this.pipe = null;
    return msg;
  }

  protected xreadActivated(): void {}

  protected xhasIn(): boolean {
    return this.pipe?.readable ?? false;
  }

  protected xhasOut(): boolean {
    return this.pipe?.writable ?? false;
  }
}
