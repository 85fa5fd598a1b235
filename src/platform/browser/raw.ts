import { zmqError } from "../../errors.js";
import type { rawEngineOptions, RawEngineHost } from "../../sockets/session/raw-engine.js";
import type { ByteStream } from "../../transports/stream.js";

/**
 * A page carries no raw bytes: a STREAM socket has no transport there (ws:// frames ZMTP and
 * refuses it, inproc has no engine), so no raw connection ever starts, and the raw engine stays
 * out of the bundle (3 KB).
 */
export function startRawEngine(
  _stream: ByteStream,
  _socket: Parameters<typeof rawEngineOptions>[0],
  _host: RawEngineHost,
  address: string,
): never {
  throw zmqError("ENOCOMPATPROTO", "STREAM has no raw transport in a browser", address);
}
