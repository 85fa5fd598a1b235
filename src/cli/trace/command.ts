import { parseArgs } from "node:util";
import { checkEndpoint, formatTcpEndpoint } from "../../transports/endpoint.js";
import { streamTransport } from "../../transports/registry.js";
import { closeStream, type ByteStream } from "../../transports/stream.js";
import { DEFAULT_TRANSPORT_OPTIONS, type Listener, type Transport } from "../../transports/transport.js";
import type { CommandIO } from "../io.js";
import { displayValue } from "../probe/text.js";
import { TraceDecoder, type TraceEvent } from "./decoder.js";

/**
 * `zmtp trace --listen A --to B`: a transparent man in the middle. Every accepted connection is
 * connected onward to B; bytes pass both ways unchanged while a TraceDecoder per direction
 * prints what they mean.
 */

export const TRACE_USAGE = `Usage: zmtp trace --listen ENDPOINT --to ENDPOINT [options]

Accepts ZMTP connections on --listen, connects each one onward to --to and forwards the bytes
both ways unchanged, printing every greeting, command (with its properties) and frame with a
timestamp, the connection number and the direction: ">" from the connecting peer to --to, "<"
back. NULL and PLAIN are decoded fully (PLAIN passwords are not printed); CURVE shows the
handshake command names and sizes and the size of each encrypted MESSAGE.

Point the client at --listen instead of the server: it sees no difference.

Options:
  --listen ENDPOINT   Where to accept (tcp://host:port, tcp://127.0.0.1:* for any port, ipc://path)
  --to ENDPOINT       Where to forward (tcp://host:port or ipc://path)
  --json              One JSON object per line instead of text
  --preview N         Bytes of each frame to show (default 32)
  --once              Exit after the first connection has closed
`;

/** What happened: a decoded event of one direction, or of a connection or the tracer itself. */
export type TraceBody =
  | TraceEvent
  | { event: "listening"; endpoint: string; to: string }
  | { event: "open"; from: string; to: string }
  | { event: "close"; by: "client" | "server" | "tracer"; error?: string };

/** One line of the trace; `conn` 0 is the tracer itself, `dir` "" an event of the connection. */
export type TraceRecord = { time: Date; conn: number; dir: ">" | "<" | "" } & TraceBody;

export interface TraceOptions {
  listen: string;
  to: string;
  previewBytes: number;
  once: boolean;
}

export interface Tracer {
  /** The endpoint really bound (the port filled in for tcp://...:*). */
  endpoint: string;
  /** Resolves when the tracer has stopped (close(), or the first connection ended with --once). */
  done: Promise<void>;
  close(): void;
}

/** The transport that carries `address`; inproc has no bytes to trace. */
function transportOf(address: string, forBind: boolean): Transport {
  const transport = streamTransport(checkEndpoint(address, forBind));
  if (transport === null)
    throw new RangeError(`${address}: inproc cannot be traced (it has no bytes); use tcp:// or ipc://`);
  return transport;
}

function describePeer(stream: ByteStream, fallback: string): string {
  return stream.remoteAddress !== undefined
    ? formatTcpEndpoint(stream.remoteAddress, stream.remotePort ?? 0).slice(6)
    : fallback;
}

/** Copies `from` into `to` as it arrives, decoding on the way; a slow `to` pauses `from`. */
function forward(from: ByteStream, to: ByteStream, decoder: TraceDecoder): void {
  const resume = (): void => from.resume();
  from.on("data", (chunk) => {
    decoder.push(chunk);
    if (to.write(chunk)) return;
    from.pause();
    to.once("drain", resume);
  });
}

/** Starts tracing; every record goes to `onRecord` as it happens. */
export async function startTrace(options: TraceOptions, onRecord: (record: TraceRecord) => void): Promise<Tracer> {
  const listenTransport = transportOf(options.listen, true);
  const toTransport = transportOf(options.to, false);
  const open = new Set<ByteStream>();
  let next = 1;
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finish = resolve));
  let listener: Listener | null = null;

  const close = (): void => {
    listener?.close();
    for (const stream of open) stream.destroy();
    finish();
  };

  const onAccept = (client: ByteStream): void => {
    const conn = next++;
    if (options.once) listener?.close();
    // Hold the client's bytes until the onward connection exists; they are then forwarded in order.
    client.pause();
    const record = (dir: TraceRecord["dir"], body: TraceBody): void =>
      onRecord({ time: new Date(), conn, dir, ...body });
    const upstream = toTransport.dial(options.to, DEFAULT_TRANSPORT_OPTIONS);
    open.add(client);
    open.add(upstream);
    const toServer = new TraceDecoder((e) => record(">", e), options);
    const toClient = new TraceDecoder((e) => record("<", e), options);
    let closed = false;
    let connected = false;
    const end = (by: "client" | "server" | "tracer", error?: Error): void => {
      if (closed) return;
      closed = true;
      if (!connected && by === "server")
        record("", {
          event: "close",
          by: "tracer",
          error: `cannot connect to ${options.to}: ${error?.message ?? "closed"}`,
        });
      else record("", error !== undefined ? { event: "close", by, error: error.message } : { event: "close", by });
      closeStream(client, true);
      closeStream(upstream, true);
      open.delete(client);
      open.delete(upstream);
      if (options.once) close();
    };
    upstream.once("connect", () => {
      connected = true;
      record("", { event: "open", from: describePeer(client, "ipc client"), to: options.to });
      forward(client, upstream, toServer);
      forward(upstream, client, toClient);
      client.resume();
    });
    client.on("end", () => end("client"));
    upstream.on("end", () => end("server"));
    client.on("error", (err) => end("client", err));
    upstream.on("error", (err) => end("server", err));
    client.on("close", () => end("client"));
    upstream.on("close", () => end("server"));
  };

  listener = await listenTransport.listen(options.listen, DEFAULT_TRANSPORT_OPTIONS, onAccept);
  onRecord({ time: new Date(), conn: 0, dir: "", event: "listening", endpoint: listener.endpoint, to: options.to });
  return { endpoint: listener.endpoint, done, close };
}

