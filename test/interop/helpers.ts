/**
 * The interop tests' side of the one interop harness, src/cli/interop (what `zmtp interop` runs):
 * each test gets the harness's CaseContext, which opens sockets (linger 0, bounded send and
 * receive), binds fresh endpoints, sets up security and closes everything afterwards. What is
 * here only adapts it to vitest and writes the sides into test names.
 */
import { afterAll, afterEach, beforeEach } from "vitest";
import { KIND_NAME, type Frame, type Implementation, type Kind, type Sock } from "../../src/cli/interop/api.js";
import { CaseContext, Session, expectFrames, payload, type Transport } from "../../src/cli/interop/harness.js";
import { TRANSPORTS } from "../../src/cli/interop/matrix.js";
import { bindAgain, text } from "../helpers/sockets.js";
import { OURS, THEIRS, api } from "./impl.js";

export {
  OURS,
  THEIRS,
  TRANSPORTS,
  api,
  bindAgain,
  expectFrames,
  payload,
  text,
  type Implementation,
  type Kind,
  type Sock,
  type Transport,
};

/** How long a send or receive may wait before the case fails. */
export const WAIT_MS = 3000;
export const EMPTY = Buffer.alloc(0);
export const MIB = 1024 * 1024;

const session = new Session();
let current: CaseContext | null = null;

/** Call once per test file: a CaseContext per test, cleaned up after it; ZAP handlers after the file. */
export function useCleanup(): void {
  beforeEach(() => {
    current = new CaseContext(OURS, THEIRS, session, WAIT_MS);
  });
  afterEach(() => {
    current?.cleanup();
    current = null;
  });
  afterAll(() => session.close());
}

/** The running test's CaseContext. */
export function caseContext(): CaseContext {
  if (current === null) throw new Error("call useCleanup() in this test file");
  return current;
}

/** A socket of `kind` from `side`, closed after the test. */
export function open(side: Implementation, kind: Kind, options: Record<string, unknown> = {}): Sock {
  return caseContext().open(side, kind, options);
}

/** Binds to a fresh address of `transport` and returns the endpoint peers connect to. */
export function bindFresh(sock: Sock, transport: Transport): Promise<string> {
  return caseContext().bind(sock, transport);
}

/** A fresh ipc path, removed after the test. */
export function ipcPath(): string {
  return caseContext().ipcPath();
}

/** Receives one message, failing with a clear message after `ms`. */
export function receiveWithin(sock: Sock, ms = WAIT_MS, what = "message"): Promise<Buffer[]> {
  sock.receiveTimeout = ms;
  return caseContext().receive(sock, `receive ${what}`);
}

/** Sends, failing after `ms` (the socket's sendTimeout) instead of hanging. */
export function sendWithin(sock: Sock, message: Frame | Frame[], ms = WAIT_MS): Promise<void> {
  sock.sendTimeout = ms;
  return caseContext().send(sock, message, "send");
}

/** Fails when a message arrives within `ms` (the wait is the point). */
export function expectNothingWithin(sock: Sock, ms: number, why: string): Promise<void> {
  return caseContext().expectNothing(sock, ms, why);
}

/** Closes a socket in the middle of a test (the clean-up tolerates the second close). */
export function closeNow(sock: Sock): void {
  sock.close();
}

/** The error's `code`, or that of the error the harness wrapped in a CaseFailure. */
export function errorCode(err: unknown): string | undefined {
  if (typeof err !== "object" || err === null) return undefined;
  if ("code" in err) return String(err.code);
  return "cause" in err ? errorCode(err.cause) : undefined;
}

interface Observing {
  events: { on(type: string, listener: () => void): unknown; off(type: string, listener: () => void): unknown };
}

/**
 * Resolves at the next event of `type` on `sock` (either implementation), or at the `count`-th;
 * register before acting.
 */
export function nextEvent(sock: Sock, type: string, ms = WAIT_MS, count = 1): Promise<void> {
  const events = (sock as unknown as Observing).events;
  let seen = 0;
  return new Promise((resolve, reject) => {
    const listener = (): void => {
      if (++seen < count) return;
      clearTimeout(timer);
      events.off(type, listener);
      resolve();
    };
    const timer = setTimeout(() => {
      events.off(type, listener);
      reject(new Error(`no "${type}" event within ${ms} ms`));
    }, ms);
    events.on(type, listener);
  });
}

/** "our" or "libzmq", as test names write the side. */
export function who(side: Implementation): "our" | "libzmq" {
  return side === OURS ? "our" : "libzmq";
}

/** Describes one side in a test name: `our DEALER (connect, tcp)`. */
export function sideName(side: Implementation, kind: Kind, mode?: "bind" | "connect", transport?: Transport): string {
  const how = [mode, transport].filter(Boolean).join(", ");
  return `${who(side)} ${KIND_NAME[kind]}${how ? ` (${how})` : ""}`;
}
