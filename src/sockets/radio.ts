import type { ContextCore } from "../context.js";
import { zmqError } from "../errors.js";
import { decodeGroupCommand, GROUP_MAX_LENGTH, groupKey, isGroupCommand } from "../zmtp/group.js";
import { SocketBase } from "./base.js";
import type { OptionArgument } from "./core.js";
import type { Message, Pipe } from "./pipe.js";
import { Distributor } from "./routing/dist.js";
import { PipeDrainer } from "./routing/drain.js";
import { Opt } from "./socket-options.js";

/**
 * RADIO (RFC 48): each message goes, as `[group, body]`, to the peers that joined its group
 * (exact match, JOIN / LEAVE from each DISH) and to every udp:// pipe, whose peers cannot say what
 * they want. Single-part only (EINVAL); a peer at its high-water mark misses the message, unless
 * ZMQ_XPUB_NODROP, with which the send fails with EAGAIN instead (radio.cpp).
 */
export class RadioSocket extends SocketBase {
  private readonly dist = new Distributor();
  /** Per group, the pipes that joined it and how often (libzmq's multimap). */
  private readonly groups = new Map<string, Map<Pipe, number>>();
  private readonly everything = new Set<Pipe>();
  private readonly drainer = new PipeDrainer((pipe, msg) => this.take(pipe, msg));

  constructor(context: ContextCore) {
    super("RADIO", context);
  }

  protected override get threadSafe(): boolean {
    return true;
  }

  /** radio.cpp's xsetsockopt: ZMQ_XPUB_NODROP, an int that is not negative; else the common options. */
  protected override xsetsockopt(id: number, value: OptionArgument): boolean {
    if (id !== Opt.XpubNodrop || value.kind !== "int" || value.value < 0) return false;
    this.options.noDrop = value.value !== 0;
    return true;
  }

  protected xattach(pipe: Pipe): boolean {
    this.dist.attach(pipe);
    if (pipe.subscribesToAll) this.everything.add(pipe);
    return true;
  }

  protected xdetach(pipe: Pipe): void {
    for (const [key, members] of this.groups) {
      if (members.delete(pipe) && members.size === 0) this.groups.delete(key);
    }
    this.everything.delete(pipe);
    this.dist.detach(pipe);
  }

  protected xsend(msg: Message): boolean {
    // [group] alone is a message of no frames: nothing is sent.
    if (msg.length < 2) return true;
    if (msg.length > 2 || msg[0]!.length > GROUP_MAX_LENGTH) throw zmqError("EINVAL");
    const members = this.groups.get(groupKey(msg[0]!));
    if (members !== undefined) for (const pipe of members.keys()) this.dist.match(pipe);
    for (const pipe of this.everything) this.dist.match(pipe);
    if (this.options.noDrop && !this.dist.matchingWritable) {
      this.dist.unmatch();
      return false;
    }
    this.dist.sendToMatching(msg);
    return true;
  }

  protected xrecv(): Message | undefined {
    throw zmqError("ENOTSUP");
  }

  /** JOIN / LEAVE are applied as they arrive; anything else a peer sends is dropped. */
  protected xreadActivated(pipe: Pipe): void {
    this.drainer.activate(pipe);
  }

  private take(pipe: Pipe, msg: Message): void {
    if (!isGroupCommand(msg)) return;
    const command = decodeGroupCommand(msg[0]!);
    if (command === null) return;
    const key = groupKey(command.group);
    let members = this.groups.get(key);
    if (command.join) {
      if (members === undefined) this.groups.set(key, (members = new Map()));
      members.set(pipe, (members.get(pipe) ?? 0) + 1);
      return;
    }
    const count = members?.get(pipe);
    if (count === undefined) return;
    if (count > 1) members!.set(pipe, count - 1);
    else if (members!.delete(pipe) && members!.size === 0) this.groups.delete(key);
  }

  protected xhasIn(): boolean {
    return false;
  }

  /** Always, as libzmq's dist: a full peer misses the message (or, with noDrop, the send fails). */
  protected xhasOut(): boolean {
    return true;
  }
}
