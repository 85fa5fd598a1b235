import { backgroundTimeout } from "#platform/timers";
import type { ContextCore as Context } from "../../context.js";
import type { InprocSocket } from "../../transports/inproc.js";
import type { Metadata } from "../../zmtp/metadata.js";
import { decodeZapReply, encodeZapRequest, type ZapFunction, type ZapReply, type ZapRequest } from "../../zmtp/zap.js";
import { Pipe, type PipeOwner } from "../pipe.js";

/**
 * The ZAP client (RFC 27): asks the handler bound at inproc://zeromq.zap.01 in the socket's
 * Context, over inproc, exactly as libzmq's sessions do — so a handler written for zeromq.js (a
 * Reply or Router bound there) works unchanged.
 */

const ZAP_NAME = "zeromq.zap.01";
export const ZAP_ENDPOINT = `inproc://${ZAP_NAME}`;
/** Bound on how long a request may wait when the handshake itself has no limit. */
const DEFAULT_TIMEOUT_MS = 30_000;

/** A ZAP function for the engine: null (no handler bound) or the pending reply. */
export function zapClient(context: Context, timeoutMs: number): ZapFunction {
  return (request) => {
    if (!context.inproc.isBound(ZAP_NAME)) return null;
    return new ZapExchange(context, request, timeoutMs > 0 ? timeoutMs : DEFAULT_TIMEOUT_MS).reply;
  };
}

/** One request/reply over its own inproc pipe, torn down after the reply (or the timeout). */
class ZapExchange implements InprocSocket, PipeOwner {
  readonly reply: Promise<ZapReply>;
  private resolve!: (reply: ZapReply) => void;
  private reject!: (err: Error) => void;
  private pipe: Pipe | null = null;
  private done = false;
  private readonly timer: ReturnType<typeof setTimeout>;

  constructor(
    private readonly context: Context,
    request: ZapRequest,
    timeoutMs: number,
  ) {
    this.reply = new Promise<ZapReply>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.timer = backgroundTimeout(
      () => this.finish(new Error(`ZAP handler did not reply within ${timeoutMs} ms`)),
      timeoutMs,
    );
    // Written once both ends are linked (connect links at once when the name is bound), so the
    // handler's pipe already has its routing id when the request reaches a Router handler.
    const pipe = context.inproc.connect(ZAP_NAME, this, ZAP_ENDPOINT);
    this.pipe = pipe;
    pipe.write(encodeZapRequest(request));
  }

  createPipe(endpoint: string): Pipe {
    return new Pipe(this, endpoint, 0, 0);
  }

  inprocProperties(): Metadata {
    return new Map([["Socket-Type", Buffer.from("REQ")]]);
  }

  inprocLinked(): void {}

  inprocUnlinked(): void {
    this.finish(new Error("ZAP handler went away before replying"));
  }

  pipeReadable(pipe: Pipe): void {
    const frames = pipe.read();
    if (frames === undefined) return;
    try {
      this.finish(null, decodeZapReply(frames));
    } catch (err) {
      this.finish(err as Error);
    }
  }

  pipeWritable(): void {}

  private finish(error: Error | null, reply?: ZapReply): void {
    if (this.done) return;
    this.done = true;
    clearTimeout(this.timer);
    if (error === null) this.resolve(reply!);
    else this.reject(error);
    // Unlink outside the inproc bridge's delivery loop that may have called us.
    queueMicrotask(() => {
      const pipe = this.pipe;
      this.pipe = null;
      if (pipe !== null) this.context.inproc.disconnect(ZAP_NAME, pipe);
    });
  }
}
