/**
 * ZAP (RFC 27) request and reply as the mechanisms see them. The transport of the exchange (a
 * REQ-style conversation with the handler bound at inproc://zeromq.zap.01 in the socket's
 * Context) lives in the socket layer; mechanisms only call `MechanismHost.zap()`.
 */
export interface ZapRequest {
  domain: string;
  /** Peer IP address without port (libzmq's form). */
  address: string;
  /** The server socket's own routing id (libzmq sends this, not the client's). */
  identity: Buffer;
  mechanism: "NULL" | "PLAIN" | "CURVE";
  credentials: Buffer[];
}

export interface ZapReply {
  /** "200" accept, "300" temporary failure, "400" denied, "500" internal error. */
  statusCode: string;
  statusText: string;
  userId: string;
  /** Extra connection properties (ZMTP property encoding), merged into the peer's metadata. */
  metadata: Buffer;
}
