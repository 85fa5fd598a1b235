import { parseArgs } from "node:util";
import { attachValues } from "../args.js";
import { checkEndpoint } from "../../transports/endpoint.js";
import type { SocketTypeName } from "../../zmtp/socket-types.js";
import { decodeCurveKey } from "../../zmtp/z85.js";
import { parseMessage } from "./text.js";

/** `zmtp probe`'s command line: its usage text and the options it parses into. */

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

const SOCKET_TYPES: readonly SocketTypeName[] = [
  "PAIR",
  "PUB",
  "SUB",
  "REQ",
  "REP",
  "DEALER",
  "ROUTER",
  "PULL",
  "PUSH",
  "XPUB",
  "XSUB",
];
const DEFAULT_TIMEOUT_MS = 5000;

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
export class UsageError extends Error {}

export function parseProbeArgs(args: readonly string[]): ProbeOptions | "help" {
  const { values, positionals } = parseArgs({
    args: attachValues(args, ["server-key", "public-key", "secret-key", "username", "password", "identity"]),
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
  if (positionals.length !== 1)
    throw new UsageError(
      positionals.length === 0 ? "probe needs an ENDPOINT" : `probe takes one ENDPOINT (got ${positionals.join(" ")})`,
    );
  const socketType = (values.type ?? "DEALER").toUpperCase() as SocketTypeName;
  if (!SOCKET_TYPES.includes(socketType))
    throw new UsageError(`unknown socket type "${values.type}" (one of ${SOCKET_TYPES.join(" ")})`);
  const inferred =
    values["server-key"] !== undefined
      ? "curve"
      : values.username !== undefined || values.password !== undefined
        ? "plain"
        : "null";
  const mechanism = (values.mechanism ?? inferred).toLowerCase();
  if (mechanism !== "null" && mechanism !== "plain" && mechanism !== "curve")
    throw new UsageError(`unknown mechanism "${values.mechanism}" (null, plain or curve)`);
  const asServer = values["as-server"] === true;
  if (mechanism === "curve" && !asServer && values["server-key"] === undefined)
    throw new UsageError("--mechanism curve needs --server-key (the server's public key)");
  if (mechanism === "curve" && asServer && values["secret-key"] === undefined)
    throw new UsageError("a CURVE server (--as-server) needs --secret-key");
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
    checkEndpoint(endpoint, values.bind === true);
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
