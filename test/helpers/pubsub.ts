/**
 * Publish-subscribe in tests, for any zeromq.js-shaped socket (ours or libzmq's). Subscriptions
 * travel asynchronously, so a test synchronises on messages (a probe that gets through, a marker
 * that arrives without the cancelled topic), never on a delay.
 */
import { within } from "./time.js";

type Frame = string | Buffer;

export interface Publishing {
  send(message: Frame | Frame[]): Promise<void>;
}

export interface Receiving {
  receive(): Promise<Buffer[]>;
  receiveTimeout?: unknown;
}

/** Receives with `receiveTimeout` set to `ms` (guarded, should a binding ignore it); null when nothing came. */
async function receiveOrNull(sock: Receiving, ms: number): Promise<Buffer[] | null> {
  const before = sock.receiveTimeout;
  sock.receiveTimeout = ms;
  try {
    return await within(sock.receive(), ms + 1000, "receive");
  } catch {
    return null;
  } finally {
    sock.receiveTimeout = before;
  }
}

/**
 * Publishes `probe` until `sub` receives one (its subscription reached the publisher), then reads
 * the other probes away, so what the test sends next starts from a clean slate.
 */
export async function settle(pub: Publishing, sub: Receiving, probe: Frame | Frame[], ms = 4000): Promise<void> {
  const deadline = performance.now() + ms;
  for (;;) {
    await pub.send(probe);
    if ((await receiveOrNull(sub, 20)) !== null) break;
    if (performance.now() > deadline)
      throw new Error(`no subscription for ${String(probe)} took effect within ${ms} ms`);
  }
  while ((await receiveOrNull(sub, 50)) !== null);
}

/**
 * Publishes `cancelled` then `marker` until a round delivers the marker alone: the publisher has
 * applied the cancel (one connection keeps its order), and `sub` has nothing left queued.
 */
export async function settleCancel(
  pub: Publishing,
  sub: Receiving,
  cancelled: Frame,
  marker: Frame,
  ms = 4000,
): Promise<void> {
  const deadline = performance.now() + ms;
  const markerText = marker.toString();
  for (;;) {
    await pub.send(cancelled);
    await pub.send(marker);
    let sawCancelled = false;
    for (;;) {
      const got = await receiveOrNull(sub, 1000);
      if (got === null) throw new Error(`the marker ${markerText} never arrived`);
      if (got[0]!.toString() === markerText) break;
      sawCancelled = true;
    }
    if (!sawCancelled) return;
    if (performance.now() > deadline)
      throw new Error(`the cancel of ${cancelled.toString()} never took effect within ${ms} ms`);
  }
}

/** Everything that arrives until `ms` pass without a message, each message's frames joined by "|". */
export async function drain(sock: Receiving, ms = 100): Promise<string[]> {
  const out: string[] = [];
  for (let got = await receiveOrNull(sock, ms); got !== null; got = await receiveOrNull(sock, ms)) {
    out.push(got.map(String).join("|"));
  }
  return out;
}

/** An XPUB message as "+topic" / "-topic" for a (un)subscription, else its frames joined by "|". */
export function describeNotification(msg: readonly Buffer[]): string {
  const body = msg[0]!;
  if (msg.length === 1 && body.length > 0 && body[0]! <= 1)
    return (body[0] === 1 ? "+" : "-") + body.subarray(1).toString();
  return msg.map(String).join("|");
}

/** The next XPUB message, described. */
export async function notification(xpub: Receiving): Promise<string> {
  return describeNotification(await xpub.receive());
}

/** XPUB notifications until `ms` pass without one. */
export async function notifications(xpub: Receiving, ms = 100): Promise<string[]> {
  const out: string[] = [];
  for (let got = await receiveOrNull(xpub, ms); got !== null; got = await receiveOrNull(xpub, ms)) {
    out.push(describeNotification(got));
  }
  return out;
}

/** XPUB notifications until `expected` many arrived (or `ms` passed). */
export async function notificationsUntil(xpub: Receiving, expected: number, ms = 3000): Promise<string[]> {
  const out: string[] = [];
  const deadline = performance.now() + ms;
  while (out.length < expected && performance.now() < deadline) out.push(...(await notifications(xpub, 100)));
  return out;
}