// ---- output ----

function clock(time: Date): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, "0");
  return `${p(time.getHours())}:${p(time.getMinutes())}:${p(time.getSeconds())}.${p(time.getMilliseconds(), 3)}`;
}

/** One text line: `12:00:01.234 #1 > READY Socket-Type=DEALER Identity=""`. */
export function formatTraceText(r: TraceRecord): string {
  const head = r.conn === 0 ? clock(r.time) : `${clock(r.time)} #${r.conn} ${r.dir || "-"}`;
  return `${head} ${describe(r)}`;
}

function describe(r: TraceRecord): string {
  switch (r.event) {
    case "listening":
      return `listening on ${r.endpoint}, forwarding to ${r.to}`;
    case "open":
      return `open ${r.from} -> ${r.to}`;
    case "close":
      return `closed by ${r.by}${r.error !== undefined ? ` (${r.error})` : ""}`;
    case "greeting":
      return `greeting ZMTP ${r.version} ${r.mechanism} as-server=${r.asServer ? 1 : 0}`;
    case "command": {
      const props =
        r.properties !== undefined
          ? Object.entries(r.properties)
              .map(([k, v]) => ` ${k}=${displayValue(v)}`)
              .join("")
          : "";
      const detail = r.detail !== undefined ? ` ${r.detail}` : "";
      return `${r.name}${props}${detail} (${r.size} bytes)`;
    }
    case "frame": {
      const content = r.text !== undefined ? JSON.stringify(r.text) : `0x${r.hex}`;
      return `frame ${r.more ? "MORE" : "LAST"} size=${r.size} ${content}${r.truncated === true ? "…" : ""}`;
    }
    case "message":
      return `MESSAGE size=${r.size} (encrypted, ${r.size - 33} bytes of frame)`;
    case "error":
      return `error: ${r.message}`;
    case "bytes":
      return `${r.size} bytes`;
  }
}

export function formatTraceJson(r: TraceRecord): string {
  return JSON.stringify({ ...r, time: r.time.toISOString() });
}

// ---- command line ----

export async function traceCommand(args: readonly string[], io: CommandIO = process): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        help: { type: "boolean", short: "h" },
        listen: { type: "string" },
        to: { type: "string" },
        json: { type: "boolean" },
        preview: { type: "string" },
        once: { type: "boolean" },
      },
      strict: true,
    }));
    if (values.help === true) {
      io.stdout.write(TRACE_USAGE);
      return 0;
    }
    if (values.listen === undefined || values.to === undefined) throw new RangeError("trace needs --listen and --to");
    transportOf(values.listen, true);
    transportOf(values.to, false);
    const preview = Number(values.preview ?? "32");
    if (!Number.isInteger(preview) || preview < 0)
      throw new RangeError(`--preview must be a non-negative integer (got "${values.preview}")`);
  } catch (err) {
    io.stderr.write(`zmtp trace: ${(err as Error).message}\n\n${TRACE_USAGE}`);
    return 2;
  }
  const format = values.json === true ? formatTraceJson : formatTraceText;
  let tracer: Tracer;
  try {
    tracer = await startTrace(
      {
        listen: values.listen,
        to: values.to,
        previewBytes: Number(values.preview ?? "32"),
        once: values.once === true,
      },
      (record) => io.stdout.write(`${format(record)}\n`),
    );
  } catch (err) {
    io.stderr.write(`zmtp trace: cannot listen on ${values.listen}: ${(err as Error).message}\n`);
    return 1;
  }
  const stop = (): void => tracer.close();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  await tracer.done;
  process.removeListener("SIGINT", stop);
  process.removeListener("SIGTERM", stop);
  return 0;
}
