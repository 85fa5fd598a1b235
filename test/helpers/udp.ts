/** udp:// endpoints for tests: libzmq reports no real port for `udp://host:*`, so tests pick one. */
import { createSocket } from "node:dgram";

/** A UDP port on 127.0.0.1 that was free a moment ago (bound then released). */
export async function freeUdpPort(): Promise<number> {
  const socket = createSocket("udp4");
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(resolve));
  return port;
}

/** A fresh `udp://127.0.0.1:port` endpoint. */
export async function udpEndpoint(): Promise<string> {
  return `udp://127.0.0.1:${await freeUdpPort()}`;
}
