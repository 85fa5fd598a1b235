import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { cliPath } from "../cli-path.js";
import type { Frame, Implementation, Kind, Sock, SocketClass, ZmqModule } from "./api.js";
import {
  errorFromWire,
  fromWire,
  recordToWire,
  toWire,
  type Hello,
  type KindShape,
  type Reply,
  type Request,
  type WireValue,
} from "./remote-protocol.js";

/**
 * An implementation that lives in a child process: `zmtp interop-agent SPEC` started with a
 * runtime command (`bun`, `deno run -A`, another Node), driven over its stdin and stdout. Its
 * sockets are stand-ins with the zeromq.js API: each call becomes a request, taken in order by
 * the agent, so the matrix runs unchanged while the bytes on the wire come from the other
 * runtime. Options set on a stand-in are remembered here, for the harness reads them back.
 */

export interface RemoteImplementation extends Implementation {
  /** Where it runs: "bun 1.4.5". */
  runtime: string;
  /** Whether it is this package's library (its `version` is then libzmq's it follows). */
  self: boolean;
  /** Ends the child process (its sockets with it). */
  stop(): Promise<void>;
}

type Call = Request extends infer R ? (R extends { id: number } ? Omit<R, "id"> : never) : never;

/** How long a child may take to start and load its implementation. */
const HELLO_TIMEOUT_MS = 30_000;
/** How long a child may take to end after its stdin closed, before it is killed. */
const STOP_TIMEOUT_MS = 5_000;

class Agent {
  private readonly child: ChildProcess;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(err: Error): void }>();
  /** Set once the child is gone: every call then fails with it. */
  gone: Error | null = null;
  readonly exited: Promise<void>;

  constructor(
    readonly label: string,
    command: readonly string[],
    spec: string,
    env: NodeJS.ProcessEnv,
  ) {
    const [file, ...args] = command;
    this.child = spawn(file!, [...args, cliPath(), "interop-agent", spec], { stdio: ["pipe", "pipe", "inherit"], env });
    this.exited = new Promise((resolve) => {
      this.child.once("close", () => resolve());
      // A child that could not be started may never close.
      this.child.once("error", () => resolve());
    });
    this.child.once("error", (err) => this.fail(err));
    this.child.once("exit", (code, signal) => this.fail(new Error(`${label} exited with ${code ?? signal}`)));
    // A closed pipe shows as the child's exit; its write error adds nothing.
    this.child.stdin!.on("error", () => undefined);
    const lines = createInterface({ input: this.child.stdout!, crlfDelay: Infinity });
    lines.on("line", (line) => this.onLine(line));
  }

  private onLine(line: string): void {
    let reply: Reply;
    try {
      reply = JSON.parse(line) as Reply;
    } catch {
      // Not ours: something in the child printed to stdout.
      process.stderr.write(`${this.label}: ${line}\n`);
      return;
    }
    const waiter = this.pending.get(reply.id);
    if (waiter === undefined) return;
    this.pending.delete(reply.id);
    if (reply.ok) waiter.resolve(reply.value);
    else waiter.reject(errorFromWire(reply.error));
  }

  private fail(err: Error): void {
    this.gone ??= err;
    for (const waiter of this.pending.values()) waiter.reject(this.gone);
    this.pending.clear();
  }

  call(request: Call): Promise<unknown> {
    if (this.gone !== null) return Promise.reject(this.gone);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.stdin!.write(`${JSON.stringify({ ...request, id })}\n`);
    });
  }

  async stop(): Promise<void> {
    this.child.stdin!.end();
    const timer = setTimeout(() => this.child.kill("SIGKILL"), STOP_TIMEOUT_MS);
    await this.exited;
    clearTimeout(timer);
  }
}

/** What a stand-in socket knows locally; everything else is asked of the agent. */
class RemoteSocket {
  /** The agent's answer to a call whose result nobody awaits (set, connect, close): the next awaited call reports it. */
  private deferred: Error | null = null;
  private endpoint: string | null = null;
  readonly options: Map<string, unknown>;

  constructor(
    private readonly agent: Agent,
    private readonly id: number,
    readonly shape: KindShape,
    kind: Kind,
    options: Record<string, unknown>,
  ) {
    // A case that opens a socket after the child died fails there, not at its first timeout.
    if (agent.gone !== null) throw agent.gone;
    this.options = new Map<string, unknown>(Object.entries(shape.defaults).map(([k, v]) => [k, fromWire(v)]));
    for (const [name, value] of Object.entries(options)) this.options.set(name, value);
    this.unawaited({ op: "new", sock: id, kind, options: recordToWire(options) });
  }

