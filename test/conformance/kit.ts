/**
 * Small pieces the scenario tables share: the socket classes by name, a ZAP handler written
 * against the library under test, and recording a list of calls in one go.
 */
import type { Trial, Zmq } from "./harness.js";

/** The socket types zeromq.js v6 exports (Stream has its own group). */
export const SOCKET_TYPES = [
  "Pair",
  "Publisher",
  "Subscriber",
  "Request",
  "Reply",
  "Dealer",
  "Router",
  "Pull",
  "Push",
  "XPublisher",
  "XSubscriber",
] as const;
export type SocketTypeName = (typeof SOCKET_TYPES)[number];

export type AnySocket = InstanceType<Zmq["Dealer"]> & Record<string, unknown>;
type SocketClass = new (...args: unknown[]) => AnySocket;

/** `new zmq[name](...args)`, untyped so that wrong arguments can be passed. */
export function make(zmq: Zmq, name: string, ...args: unknown[]): AnySocket {
  const cls = (zmq as unknown as Record<string, SocketClass>)[name]!;
  return new cls(...args);
}

/** The class itself (undefined where the library lacks it). */
export function classOf(zmq: Zmq, name: string): SocketClass {
  return (zmq as unknown as Record<string, SocketClass>)[name]!;
}

/** Records each call in order, labelled by its key. */
export function calls(t: Trial, cases: Record<string, () => unknown>, prefix = ""): void {
  for (const [label, fn] of Object.entries(cases)) t.do(`${prefix}${label}`, fn);
}

/** A fixed CURVE key pair (Z85), so that observations do not depend on random keys. */
export const SERVER_KEYS = {
  publicKey: "x/]tTb)?}[YP:>CMmiBwz3G2urN6m6ua^r!2>:3t",
  secretKey: "7{>b&TzE.-hWiN#FJ50neM226:T36l7:Qdu5i)X9",
};
export const CLIENT_KEYS = {
  publicKey: "fZda:X)R$BEZU89?m*fpNN>-(Ec)ZDAE1Bpz]=6#",
  secretKey: "WOrRzh+Lme0359+Xw)q^0C{$*HJY6@u5+}!].(Hl",
};

export type ZapReply = (request: string[]) => Array<string | Buffer>;

/**
 * A ZAP handler (RFC 27) on `inproc://zeromq.zap.01` in `context`, written with the library's own
 * API; `reply` maps the request frames after the envelope to status frames (code, text, user id,
 * metadata). Records each request it sees.
 */
export async function zapHandler(zmq: Zmq, t: Trial, context: unknown, reply: ZapReply): Promise<void> {
  const handler = new zmq.Router({ context } as never);
  await t.wait("zap bind", () => handler.bind("inproc://zeromq.zap.01"));
  void (async () => {
    for (;;) {
      let frames: Buffer[];
      try {
        frames = await handler.receive();
      } catch {
        return;
      }
      const [id, empty, ...request] = frames;
      const text = request.map((frame, i) =>
        i >= 6 && request[5]!.toString() === "CURVE" ? frame.toString("hex") : frame.toString(),
      );
      // Over ipc libzmq's address frame carries the peer's credentials, pid included.
      t.note(
        "zap request",
        text.map((frame) => frame.split(String(process.pid)).join("<pid>")),
      );
      const [version, requestId] = request;
      try {
        await handler.send([id!, empty!, version!, requestId!, ...reply(text)]);
      } catch {
        return;
      }
    }
  })();
}
