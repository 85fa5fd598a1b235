import { randomBytes } from "node:crypto";
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { XPublisher } from "zmtp";
import { attachServer, type ServerAttachment } from "zmtp/ws";

/** Where pages connect their SUB (with `?user=NAME&token=T`, guard.ts liveQuery). */
export const LIVE_PATH = "/live";
/** The topic of the fleet state messages: [topic, JSON]. */
export const STATE_TOPIC = "state";

/**
 * The status page's live updates over ZeroMQ: an XPUB bound with zmtp's ws transport on the
 * page's own HTTP server (zmtp/ws attachServer); the page subscribes with zmtp's browser build.
 *
 * The XPUB's endpoint is a path of 128 random bits that never leaves this process. zmtp takes
 * only upgrades for bound paths and leaves the others to the application, so this class takes
 * those for /live: it checks the user and token (and Origin) and only then hands the request to
 * zmtp under the bound path. An unauthenticated upgrade is answered 401 and never reaches zmtp.
 */
export class LiveFeed {
  private connections = 0;
  private readonly admitted = new WeakSet<IncomingMessage>();

  private constructor(
    private readonly server: Server,
    private readonly publisher: XPublisher,
    private readonly attachment: ServerAttachment,
    private readonly boundPath: string,
    private readonly authorize: (req: IncomingMessage) => string | null,
  ) {}

  /**
   * Binds on `server` (listening already). `onSubscribe` runs when a page subscribes, so it gets
   * the state at once rather than at the next interval.
   */
  static async start(
    server: Server,
    authorize: (req: IncomingMessage) => string | null,
    onSubscribe: () => void,
  ): Promise<LiveFeed> {
    const info = server.address();
    if (info === null || typeof info === "string") throw new Error("the page's server must listen on a TCP port");
    const attachment = attachServer(server);
    const publisher = new XPublisher({ sendHighWaterMark: 16, linger: 0 });
    // Every page's subscription, not only the first to a topic: each new page needs the state.
    publisher.verbosity = "allSubs";
    const boundPath = `${LIVE_PATH}/${randomBytes(16).toString("hex")}`;
    const host = info.address.includes(":") ? `[${info.address}]` : info.address;
    try {
      await publisher.bind(`ws://${host}:${info.port}${boundPath}`);
    } catch (err) {
      publisher.close();
      attachment.detach();
      throw err;
    }
    const feed = new LiveFeed(server, publisher, attachment, boundPath, authorize);
    // After attachServer's listener: zmtp has passed over /live (not a bound path) by then.
    server.on("upgrade", feed.onUpgrade);
    publisher.events.on("accept", () => (feed.connections += 1));
    publisher.events.on("disconnect", () => (feed.connections = Math.max(0, feed.connections - 1)));
    void (async () => {
      for await (const [message] of publisher) if (message![0] === 1) onSubscribe();
    })().catch(() => undefined);
    return feed;
  }

  /** Whether any page is connected (no state is computed for nobody). */
  get listening(): boolean {
    return this.connections > 0;
  }

  /** Sends the state to every subscribed page; a page that is behind misses it (HWM). */
  async publish(json: string): Promise<void> {
    await this.publisher.send([STATE_TOPIC, json]);
  }

  close(): void {
    this.server.off("upgrade", this.onUpgrade);
    this.publisher.close();
    this.attachment.detach();
  }

  private readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (this.admitted.has(req)) return; // handed to zmtp below
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (path === this.boundPath) return; // zmtp's
    if (path !== LIVE_PATH) return refuse(socket, "404 Not Found");
    if (this.authorize(req) === null) return refuse(socket, "401 Unauthorized");
    this.admitted.add(req);
    req.url = this.boundPath;
    this.server.emit("upgrade", req, socket, head);
  };
}

function refuse(socket: Duplex, status: string): void {
  if (!socket.writable) return void socket.destroy();
  socket.once("finish", () => socket.destroy());
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
