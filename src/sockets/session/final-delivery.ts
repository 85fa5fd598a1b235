import type { Clock } from "../../clock.js";
import { streamTransport } from "../../transports/registry.js";
import type { TransportOptions } from "../../transports/transport.js";
import type { SocketTypeName } from "../../zmtp/socket-types.js";
import type { EngineOptions } from "../../zmtp/engine.js";
import type { Event } from "../events.js";
import { Pipe, type PipeOwner } from "../pipe.js";
import type { OptionValues } from "../socket-options.js";
import { newCounters } from "../statistics.js";
import { Connecter, type Undelivered } from "./connecter.js";
import { engineOptionsFor, transportOptionsFor } from "./engine-options.js";
import type { SessionOwner } from "./owner.js";

/** How often a delivery checks whether everything went out. */
const POLL_MS = 10;

/** Messages of one connect()ed endpoint, with what is needed to reach its peer again. */
export interface FinalDelivery extends Undelivered {
  socketType: SocketTypeName;
  options: OptionValues;
  /** How long it may take, in ms; -1 = until the peer took everything. */
  linger: number;
}

/**
 * Delivers what a socket still had queued for a peer that was away when the process began to
 * exit: dials the endpoint with the socket's options (reconnecting with its backoff, as libzmq's
 * session does while the context terminates) and hands the messages to the first connection.
 * Resolves once they are all with the kernel, or when `linger` ran out.
 */
export function deliverFinally(item: FinalDelivery, clock: Clock): Promise<void> {
  const protocol = item.address.slice(0, item.address.indexOf(":"));
  const transport = streamTransport(protocol);
  if (transport === null) return Promise.resolve();
  const owner = new DeliveryOwner(item, clock);
  const connecter = new Connecter(owner, item.address, transport, item.routingId, item.priority);
  connecter.start();
  const deadline = item.linger < 0 ? Infinity : clock.now() + item.linger;
  return new Promise((resolve) => {
    const poll = (): void => {
      const done = !connecter.pendingOutbound || connecter.stopped;
      if (done || clock.now() >= deadline) {
        connecter.stop(done);
        resolve();
        return;
      }
      clock.setTimeout(poll, POLL_MS);
    };
    poll();
  });
}

/** The socket side of a final delivery: one pipe holding the messages, and nothing else. */
class DeliveryOwner implements SessionOwner, PipeOwner {
  readonly counters = newCounters();
  readonly options: OptionValues;

  constructor(
    private readonly item: FinalDelivery,
    readonly clock: Clock,
  ) {
    // The queue to this peer exists from the start, so the messages wait for the connection.
    this.options = { ...item.options, immediate: false };
  }

  get transportOptions(): TransportOptions {
    return transportOptionsFor(this.item.socketType, this.options);
  }

  engineOptions(): EngineOptions {
    // No ZAP handler can be asked from here: a delivery is the connecting side of its handshakes.
    return engineOptionsFor(this.item.socketType, this.options, this.counters, this.clock, null);
  }

  createPipe(endpoint: string, priority: number): Pipe {
    const pipe = new Pipe(this, endpoint, 0, this.options.receiveHighWaterMark, priority);
    for (const msg of this.item.messages) pipe.write(msg);
    return pipe;
  }

  attachPipe(pipe: Pipe): boolean {
    pipe.closed = false;
    return true;
  }

  detachPipe(pipe: Pipe): void {
    pipe.closed = true;
  }

  get attachesBeforeHandshake(): boolean {
    return true;
  }

  emit(_event: Event): void {}

  /** Replies are nobody's any more. */
  pipeReadable(pipe: Pipe): void {
    while (pipe.read() !== undefined);
  }

  pipeWritable(_pipe: Pipe): void {}
}
