import { RawEngine, rawEngineOptions, type RawEngineHost } from "../../sockets/session/raw-engine.js";
import type { ByteStream } from "../../transports/stream.js";

/**
 * STREAM's raw connections (no ZMTP) on Node, over tcp and ipc. ../browser/raw.ts is the page's
 * side: a page has no transport that carries raw bytes (ws frames ZMTP only), so it leaves the
 * raw engine out of its bundle.
 */
export function startRawEngine(
  stream: ByteStream,
  socket: Parameters<typeof rawEngineOptions>[0],
  host: RawEngineHost,
  address: string,
): RawEngine {
  return new RawEngine(stream, rawEngineOptions(socket), host, address);
}
