/** The byte-stream transports behind one interface: found by scheme, bytes both ways through ByteStream. */
import { platform } from "node:os";
import { describe, expect, it } from "vitest";
import { streamTransport } from "../../../src/transports/registry.js";
import type { ByteStream } from "../../../src/transports/stream.js";
import { DEFAULT_TRANSPORT_OPTIONS, type Transport } from "../../../src/transports/transport.js";
import { useHarness } from "../../helpers/sockets.js";

const h = useHarness();

/** Listens, dials, and sends one chunk each way; resolves with what each side received. */
async function exchange(
  transport: Transport,
  address: string,
): Promise<{ endpoint: string; atServer: string; atClient: string }> {
  let accepted: (stream: ByteStream) => void = () => undefined;
  const server = new Promise<ByteStream>((resolve) => (accepted = resolve));
  const listener = await transport.listen(address, DEFAULT_TRANSPORT_OPTIONS, (stream) => accepted(stream));
  const client = transport.dial(listener.endpoint, DEFAULT_TRANSPORT_OPTIONS);
  try {
    await new Promise<void>((resolve, reject) => {
      client.once("connect", resolve);
      client.once("error", reject);
    });
    const serverSide = await server;
    const read = (stream: ByteStream): Promise<string> =>
      new Promise((resolve) => stream.on("data", (chunk) => resolve(chunk.toString())));
    const atServer = read(serverSide);
    const atClient = read(client);
    client.write(Buffer.from("hello"));
    serverSide.write(Buffer.from("world"));
    const result = { endpoint: listener.endpoint, atServer: await atServer, atClient: await atClient };
    serverSide.destroy();
    return result;
  } finally {
    client.destroy();
    listener.close();
  }
}

describe("transport registry", () => {
  it("finds tcp, ipc, ws and wss by scheme; inproc carries no bytes and has none", () => {
    for (const scheme of ["tcp", "ipc", "ws", "wss"]) expect(streamTransport(scheme), scheme).not.toBeNull();
    expect(streamTransport("inproc")).toBeNull();
    expect(streamTransport("pgm")).toBeNull();
  });

  it("tcp: listen reports the real port, dial connects, bytes pass both ways", async () => {
    const result = await exchange(streamTransport("tcp")!, "tcp://127.0.0.1:*");
    expect(result.endpoint).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
    expect(result).toMatchObject({ atServer: "hello", atClient: "world" });
  });

  it("ipc: the same over a socket file", async () => {
    const path = h.ipcPath();
    expect(await exchange(streamTransport("ipc")!, `ipc://${path}`)).toEqual({
      endpoint: `ipc://${path}`,
      atServer: "hello",
      atClient: "world",
    });
  });

  it.skipIf(platform() !== "linux")(
    "ipc: @name is the Linux abstract namespace, for listen and dial alike",
    async () => {
      const address = `ipc://@zmtp-registry-${process.pid}-${Math.random().toString(36).slice(2)}`;
      expect(await exchange(streamTransport("ipc")!, address)).toEqual({
        endpoint: address,
        atServer: "hello",
        atClient: "world",
      });
    },
  );

  it("a listen failure is a ZmqError carrying the address", async () => {
    const tcp = streamTransport("tcp")!;
    const first = await tcp.listen("tcp://127.0.0.1:*", DEFAULT_TRANSPORT_OPTIONS, (stream) => stream.destroy());
    try {
      await expect(tcp.listen(first.endpoint, DEFAULT_TRANSPORT_OPTIONS, () => undefined)).rejects.toMatchObject({
        code: "EADDRINUSE",
        address: first.endpoint,
      });
    } finally {
      first.close();
    }
  });
});
