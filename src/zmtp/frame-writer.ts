import type { ByteStream } from "../transports/stream.js";
import { FLAG_COMMAND, FLAG_MORE, MAX_HEADER_SIZE, writeFrameHeader } from "./frame.js";
import { INNER_COMMAND, INNER_MORE, type TrafficCodec } from "./mechanisms/mechanism.js";

/** Bytes gathered into one write before handing them to the stream. */
const BATCH_BYTES = 64 * 1024;
/** Bodies this large are passed to the stream as they are instead of being copied into the batch. */
const ZERO_COPY_BYTES = 8 * 1024;
/** The smallest batch buffer; a new one is sized for the batches seen (up to BATCH_BYTES). */
const MIN_SCRATCH_BYTES = 2 * 1024;
/** Bodies up to this size are copied byte by byte. */
const TINY_BODY_BYTES = 32;
const EMPTY = Buffer.alloc(0);

/**
 * Frames → bytes for one connection, batched: small frames are copied behind their headers into
 * one buffer, bodies of 8 KiB and more go to the stream untouched, and `flush()` hands the batch
 * over as one write (a corked writev when it has several pieces).
 */
export class FrameWriter {
  /** Set once the handshake completes with an encrypting mechanism: frames then travel in MESSAGE boxes. */
  codec: TrafficCodec | null = null;
  /** Batch buffer, allocated on first use and sized from recent batches (idle peers hold little). */
  private scratch = EMPTY;
  /** Bytes the batch being gathered put in batch buffers, and what the last flushed one did. */
  private batchBytes = 0;
  private lastBatchBytes = 0;
  private scratchStart = 0;
  private scratchEnd = 0;
  private readonly chunks: Buffer[] = [];
  private pendingBytes = 0;

  constructor(
    private readonly stream: ByteStream,
    /** Where written bytes are counted. */
    private readonly counters: { bytesOut: number },
  ) {}

  /** Bytes appended but not yet handed to the stream. */
  get unflushedBytes(): number {
    return this.pendingBytes + (this.scratchEnd - this.scratchStart);
  }

  /** Enough is gathered for one write. */
  get batchFull(): boolean {
    return this.pendingBytes + this.scratchEnd - this.scratchStart >= BATCH_BYTES;
  }

  /** One message: MORE on every frame but the last; an empty message is one empty frame. */
  appendMessage(msg: readonly Buffer[]): void {
    const last = msg.length - 1;
    if (this.codec === null) {
      for (let i = 0; i < last; i++) this.appendFrame(FLAG_MORE, msg[i]!);
      this.appendFrame(0, last >= 0 ? msg[last]! : EMPTY);
    } else {
      for (let i = 0; i < last; i++) this.appendTrafficFrame(FLAG_MORE, msg[i]!);
      this.appendTrafficFrame(0, last >= 0 ? msg[last]! : EMPTY);
    }
  }

  /**
   * Messages `from` up to `to` (a Buffer is a message of one frame) until the batch is full;
   * returns the index of the first one not appended. Callers skip messages of no frames.
   */
  appendMessages(msgs: ReadonlyArray<Buffer | readonly Buffer[]>, from: number, to: number): number {
    let i = from;
    while (i < to) {
      const msg = msgs[i++]!;
      if (Array.isArray(msg)) this.appendMessage(msg);
      else this.appendTrafficFrame(0, msg as Buffer);
      if (this.batchFull) break;
    }
    return i;
  }

  appendCommand(body: Buffer): void {
    this.appendTrafficFrame(FLAG_COMMAND, body);
  }

