import { randomBytes } from "../platform/random.js";
import type { ContextCore } from "../context.js";
import { zmqError } from "../errors.js";
import { SocketBase } from "./base.js";
import type { Message, Pipe } from "./pipe.js";
import { FairQueue } from "./routing/fq.js";
import { dropMultipart } from "./single-part.js";

/**
 * SERVER (RFC 41): single-part messages, each tied to one CLIENT by a routing id, a uint32 libzmq
 * gives every new peer (a random start, one more per peer, never 0). The core carries it as a
 * 4-byte big-endian frame in front of the body: `[id, body]` in both directions. A multipart
 * send is EINVAL; multipart messages from peers are dropped whole (server.cpp).
 */
export class ServerSocket extends SocketBase {
  private readonly fq = new FairQueue();
  private readonly byId = new Map<number, Pipe>();
  /** Each pipe's id as the frame receive() puts first (not pipe.routingId: a handshake resets that). */
  private readonly idOf = new Map<Pipe, Buffer>();
  private nextId = randomBytes(4).readUInt32BE(0);

  constructor(context: ContextCore) {
    super("SERVER", context);
  }

  protected override get threadSafe(): boolean {
    return true;
  }

  protected xattach(pipe: Pipe): boolean {
    let id = this.nextId;
    this.nextId = (id + 1) >>> 0;
    if (id === 0) {
      id = this.nextId;
      this.nextId = (id + 1) >>> 0;
    }
    const frame = Buffer.allocUnsafe(4);
    frame.writeUInt32BE(id, 0);
    this.idOf.set(pipe, frame);
    this.byId.set(id, pipe);
    return true;
  }

  protected xdetach(pipe: Pipe): void {
    this.fq.detach(pipe);
    const id = this.idOf.get(pipe)?.readUInt32BE(0);
    this.idOf.delete(pipe);
    if (id !== undefined && this.byId.get(id) === pipe) this.byId.delete(id);
  }

  protected xsend(msg: Message): boolean {
    // [id] alone is a message of no frames: nothing is sent, as zeromq.js's loop over its parts.
    if (msg.length < 2) return true;
    if (msg.length > 2) throw zmqError("EINVAL");
    const pipe = this.byId.get(msg[0]!.readUInt32BE(0));
    if (pipe === undefined) throw zmqError("EHOSTUNREACH");
    if (!pipe.writable) return false;
    pipe.write([msg[1]!]);
    return true;
  }

  protected xrecv(): Message | undefined {
    const msg = dropMultipart(this.fq);
    if (msg === undefined) return undefined;
    return [this.idOf.get(this.fq.lastPipe!)!, msg[0]!];
  }

  protected xreadActivated(pipe: Pipe): void {
    this.fq.activate(pipe);
  }

  protected xhasIn(): boolean {
    return this.fq.readable;
  }

  /** Always: whether a send succeeds depends on the peer it names (server.cpp). */
  protected xhasOut(): boolean {
    return true;
  }
}
