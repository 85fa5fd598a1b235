import { EventEmitter } from "node:events";
import type { Request, SocketOptions } from "zmtp";
import { brokerError } from "../common/errors.js";
import { toFrames, type Body, type Frames } from "../common/frames.js";
import { LazyPirateClient } from "../pirate/lazy-pirate.js";
import { MDP_CLIENT, MMI_FOUND } from "./protocol.js";

export interface MajordomoClientOptions {
  /** The broker's endpoint. */
  broker: string;
  /** ms to wait for each reply. Default 2500. */
  timeout?: number;
  /** Resends before giving up. Default 3. */
  retries?: number;
  socket?: SocketOptions<Request>;
}

/**
 * A Majordomo client (MDP/0.1, RFC 7): `request(service, body)` sends `"MDPC01" service body...`
 * over a REQ socket and resolves with the reply's body. Retries are the Lazy Pirate's (a fresh
 * socket per retry, ETIMEDOUT after the last), so a dead broker cannot lock it up. MDP replies do
 * not name their request, so requests go one at a time, in call order.
 *
 * Events: "retry" ({ attempt, endpoint }).
 */
export class MajordomoClient extends EventEmitter {
  private readonly pirate: LazyPirateClient;

  constructor(options: MajordomoClientOptions) {
    super();
    this.pirate = new LazyPirateClient({
      endpoints: options.broker,
      timeout: options.timeout ?? 2500,
      retries: options.retries ?? 3,
      ...(options.socket !== undefined && { socket: options.socket }),
    });
    this.pirate.on("retry", (event) => this.emit("retry", event));
  }

  async request(service: string, body: Body): Promise<Frames> {
    const reply = await this.pirate.request([MDP_CLIENT, Buffer.from(service), ...toFrames(body)]);
    const [header, replyService, ...rest] = reply;
    if (header === undefined || !header.equals(MDP_CLIENT) || replyService?.toString() !== service)
      throw brokerError("EPROTO", `the broker answered a "${service}" request with something that is not its reply`);
    return rest;
  }

  /** RFC 8's mmi.service: whether the broker has a worker for `service`. */
  async hasService(service: string): Promise<boolean> {
    const [status] = await this.request("mmi.service", service);
    return status?.toString() === MMI_FOUND;
  }

  close(): void {
    this.pirate.close();
  }
}
