import { Dealer } from "zmtp";
import { decode, encode, type Message } from "./protocol.js";
import type { DeliveryStatus } from "./schema.js";

export interface BackChannelOptions {
  /** ms to wait for one router's answer before trying the next. Default 1000. */
  attemptTimeout?: number;
  /** ms a delivery may take in all, across routers and waits for a router to connect. Default 3000. */
  deliveryTimeout?: number;
}

/** "unreachable": no router answered at all (none connected, or all timed out). */
export type DeliveryOutcome = DeliveryStatus | "unreachable";

interface Pending {
  resolve(status: DeliveryStatus | "timeout"): void;
  timer: NodeJS.Timeout;
}

/**
 * The sender side of the routers' back channels, for schedulers and sinks: delivers a message to
 * an agent by its id through one router, and on "unknown-agent", "busy" or silence tries the next.
 * It keeps one DEALER per router (immediate, so a router that is down is skipped at once rather
 * than queued for) and starts each delivery at the next router in turn, spreading the load.
 */
export class BackChannel {
  private readonly dealers: Dealer[];
  private readonly pending = new Map<string, Pending>();
  private next = 0;
  private readonly attemptTimeout: number;
  private readonly deliveryTimeout: number;
  /** Replies that were not understood (counted, dropped). */
  malformed = 0;
  private closed = false;

  constructor(
    readonly endpoints: readonly string[],
    options: BackChannelOptions = {},
  ) {
    this.attemptTimeout = options.attemptTimeout ?? 1000;
    this.deliveryTimeout = options.deliveryTimeout ?? 3000;
    this.dealers = endpoints.map((endpoint) => {
      const dealer = new Dealer({ immediate: true, linger: 0, sendTimeout: 0 });
      dealer.connect(endpoint);
      void this.receiveLoop(dealer);
      return dealer;
    });
  }

  /** Whether some router's back channel is connected now. */
  get connected(): boolean {
    return this.dealers.some((d) => d.writable);
  }

  /** Delivers `message` to `agent` through the first router that knows it. Never rejects. */
  async deliver(agent: string, message: Message): Promise<DeliveryOutcome> {
    const frames = [Buffer.from(agent, "latin1"), ...encode(message)];
    const deadline = Date.now() + this.deliveryTimeout;
    const n = this.dealers.length;
    let outcome: DeliveryOutcome = "unreachable";
    while (n > 0 && !this.closed) {
      const start = this.next;
      this.next = (this.next + 1) % n;
      for (let i = 0; i < n && Date.now() < deadline; i++) {
        const dealer = this.dealers[(start + i) % n]!;
        if (dealer.closed || !dealer.writable) continue;
        const status = await this.attempt(dealer, frames, message.header.id);
        if (status === "delivered") return status;
        if (status !== "timeout") outcome = status;
      }
      // Every router said no, or none is connected yet: wait a little unless time is up.
      if (outcome === "unknown-agent" || Date.now() + 50 >= deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return outcome;
  }

  close(): void {
    this.closed = true;
    for (const dealer of this.dealers) dealer.close();
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.resolve("timeout");
      this.pending.delete(id);
    }
  }

  private attempt(dealer: Dealer, frames: Buffer[], id: string): Promise<DeliveryStatus | "timeout"> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve("timeout");
      }, this.attemptTimeout);
      this.pending.set(id, {
        timer,
        resolve: (status) => {
          clearTimeout(timer);
          this.pending.delete(id);
          resolve(status);
        },
      });
      dealer.send(frames).catch(() => this.pending.get(id)?.resolve("timeout"));
    });
  }

  private async receiveLoop(dealer: Dealer): Promise<void> {
    try {
      for await (const frames of dealer) {
        const reply = decode(frames, ["delivery"]);
        if (!reply.ok || reply.value.type !== "delivery") {
          this.malformed += 1;
          continue;
        }
        this.pending.get(reply.value.body.ref)?.resolve(reply.value.body.status);
      }
    } catch {
      // The socket was closed under the loop: nothing left to receive.
    }
  }
}
