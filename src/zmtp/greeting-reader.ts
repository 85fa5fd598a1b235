import { GREETING_SIZE, checkGreetingPrefix, decodeGreeting, type Greeting } from "./greeting.js";

/**
 * Gathers the peer's 64-byte greeting from stream chunks, which may cut it anywhere. A bad prefix
 * is refused as soon as it shows (checkGreetingPrefix), as libzmq refuses it. Pure: bytes in,
 * the greeting and the bytes after it out. The engine, `zmtp probe` and `zmtp trace` read
 * greetings with it.
 */
export class GreetingReader {
  private readonly buffer = Buffer.alloc(GREETING_SIZE);
  private length = 0;
  /** The decoded greeting once all 64 bytes are here. */
  greeting: Greeting | null = null;

  /** The greeting bytes received so far (all 64 once complete), for reports about odd peers. */
  get received(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  /**
   * Takes the greeting's bytes from `chunk`. Returns what follows the greeting in the chunk once
   * it is complete (possibly empty), or null while more is needed. Throws a ProtocolError for a
   * peer that is not ZMTP 3.
   */
  push(chunk: Buffer): Buffer | null {
    const n = Math.min(GREETING_SIZE - this.length, chunk.length);
    chunk.copy(this.buffer, this.length, 0, n);
    this.length += n;
    checkGreetingPrefix(this.buffer, this.length);
    if (this.length < GREETING_SIZE) return null;
    this.greeting = decodeGreeting(this.buffer);
    return chunk.subarray(n);
  }
}
