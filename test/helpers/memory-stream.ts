import { EventEmitter } from "node:events";
import type { ByteStream } from "../../src/transports/stream.js";
import { parseOutput, type ParsedFrame } from "./raw-peer.js";

/**
 * A ByteStream in memory: what the engine writes is kept, what the "peer" sends is handed in with
 * `receive()`. With a FakeClock an engine then runs without sockets and without waiting.
 */
export class MemoryStream extends EventEmitter implements ByteStream {
  private readonly written: Buffer[] = [];
  writableLength = 0;
  writableNeedDrain = false;
  remoteAddress = "127.0.0.1";
  remotePort = 5555;
  paused = false;
  ended = false;
  destroyed = false;

  write(chunk: Uint8Array): boolean {
    this.written.push(Buffer.from(chunk));
    return true;
  }

  cork(): void {}
  uncork(): void {}

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
  }

  end(): void {
    this.ended = true;
  }

  destroy(): void {
    this.destroyed = true;
  }

  /** Bytes from the peer. */
  receive(bytes: Buffer): void {
    this.emit("data", bytes);
  }

  /** Frames written after the greeting, parsed. */
  frames(): ParsedFrame[] {
    return parseOutput(Buffer.concat(this.written)).frames;
  }
}
