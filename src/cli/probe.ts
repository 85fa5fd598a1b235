import { createConnection, createServer, type Server, type Socket as NetSocket } from "node:net";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { formatTcpEndpoint, parseEndpoint } from "../transports/endpoint.js";
import { generateKeyPair, keyPairFromSecret } from "../zmtp/mechanisms/curve-box.js";
import { CurveClient, CurveServer } from "../zmtp/mechanisms/curve.js";
import type { Mechanism } from "../zmtp/mechanisms/mechanism.js";
import { NullMechanism } from "../zmtp/mechanisms/null.js";
import { PlainClient, PlainServer } from "../zmtp/mechanisms/plain.js";
import type { SocketTypeName } from "../zmtp/socket-types.js";
import { decodeCurveKey, z85Encode } from "../zmtp/z85.js";
import { ProbeConnection, ProbeFailure, describeCommand, type ProbeFailureKind } from "./probe-connection.js";
import { displayValue, frameJson, parseMessage, previewMessage, propertyValue } from "./probe-text.js";

/**
 * `zmtp probe ENDPOINT`: one ZMTP connection to (or, with --bind, from) any peer, reporting what
 * the peer says — greeting, mechanism, READY properties, PING/PONG, timing — or exactly why it
 * failed, with one exit code per cause.
 */

export const PROBE_USAGE = `Usage: zmtp probe ENDPOINT [options]

Connects to ENDPOINT (tcp://host:port or ipc://path) as one ZMTP socket and reports what the
peer says: greeting, mechanism, every READY property, whether it answers PING, handshake time,
or why the handshake failed.

Options:
  --bind                 Accept one connection on ENDPOINT instead of connecting
  --type TYPE            Our socket type (default DEALER): PAIR PUB SUB REQ REP DEALER ROUTER
                         PULL PUSH XPUB XSUB
  --mechanism M          null | plain | curve (default: curve with --server-key, plain with
                         --username/--password, else null)
  --username U, --password P   PLAIN credentials
  --server-key K         CURVE: the server's public key (Z85, 40 characters)
  --public-key K, --secret-key K   CURVE: our long-term keys (default: a fresh pair)
  --as-server            Play the PLAIN/CURVE server: accept any client and show its credentials
                         (CURVE needs --secret-key)
  --identity ID          Identity property to announce (REQ, DEALER, ROUTER; default empty)
  --send MSG             Send a message after the handshake (repeatable). Frames are separated
                         by "|"; a frame starting with 0x is hex: --send 'key|0x00ff'.
                         A REQ probe adds the empty delimiter frame itself.
  --recv N               Then wait for N messages and print them
  --subscribe TOPIC      SUB/XSUB: subscribe (repeatable; default "" when --recv is given)
  --no-ping              Do not send a PING after the handshake
  --timeout MS           Limit for connecting, the handshake, the PONG and each message
                         (default 5000; with --bind the wait for a connection has no limit
                         unless --timeout is given)
  --json                 Print the report as one JSON object

Exit codes:
  0  handshake completed (and --send/--recv done)
  1  unexpected error
  2  usage error
  3  could not connect (refused, no such host or ipc path) or could not bind
  4  not a ZMTP 3 peer (bad signature, e.g. an HTTP server; or ZMTP 1.0/2.0)
  5  security mechanism mismatch
  6  incompatible socket type
  7  authentication rejected (the peer sent ERROR)
  8  the peer closed the connection during the handshake (no reason given)
  9  timeout (connect, handshake, PONG or --recv)
  10 protocol error (malformed handshake or traffic)
`;

export const PROBE_EXIT_CODES: Record<ProbeFailureKind, number> = {
  connect: 3,
  "not-zmtp": 4,
  mechanism: 5,
  "socket-type": 6,
  auth: 7,
  closed: 8,
  timeout: 9,
  protocol: 10,
};

const SOCKET_TYPES: readonly SocketTypeName[] = ["PAIR", "PUB", "SUB", "REQ", "REP", "DEALER", "ROUTER", "PULL", "PUSH", "XPUB", "XSUB"];
const DEFAULT_TIMEOUT_MS = 5000;
/** How long to hold back the rest of our greeting waiting for the peer's (see ProbeConnection). */
const GREETING_STAGE_MS = 250;
const PING_CONTEXT = Buffer.from("zmtp-probe");

