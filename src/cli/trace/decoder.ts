import { decodeCommand, decodeError, decodePing } from "../../zmtp/command.js";
import { FrameDecoder, type FrameSink } from "../../zmtp/decoder.js";
import { GreetingReader } from "../../zmtp/greeting-reader.js";
import { decodeProperties } from "../../zmtp/metadata.js";
import { decodePlainHello } from "../../zmtp/mechanisms/plain.js";
import { isPrintable, propertyText, propertyValue } from "../probe/text.js";

/**
 * What `zmtp trace` sees in one direction of a connection: the byte stream decoded into the
 * greeting, commands (with their properties) and frames, without changing anything. Pure: bytes
 * in, events out. Under CURVE only command names and sizes can be shown; traffic is MESSAGE boxes.
 */

export type TraceEvent =
  | { event: "greeting"; version: string; mechanism: string; asServer: boolean }
  | { event: "command"; name: string; size: number; properties?: Record<string, string>; detail?: string }
  | { event: "frame"; size: number; more: boolean; text?: string; hex?: string; truncated?: boolean }
  | { event: "message"; size: number }
  | { event: "error"; message: string }
  | { event: "bytes"; size: number };

/** libzmq's PLAIN sends ERROR as `5E "RROR"` (the C literal "\x05ERROR" read as "\x05E"; docs/protocol.md §7.3). */
const LIBZMQ_PLAIN_ERROR = Buffer.from([0x5e, 0x52, 0x52, 0x4f, 0x52]);
const CURVE_MESSAGE = Buffer.from("\x07MESSAGE", "latin1");
/** MESSAGE = name(8) + nonce(8) + tag(16) + flags(1) + payload. */
const CURVE_MESSAGE_OVERHEAD = 33;

export interface TraceDecoderOptions {
  /** Bytes of each frame body kept in the event (the preview); the size is always exact. */
  previewBytes: number;
}

type State = "greeting" | "frames" | "raw";

export class TraceDecoder implements FrameSink {
  private state: State = "greeting";
  private readonly greeting = new GreetingReader();
  private mechanism = "";
  private readonly frames: FrameDecoder;

  constructor(
    private readonly emit: (event: TraceEvent) => void,
    private readonly options: TraceDecoderOptions,
  ) {
    this.frames = new FrameDecoder(this);
  }

  push(chunk: Buffer): void {
    try {
      if (this.state === "greeting") {
        const rest = this.readGreeting(chunk);
        if (rest === null) return;
        chunk = rest;
      }
      if (chunk.length === 0) return;
      if (this.state === "frames") this.frames.push(chunk);
      else this.emit({ event: "bytes", size: chunk.length });
    } catch (err) {
      // Never stop forwarding: from here on this direction is only counted.
      this.state = "raw";
      this.emit({
        event: "error",
        message: `cannot decode: ${(err as Error).message}; further bytes are forwarded undecoded`,
      });
    }
  }

  private readGreeting(chunk: Buffer): Buffer | null {
    const rest = this.greeting.push(chunk);
    if (rest === null) return null;
    const g = this.greeting.greeting!;
    const raw = this.greeting.received;
    this.mechanism = g.mechanism;
    this.state = "frames";
    this.emit({ event: "greeting", version: `${raw[10]}.${raw[11]}`, mechanism: g.mechanism, asServer: g.asServer });
    return rest;
  }

  onFrame(body: Buffer, more: boolean, command: boolean): void {
    if (command) {
      this.emit(this.describeCommand(body));
      return;
    }
    // CURVE traffic: every frame is a MESSAGE box in an ordinary data frame (docs/protocol.md §8.6).
    if (
      this.mechanism === "CURVE" &&
      body.length >= CURVE_MESSAGE_OVERHEAD &&
      CURVE_MESSAGE.equals(body.subarray(0, 8))
    ) {
      this.emit({ event: "message", size: body.length });
      return;
    }
    this.emit({ event: "frame", size: body.length, more, ...this.preview(body) });
  }

  private preview(body: Buffer): { text?: string; hex?: string; truncated?: boolean } {
    const shown = body.subarray(0, this.options.previewBytes);
    const truncated = shown.length < body.length ? { truncated: true } : {};
    // A cut may split a UTF-8 character: judge printability on the whole body when it is small.
    return isPrintable(body.length <= 4 * this.options.previewBytes ? body : shown)
      ? { text: shown.toString("utf8"), ...truncated }
      : { hex: shown.toString("hex"), ...truncated };
  }

  private describeCommand(body: Buffer): TraceEvent {
    const size = body.length;
    if (body.length >= 5 && LIBZMQ_PLAIN_ERROR.equals(body.subarray(0, 5))) {
      return {
        event: "command",
        name: "ERROR",
        size,
        detail: `${reason(body.subarray(5))} (libzmq's malformed PLAIN ERROR)`,
      };
    }
    const cmd = decodeCommand(body);
    if (cmd === null)
      return {
        event: "command",
        name: "?",
        size,
        detail: `malformed command 0x${body.subarray(0, 16).toString("hex")}`,
      };
    const { name, data } = cmd;
    const curve = this.mechanism === "CURVE";
    try {
      switch (name) {
        case "READY":
          return curve
            ? { event: "command", name, size, detail: "encrypted metadata" }
            : { event: "command", name, size, properties: props(data) };
        case "INITIATE":
          return curve
            ? { event: "command", name, size, detail: "vouch and encrypted metadata" }
            : { event: "command", name, size, properties: props(data) };
        case "HELLO": {
          if (curve) return { event: "command", name, size, detail: `CurveZMQ ${data[0]}.${data[1]}` };
          const hello = decodePlainHello(data);
          // The password is not printed: traces end up in logs and tickets.
          return {
            event: "command",
            name,
            size,
            detail: `username=${propertyText(hello.username)} password=(${hello.password.length} bytes)`,
          };
        }
        case "ERROR":
          return { event: "command", name, size, detail: reason(data) };
        case "PING": {
          const ping = decodePing(data);
          return {
            event: "command",
            name,
            size,
            detail: `ttl=${ping.ttlDeciseconds * 100}ms context=${propertyText(ping.context)}`,
          };
        }
        case "PONG":
          return { event: "command", name, size, detail: `context=${propertyText(data)}` };
        case "SUBSCRIBE":
        case "CANCEL":
          return { event: "command", name, size, detail: `topic=${JSON.stringify(data.toString("latin1"))}` };
        default:
          return { event: "command", name, size };
      }
    } catch (err) {
      return { event: "command", name, size, detail: `malformed: ${(err as Error).message}` };
    }
  }
}

function props(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of decodeProperties(data)) out[name] = propertyValue(value);
  return out;
}

function reason(data: Buffer): string {
  return JSON.stringify(decodeError(data));
}