  private unawaited(request: Call): void {
    this.agent.call(request).catch((err: Error) => (this.deferred ??= err));
  }

  private awaited(request: Call): Promise<unknown> {
    const deferred = this.deferred;
    if (deferred !== null) {
      this.deferred = null;
      return Promise.reject(deferred);
    }
    return this.agent.call(request);
  }

  get lastEndpoint(): string | null {
    return this.endpoint;
  }

  setOption(name: string, value: unknown): void {
    this.options.set(name, value);
    this.unawaited({ op: "set", sock: this.id, name, value: toWire(value) });
  }

  async bind(address: string): Promise<void> {
    this.endpoint = (await this.awaited({ op: "bind", sock: this.id, address })) as string | null;
  }

  connect(address: string, options?: { routingId?: string }): void {
    this.unawaited(
      options === undefined
        ? { op: "connect", sock: this.id, address }
        : { op: "connect", sock: this.id, address, options: recordToWire(options) },
    );
  }

  async send(message: Frame | Frame[]): Promise<void> {
    await this.awaited({ op: "send", sock: this.id, message: toWire(message) });
  }

  async receive(): Promise<Buffer[]> {
    return fromWire((await this.awaited({ op: "receive", sock: this.id })) as WireValue) as Buffer[];
  }

  subscribe(...topics: Array<string | Buffer>): void {
    this.unawaited({ op: "subscribe", sock: this.id, topics: topics.map(toWire) });
  }

  unsubscribe(...topics: Array<string | Buffer>): void {
    this.unawaited({ op: "unsubscribe", sock: this.id, topics: topics.map(toWire) });
  }

  close(): void {
    this.unawaited({ op: "close", sock: this.id });
  }
}

const METHODS = new Set(["bind", "connect", "send", "receive", "subscribe", "unsubscribe", "close", "lastEndpoint"]);

/** A RemoteSocket seen through the zeromq.js API: option names read and write like properties. */
function standIn(remote: RemoteSocket): Sock {
  return new Proxy(remote, {
    get(target, name) {
      if (typeof name !== "string") return undefined;
      if (METHODS.has(name)) {
        const value: unknown = Reflect.get(target, name, target);
        return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      }
      return target.options.get(name);
    },
    set(target, name, value) {
      if (typeof name !== "string") return false;
      target.setOption(name, value);
      return true;
    },
    has(target, name) {
      return typeof name === "string" && (METHODS.has(name) || target.shape.names.includes(name));
    },
  }) as unknown as Sock;
}

/**
 * Starts `command` (e.g. ["bun"], ["deno", "run", "-A"]) on `zmtp interop-agent spec` and returns
 * the implementation it serves; rejects when it does not start or cannot load `spec` (a path is
 * resolved from this process's current directory, which the child shares).
 */
export async function startRemote(
  spec: string,
  command: readonly string[],
  options: { env?: NodeJS.ProcessEnv } = {},
): Promise<RemoteImplementation> {
  if (command.length === 0) throw new Error("the runtime command is empty");
  const agent = new Agent(`${spec} in ${command.join(" ")}`, command, spec, options.env ?? process.env);
  let timer: NodeJS.Timeout | undefined;
  let hello: Hello;
  try {
    hello = (await Promise.race([
      agent.call({ op: "hello" }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${HELLO_TIMEOUT_MS} ms`)), HELLO_TIMEOUT_MS);
      }),
    ])) as Hello;
  } catch (err) {
    await agent.stop();
    throw err;
  } finally {
    clearTimeout(timer);
  }
  let nextSocket = 1;
  const module: Record<string, unknown> = { version: hello.version, capability: hello.capability };
  for (const [kind, shape] of Object.entries(hello.kinds) as Array<[Kind, KindShape]>) {
    module[kind] = function RemoteSocketClass(options: Record<string, unknown> = {}): Sock {
      return standIn(new RemoteSocket(agent, nextSocket++, shape, kind, options));
    } as unknown as SocketClass;
  }
  return {
    name: hello.name,
    module: module as ZmqModule,
    runtime: hello.runtime,
    self: hello.self,
    stop: () => agent.stop(),
  };
}