export interface ProbeOptions {
  endpoint: string;
  bind: boolean;
  socketType: SocketTypeName;
  mechanism: "null" | "plain" | "curve";
  asServer: boolean;
  username: string;
  password: string;
  serverKey: string | null;
  publicKey: string | null;
  secretKey: string | null;
  identity: string;
  send: Buffer[][];
  recv: number;
  subscribe: string[];
  ping: boolean;
  /** Per step, in ms. */
  timeout: number;
  /** With --bind: wait this long for a connection; 0 = no limit. */
  acceptTimeout: number;
}

interface FrameJson {
  size: number;
  text?: string;
  hex?: string;
}

export interface ProbeReport {
  endpoint: string;
  mode: "connect" | "bind";
  socketType: SocketTypeName;
  mechanism: string;
  role: "client" | "server";
  ok: boolean;
  exitCode: number;
  /** The peer's address:port (tcp) or the path (ipc). */
  peer?: string;
  connectMs?: number;
  greeting?: { version: string; major: number; minor: number; mechanism: string; asServer: boolean; padding: string };
  /** READY / INITIATE properties in the order received; values as text or 0x-hex. */
  properties?: Record<string, string>;
  handshakeMs?: number;
  /** As a PLAIN / CURVE server: what the client presented. */
  client?: { username?: string; password?: string; publicKey?: string };
  /** Our CURVE public key, when we generated the pair. */
  curvePublicKey?: string;
  ping?: { answered: boolean; rttMs?: number; note?: string };
  subscribed?: string[];
  sent: FrameJson[][];
  received: FrameJson[][];
  /** Traffic commands the peer sent after the handshake (its PINGs, SUBSCRIBEs). */
  peerCommands: string[];
  error?: { kind: ProbeFailureKind; message: string };
}

function mechanismFor(o: ProbeOptions, report: ProbeReport): Mechanism {
  switch (o.mechanism) {
    case "null":
      return new NullMechanism();
    case "plain":
      return o.asServer ? new PlainServer("") : new PlainClient(Buffer.from(o.username), Buffer.from(o.password));
    case "curve": {
      let keyPair;
      if (o.secretKey !== null) {
        keyPair = keyPairFromSecret(decodeCurveKey(o.secretKey, "--secret-key"));
        if (o.publicKey !== null) keyPair = { ...keyPair, publicKey: decodeCurveKey(o.publicKey, "--public-key") };
      } else {
        keyPair = generateKeyPair();
        report.curvePublicKey = z85Encode(keyPair.publicKey);
      }
      if (o.asServer) return new CurveServer({ keyPair, domain: "" });
      return new CurveClient({ keyPair, serverKey: decodeCurveKey(o.serverKey!, "--server-key") });
    }
  }
}

/** Connects (or accepts one connection) and resolves with the stream, or rejects with a ProbeFailure. */
function openStream(o: ProbeOptions, onListening: (endpoint: string) => void): Promise<NetSocket> {
  const endpoint = parseEndpoint(o.endpoint, o.bind);
  if (endpoint.transport === "inproc") {
    return Promise.reject(new ProbeFailure("connect", "inproc endpoints live inside one process; probe tcp:// or ipc://"));
  }
  return o.bind ? acceptOne(o, endpoint, onListening) : connectTo(o, endpoint);
}

function connectTo(o: ProbeOptions, endpoint: { transport: "tcp"; host: string; port: number } | { transport: "ipc"; path: string }): Promise<NetSocket> {
  return new Promise((resolve, reject) => {
    const stream =
      endpoint.transport === "tcp"
        ? createConnection({ host: endpoint.host, port: endpoint.port })
        : createConnection({ path: endpoint.path.startsWith("@") ? `\0${endpoint.path.slice(1)}` : endpoint.path });
    const timer = setTimeout(() => {
      stream.destroy();
      reject(new ProbeFailure("timeout", `could not connect to ${o.endpoint} within ${o.timeout} ms`));
    }, o.timeout);
    stream.once("connect", () => {
      clearTimeout(timer);
      stream.removeAllListeners("error");
      resolve(stream);
    });
    stream.once("error", (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new ProbeFailure("connect", connectErrorMessage(o.endpoint, err)));
    });
  });
}

function connectErrorMessage(endpoint: string, err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case "ECONNREFUSED":
      return `connection refused: nothing listens on ${endpoint} (ECONNREFUSED)`;
    case "ENOENT":
      return `no such ipc socket: ${endpoint} (ENOENT)`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `cannot resolve the host of ${endpoint} (${err.code})`;
    default:
      return `cannot connect to ${endpoint}: ${err.message}`;
  }
}

