import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bundleWorker, removeBundle, runChild, type ChildRun } from "../../../../test/helpers/child-process.js";
import { until } from "../../../../test/helpers/time.js";

/**
 * Real processes for the fault tests: brokers, workers and clients of test/fixtures/node.ts,
 * each in a child Node process (the repository's child-process helper bundles the fixture), with
 * what they print parsed, and the logs they write read back to count executions and outcomes.
 */

export type NodeEvent = { event: string } & Record<string, unknown>;

export class NodeProcess {
  readonly events: NodeEvent[] = [];
  exited = false;

  constructor(readonly run: ChildRun) {
    let partial = "";
    run.child.stdout!.on("data", (chunk: string) => {
      const lines = (partial + chunk).split("\n");
      partial = lines.pop()!;
      for (const line of lines) if (line.trim() !== "") this.events.push(JSON.parse(line) as NodeEvent);
    });
    run.child.on("exit", () => (this.exited = true));
    run.done.catch(() => undefined); // killed on purpose, most of them
  }

  last(event: string): NodeEvent | undefined {
    for (let i = this.events.length - 1; i >= 0; i--) if (this.events[i]!.event === event) return this.events[i];
    return undefined;
  }

  async waitFor(event: string, test: (e: NodeEvent) => boolean = () => true, ms = 15_000): Promise<NodeEvent> {
    await until(
      () => this.events.some((e) => e.event === event && test(e)),
      ms,
      `${event} from pid ${this.run.child.pid}`,
    );
    return this.events.find((e) => e.event === event && test(e))!;
  }

  kill(signal: NodeJS.Signals): void {
    if (!this.exited) this.run.child.kill(signal);
  }
}

export interface Counts {
  sent: number;
  answered: number;
  timedOut: number;
  /** Errors other than ETIMEDOUT, by code. */
  otherErrors: Record<string, number>;
  /** Requests without an outcome (their client was killed). */
  unresolved: number;
  executed: number;
  executedTwice: number;
}

export class Fleet {
  readonly dir = mkdtempSync(join(tmpdir(), "zmtp-broker-faults-"));
  private readonly nodes: NodeProcess[] = [];

  private constructor(private readonly bundle: string) {}

  static async create(): Promise<Fleet> {
    return new Fleet(await bundleWorker("packages/broker/test/fixtures/node.ts"));
  }

  start(args: string[]): NodeProcess {
    const node = new NodeProcess(runChild(this.bundle, args));
    this.nodes.push(node);
    return node;
  }

  async broker(peers: string[] = [], extra: string[] = []): Promise<{ node: NodeProcess; endpoint: string }> {
    const node = this.start(["broker", ...peers.flatMap((p) => ["--peer", p]), ...extra]);
    const started = await node.waitFor("broker");
    return { node, endpoint: started.endpoint as string };
  }

  worker(name: string, brokers: string[], options: { delay?: number; service?: string } = {}): NodeProcess {
    return this.start([
      "worker",
      ...brokers.flatMap((b) => ["--broker", b]),
      "--service",
      options.service ?? "echo",
      "--name",
      name,
      "--log",
      join(this.dir, `${name}.exec`),
      "--delay",
      String(options.delay ?? 0),
    ]);
  }

  client(
    prefix: string,
    brokers: string[],
    options: { count: number; concurrency: number; service?: string; timeout?: number; retries?: number },
  ): NodeProcess {
    return this.start([
      "client",
      ...brokers.flatMap((b) => ["--broker", b]),
      "--service",
      options.service ?? "echo",
      "--count",
      String(options.count),
      "--concurrency",
      String(options.concurrency),
      "--prefix",
      prefix,
      "--log",
      join(this.dir, `${prefix}.client`),
      ...(options.timeout !== undefined ? ["--timeout", String(options.timeout)] : []),
      ...(options.retries !== undefined ? ["--retries", String(options.retries)] : []),
    ]);
  }

  /** How many times each request body started running, over every worker that ever ran. */
  executions(): Map<string, number> {
    const runs = new Map<string, number>();
    for (const file of readdirSync(this.dir).filter((f) => f.endsWith(".exec"))) {
      for (const line of readFileSync(join(this.dir, file), "utf8").split("\n")) {
        const body = line.split(" ")[1];
        if (body !== undefined) runs.set(body, (runs.get(body) ?? 0) + 1);
      }
    }
    return runs;
  }

  /** Which worker processes (pids) ran requests, from a worker's log. */
  executors(name: string): Set<string> {
    const file = join(this.dir, `${name}.exec`);
    if (!existsSync(file)) return new Set();
    return new Set(
      readFileSync(file, "utf8")
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => l.split(" ")[0]!),
    );
  }

  /**
   * Every request of the clients with these prefixes, checked one by one: answered at most once,
   * a timeout only where its worker may have run it or did not, never run twice, and run exactly
   * once when answered. Returns the counts.
   */
  check(prefixes: string[]): Counts {
    const runs = this.executions();
    const counts: Counts = {
      sent: 0,
      answered: 0,
      timedOut: 0,
      otherErrors: {},
      unresolved: 0,
      executed: 0,
      executedTwice: 0,
    };
    const problems: string[] = [];
    for (const prefix of prefixes) {
      const outcomes = new Map<string, string[]>();
      const sent: string[] = [];
      for (const line of readFileSync(join(this.dir, `${prefix}.client`), "utf8").split("\n")) {
        const [kind, body, ...rest] = line.split(" ");
        if (kind === "sent") sent.push(body!);
        else if (kind === "ok" || kind === "err")
          outcomes.set(body!, [...(outcomes.get(body!) ?? []), [kind, ...rest].join(" ")]);
      }
      for (const body of sent) {
        counts.sent++;
        const ran = runs.get(body) ?? 0;
        if (ran > 0) counts.executed++;
        if (ran > 1) counts.executedTwice++;
        const outcome = outcomes.get(body) ?? [];
        if (outcome.length > 1) problems.push(`${body}: ${outcome.length} outcomes`);
        const [kind, code, mayHaveRun] = (outcome[0] ?? "none").split(" ");
        if (kind === "none") counts.unresolved++;
        else if (kind === "ok") {
          counts.answered++;
          if (ran !== 1) problems.push(`${body}: answered, ran ${ran} times`);
        } else if (code === "ETIMEDOUT") {
          counts.timedOut++;
          if (mayHaveRun === "false" && ran > 0) problems.push(`${body}: timed out as not run, ran ${ran} times`);
        } else {
          counts.otherErrors[code!] = (counts.otherErrors[code!] ?? 0) + 1;
        }
        if (ran > 1) problems.push(`${body}: ran ${ran} times`);
      }
    }
    if (problems.length > 0) throw new Error(`per-request check failed:\n${problems.slice(0, 20).join("\n")}`);
    return counts;
  }

  close(): void {
    for (const node of this.nodes) node.kill("SIGKILL");
    removeBundle(this.bundle);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
