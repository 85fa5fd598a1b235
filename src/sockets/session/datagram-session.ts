import type { DatagramHandler, DatagramLink, DatagramPeer } from "../../transports/datagram.js";
import {
  datagramBody,
  decodeDatagramAddress,
  decodeGroupDatagram,
  encodeDatagramAddress,
  encodeGroupDatagram,
} from "../../zmtp/datagram.js";
import type { Message, Pipe, PipeDriver } from "../pipe.js";
import type { SessionOwner } from "./owner.js";

/** Sends handed to the OS and not completed before the session stops taking from its pipe. */
const MAX_IN_FLIGHT = 64;

/** The socket types that use udp:// and how each frames its messages there. */
import type { DatagramSocketType } from "../../zmtp/socket-types.js";

export type { DatagramSocketType };

/**
 * One udp:// endpoint of a RADIO, DISH or DGRAM (libzmq's udp_engine with its session): moves
 * messages between the socket's pipe and a datagram link, one message per datagram.
 *
 * - RADIO sends `[group, body]` as `len group body` to the endpoint's address; it receives nothing.
 * - DISH receives those as `[group, body]`; what it sends (JOIN / LEAVE) is dropped, as the
 *   DISH filters groups itself.
 * - DGRAM sends `[address, body]` as the body to that address (dropped when the address is not
 *   one libzmq reads), and receives `[sender's address, body]`.
 *
 * Bounded both ways: a datagram that finds the pipe full is dropped (libzmq stops reading and the
 * kernel drops instead), and messages stay in the pipe while too many sends are in flight.
 */
export class DatagramSession implements PipeDriver, DatagramHandler {
  private link: DatagramLink | null = null;
  /** No link will come (its host name did not resolve), or the session ended. */
  private dead = false;
  private closing = false;
  private pumpScheduled = false;

  constructor(
    private readonly owner: SessionOwner,
    /** The endpoint as given. */
    readonly address: string,
    private readonly type: DatagramSocketType,
    /** The socket's pipe, or null when the socket refused one (a DGRAM has one peer only). */
    private readonly pipe: Pipe | null,
  ) {
    if (pipe !== null) pipe.driver = this;
  }

  /** The link is open: queued messages start flowing. */
  opened(link: DatagramLink): void {
    if (this.dead) {
      link.close();
      return;
    }
    this.link = link;
    this.schedulePump();
  }

  /** The link could not be opened: what the socket queues here is dropped from now on. */
  failed(): void {
    this.dead = true;
    this.schedulePump();
  }

  /** Messages or datagrams still on their way (linger waits for them). */
  get pendingOutbound(): boolean {
    if (this.dead) return false;
    return (this.type !== "DISH" && (this.pipe?.hasOutbound ?? false)) || (this.link?.pending ?? 0) > 0;
  }

  // ---- PipeDriver ----

  outboundReady(): void {
    this.schedulePump();
  }

  inboundSpace(): void {}

  // ---- DatagramHandler ----

  message(datagram: Buffer, from: DatagramPeer): void {
    const pipe = this.pipe;
    if (pipe === null || this.dead) return;
    const msg = this.decode(datagram, from);
    if (msg === null) return;
    const counters = this.owner.counters;
    counters.bytesIn += datagram.length;
    if (!pipe.acceptsInbound) {
      counters.droppedAtHighWaterMark += 1;
      return;
    }
    counters.messagesIn += 1;
    pipe.deliver(msg);
  }

  sent(): void {
    if (this.closing && this.link?.pending === 0) this.link.close();
    else this.schedulePump();
  }

  private decode(datagram: Buffer, from: DatagramPeer): Message | null {
    if (this.type === "DGRAM") return [encodeDatagramAddress(from.address, from.port), datagramBody(datagram)];
    if (this.type !== "DISH") return null;
    const decoded = decodeGroupDatagram(datagram);
    return decoded === null ? null : [decoded.group, decoded.body];
  }

  // ---- output ----

  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    queueMicrotask(this.pump);
  }

  private readonly pump = (): void => {
    this.pumpScheduled = false;
    const pipe = this.pipe;
    if (pipe === null) return;
    // A DISH sends nothing; nothing can be sent on a link that will not come.
    if (this.dead || this.type === "DISH") {
      while (pipe.takeOutbound() !== undefined);
      return;
    }
    const link = this.link;
    if (link === null) return;
    const counters = this.owner.counters;
    while (link.pending < MAX_IN_FLIGHT) {
      const msg = pipe.takeOutbound();
      if (msg === undefined) break;
      if (msg.length !== 2) continue;
      if (this.type === "RADIO") {
        const datagram = encodeGroupDatagram(msg[0]!, msg[1]!);
        link.send(datagram);
        counters.bytesOut += datagram.length;
      } else {
        const to = decodeDatagramAddress(msg[0]!);
        if (to === null) continue;
        link.send(msg[1]!, to);
        counters.bytesOut += msg[1]!.length;
      }
      counters.messagesOut += 1;
    }
  };

  /**
   * Ends the endpoint: `graceful` lets the datagrams handed to the OS go out before the socket
   * closes (linger waited for the pipe to empty); otherwise it closes at once.
   */
  close(graceful: boolean): void {
    if (this.pipe !== null && this.pipe.driver === this) this.pipe.driver = null;
    this.dead = true;
    const link = this.link;
    if (link === null) return;
    this.closing = true;
    if (!graceful || link.pending === 0) link.close();
  }
}
