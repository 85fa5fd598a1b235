/**
 * The differential harness: each scenario runs once against the native binding (`zeromq`, the
 * reference) and once against zmtp (`src/`), and everything a program can observe is compared.
 *
 * Pending vs settled: an operation that has not settled is decided only at the end, after both
 * runs and a short window; if one library settled it and the other did not, the other gets up to
 * LONG_MS more before that counts as a difference. Nothing else has a wall-clock bound.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { appendFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test, vi } from "vitest";
import * as zeromqModule from "zeromq";
import * as zmtpModule from "../../src/index.js";
import { differences } from "./differences.js";
import { diffSnaps, EndpointNormalizer, fmt, outcome, snap, snapError, summarize, type Snap } from "./observe.js";

export type Zmq = typeof import("zeromq");
/** udp:// takes ports as tcp does (from the same free-port probe); the draft RADIO, DISH and DGRAM use it. */
export type Transport = "tcp" | "ipc" | "inproc" | "ws" | "udp";
export type LibName = "zeromq" | "zmtp";
/** What a scenario's `zmq` holds: the main entry, or the main entry with the draft one's classes beside. */
export type LibraryEntry = "main" | "draft";
export const ALL_TRANSPORTS: readonly Transport[] = ["tcp", "ipc", "inproc", "ws"];

/** How long an unsettled operation is given before it counts as pending. */
export const SHORT_MS = 100;
/** How long it is given when the other library settled it. */
export const LONG_MS = 2_000;
/** A steps body that has not finished by then is recorded as pending. */
const BODY_CAP_MS = 10_000;

/** The two libraries a scenario runs against, by name: their v6 API unless a group gives others. */
export type Modules = Record<LibName, Record<string, unknown>>;

// Both are CommonJS/ESM namespaces; our classes are declared by us, hence the cast, here only.
const MODULES: Modules = {
  zeromq: ((zeromqModule as unknown as { default?: Record<string, unknown> }).default ?? zeromqModule) as Record<
    string,
    unknown
  >,
  zmtp: zmtpModule as unknown as Record<string, unknown>,
};

/**
 * `zeromq/draft` and `zmtp/draft`, loaded before warnings are recorded: each emits one when it
 * loads, which only a fresh process shows again (the process scenarios compare it).
 */
const DRAFT_MODULES: Record<LibName, Record<string, unknown>> = await (async () => {
  const emitWarning = process.emitWarning;
  process.emitWarning = (() => undefined) as typeof process.emitWarning;
  try {
    return {
      zeromq: createRequire(import.meta.url)("zeromq/draft") as Record<string, unknown>,
      zmtp: (await import("../../src/entries/draft.js")) as unknown as Record<string, unknown>,
    };
  } finally {
    process.emitWarning = emitWarning;
  }
})();

const MAIN_AND_DRAFT: Modules = {
  zeromq: { ...MODULES.zeromq, ...DRAFT_MODULES.zeromq },
  zmtp: { ...MODULES.zmtp, ...DRAFT_MODULES.zmtp },
};

function modulesOf(entry: LibraryEntry): Modules {
  return entry === "main" ? MODULES : MAIN_AND_DRAFT;
}

// ---- process warnings ----

/** The calls in progress set this synchronously; a run body's async continuations find their run here. */
let warningSink: string[] | null = null;
const bodyWarnings = new AsyncLocalStorage<string[]>();
/** Warnings emitted outside any run body (late ones): shown, never compared. */
const strayWarnings: string[] = [];
const originalEmitWarning = process.emitWarning;
process.emitWarning = function emitWarning(warning: string | Error, ...rest: unknown[]): void {
  const text = typeof warning === "string" ? warning : warning.message;
  const type = typeof rest[0] === "string" ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
  (warningSink ?? bodyWarnings.getStore() ?? strayWarnings).push(
    type !== undefined && type !== "Warning" ? `${type}: ${text}` : text,
  );
} as typeof process.emitWarning;

// ---- endpoints ----

const ipcRoot = mkdtempSync(join(tmpdir(), "zc-"));
let runCounter = 0;

/** Ports handed out by this process: never twice, so concurrent runs cannot collide. */
const portsGiven = new Set<number>();

/** `count` free tcp ports on 127.0.0.1, none given out before by this process. */
export async function freePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    for (const port of await probePorts(count - ports.length)) {
      if (!portsGiven.has(port)) {
        portsGiven.add(port);
        ports.push(port);
      }
    }
  }
  return ports;
}

