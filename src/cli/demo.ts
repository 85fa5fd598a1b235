import { Dealer, Pair, Pull, Push, Reply, Request, Router, type Socket } from "../index.js";

/**
 * `zmtp demo`: one short round trip per socket family over every transport, in one process,
 * using only the public API — a smoke test a user can read and run.
 */

export type Transport = "tcp" | "ipc" | "inproc";

export const TRANSPORTS: readonly Transport[] = ["tcp", "ipc", "inproc"];

export interface DemoResult {
  family: string;
  transport: Transport;
  /** Messages that arrived intact (both directions). */
  messages: number;
  ok: boolean;
  ms: number;
  error?: string;
}

/** Messages each family exchanges; a round trip counts its request and its reply. */
const ROUNDS = 5;
/** ms a single send or receive may wait before the case fails with EAGAIN. */
const WAIT_MS = 5_000;

/** The socket options of every demo socket: bounded waits, and close() drops nothing pending. */
const DEMO_OPTIONS = { linger: 0, sendTimeout: WAIT_MS, receiveTimeout: WAIT_MS } as const;

interface Family<B extends Socket, C extends Socket> {
  name: string;
  /** The bound and the connecting socket. */
  create(): [B, C];
  /** Exchanges the messages; returns how many arrived, throws on a wrong one. */
  exchange(bound: B, connected: C): Promise<number>;
}

function family<B extends Socket, C extends Socket>(f: Family<B, C>): Family<Socket, Socket> {
  return f as unknown as Family<Socket, Socket>;
}

function expectFrames(actual: Buffer[], expected: string[]): void {
  const got = actual.map((frame) => frame.toString());
  if (got.length !== expected.length || got.some((frame, i) => frame !== expected[i])) {
    throw new Error(`expected ${JSON.stringify(expected)}, got ${JSON.stringify(got)}`);
  }
}

export const FAMILIES: readonly Family<Socket, Socket>[] = [
  family({
    name: "PUSH->PULL",
    create: () => [new Pull({ linger: 0, receiveTimeout: WAIT_MS }), new Push({ linger: 0, sendTimeout: WAIT_MS })],
    async exchange(pull, push) {
      for (let i = 0; i < ROUNDS; i++) await push.send(`job ${i}`);
      for (let i = 0; i < ROUNDS; i++) expectFrames(await pull.receive(), [`job ${i}`]);
      return ROUNDS;
    },
  }),
  family({
    name: "REQ<->REP",
    create: () => [new Reply(DEMO_OPTIONS), new Request(DEMO_OPTIONS)],
    async exchange(rep, req) {
      for (let i = 0; i < ROUNDS; i++) {
        await req.send(`ping ${i}`);
        expectFrames(await rep.receive(), [`ping ${i}`]);
        await rep.send(`pong ${i}`);
        expectFrames(await req.receive(), [`pong ${i}`]);
      }
      return 2 * ROUNDS;
    },
  }),
  family({
    name: "DEALER<->ROUTER",
    create: () => [new Router(DEMO_OPTIONS), new Dealer({ ...DEMO_OPTIONS, routingId: "demo-dealer" })],
    async exchange(router, dealer) {
      for (let i = 0; i < ROUNDS; i++) {
        await dealer.send(`ask ${i}`);
        const [id, ...body] = await router.receive();
        if (id?.toString() !== "demo-dealer") throw new Error(`unexpected routing id ${String(id)}`);
        expectFrames(body, [`ask ${i}`]);
        await router.send([id, `answer ${i}`]);
        expectFrames(await dealer.receive(), [`answer ${i}`]);
      }
      return 2 * ROUNDS;
    },
  }),
  family({
    name: "PAIR<->PAIR",
    create: () => [new Pair(DEMO_OPTIONS), new Pair(DEMO_OPTIONS)],
    async exchange(a, b) {
      for (let i = 0; i < ROUNDS; i++) {
        await b.send(`left ${i}`);
        expectFrames(await a.receive(), [`left ${i}`]);
        await a.send(`right ${i}`);
        expectFrames(await b.receive(), [`right ${i}`]);
      }
      return 2 * ROUNDS;
    },
  }),
];

let inprocCounter = 0;

function bindAddress(transport: Transport): string {
  switch (transport) {
    case "tcp":
      return "tcp://127.0.0.1:*";
    case "ipc":
      return "ipc://*";
    case "inproc":
      inprocCounter += 1;
      return `inproc://zmtp-demo-${process.pid}-${inprocCounter}`;
  }
}

async function runCase(fam: Family<Socket, Socket>, transport: Transport): Promise<DemoResult> {
  const started = performance.now();
  const [bound, connected] = fam.create();
  let messages = 0;
  try {
    await bound.bind(bindAddress(transport));
    const endpoint = bound.lastEndpoint;
    if (endpoint === null) throw new Error("bind() left no lastEndpoint");
    connected.connect(endpoint);
    messages = await fam.exchange(bound, connected);
    return { family: fam.name, transport, messages, ok: true, ms: performance.now() - started };
  } catch (err) {
    const error = err instanceof Error ? `${(err as { code?: string }).code ?? err.name}: ${err.message}` : String(err);
    return { family: fam.name, transport, messages, ok: false, ms: performance.now() - started, error };
  } finally {
    connected.close();
    bound.close();
  }
}

/** Runs every family over every transport, one case at a time. */
export async function runDemo(transports: readonly Transport[] = TRANSPORTS): Promise<DemoResult[]> {
  const results: DemoResult[] = [];
  for (const fam of FAMILIES) {
    for (const transport of transports) results.push(await runCase(fam, transport));
  }
  return results;
}

/** The results as an aligned text table, one row per case, failures' errors below the table. */
export function formatResults(results: readonly DemoResult[]): string {
  const header = ["family", "transport", "messages", "result", "ms"];
  const rows = results.map((r) => [r.family, r.transport, String(r.messages), r.ok ? "ok" : "FAIL", r.ms.toFixed(1)]);
  const widths = header.map((h, col) => Math.max(h.length, ...rows.map((row) => row[col]!.length)));
  // Numbers align right, words left.
  const numeric = [false, false, true, false, true];
  const line = (cells: string[]): string =>
    cells
      .map((cell, col) => (numeric[col] ? cell.padStart(widths[col]!) : cell.padEnd(widths[col]!)))
      .join("  ")
      .trimEnd();
  const out = [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)];
  const failed = results.filter((r) => !r.ok);
  out.push("", `${results.length - failed.length}/${results.length} ok`);
  for (const r of failed) out.push(`${r.family} over ${r.transport}: ${r.error}`);
  return out.join("\n") + "\n";
}
