import { Dealer, type Context } from "zmtp";
import { decodeReply, encodeRequest, type Reply, type Request } from "../wire/protocol.js";

export interface Connection {
  context?: Context;
  /** Socket options: CURVE client options from `clientSecurity`. */
  security?: Record<string, unknown>;
}

type Collector = (reply: Reply) => boolean;

/**
 * A DEALER to one replica or agent. Requests carry an id; replies with that id go to the
 * request's collector until it says it is done. Replies without a waiting request (an OK for a
 * registration) go to `onReply`.
 */
export class Requester {
  private readonly dealer: Dealer;
  private readonly waiting = new Map<string, Collector>();
  private next = 0;
  onReply: (reply: Reply) => void = () => undefined;

  constructor(
    readonly endpoint: string,
    connection: Connection = {},
  ) {
    // sendTimeout 0: a request to an unreachable server fails now rather than queueing behind others.
    this.dealer = new Dealer({
      ...contextOption(connection.context),
      linger: 0,
      sendTimeout: 0,
      ...connection.security,
    });
    this.dealer.connect(endpoint);
    void this.receive();
  }

  get closed(): boolean {
    return this.dealer.closed;
  }

  id(): string {
    this.next += 1;
    return String(this.next);
  }

  /** Sends without waiting for a reply; false when it could not be queued. */
  async send(request: Request): Promise<boolean> {
    if (this.dealer.closed) return false;
    try {
      await this.dealer.send(encodeRequest(request));
      return true;
    } catch {
      return false;
    }
  }

  /** Sends a request with an id and feeds its replies to `collect` until it returns true; rejects after `timeout` ms. */
  call(request: Request & { id: string }, timeout: number, collect: Collector): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(request.id);
        reject(new Error(`${this.endpoint} did not answer ${request.type} within ${timeout} ms`));
      }, timeout);
      this.waiting.set(request.id, (reply) => {
        timer.refresh();
        if (!collect(reply)) return false;
        clearTimeout(timer);
        resolve();
        return true;
      });
      void this.send(request).then((sent) => {
        if (sent) return;
        clearTimeout(timer);
        this.waiting.delete(request.id);
        reject(new Error(`${this.endpoint}: request not sent (not connected)`));
      });
    });
  }

  /** One reply: the first with the request's id. */
  async ask(request: Request & { id: string }, timeout: number): Promise<Reply> {
    let answer: Reply | null = null;
    await this.call(request, timeout, (reply) => ((answer = reply), true));
    return answer!;
  }

  /** `linger`: ms that messages still queued (an UNREGISTER) may take to leave. */
  close(linger = 0): void {
    this.dealer.linger = linger;
    this.dealer.close();
  }

  private async receive(): Promise<void> {
    for (;;) {
      let frames: Buffer[];
      try {
        frames = await this.dealer.receive();
      } catch {
        if (this.dealer.closed) return;
        continue;
      }
      const reply = decodeReply(frames);
      if (reply === null) continue;
      const collect = "id" in reply ? this.waiting.get(reply.id) : undefined;
      if (collect === undefined) this.onReply(reply);
      else if (collect(reply)) this.waiting.delete((reply as { id: string }).id);
    }
  }
}

/** `{ context }` when one is given: zmtp, like zeromq.js, refuses `context: undefined`. */
export function contextOption(context: Context | undefined): { context?: Context } {
  return context === undefined ? {} : { context };
}