  /** A frame, wrapped in a MESSAGE with outer flags 0 when the mechanism encrypts (docs/protocol.md §8.6). */
  private appendTrafficFrame(flags: number, body: Buffer): void {
    const codec = this.codec;
    if (codec === null) {
      this.appendFrame(flags, body);
      return;
    }
    const inner = ((flags & FLAG_MORE) !== 0 ? INNER_MORE : 0) | ((flags & FLAG_COMMAND) !== 0 ? INNER_COMMAND : 0);
    const size = codec.encodedLength(body.length);
    if (size >= ZERO_COPY_BYTES) {
      this.appendFrame(0, codec.encode(inner, body));
      return;
    }
    // Small frames are sealed straight into the batch: no Buffer per box, one copy of the body.
    this.reserve(MAX_HEADER_SIZE + size);
    const at = writeFrameHeader(this.scratch, this.scratchEnd, 0, size);
    codec.encodeInto(inner, body, this.scratch, at);
    this.scratchEnd = at + size;
  }

  private appendFrame(flags: number, body: Buffer): void {
    const size = body.length;
    if (size >= ZERO_COPY_BYTES) {
      this.reserve(MAX_HEADER_SIZE);
      this.scratchEnd = writeFrameHeader(this.scratch, this.scratchEnd, flags, size);
      this.seal();
      this.chunks.push(body);
      this.pendingBytes += size;
      return;
    }
    this.reserve(MAX_HEADER_SIZE + size);
    const scratch = this.scratch;
    const at = writeFrameHeader(scratch, this.scratchEnd, flags, size);
    // A byte loop beats a native copy's call overhead for tiny bodies; Buffer.copy would also
    // make a Uint8Array view per call (node 20), TypedArray.set does not.
    if (size <= TINY_BODY_BYTES) for (let i = 0; i < size; i++) scratch[at + i] = body[i]!;
    else scratch.set(body, at);
    this.scratchEnd = at + size;
  }

  /**
   * Makes room for `n` bytes in the batch buffer; regions already handed out are never reused. A
   * new buffer is sized for the batch being gathered or the last one, whichever is bigger: a
   * connection of large batches gets BATCH_BYTES at once, one of small batches keeps a small
   * buffer however many it writes (sized from the buffers filled, a thousand subscribers at 300
   * messages/s had each grown a 64 KiB one, held while idle).
   */
  private reserve(n: number): void {
    if (this.scratch.length - this.scratchEnd >= n) return;
    this.seal();
    const wanted = Math.max(this.batchBytes + n, this.lastBatchBytes);
    let size = MIN_SCRATCH_BYTES;
    while (size < wanted && size < BATCH_BYTES) size *= 2;
    this.scratch = Buffer.allocUnsafe(Math.max(size, n));
    this.scratchStart = 0;
    this.scratchEnd = 0;
  }

  private seal(): void {
    if (this.scratchEnd === this.scratchStart) return;
    const region = this.scratch.subarray(this.scratchStart, this.scratchEnd);
    this.chunks.push(region);
    this.pendingBytes += region.length;
    this.batchBytes += region.length;
    this.scratchStart = this.scratchEnd;
  }

  /** Hands everything appended to the stream. */
  flush(): void {
    this.seal();
    const chunks = this.chunks;
    if (chunks.length === 0) return;
    const stream = this.stream;
    if (chunks.length === 1) {
      stream.write(chunks[0]!);
    } else {
      // Corked writes leave the stream as one writev: one syscall for the whole batch.
      stream.cork();
      for (const chunk of chunks) stream.write(chunk);
      stream.uncork();
    }
    chunks.length = 0;
    this.counters.bytesOut += this.pendingBytes;
    this.pendingBytes = 0;
    this.lastBatchBytes = this.batchBytes;
    this.batchBytes = 0;
    // The peer is slower than us: the next batch waits for 'drain' anyway, and the buffer's free
    // room would stay with a connection that may be idle from now on (a thousand subscribers left
    // 64 MiB of them after a burst). What the stream holds is freed once written.
    if (stream.writableLength > 0) this.dropScratch();
  }

  private dropScratch(): void {
    this.scratch = EMPTY;
    this.scratchStart = this.scratchEnd = 0;
  }

  /** Drops what was not flushed and the batch buffer (the connection is gone). */
  release(): void {
    this.chunks.length = 0;
    this.pendingBytes = 0;
    this.dropScratch();
  }
}
