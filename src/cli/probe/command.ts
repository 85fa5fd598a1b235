import { performance } from "node:perf_hooks";
import { checkEndpoint, formatTcpEndpoint } from "../../transports/endpoint.js";
import { streamTransport } from "../../transports/registry.js";
import type { ByteStream } from "../../transports/stream.js";
import { DEFAULT_TRANSPORT_OPTIONS, type Listener, type Transport } from "../../transports/transport.js";
import { generateKeyPair, keyPairFromSecret } from "../../zmtp/mechanisms/curve-box.js";
import { CurveClient, CurveServer } from "../../zmtp/mechanisms/curve.js";
import type { Mechanism } from "../../zmtp/mechanisms/mechanism.js";
import { NullMechanism } from "../../zmtp/mechanisms/null.js";
import { PlainClient, PlainServer } from "../../zmtp/mechanisms/plain.js";
import { decodeCurveKey, z85Encode } from "../../zmtp/z85.js";
import { PROBE_USAGE, parseProbeArgs, type ProbeOptions } from "./args.js";
import { ProbeConnection } from "./connection.js";
import type { CommandIO } from "../io.js";
import { ProbeFailure } from "./failure.js";
import { PROBE_EXIT_CODES, describeCommand, formatProbeReport, type ProbeReport } from "./report.js";
import { frameJson, propertyValue } from "./text.js";

/**
 * `zmtp probe ENDPOINT`: one ZMTP connection to (or, with --bind, from) any peer, reporting what
 * the peer says — greeting, mechanism, READY properties, PING/PONG, timing — or exactly why it
 * failed, with one exit code per cause.
 */

/** How long to hold back the rest of our greeting waiting for the peer's (see ProbeConnection). */
const GREETING_STAGE_MS = 250;
const PING_CONTEXT = Buffer.from("zmtp-probe");

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
function openStream(o: ProbeOptions, onListening: (endpoint: string) => void): Promise<ByteStream> {
  const transport = streamTransport(checkEndpoint(o.endpoint, o.bind));
  if (transport === null) {
    return Promise.reject(
      new ProbeFailure("connect", "inproc endpoints live inside one process; probe tcp:// or ipc://"),
    );
  }
  return o.bind ? acceptOne(o, transport, onListening) : connectTo(o, transport);
}

function connectTo(o: ProbeOptions, transport: Transport): Promise<ByteStream> {
  return new Promise((resolve, reject) => {
    const stream = transport.dial(o.endpoint, DEFAULT_TRANSPORT_OPTIONS);
    const timer = setTimeout(() => {
      stream.destroy();
      reject(new ProbeFailure("timeout", `could not connect to ${o.endpoint} within ${o.timeout} ms`));
    }, o.timeout);
    const onError = (err: NodeJS.ErrnoException): void => {
      clearTimeout(timer);
      reject(new ProbeFailure("connect", connectErrorMessage(o.endpoint, err)));
    };
    stream.once("connect", () => {
      clearTimeout(timer);
      stream.off("error", onError);
      resolve(stream);
    });
    stream.once("error", onError);
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

async function acceptOne(
  o: ProbeOptions,
  transport: Transport,
  onListening: (endpoint: string) => void,
): Promise<ByteStream> {
  let accepted: ((stream: ByteStream) => void) | null = null;
  const first = new Promise<ByteStream>((resolve) => (accepted = resolve));
  const onStream = (stream: ByteStream): void => {
    if (accepted === null) return stream.destroy();
    accepted(stream);
    accepted = null;
  };
  let listener: Listener;
  try {
    listener = await transport.listen(o.endpoint, DEFAULT_TRANSPORT_OPTIONS, onStream);
  } catch (err) {
    throw new ProbeFailure("connect", `cannot bind ${o.endpoint}: ${(err as Error).message}`);
  }
  onListening(listener.endpoint);
  let timer: NodeJS.Timeout | null = null;
  const timeout = new Promise<never>((_, reject) => {
    if (o.acceptTimeout <= 0) return;
    timer = setTimeout(
      () => reject(new ProbeFailure("timeout", `no connection to ${o.endpoint} within ${o.acceptTimeout} ms`)),
      o.acceptTimeout,
    );
  });
  try {
    return await Promise.race([first, timeout]);
  } finally {
    if (timer !== null) clearTimeout(timer);
    listener.close();
  }
}

function peerName(stream: ByteStream, endpoint: string): string {
  if (stream.remoteAddress === undefined) return endpoint;
  return formatTcpEndpoint(stream.remoteAddress, stream.remotePort ?? 0).slice("tcp://".length);
}

/** Runs a probe; never throws for anything the peer does — the report says what happened. */
export async function runProbe(
  o: ProbeOptions,
  onListening: (endpoint: string) => void = () => undefined,
): Promise<ProbeReport> {
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
    report.error =
      failure !== null ? { kind: failure.kind, message: failure.message } : { kind: "protocol", message: String(err) };
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