async function probePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<import("node:net").Server>((resolve, reject) => {
          const server = createServer();
          server.once("error", reject);
          server.listen(0, "127.0.0.1", () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((server) => (server.address() as { port: number }).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

// ---- observations ----

type OpState = "threw" | "returned" | "pending" | "resolved" | "rejected";

interface Op {
  state: OpState;
  value: Snap;
  raw: unknown;
  warnings: string[];
}

type Entry =
  | { label: string; kind: "op"; op: Op }
  | { label: string; kind: "note"; value: Snap }
  | { label: string; kind: "events"; log: EventLog };

/** Socket events as they arrive, for a steps body to wait on; snapshot when the body ends. */
export class EventLog {
  readonly list: Snap[] = [];
  frozen: Snap[] | null = null;

  constructor(
    private readonly trial: Run,
    private readonly label: string,
  ) {}

  types(): string[] {
    return this.list.map((event) => String((event as Record<string, Snap>).type));
  }

  count(type: string): number {
    return this.types().filter((t) => t === type).length;
  }

  /**
   * Compares the log only up to its `n`th event of `type`: what a retry loop emits after that
   * depends on how fast the process runs, not on the implementation.
   */
  keepThrough(type: string, n: number): void {
    let seen = 0;
    const end = this.types().findIndex((t) => t === type && ++seen === n);
    this.frozen = end === -1 ? this.list.slice() : this.list.slice(0, end + 1);
  }

  /** Waits (see Trial.until) for `n` events of `type`; `ms` raises the reference's wait. */
  until(type: string, n = 1, ms?: number): Promise<boolean> {
    return this.trial.until(`${this.label} ${type}×${n}`, () => this.count(type) >= n, ms);
  }
}

/** What a scenario body is given besides the library. */
export interface Trial {
  readonly lib: LibName;
  readonly transport: Transport;
  /** A fresh endpoint on the scenario's transport (or the one given), unique to this run. */
  endpoint(transport?: Transport): string;
  /** Calls `fn` now and records its outcome (a returned promise is decided at the end). */
  do<T>(label: string, fn: () => T): T | undefined;
  /** As `do`, and waits for a returned promise to settle (or to count as pending). */
  wait<T>(label: string, fn: () => T): Promise<Awaited<T> | undefined>;
  /** Records a value as observed now. */
  note(label: string, value: unknown): void;
  /**
   * Records `socket.events` from now to the end of the body (read it before bind/connect). A
   * connect:retry interval is recorded as whole multiples of `intervalUnit` (the reconnect interval).
   */
  events(socket: { events: unknown }, label?: string, intervalUnit?: number): EventLog;
  /** Polls `condition`; records whether it became true (see the header for the bound). */
  until(label: string, condition: () => boolean, ms?: number): Promise<boolean>;
  sleep(ms: number): Promise<void>;
}

/** Functions of the v5 API that make sockets (zeromq.js v6 has none). */
const FACTORIES = new Set(["socket", "createSocket"]);

interface Closable {
  closed?: boolean;
  linger?: number;
  close?(): void;
  terminate?(): void;
}

class Run implements Trial {
  readonly entries: Entry[] = [];
  readonly warnings: string[] = [];
  readonly zmq: Zmq;
  readonly normalizer = new EndpointNormalizer();
  private readonly tag: string;
  private readonly made: Closable[] = [];
  private readonly labels = new Map<string, number>();
  private readonly untils = new Map<string, boolean>();
  private endpoints = 0;

  constructor(
    readonly lib: LibName,
    private readonly scenarioTransport: Transport | undefined,
    private readonly ports: number[],
    private readonly reference: Run | null,
    modules: Modules,
  ) {
    this.tag = `zc${process.pid}n${++runCounter}`;
    const dir = join(ipcRoot, this.tag);
    mkdirSync(dir);
    this.normalizer.addText(dir, "<dir>");
    this.normalizer.addText(`${this.tag}-`, "");
    this.zmq = this.track(modules[lib]);
  }

  get transport(): Transport {
    if (this.scenarioTransport === undefined) throw new Error("scenario has no transports: give it `transports`");
    return this.scenarioTransport;
  }

  /**
   * The library with its classes (and the v5 API's socket factories) wrapped so that every object
   * made is closed after the run; one wrapper per function, so aliases stay identical.
   */
  private track(module: Record<string, unknown>): Zmq {
    const out: Record<string, unknown> = {};
    const wrappers = new Map<unknown, unknown>();
    const wrap = (value: (...args: unknown[]) => unknown): unknown =>
      new Proxy(value, {
        construct: (target, args, newTarget) => {
          const made = Reflect.construct(target, args, newTarget) as Closable;
          this.made.push(made);
          return made;
        },
        apply: (target, self, args) => {
          const made = Reflect.apply(target, self, args) as Closable;
          this.made.push(made);
          return made;
        },
      });
    for (const [key, value] of Object.entries(module)) {
      if (key === "default") continue;
      const tracked = typeof value === "function" && (/^[A-Z]/.test(key) || FACTORIES.has(key));
      if (tracked && !wrappers.has(value)) wrappers.set(value, wrap(value as (...args: unknown[]) => unknown));
      out[key] = tracked ? wrappers.get(value) : value;
    }
    return out as unknown as Zmq;
  }

  endpoint(transport: Transport = this.transport): string {
    const n = ++this.endpoints;
    switch (transport) {
      case "tcp":
      case "udp": {
        const port = this.ports.shift();
        if (port === undefined) throw new Error("out of free ports: raise `ports` of the scenario");
        this.normalizer.addPort(port);
        return `${transport}://127.0.0.1:${port}`;
      }
      case "ws": {
        const port = this.ports.shift();
        if (port === undefined) throw new Error("out of free ports: raise `ports` of the scenario");
        this.normalizer.addPort(port);
        return `ws://127.0.0.1:${port}/ep${n}`;
      }
      case "ipc":
        return `ipc://${join(ipcRoot, this.tag)}/ep${n}`;
      case "inproc":
        return `inproc://${this.tag}-ep${n}`;
    }
  }

  private unique(label: string): string {
    const seen = this.labels.get(label) ?? 0;
    this.labels.set(label, seen + 1);
    return seen === 0 ? label : `${label} #${seen + 1}`;
  }

  private newOp(label: string): [string, Op] {
    const key = this.unique(label);
    const op: Op = { state: "pending", value: null, raw: undefined, warnings: [] };
    this.entries.push({ label: key, kind: "op", op });
    return [key, op];
  }

  do<T>(label: string, fn: () => T): T | undefined {
    return this.start(label, fn)[2];
  }

  private start<T>(label: string, fn: () => T): [string, Op, T | undefined] {
    const [key, op] = this.newOp(label);
    const outer = warningSink;
    warningSink = op.warnings;
    let result: T;
    try {
      result = fn();
    } catch (err) {
      op.state = "threw";
      op.value = snap(err);
      return [key, op, undefined];
    } finally {
      warningSink = outer;
    }
    const thenable = result as { then?: unknown } | null;
    if (thenable !== null && typeof thenable === "object" && typeof thenable.then === "function") {
      (result as PromiseLike<unknown>).then(
        (value) => {
          op.state = "resolved";
          op.value = snap(value);
          op.raw = value;
        },
        (err: unknown) => {
          op.state = "rejected";
          op.value = snap(err);
        },
      );
      return [key, op, result];
    }
    op.state = "returned";
    op.value = snap(result);
    op.raw = result;
    return [key, op, result];
  }

  async wait<T>(label: string, fn: () => T): Promise<Awaited<T> | undefined> {
    const [key, op] = this.start(label, fn);
    if (op.state === "pending") {
      const theirs = this.reference?.op(key);
      const cap = theirs === undefined || theirs.state !== "pending" ? LONG_MS : SHORT_MS;
      await poll(() => op.state !== "pending", cap);
    }
    return op.state === "resolved" || op.state === "returned" ? (op.raw as Awaited<T>) : undefined;
  }

  note(label: string, value: unknown): void {
    this.entries.push({ label: this.unique(label), kind: "note", value: snap(value) });
  }

  events(socket: { events: unknown }, label = "events", intervalUnit = 100): EventLog {
    const key = this.unique(label);
    const log = new EventLog(this, key);
    this.entries.push({ label: key, kind: "events", log });
    const observer = socket.events as { receive(): Promise<unknown> };
    void (async () => {
      for (;;) {
        let event: unknown;
        try {
          event = await observer.receive();
        } catch {
          return;
        }
        if (event === undefined) return;
        const record = snap(event) as Record<string, Snap>;
        // libzmq picks each reconnect delay at random in [interval, 2 × interval): keep the step.
        if (typeof record.interval === "number")
          record.interval = `${Math.floor(record.interval / intervalUnit)}×${intervalUnit}ms`;
        log.list.push(record);
        if ((event as { type?: string }).type === "end") return;
      }
    })();
    return log;
  }

  async until(label: string, condition: () => boolean, ms = LONG_MS): Promise<boolean> {
    const key = this.unique(`until ${label}`);
    const theirs = this.reference?.untils.get(key);
    const ok = await poll(condition, theirs === false ? SHORT_MS : ms);
    this.untils.set(key, ok);
    this.entries.push({ label: key, kind: "note", value: ok });
    return ok;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  op(key: string): Op | undefined {
    const entry = this.entries.find((e) => e.label === key);
    return entry?.kind === "op" ? entry.op : undefined;
  }

  runBody(scenario: Scenario): Promise<void> {
    return bodyWarnings.run(this.warnings, () => this.runBodyIn(scenario));
  }

  private async runBodyIn(scenario: Scenario): Promise<void> {
    try {
      if (scenario.run !== undefined) {
        const run = scenario.run;
        this.do("result", () => run(this.zmq, this));
      } else if (scenario.steps !== undefined) {
        // A body that completes normally is not an observation; one that throws or hangs is.
        let state: "pending" | "done" | Snap = "pending";
        scenario.steps(this.zmq, this).then(
          () => (state = "done"),
          (err: unknown) => (state = snap(err)),
        );
        await poll(() => state !== "pending", BODY_CAP_MS);
        if (state !== "done") this.note("body", state === "pending" ? "still running" : { rejected: state });
      }
    } finally {
      for (const entry of this.entries) if (entry.kind === "events") entry.log.frozen ??= entry.log.list.slice();
    }
  }

  /** The observation: entries in order, then warnings from outside any call. */
  observe(): Array<[string, Snap]> {
    const out: Array<[string, Snap]> = [];
    for (const entry of this.entries) {
      if (entry.kind === "note") out.push([entry.label, entry.value]);
      else if (entry.kind === "events") out.push([entry.label, entry.log.frozen ?? entry.log.list.slice()]);
      else {
        const { state, value, warnings } = entry.op;
        out.push([entry.label, outcome(state, value, warnings)]);
      }
    }
    if (this.warnings.length > 0) out.push(["warnings", this.warnings]);
    return out.map(([label, value]) => [label, this.normalizer.apply(value)]);
  }

  pendingOps(): Array<[string, Op]> {
    return this.entries.flatMap((e) =>
      e.kind === "op" && e.op.state === "pending" ? [[e.label, e.op] as [string, Op]] : [],
    );
  }

  cleanup(): void {
    const outer = warningSink;
    warningSink = [];
    try {
      for (const made of this.made) {
        try {
          made.terminate?.();
        } catch {
          // not running: nothing to stop
        }
      }
      for (const made of this.made) {
        try {
          if (typeof made.close === "function" && made.closed === false) {
            made.linger = 0;
            made.close();
          }
        } catch {
          // closing is best effort
        }
      }
    } finally {
      warningSink = outer;
    }
  }
}

function poll(condition: () => boolean, capMs: number): Promise<boolean> {
  if (condition()) return Promise.resolve(true);
  const deadline = Date.now() + capMs;
  return new Promise((resolve) => {
    const tick = (): void => {
      if (condition()) resolve(true);
      else if (Date.now() >= deadline) resolve(false);
      else setTimeout(tick, 2);
    };
    setTimeout(tick, 1);
  });
}

// ---- scenarios ----

export interface Scenario {
  name: string;
  /** One test per transport; none: the scenario does not use endpoints. */
  transports?: readonly Transport[];
  /** Free tcp ports to reserve per run (default 4). */
  ports?: number;
  /** An expression: what it returns or throws (or a promise it returns settles to) is observed. */
  run?: (zmq: Zmq, t: Trial) => unknown;
  /** Steps recorded with t.do / t.wait / t.note / t.events. */
  steps?: (zmq: Zmq, t: Trial) => Promise<void>;
}

export interface Comparison {
  ref: Array<[string, Snap]>;
  sub: Array<[string, Snap]>;
  summary: string | null;
}

/** Runs a scenario against both libraries and compares what was observed. */
export async function compareScenario(
  scenario: Scenario,
  transport: Transport | undefined,
  modules: Modules = MODULES,
): Promise<Comparison> {
  const portCount =
    transport === "tcp" || transport === "ws" || transport === "udp" || scenario.ports !== undefined
      ? (scenario.ports ?? 4)
      : 0;
  const ref = new Run("zeromq", transport, await freePorts(portCount), null, modules);
  const sub = new Run("zmtp", transport, await freePorts(portCount), ref, modules);
  try {
    await ref.runBody(scenario);
    await sub.runBody(scenario);
    const undecided = [...ref.pendingOps(), ...sub.pendingOps()];
    if (undecided.length > 0) {
      await poll(() => undecided.every(([, op]) => op.state !== "pending"), SHORT_MS);
      // One side settled, the other not yet: give the other LONG_MS before calling it pending.
      const lagging = [...mismatched(ref, sub), ...mismatched(sub, ref)];
      if (lagging.length > 0) await poll(() => lagging.every((op) => op.state !== "pending"), LONG_MS);
    }
    const refObs = ref.observe();
    const subObs = sub.observe();
    return { ref: refObs, sub: subObs, summary: summarizeDiff(refObs, subObs) };
  } finally {
    ref.cleanup();
    sub.cleanup();
  }
}

function mismatched(a: Run, b: Run): Op[] {
  return a.pendingOps().flatMap(([key, op]) => {
    const other = b.op(key);
    return other !== undefined && other.state !== "pending" ? [op] : [];
  });
}

function summarizeDiff(ref: Array<[string, Snap]>, sub: Array<[string, Snap]>): string | null {
  const a = new Map(ref);
  const b = new Map(sub);
  const labels = [...new Set([...a.keys(), ...b.keys()])];
  const leaves = labels.flatMap((label) =>
    diffSnaps(a.get(label), b.get(label)).map((leaf) => ({ ...leaf, entry: label })),
  );
  return leaves.length === 0 ? null : summarize(leaves);
}

/** Both observations, entry by entry: zeromq's line, then zmtp's where it differs. */
export function sideBySide({ ref, sub }: Comparison): string {
  const a = new Map(ref);
  const b = new Map(sub);
  const labels = [...new Set([...a.keys(), ...b.keys()])];
  const width = Math.min(32, Math.max(...labels.map((l) => l.length)));
  const lines: string[] = [];
  for (const label of labels) {
    const left = fmt(a.get(label));
    const right = fmt(b.get(label));
    lines.push(`  ${label.padEnd(width)}  zeromq ${left}`);
    lines.push(left === right ? `  ${"".padEnd(width)}  zmtp   (same)` : `  ${"".padEnd(width)}≠ zmtp   ${right}`);
  }
  return lines.join("\n");
}

/** Where `CONFORMANCE_RECORD` points, each test appends its id and summary (see README). */
function record(id: string, summary: string | null): void {
  const file = process.env.CONFORMANCE_RECORD;
  if (file !== undefined && file !== "") appendFileSync(file, `${JSON.stringify({ id, summary })}\n`);
}

/** The check every conformance test ends with, given the scenario's id and what differed. */
export function judge(id: string, summary: string | null, details: () => string): void {
  record(id, summary);
  const listed = differences[id];
  if (listed === undefined && summary !== null) {
    expect.fail(`zmtp differs from zeromq.js:\n${details()}\n\nsummary: ${summary}`);
  }
  if (listed !== undefined && summary === null) {
    expect.fail(`"${id}" no longer differs: remove it from test/conformance/differences.ts`);
  }
  if (listed !== undefined && summary !== listed) {
    expect.fail(`"${id}" differs differently than listed:\n${details()}\n\nnow:    ${summary}\nlisted: ${listed}`);
  }
}

vi.setConfig({ maxConcurrency: 12 });

/**
 * Registers one vitest test per scenario and transport. `sequential`: for scenarios whose
 * zeromq.js side is disturbed by others running beside it; `modules`: other entries of the two
 * libraries than their v6 API (the v5 compatibility API); `entry`: "draft" gives the scenarios
 * the draft classes too (zeromq/draft's, zmtp/draft's).
 */
export function scenarios(
  group: string,
  list: readonly Scenario[],
  options: { sequential?: boolean; modules?: Modules; entry?: LibraryEntry } = {},
): void {
  // Concurrent: most of a scenario's time is waiting (windows, timeouts), and each run has its own
  // endpoints; warnings are attributed by call (synchronously) or by run (AsyncLocalStorage).
  (options.sequential === true ? describe.sequential : describe.concurrent)(group, () => {
    for (const scenario of list) {
      for (const transport of scenario.transports ?? [undefined]) {
        const id = [group, scenario.name, transport].filter((part) => part !== undefined).join(" / ");
        test(
          transport === undefined ? scenario.name : `${scenario.name} [${transport}]`,
          async () => {
            const modules = options.modules ?? modulesOf(options.entry ?? "main");
            const comparison = await compareScenario(scenario, transport, modules);
            judge(id, comparison.summary, () => sideBySide(comparison));
          },
          30_000,
        );
      }
    }
  });
}

afterAll(() => {
  process.emitWarning = originalEmitWarning;
  rmSync(ipcRoot, { recursive: true, force: true });
  if (strayWarnings.length > 0) console.log(`warnings outside any run: ${strayWarnings.join(" | ")}`);
});

/** For calls with arguments of the wrong type: the object's members, untyped. */
export function loose(target: unknown): Record<string, (...args: unknown[]) => unknown> {
  return target as Record<string, (...args: unknown[]) => unknown>;
}

export { snapError };
