import { Router } from "zmtp";
import { MAX_BODY_SIZE, createMessage, decode, decodeHeader, encode, type MessageType } from "../wire/protocol.js";
import type { HeartbeatBody, NotificationBody, RegistrationBody, Stat } from "../wire/schema.js";

/** What a local process may send its agent. */
export const LOCAL_TYPES: readonly MessageType[] = ["registration", "stats", "heartbeat", "notification"];

/** What the local endpoint asks of its agent (the Agent, seen from here). */
export interface LocalAgent {
  readonly counters: { malformed: number; localMessages: number };
  emit(event: "malformed", reason: string): boolean;
  register(body: RegistrationBody): void;
  stats(stats: readonly Stat[]): void;
  heartbeat(body: HeartbeatBody): void;
  notify(body: NotificationBody, options: { ack?: boolean; id?: string }): string;
}

/**
 * The agent's local endpoint (a ROUTER, by default on a Unix socket in the state directory):
 * local processes send the same [header, body] messages the agent sends upstream, and get an
 * "ack" (with `error` when the message was refused) once the agent has taken it, which for an
 * acknowledged notification means it is in the persisted outbox.
 */
export class LocalEndpoint {
  private constructor(
    private readonly socket: Router,
    private readonly agent: LocalAgent,
  ) {}

  static async bind(endpoint: string, agent: LocalAgent): Promise<LocalEndpoint> {
    const socket = new Router({ linger: 0, sendTimeout: 0, maxMessageSize: MAX_BODY_SIZE + 1024 });
    await socket.bind(endpoint);
    const local = new LocalEndpoint(socket, agent);
    void local.loop();
    return local;
  }

  get endpoint(): string {
    return this.socket.lastEndpoint!;
  }

  close(): void {
    this.socket.close();
  }

  private async loop(): Promise<void> {
    try {
      for await (const [client, ...frames] of this.socket) this.handle(client!, frames);
    } catch {
      // closed under the loop
    }
  }

  private handle(client: Buffer, frames: Buffer[]): void {
    const counters = this.agent.counters;
    const decoded = decode(frames, LOCAL_TYPES);
    if (!decoded.ok) {
      counters.malformed += 1;
      this.agent.emit("malformed", `local: ${decoded.reason}`);
      // Answer whoever we can identify, so a client does not wait out its timeout.
      const header = decodeHeader(frames[0]);
      if (header.ok) this.reply(client, header.value.id, decoded.reason);
      return;
    }
    counters.localMessages += 1;
    const { header } = decoded.value;
    let error: string | undefined;
    try {
      const message = decoded.value;
      switch (message.type) {
        case "registration":
          this.agent.register(message.body);
          break;
        case "stats":
          this.agent.stats(message.body.stats);
          break;
        case "heartbeat":
          this.agent.heartbeat(message.body);
          break;
        case "notification":
          this.agent.notify(message.body, { ack: header.ack, id: header.id });
          break;
      }
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    }
    this.reply(client, header.id, error);
  }

  private reply(client: Buffer, ref: string, error?: string): void {
    const ack = createMessage("ack", error === undefined ? { ref } : { ref, error: error.slice(0, 8192) });
    this.socket.send([client, ...encode(ack)]).catch(() => undefined);
  }
}
