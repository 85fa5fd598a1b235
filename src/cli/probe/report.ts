import { decodePing } from "../../zmtp/command.js";
import type { SocketTypeName } from "../../zmtp/socket-types.js";
import type { ReceivedCommand } from "./connection.js";
import type { ProbeFailureKind } from "./failure.js";
import { displayValue, previewMessage } from "./text.js";

/** What `zmtp probe` found out, as JSON (`--json`) or as aligned text. */

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
function frames(message: readonly FrameJson[]): Buffer[] {
  return message.map((f) => (f.hex !== undefined ? Buffer.from(f.hex, "hex") : Buffer.from(f.text ?? "")));
}

export function formatProbeReport(r: ProbeReport): string {
  const lines: string[] = [];
  const row = (label: string, value: string): void => {
    lines.push(`${label.padEnd(14)}${value}`);
  };
  const role = r.mechanism === "NULL" ? "" : ` ${r.role}`;
  row(
    "probe",
    `${r.socketType} (${r.mechanism}${role}) ${r.mode === "bind" ? "bound at" : "connecting to"} ${r.endpoint}`,
  );
  if (r.peer !== undefined)
    row(
      "peer",
      `${r.peer}${r.connectMs !== undefined ? ` (${r.mode === "bind" ? "accepted" : "connected"} in ${r.connectMs} ms)` : ""}`,
    );
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
  if (r.ping !== undefined)
    row(
      "ping",
      r.ping.answered
        ? `PONG in ${r.ping.rttMs} ms${r.ping.note ? ` (${r.ping.note})` : ""}`
        : `no answer (${r.ping.note})`,
    );
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

/** A command as the probe reports it: `PING ttl=0 context=""`, `SUBSCRIBE "topic"`. */
export function describeCommand(command: ReceivedCommand): string {
  if (command.name === "PING") {
    const ping = decodePing(command.data);
    return `PING ttl=${ping.ttlDeciseconds * 100}ms`;
  }
  if (command.data.length === 0) return command.name;
  return `${command.name} ${JSON.stringify(command.data.toString("latin1"))}`;
}
