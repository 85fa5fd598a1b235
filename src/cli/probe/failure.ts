import { ProtocolError } from "../../errors.js";

/** How `zmtp probe` names what went wrong, in words a user can act on. */

/** Why a probe failed; each kind has its own exit code (PROBE_EXIT_CODES in report.ts). */
export type ProbeFailureKind =
  "connect" | "not-zmtp" | "mechanism" | "socket-type" | "auth" | "closed" | "timeout" | "protocol";

export class ProbeFailure extends Error {
  constructor(
    readonly kind: ProbeFailureKind,
    message: string,
  ) {
    super(message);
    this.name = "ProbeFailure";
  }
}

/** A ProbeFailure for anything thrown while the connection ran; `afterHandshake` words protocol errors. */
export function classify(err: unknown, afterHandshake: boolean): ProbeFailure {
  if (err instanceof ProbeFailure) return err;
  if (err instanceof ProtocolError) {
    const where = afterHandshake ? "after the handshake" : "during the handshake";
    return new ProbeFailure("protocol", `protocol error ${where}: ${err.message} (${err.code})`);
  }
  return new ProbeFailure("protocol", err instanceof Error ? err.message : String(err));
}

/** ZAP status codes as reasons (docs/protocol.md §9.3): libzmq's ERROR carries just the number. */
export function authHint(reason: string): string {
  if (reason === "400") return " — authentication failed (wrong credentials or key not allowed)";
  if (reason === "500") return " — the peer's authentication handler failed";
  return "";
}

export function closedHint(mechanism: string): string {
  if (mechanism === "PLAIN") return "a libzmq PLAIN server without a ZAP handler does this, or ZAP answered 300";
  if (mechanism === "CURVE") return "wrong --server-key, or the server's ZAP handler refused us";
  return "it may refuse our Socket-Type, or its ZAP handler answered 300";
}

/** `; it sent "HTTP/1.1 400 ..."` — what a non-ZMTP peer said, printable or in hex. */
export function describeBytes(bytes: Buffer): string {
  if (bytes.length === 0) return "";
  const text = bytes.toString("latin1");
  if (/^[\x20-\x7e\r\n\t]+$/.test(text)) return `; it sent ${JSON.stringify(text.split(/\r?\n/)[0])}`;
  return `; it sent 0x${bytes.subarray(0, 16).toString("hex")}${bytes.length > 16 ? "…" : ""}`;
}
