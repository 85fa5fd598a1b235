/**
 * ZMTP Socket-Type names (RFC 23 §2.5.1) for the socket types this library implements, and
 * STREAM, libzmq's raw socket, which speaks no ZMTP at all.
 */
export type SocketTypeName = ClassicSocketTypeName | DraftSocketTypeName;

export type ClassicSocketTypeName =
  "PAIR" | "PUB" | "SUB" | "REQ" | "REP" | "DEALER" | "ROUTER" | "PULL" | "PUSH" | "XPUB" | "XSUB" | "STREAM";

/** libzmq's draft types: RFC 41 CLIENT/SERVER, RFC 48 RADIO/DISH, SCATTER/GATHER and DGRAM. */
export type DraftSocketTypeName = "SERVER" | "CLIENT" | "RADIO" | "DISH" | "GATHER" | "SCATTER" | "DGRAM";

/** RFC 23 §2.5.1 / libzmq check_socket_type: which peer types each type may talk to. */
const COMPATIBLE: Record<SocketTypeName, readonly SocketTypeName[]> = {
  PAIR: ["PAIR"],
  PUB: ["SUB", "XSUB"],
  XPUB: ["SUB", "XSUB"],
  SUB: ["PUB", "XPUB"],
  XSUB: ["PUB", "XPUB"],
  REQ: ["REP", "ROUTER"],
  REP: ["REQ", "DEALER"],
  DEALER: ["REP", "DEALER", "ROUTER"],
  ROUTER: ["REQ", "DEALER", "ROUTER"],
  PUSH: ["PULL"],
  PULL: ["PUSH"],
  // A STREAM's connections carry raw bytes: no ZMTP peer is one it can talk to.
  STREAM: [],
  // libzmq's check_socket_type for the draft types (mechanism.cpp).
  SERVER: ["CLIENT"],
  CLIENT: ["SERVER"],
  RADIO: ["DISH"],
  DISH: ["RADIO"],
  GATHER: ["SCATTER"],
  SCATTER: ["GATHER"],
  // DGRAM is a raw socket (libzmq's raw_socket): it never talks ZMTP.
  DGRAM: [],
};

/** Exact, case-sensitive comparison: libzmq rejects "req" for REQ and so do we. */
export function compatibleSocketTypes(local: SocketTypeName, peer: string): boolean {
  return (COMPATIBLE[local] as readonly string[]).includes(peer);
}

/** libzmq sends the Identity property only from these types (mechanism.cpp). */
export function sendsIdentity(type: SocketTypeName): boolean {
  return type === "REQ" || type === "DEALER" || type === "ROUTER";
}

/**
 * A type `local` can talk to, for a peer that announces none (bare ZWS2.0, RFC 45): the first of
 * its compatible types. STREAM has none and gets PAIR, which it refuses.
 */
export function peerTypeFor(local: SocketTypeName): SocketTypeName {
  return COMPATIBLE[local][0] ?? "PAIR";
}

/** The draft types that use udp:// (libzmq's check_protocol: ENOCOMPATPROTO for the others). */
export type DatagramSocketType = "RADIO" | "DISH" | "DGRAM";

export function usesDatagrams(type: SocketTypeName): type is DatagramSocketType {
  return type === "RADIO" || type === "DISH" || type === "DGRAM";
}
