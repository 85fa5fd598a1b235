/**
 * A byte-stream transport in memory, for the page: ZMTP between two sockets of one page (a page
 * cannot listen, and inproc links pipes with no handshake, in libzmq too), so that the engine,
 * CURVE with the page's X25519 and ZAP run in the browser. Bytes cross on a microtask, as they
 * would arrive from a socket: never inside the write that sent them.
 */
import { EventEmitter } from "../../src/platform/browser/events.js";
import type { ByteStream } from "../../src/transports/stream.js";
import type { Listener, StreamHandler, Transport } from "../../src/transports/transport.js";

class MemoryStream extends EventEmitter implements ByteStream {
  peer: MemoryStream | null = null;
  writableLength = 0;
  writableNeedDrain = false;
  private paused = false;
  private closed = false;
  private readonly held: Buffer[] = [];

  write(chunk: Uint8Array): boolean {
    const copy = Buffer.from(chunk);
    const peer = this.peer;
    if (peer !== null && !this.closed) queueMicrotask(() => peer.deliver(copy));
    return true;
  }

  cork(): void {}
  uncork(): void {}

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    for (const chunk of this.held.splice(0)) this.emit("data", chunk);
  }

  end(): void {
    this.destroy();
  }

  destroy(): void {
    if (this.closed) return;
    this.closed = true;
    const peer = this.peer;
    queueMicrotask(() => {
      this.emit("close");
      if (peer !== null && !peer.closed) {
        peer.closed = true;
        peer.emit("end");
        peer.emit("close");
      }
    });
  }

  private deliver(chunk: Buffer): void {
    if (this.closed) return;
    if (this.paused) this.held.push(chunk);
    else this.emit("data", chunk);
  }
}

/** Listens and dials by address within the page; stands in for tcp:// there (a scheme libzmq knows). */
export function memoryTransport(): Transport {
  const listeners = new Map<string, StreamHandler>();
  let port = 40000;
  return {
    connectDelayed: false,
    async listen(address: string, _options, onStream): Promise<Listener> {
      const endpoint = address.endsWith(":*") ? `${address.slice(0, -1)}${port++}` : address;
      listeners.set(endpoint, onStream);
      return { endpoint, close: () => void listeners.delete(endpoint) };
    },
    dial(address: string): ByteStream {
      const client = new MemoryStream();
      const onStream = listeners.get(address);
      queueMicrotask(() => {
        if (onStream === undefined) {
          client.emit("error", Object.assign(new Error("connection refused"), { code: "ECONNREFUSED" }));
          client.emit("close");
          return;
        }
        const server = new MemoryStream();
        client.peer = server;
        server.peer = client;
        onStream(server);
        client.emit("connect");
      });
      return client;
    },
  };
}
