import { MAX_BUFFER_LENGTH } from "#platform/buffer";
import { memoryView } from "./buffer-view.js";
import { FLAG_COMMAND, FLAG_LONG, FLAG_MORE } from "./frame.js";
import { ProtocolError } from "../errors.js";

/** Receives decoded frames. `body` may be a view into received memory: keep it, do not mutate it. */
export interface FrameSink {
  onFrame(body: Buffer, more: boolean, command: boolean): void;
}

const EMPTY = Buffer.alloc(0);

/**
 * A chunk shorter than this (bytes) is copied before its frames are cut from it. A view keeps its
 * read's whole ArrayBuffer alive (a JS object, a native backing store and its bookkeeping, over
 * 100 bytes beyond the read itself), and under a trickle every read is tiny and holds a message or
 * two, so a slow subscriber's queued messages each pinned their own. A small copy comes from
 * Node's shared 8 KiB pool, where queued messages share slabs. Copying the read, not each frame,
 * costs one copy per read and nothing per frame of a large read, which stays zero-copy.
 */
export const SMALL_READ = 1024;

type State = "flags" | "size" | "body";

/**
 * Streaming ZMTP frame decoder (RFC 23 §2.4). Frames come out as views into the received chunks
 * (into a pooled copy of a chunk under SMALL_READ); a body is copied only when it straddles two.
 * The size limit is checked from the header, before anything is buffered. The sink may call
 * `pause()` from `onFrame` (backpressure): the remaining bytes are kept, at most the chunks
 * already handed in.
 */
export class FrameDecoder {
  private readonly pending: Buffer[] = [];
  private chunk: Buffer = EMPTY;
  /** The chunk's memory and where the chunk starts in it, read once per chunk for the views made. */
  private memory = EMPTY.buffer as ArrayBuffer;
  private memoryOffset = 0;
  private offset = 0;
  private state: State = "flags";
  private flags = 0;
  private readonly sizeBytes = Buffer.alloc(8);
  private sizeFilled = 0;
  private sizeNeeded = 0;
  private body: Buffer = EMPTY;
  private bodyFilled = 0;
  private paused = false;

  /** @param maxFrameSize largest body accepted in bytes; -1 for no limit (libzmq's ZMQ_MAXMSGSIZE). */
  constructor(
    private readonly sink: FrameSink,
    public maxFrameSize = -1,
  ) {}

  /** Bytes received but not yet delivered (a partial frame, or chunks held while paused). */
  get bufferedBytes(): number {
    let total = this.chunk.length - this.offset + this.bodyFilled;
    for (const c of this.pending) total += c.length;
    return total;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.drain();
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (chunk.length < SMALL_READ) chunk = Buffer.from(chunk);
    if (this.offset < this.chunk.length || this.paused) {
      this.pending.push(chunk);
      if (!this.paused) this.drain();
      return;
    }
    this.setChunk(chunk);
    this.drain();
  }

  private setChunk(chunk: Buffer): void {
    this.chunk = chunk;
    this.memory = chunk.buffer as ArrayBuffer;
    this.memoryOffset = chunk.byteOffset;
    this.offset = 0;
  }

  private nextChunk(): boolean {
    const next = this.pending.shift();
    this.setChunk(next ?? EMPTY);
    return next !== undefined;
  }

  private drain(): void {
    while (!this.paused) {
      if (this.offset >= this.chunk.length && !this.nextChunk()) return;
      switch (this.state) {
        case "flags":
          this.readHeader();
          break;
        case "size":
          this.readSize();
          break;
        case "body":
          this.readBody();
          break;
      }
    }
  }

  private readHeader(): void {
    const chunk = this.chunk;
    const at = this.offset;
    const flags = chunk[at]!;
    const long = (flags & FLAG_LONG) !== 0;
    this.flags = flags;
    // Fast path: the whole header is in this chunk.
    if (at + (long ? 9 : 2) <= chunk.length) {
      this.offset = at + (long ? 9 : 2);
      this.startBody(long ? this.longSize(chunk, at + 1) : chunk[at + 1]!);
      return;
    }
    this.offset = at + 1;
    this.sizeFilled = 0;
    this.sizeNeeded = long ? 8 : 1;
    this.state = "size";
  }

  private readSize(): void {
    const n = Math.min(this.sizeNeeded - this.sizeFilled, this.chunk.length - this.offset);
    this.chunk.copy(this.sizeBytes, this.sizeFilled, this.offset, this.offset + n);
    this.sizeFilled += n;
    this.offset += n;
    if (this.sizeFilled < this.sizeNeeded) return;
    this.startBody(this.sizeNeeded === 1 ? this.sizeBytes[0]! : this.longSize(this.sizeBytes, 0));
  }

  private longSize(buf: Buffer, at: number): number {
    const high = buf.readUInt32BE(at);
    const low = buf.readUInt32BE(at + 4);
    // Anything at or above 2^53 cannot be a real frame; reject before any arithmetic overflows.
    if (high >= 0x20_0000) {
      throw new ProtocolError("ERR_ZMTP_UNSPECIFIED", "frame size field is impossibly large");
    }
    return high * 0x1_0000_0000 + low;
  }

  private startBody(size: number): void {
    if (this.maxFrameSize >= 0 && size > this.maxFrameSize) {
      throw new ProtocolError(
        "ERR_ZMTP_UNSPECIFIED",
        `frame of ${size} bytes exceeds maxMessageSize ${this.maxFrameSize}`,
      );
    }
    const available = this.chunk.length - this.offset;
    if (available >= size) {
      const body = memoryView(this.memory, this.memoryOffset + this.offset, size);
      this.offset += size;
      this.state = "flags";
      this.emit(body);
      return;
    }
    // Without a maxFrameSize, a size Node cannot allocate would escape as a RangeError from Buffer.
    if (size > MAX_BUFFER_LENGTH) {
      throw new ProtocolError(
        "ERR_ZMTP_UNSPECIFIED",
        `frame of ${size} bytes exceeds the largest Buffer Node can allocate; set maxMessageSize`,
      );
    }
    // The body straddles chunks: gather it into one buffer sized from the (checked) header.
    this.body = Buffer.allocUnsafe(size);
    this.bodyFilled = 0;
    this.state = "body";
  }

  private readBody(): void {
    const n = Math.min(this.body.length - this.bodyFilled, this.chunk.length - this.offset);
    this.chunk.copy(this.body, this.bodyFilled, this.offset, this.offset + n);
    this.bodyFilled += n;
    this.offset += n;
    if (this.bodyFilled < this.body.length) return;
    const body = this.body;
    this.body = EMPTY;
    this.bodyFilled = 0;
    this.state = "flags";
    this.emit(body);
  }

  private emit(body: Buffer): void {
    const flags = this.flags;
    this.sink.onFrame(body, (flags & FLAG_MORE) !== 0, (flags & FLAG_COMMAND) !== 0);
  }
}
