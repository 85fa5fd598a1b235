import { randomBytes } from "../platform/random.js";
import type { ContextCore } from "../context.js";
import { zmqError } from "../errors.js";
import { SocketBase } from "./base.js";
import type { Message, Pipe } from "./pipe.js";
import { FairQueue, withRoutingId } from "./routing/fq.js";
import type { TypeOptionFamily } from "./socket-options.js";

/**
 * STREAM (libzmq's stream_t): raw bytes to peers that speak no ZMTP, over tcp or ipc. Every
 * connection gets a routing id (the connect routing id, else 0x00 and a 32-bit counter);
 * received chunks come as [id, bytes], with an empty frame when a connection opens or the peer
 * ends it (ZMQ_STREAM_NOTIFY); [id, bytes] writes to that connection, [id, ""] closes it.
 *
 * Sending follows libzmq frame by frame, quirks included: a frame that follows a routing id is
 * data whatever its MORE flag, so [id, a, b] writes a and reads b as the next routing id, and a
 * lone [id] makes the next message's first frame the data of a message that goes nowhere.
 */
export class StreamSocket extends SocketBase {
  private readonly fq = new FairQueue();
  private readonly byId = new Map<string, Pipe>();
  private nextId = randomBytes(4).readUInt32BE(0);
  /** The next frame sent is data, not a routing id (libzmq's _more_out). */
  private moreOut = false;

  constructor(context: ContextCore) {
    super("STREAM", context);
    this.options.rawSocket = true;
  }

  protected override get optionFamily(): TypeOptionFamily {
    return "stream";
  }

  protected xattach(pipe: Pipe): boolean {
    // Only a connect routing id names a peer; whatever else the pipe carries (an inproc peer's
    // Identity) is ignored, as libzmq's identify_peer does.
    if (!pipe.fixedRoutingId || pipe.routingId === null) {
      pipe.routingId = this.generatedId();
      // libzmq also stores a generated id as the socket's own ZMQ_ROUTING_ID (stream.cpp).
      this.options.routingId = pipe.routingId;
    }
    const key = pipe.routingId.toString("latin1");
    // libzmq asserts (the process aborts) on a connect routing id already in use: refuse instead.
    if (this.byId.has(key)) return false;
    this.byId.set(key, pipe);
    return true;
  }

  /** 0x00 and a big-endian counter from a random start, skipping ids a connect routing id took. */
  private generatedId(): Buffer {
    const id = Buffer.allocUnsafe(5);
    id[0] = 0;
    do {
      id.writeUInt32BE(this.nextId, 1);
      this.nextId = (this.nextId + 1) >>> 0;
    } while (this.byId.has(id.toString("latin1")));
    return id;
  }

  protected xdetach(pipe: Pipe): void {
    this.fq.detach(pipe);
    // A peer that left keeps its id until what it sent has been read: sends to it meanwhile are
    // EAGAIN (libzmq's pipe waits for its reader to reach the end before it goes).
    if (!pipe.readable) this.forget(pipe);
  }

  private forget(pipe: Pipe): void {
    const key = pipe.routingId?.toString("latin1");
    if (key !== undefined && this.byId.get(key) === pipe) this.byId.delete(key);
  }

  protected xsend(msg: Message): boolean {
    let target: Pipe | null = null;
    for (let i = 0; i < msg.length; i++) {
      const frame = msg[i]!;
      if (!this.moreOut) {
        // A routing id. Sent as the last frame it is ignored, and the frame after it is dropped.
        if (i < msg.length - 1) {
          const pipe = this.byId.get(frame.toString("latin1"));
          if (pipe === undefined) throw zmqError("EHOSTUNREACH");
          if (!pipe.writable) return false;
          target = pipe;
        }
        this.moreOut = true;
        continue;
      }
      this.moreOut = false;
      if (target === null) continue;
      if (frame.length === 0) this.closeConnection(target);
      else target.write([frame]);
      target = null;
    }
    return true;
  }

  /**
   * An empty data frame: what was queued for the peer still goes out, then its connection
   * closes. Nothing more is received from it, not even a disconnect notification.
   */
  private closeConnection(pipe: Pipe): void {
    while (pipe.read() !== undefined);
    this.detachPipe(pipe);
    pipe.terminate();
  }

  protected xrecv(): Message | undefined {
    const msg = this.fq.recv();
    if (msg === undefined) return undefined;
    const pipe = this.fq.lastPipe!;
    if (pipe.closed && !pipe.readable) this.forget(pipe);
    // Raw connections deliver one frame per message; an inproc peer may send more.
    return withRoutingId(pipe, msg);
  }

  protected xreadActivated(pipe: Pipe): void {
    this.fq.activate(pipe);
  }

  protected xhasIn(): boolean {
    return this.fq.readable;
  }

  /** Always: whether a message can go depends on the peer it names (libzmq's xhas_out). */
  protected xhasOut(): boolean {
    return true;
  }
}