function acceptOne(
  o: ProbeOptions,
  endpoint: { transport: "tcp"; host: string; port: number } | { transport: "ipc"; path: string },
  onListening: (endpoint: string) => void,
): Promise<NetSocket> {
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | null = null;
    const server: Server = createServer({ noDelay: true }, (stream) => {
      if (timer !== null) clearTimeout(timer);
      server.close();
      resolve(stream);
    });
    server.once("error", (err: NodeJS.ErrnoException) => {
      reject(new ProbeFailure("connect", `cannot bind ${o.endpoint}: ${err.message}`));
    });
    const listening = (): void => {
      server.removeAllListeners("error");
      const info = server.address();
      onListening(typeof info === "object" && info !== null ? formatTcpEndpoint(info.address, info.port) : `ipc://${String(info)}`);
      if (o.acceptTimeout > 0) {
        timer = setTimeout(() => {
          server.close();
          reject(new ProbeFailure("timeout", `no connection to ${o.endpoint} within ${o.acceptTimeout} ms`));
        }, o.acceptTimeout);
      }
    };
    if (endpoint.transport === "tcp") server.listen({ host: endpoint.host === "" ? "0.0.0.0" : endpoint.host, port: endpoint.port }, listening);
    else server.listen({ path: endpoint.path.startsWith("@") ? `\0${endpoint.path.slice(1)}` : endpoint.path }, listening);
  });
}

function peerName(stream: NetSocket, endpoint: string): string {
  if (stream.remoteAddress === undefined) return endpoint;
  return formatTcpEndpoint(stream.remoteAddress, stream.remotePort ?? 0).slice("tcp://".length);
}

/** Runs a probe; never throws for anything the peer does — the report says what happened. */
export async function runProbe(o: ProbeOptions, onListening: (endpoint: string) => void = () => undefined): Promise<ProbeReport> {
  // Keys in report order, so the JSON reads top to bottom like the text.
  const report: ProbeReport = {
    endpoint: o.endpoint,
    mode: o.bind ? "bind" : "connect",
    socketType: o.socketType,
    mechanism: o.mechanism.toUpperCase(),
    role: o.asServer ? "server" : "client",
    ok: false,
    exitCode: 1,
    peer: undefined,
    connectMs: undefined,
    greeting: undefined,
    properties: undefined,
    handshakeMs: undefined,
    ping: undefined,
    sent: [],
    received: [],
    peerCommands: [],
  };
  const mechanism = mechanismFor(o, report);
  let connection: ProbeConnection | null = null;
  try {
    const start = performance.now();
    const stream = await openStream(o, onListening);
    report.connectMs = round(performance.now() - start);
    report.peer = peerName(stream, o.endpoint);
    connection = new ProbeConnection(stream, {
      socketType: o.socketType,
      identity: Buffer.from(o.identity),
      mechanism,
      greetingStageMs: Math.min(GREETING_STAGE_MS, o.timeout),
      maxFrameSize: 64 * 1024 * 1024,
    });
    try {
      await connection.handshake(o.timeout);
    } finally {
      fillHandshake(report, connection);
    }
    if (o.ping) await ping(connection, o, report);
    if (o.socketType === "SUB" || o.socketType === "XSUB") {
      const topics = o.subscribe.length > 0 ? o.subscribe : o.recv > 0 ? [""] : [];
      for (const topic of topics) connection.subscribe(Buffer.from(topic));
      if (topics.length > 0) report.subscribed = topics;
    }
    for (const message of o.send) {
      // A REQ socket puts the empty delimiter before the body (RFC 28).
      const frames = o.socketType === "REQ" ? [Buffer.alloc(0), ...message] : message;
      connection.send(frames);
      report.sent.push(frames.map(frameJson));
    }
    for (let i = 0; i < o.recv; i++) {
      const message = await connection.receive(o.timeout);
      report.received.push(message.map(frameJson));
    }
    report.ok = true;
    report.exitCode = 0;
  } catch (err) {
    const failure = err instanceof ProbeFailure ? err : null;
    report.error = failure !== null ? { kind: failure.kind, message: failure.message } : { kind: "protocol", message: String(err) };
    report.exitCode = failure !== null ? PROBE_EXIT_CODES[failure.kind] : 1;
  } finally {
    if (connection !== null) {
      report.peerCommands = connection.commands.map(describeCommand);
      connection.close();
    }
  }
  return report;
}

