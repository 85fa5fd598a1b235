import { Dealer } from "zmtp";
import { zmqError } from "zmtp/errors";
import { createMessage, decode, encode, type MessageType } from "../wire/protocol.js";
import type { Bodies, CheckDeclaration, Severity, Stat, StatKind } from "../wire/schema.js";

export interface MonitorClientOptions {
  /** ms to wait for the agent to take a message. Default 5000. */
  timeout?: number;
}

/**
 * How a local process talks to its machine's agent, over the agent's local endpoint (by default
 * `ipc://<stateDir>/agent.ipc`). Each method resolves once the agent has taken the message (for
 * a notification: once it is in the agent's persisted outbox), and rejects with EAGAIN when the
 * agent does not answer within `timeout`, or with the agent's reason when it refuses.
 *
 * ```ts
 * const client = new MonitorClient("ipc:///var/lib/zmtp-monitor/agent.ipc");
 * await client.register({ process: "billing", version: "2.1", checks: [{ name: "db", command: ["/usr/lib/nagios/plugins/check_pgsql"], interval: 60000 }] });
 * await client.stat("billing.invoices", 12, { kind: "counter" });
 * await client.notify("warning", "queue is backing up");
 * client.close();
 * ```
 */
export class MonitorClient {
  private readonly dealer = new Dealer({ linger: 1000 });
  private readonly pending = new Map<string, { resolve(): void; reject(err: Error): void; timer: NodeJS.Timeout }>();
  private readonly timeout: number;
  /** Sends are chained: a socket runs one send at a time. */
  private sending: Promise<void> = Promise.resolve();

  constructor(
    readonly endpoint: string,
    options: MonitorClientOptions = {},
  ) {
    this.timeout = options.timeout ?? 5000;
    this.dealer.connect(endpoint);
    void this.loop();
  }

  register(registration: {
    process: string;
    pid?: number;
    version?: string;
    checks?: CheckDeclaration[];
  }): Promise<void> {
    return this.request("registration", {
      ...registration,
      pid: registration.pid ?? process.pid,
      checks: registration.checks ?? [],
    });
  }

  stat(
    name: string,
    value: number,
    options: { kind?: StatKind; unit?: string; process?: string; time?: number } = {},
  ): Promise<void> {
    return this.stats([{ name, value, ...options }]);
  }

  stats(stats: Stat[]): Promise<void> {
    return this.request("stats", { stats });
  }

  /** A process heartbeat: presence of `process` is tracked like the agent's, against `interval` (ms). */
  heartbeat(processName: string, interval: number): Promise<void> {
    return this.request("heartbeat", { process: processName, interval, pid: process.pid });
  }

  /** A notification; acknowledged (kept until a sink has it) unless `ack: false`. */
  notify(
    severity: Severity,
    text: string,
    options: { process?: string; check?: string; ack?: boolean } = {},
  ): Promise<void> {
    const { ack = true, ...rest } = options;
    return this.request("notification", { severity, text, ...rest }, ack);
  }

  close(): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(zmqError("EAGAIN", "MonitorClient was closed before the agent answered"));
      this.pending.delete(id);
    }
    this.dealer.close();
  }

  private request<T extends MessageType>(type: T, body: Bodies[T], ack = false): Promise<void> {
    const message = createMessage(type, body, { ack });
    const id = message.header.id;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(
          zmqError("EAGAIN", `The agent at ${this.endpoint} did not answer within ${this.timeout} ms: is it running?`),
        );
      }, this.timeout);
      this.pending.set(id, { resolve, reject, timer });
      this.sending = this.sending.then(() =>
        this.dealer.send(encode(message)).catch((err: Error) => {
          clearTimeout(timer);
          this.pending.delete(id);
          reject(err);
        }),
      );
    });
  }

  private async loop(): Promise<void> {
    try {
      for await (const frames of this.dealer) {
        const reply = decode(frames, ["ack"]);
        if (!reply.ok || reply.value.type !== "ack") continue;
        const { ref, error } = reply.value.body;
        const p = this.pending.get(ref);
        if (p === undefined) continue;
        clearTimeout(p.timer);
        this.pending.delete(ref);
        if (error === undefined) p.resolve();
        else p.reject(new TypeError(`The agent refused the message: ${error}`));
      }
    } catch {
      // closed
    }
  }
}
