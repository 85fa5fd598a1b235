import type { ContextCore } from "../context.js";
import { zmqError } from "../errors.js";
import { GROUP_MAX_LENGTH, groupCommandMessage, groupKey, isGroupMessage } from "../zmtp/group.js";
import { SocketBase } from "./base.js";
import type { Message, Pipe } from "./pipe.js";
import { FairQueue } from "./routing/fq.js";

/**
 * DISH (RFC 48): receives `[group, body]` for the groups it joined, fair-queued. Each join and
 * leave goes to every peer as JOIN / LEAVE, and all joined groups are sent again to a new or
 * reconnected peer; messages of other groups (a udp:// RADIO sends everything) are dropped here.
 * Groups are matched exactly; joining one twice, or leaving one not joined, is EINVAL. Default
 * linger 0 (dish.cpp: nothing a DISH queues is worth waiting for).
 */
export class DishSocket extends SocketBase {
  private readonly fq = new FairQueue();
  /** The groups joined, by key, with their bytes. */
  private readonly joined = new Map<string, Buffer>();
  /** A message found while answering hasIn, handed out by the next receive (libzmq's has_message). */
  private prefetched: Message | null = null;

  constructor(context: ContextCore) {
    super("DISH", context);
    this.options.linger = 0;
  }

  protected override get threadSafe(): boolean {
    return true;
  }

  /** zmq_join: EINVAL for a group over 255 bytes or one joined already. */
  join(group: Buffer): void {
    if (this.closed) throw zmqError("ENOTSOCK");
    const key = groupKey(group);
    if (group.length > GROUP_MAX_LENGTH || this.joined.has(key)) throw zmqError("EINVAL");
    this.joined.set(key, Buffer.from(group));
    for (const pipe of this.pipes) this.tell(pipe, true, group);
  }

  /** zmq_leave: EINVAL for a group over 255 bytes or one not joined. */
  leave(group: Buffer): void {
    if (this.closed) throw zmqError("ENOTSOCK");
    if (group.length > GROUP_MAX_LENGTH || !this.joined.delete(groupKey(group))) throw zmqError("EINVAL");
    for (const pipe of this.pipes) this.tell(pipe, false, group);
  }

  /** One command per pipe, each its own marked message; a full pipe misses it (libzmq's dist). */
  private tell(pipe: Pipe, join: boolean, group: Buffer): void {
    if (pipe.hasRoom) pipe.write(groupCommandMessage(join, group));
  }

  protected xattach(pipe: Pipe): boolean {
    // JOIN / LEAVE travel as commands (see the engine).
    pipe.carriesSubscriptions = true;
    for (const group of this.joined.values()) this.tell(pipe, true, group);
    return true;
  }

  /** A connect()ed pipe reconnected: the new peer knows none of our groups yet. */
  pipeHiccuped(pipe: Pipe): void {
    for (const group of this.joined.values()) this.tell(pipe, true, group);
  }

  protected xdetach(pipe: Pipe): void {
    this.fq.detach(pipe);
  }

  protected xsend(): boolean {
    throw zmqError("ENOTSUP");
  }

  protected xrecv(): Message | undefined {
    const msg = this.prefetched ?? this.next();
    this.prefetched = null;
    return msg ?? undefined;
  }

  protected xhasIn(): boolean {
    if (this.prefetched === null) this.prefetched = this.next();
    return this.prefetched !== null;
  }

  /** The next message of a joined group; others are dropped. */
  private next(): Message | null {
    for (;;) {
      const msg = this.fq.recv();
      if (msg === undefined) return null;
      if (isGroupMessage(msg) && this.joined.has(groupKey(msg[0]!))) return msg;
    }
  }

  protected xreadActivated(pipe: Pipe): void {
    this.fq.activate(pipe);
  }

  /** Always: joins and leaves may be sent at any time (dish.cpp). */
  protected xhasOut(): boolean {
    return true;
  }
}