function fillHandshake(report: ProbeReport, connection: ProbeConnection): void {
  const greeting = connection.greeting;
  if (greeting !== null) {
    report.greeting = {
      version: `${greeting.announced.major}.${greeting.announced.minor}`,
      major: greeting.announced.major,
      minor: greeting.announced.minor,
      mechanism: greeting.mechanism,
      asServer: greeting.asServer,
      padding: greeting.raw.subarray(1, 9).toString("hex"),
    };
  }
  if (connection.peerProperties !== null) {
    report.properties = {};
    for (const [name, value] of connection.peerProperties) report.properties[name] = propertyValue(value);
  }
  if (connection.handshakeMs !== null) report.handshakeMs = round(connection.handshakeMs);
  const zap = connection.zapRequests[0];
  if (zap !== undefined) {
    report.client =
      zap.mechanism === "PLAIN"
        ? { username: zap.credentials[0]!.toString(), password: zap.credentials[1]!.toString() }
        : { publicKey: z85Encode(zap.credentials[0]!) };
  }
}

async function ping(connection: ProbeConnection, o: ProbeOptions, report: ProbeReport): Promise<void> {
  const start = performance.now();
  try {
    const context = await connection.ping(PING_CONTEXT, o.timeout);
    report.ping = { answered: true, rttMs: round(performance.now() - start) };
    if (!context.equals(PING_CONTEXT)) report.ping.note = "the PONG did not echo our context";
  } catch (err) {
    if (!(err instanceof ProbeFailure) || err.kind !== "timeout") {
      if (err instanceof ProbeFailure && err.kind === "closed") {
        throw new ProbeFailure(
          "closed",
          "the peer closed the connection right after the handshake (libzmq does this when it refuses our Socket-Type)",
        );
      }
      throw err;
    }
    // Not fatal: PING is optional for ZMTP 3.0 peers, and some implementations ignore it.
    report.ping = { answered: false, note: `no PONG within ${o.timeout} ms` };
  }
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

// ---- text report ----

function frames(message: readonly FrameJson[]): Buffer[] {
  return message.map((f) => (f.hex !== undefined ? Buffer.from(f.hex, "hex") : Buffer.from(f.text ?? "")));
}

export function formatProbeReport(r: ProbeReport): string {
  const lines: string[] = [];
  const row = (label: string, value: string): void => {
    lines.push(`${label.padEnd(14)}${value}`);
  };
  const role = r.mechanism === "NULL" ? "" : ` ${r.role}`;
  row("probe", `${r.socketType} (${r.mechanism}${role}) ${r.mode === "bind" ? "bound at" : "connecting to"} ${r.endpoint}`);
  if (r.peer !== undefined) row("peer", `${r.peer}${r.connectMs !== undefined ? ` (${r.mode === "bind" ? "accepted" : "connected"} in ${r.connectMs} ms)` : ""}`);
  if (r.greeting !== undefined) {
    const g = r.greeting;
    row("greeting", `ZMTP ${g.version}, mechanism ${g.mechanism || "(empty)"}, as-server ${g.asServer ? 1 : 0}`);
  }
  if (r.curvePublicKey !== undefined) row("our key", `${r.curvePublicKey} (generated)`);
  if (r.client !== undefined) {
    if (r.client.publicKey !== undefined) row("client key", r.client.publicKey);
    else row("client", `username ${JSON.stringify(r.client.username)}, password ${JSON.stringify(r.client.password)}`);
  }
  if (r.properties !== undefined) {
    const names = Object.keys(r.properties);
    if (names.length === 0) row("properties", "(none)");
    else lines.push("properties");
    for (const name of names) lines.push(`  ${name.padEnd(12)}${displayValue(r.properties[name]!)}`);
  }
  if (r.handshakeMs !== undefined) row("handshake", `ok in ${r.handshakeMs} ms`);
  if (r.ping !== undefined) row("ping", r.ping.answered ? `PONG in ${r.ping.rttMs} ms${r.ping.note ? ` (${r.ping.note})` : ""}` : `no answer (${r.ping.note})`);
  if (r.subscribed !== undefined) row("subscribed", r.subscribed.map((t) => JSON.stringify(t)).join(", "));
  for (const m of r.sent) row("sent", previewMessage(frames(m), 48));
  for (const m of r.received) row("received", previewMessage(frames(m), 48));
  for (const c of r.peerCommands) row("peer sent", c);
  if (r.error !== undefined) {
    row("error", r.error.message);
    lines.push(`failed: ${r.error.kind} (exit ${r.exitCode})`);
  } else {
    lines.push("ok");
  }
  return `${lines.join("\n")}\n`;
}

// ---- command line ----

export class UsageError extends Error {}

export function parseProbeArgs(args: readonly string[]): ProbeOptions | "help" {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: {
      help: { type: "boolean", short: "h" },
      bind: { type: "boolean" },
      type: { type: "string" },
      mechanism: { type: "string" },
      username: { type: "string" },
      password: { type: "string" },
      "server-key": { type: "string" },
      "public-key": { type: "string" },
      "secret-key": { type: "string" },
      "as-server": { type: "boolean" },
      identity: { type: "string" },
      send: { type: "string", multiple: true },
      recv: { type: "string" },
      subscribe: { type: "string", multiple: true },
      "no-ping": { type: "boolean" },
      timeout: { type: "string" },
      json: { type: "boolean" },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.help === true) return "help";
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? "probe needs an ENDPOINT" : `probe takes one ENDPOINT (got ${positionals.join(" ")})`);
  const socketType = (values.type ?? "DEALER").toUpperCase() as SocketTypeName;
  if (!SOCKET_TYPES.includes(socketType)) throw new UsageError(`unknown socket type "${values.type}" (one of ${SOCKET_TYPES.join(" ")})`);
  const inferred = values["server-key"] !== undefined ? "curve" : values.username !== undefined || values.password !== undefined ? "plain" : "null";
  const mechanism = (values.mechanism ?? inferred).toLowerCase();
  if (mechanism !== "null" && mechanism !== "plain" && mechanism !== "curve") throw new UsageError(`unknown mechanism "${values.mechanism}" (null, plain or curve)`);
  const asServer = values["as-server"] === true;
  if (mechanism === "curve" && !asServer && values["server-key"] === undefined) throw new UsageError("--mechanism curve needs --server-key (the server's public key)");
  if (mechanism === "curve" && asServer && values["secret-key"] === undefined) throw new UsageError("a CURVE server (--as-server) needs --secret-key");
  for (const key of ["server-key", "public-key", "secret-key"] as const) {
    const value = values[key];
    if (value === undefined) continue;
    try {
      decodeCurveKey(value, `--${key}`);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
  }
  const timeout = positiveInt(values.timeout ?? String(DEFAULT_TIMEOUT_MS), "--timeout");
  const recv = values.recv === undefined ? 0 : nonNegativeInt(values.recv, "--recv");
  let send: Buffer[][];
  try {
    send = (values.send ?? []).map(parseMessage);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const endpoint = positionals[0]!;
  try {
    parseEndpoint(endpoint, values.bind === true);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  return {
    endpoint,
    bind: values.bind === true,
    socketType,
    mechanism,
    asServer,
    username: values.username ?? "",
    password: values.password ?? "",
    serverKey: values["server-key"] ?? null,
    publicKey: values["public-key"] ?? null,
    secretKey: values["secret-key"] ?? null,
    identity: values.identity ?? "",
    send,
    recv,
    subscribe: values.subscribe ?? [],
    ping: values["no-ping"] !== true,
    timeout,
    acceptTimeout: values.timeout !== undefined ? timeout : 0,
  };
}

function positiveInt(text: string, name: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${name} must be a positive integer (got "${text}")`);
  return n;
}

function nonNegativeInt(text: string, name: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${name} must be a non-negative integer (got "${text}")`);
  return n;
}

export interface CommandIO {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/** `zmtp probe ...`: returns the exit code. */
export async function probeCommand(args: readonly string[], io: CommandIO = process): Promise<number> {
  let options;
  let json = false;
  try {
    json = args.includes("--json");
    options = parseProbeArgs(args);
  } catch (err) {
    io.stderr.write(`zmtp probe: ${(err as Error).message}\n\n${PROBE_USAGE}`);
    return 2;
  }
  if (options === "help") {
    io.stdout.write(PROBE_USAGE);
    return 0;
  }
  const report = await runProbe(options, (endpoint) => {
    (json ? io.stderr : io.stdout).write(`listening on ${endpoint}, waiting for one connection\n`);
  });
  io.stdout.write(json ? `${JSON.stringify(report)}\n` : formatProbeReport(report));
  return report.exitCode;
}
