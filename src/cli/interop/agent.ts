import { createInterface } from "node:readline";
import type { CommandIO } from "../io.js";
import {
  KIND_NAME,
  OURS,
  loadImplementation,
  socketClass,
  type Frame,
  type Implementation,
  type Kind,
  type Sock,
} from "./api.js";
import {
  errorToWire,
  fromWire,
  recordFromWire,
  toWire,
  type Hello,
  type KindShape,
  type Reply,
  type Request,
  type WireValue,
} from "./remote-protocol.js";

/**
 * `zmtp interop-agent SPEC` (hidden): serves one implementation of the zeromq.js API to a
 * `zmtp interop` in another process, which started it with `--impl-runtime` / `--peer-runtime`
 * under a runtime of its choice (Bun, Deno, another Node). It does what each request says to the
 * socket it names and answers on stdout (remote-protocol.ts); it ends when its stdin does.
 */

/** The runtime this process runs in, as "bun 1.4.5", "deno 2.9.6" or "node 20.20.2". */
export function runtimeName(): string {
  const versions = process.versions as NodeJS.ProcessVersions & { bun?: string; deno?: string };
  if (versions.bun !== undefined) return `bun ${versions.bun}`;
  if (versions.deno !== undefined) return `deno ${versions.deno}`;
  return `node ${versions.node}`;
}

/** What `in` finds on a fresh socket of `kind`, and the initial values of its plain options. */
function shapeOf(Ctor: new () => Sock): KindShape {
  const sock = new Ctor();
  const names = new Set<string>();
  const defaults: Record<string, WireValue> = {};
  try {
    for (
      let o: object | null = sock;
      o !== null && o !== Object.prototype;
      o = Object.getPrototypeOf(o) as object | null
    ) {
      for (const name of Object.getOwnPropertyNames(o)) {
        const d = Object.getOwnPropertyDescriptor(o, name)!;
        if (name === "constructor" || typeof d.value === "function") continue;
        names.add(name);
        let value: unknown;
        try {
          value = sock[name];
        } catch {
          continue;
        }
        if (value === null || ["string", "number", "boolean"].includes(typeof value)) defaults[name] ??= toWire(value);
      }
    }
  } finally {
    sock.close();
  }
  return { names: [...names], defaults };
}

function helloOf(impl: Implementation): Hello {
  const kinds: Partial<Record<Kind, KindShape>> = {};
  for (const kind of Object.keys(KIND_NAME) as Kind[]) {
    const Ctor = socketClass(impl, kind);
    if (Ctor !== null) kinds[kind] = shapeOf(Ctor);
  }
  const capability = impl.module.capability;
  return {
    name: impl.name,
    self: impl === OURS,
    runtime: runtimeName(),
    version: typeof impl.module.version === "string" ? impl.module.version : null,
    capability:
      typeof capability === "object" && capability !== null
        ? (JSON.parse(JSON.stringify(capability)) as Record<string, boolean>)
        : null,
    kinds,
  };
}

export class InteropAgent {
  private impl: Implementation | null = null;
  private readonly sockets = new Map<number, Sock>();

  constructor(
    private readonly spec: string,
    private readonly write: (reply: Reply) => void,
  ) {}

  /** Starts the request at once (requests take effect in the order they come) and answers when it settles. */
  handle(req: Request): void {
    let result: unknown;
    try {
      result = this.start(req);
    } catch (err) {
      this.write({ id: req.id, ok: false, error: errorToWire(err) });
      return;
    }
    Promise.resolve(result).then(
      (value) =>
        this.write(
          value === undefined ? { id: req.id, ok: true } : { id: req.id, ok: true, value: value as WireValue | Hello },
        ),
      (err: unknown) => this.write({ id: req.id, ok: false, error: errorToWire(err) }),
    );
  }

  private start(req: Request): unknown {
    if (req.op === "hello") return this.hello();
    if (req.op === "new") {
      const Ctor = this.impl === null ? null : socketClass(this.impl, req.kind);
      if (Ctor === null) throw new Error(`${this.spec} does not export ${req.kind}`);
      this.sockets.set(req.sock, new Ctor(recordFromWire(req.options)));
      return undefined;
    }
    const sock = this.sockets.get(req.sock);
    if (sock === undefined) throw new Error(`no socket ${req.sock} in the interop agent`);
    switch (req.op) {
      case "set":
        sock[req.name] = fromWire(req.value);
        return undefined;
      case "bind":
        return sock.bind(req.address).then(() => sock.lastEndpoint);
      case "connect":
        if (req.options === undefined) sock.connect(req.address);
        else sock.connect(req.address, recordFromWire(req.options));
        return undefined;
      case "send":
        return sock.send(fromWire(req.message) as Frame | Frame[]);
      case "receive":
        return sock.receive().then(toWire);
      case "subscribe":
      case "unsubscribe":
        sock[req.op](...(req.topics.map(fromWire) as Array<string | Buffer>));
        return undefined;
      case "close":
        this.sockets.delete(req.sock);
        sock.close();
        return undefined;
    }
  }

  private async hello(): Promise<Hello> {
    this.impl ??= await loadImplementation(this.spec);
    return helloOf(this.impl);
  }

  closeAll(): void {
    for (const sock of this.sockets.values()) {
      try {
        sock.close();
      } catch {
        // closed already
      }
    }
    this.sockets.clear();
  }
}

/** `zmtp interop-agent SPEC`: 0 when its stdin ends, 2 when started by hand. */
export function interopAgentCommand(args: readonly string[], io: CommandIO = process): Promise<number> {
  const [spec] = args;
  if (spec === undefined || args.length !== 1 || process.stdin.isTTY === true) {
    io.stderr.write("zmtp interop-agent is started by `zmtp interop --impl-runtime`, not by hand\n");
    return Promise.resolve(2);
  }
  const agent = new InteropAgent(spec, (reply) => io.stdout.write(`${JSON.stringify(reply)}\n`));
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on("line", (line) => {
    if (line.trim() !== "") agent.handle(JSON.parse(line) as Request);
  });
  return new Promise((resolve) =>
    lines.once("close", () => {
      agent.closeAll();
      resolve(0);
    }),
  );
}
