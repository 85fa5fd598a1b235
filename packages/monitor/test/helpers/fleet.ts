import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Agent, type AgentOptions } from "../../src/agent/agent.js";
import { MonitorRouter } from "../../src/router/router.js";
import { createSink, type AnySink, type HeartbeatSinkOptions } from "../../src/sink/sinks.js";
import type { Store } from "../../src/store/store.js";
import { STREAMS, type Stream } from "../../src/wire/protocol.js";

/** A temporary directory, removed by the returned cleanup. */
export function tempDir(prefix = "zmtp-mon-"): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Writes an executable shell script (a Nagios plugin) and returns its path. */
export function writePlugin(dir: string, name: string, body: string): string {
  const file = join(dir, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeout = 5000,
): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A router on ephemeral localhost ports. */
export function startRouter(): Promise<MonitorRouter> {
  const any = "tcp://127.0.0.1:*";
  return MonitorRouter.start({
    endpoints: { agents: any, back: any, heartbeat: any, registration: any, stats: any, notification: any },
    agentHeartbeatInterval: 0,
  });
}

/** Fast back-channel timings for tests. */
export const FAST_BACK_CHANNEL = { attemptTimeout: 300, deliveryTimeout: 1500 };

export function startSink(
  stream: Stream,
  store: Store,
  routers: readonly MonitorRouter[],
  extra: Partial<HeartbeatSinkOptions> = {},
): AnySink {
  return createSink(stream, {
    store,
    streams: routers.map((r) => r.endpoints[stream]),
    backChannels: routers.map((r) => r.endpoints.back),
    backChannel: FAST_BACK_CHANNEL,
    missedHeartbeats: 3,
    sweepInterval: 50,
    ...extra,
  });
}

export function startSinks(store: Store, routers: readonly MonitorRouter[]): Record<Stream, AnySink> {
  const sinks = {} as Record<Stream, AnySink>;
  for (const stream of STREAMS) sinks[stream] = startSink(stream, store, routers);
  return sinks;
}

/** Waits until every router has a sink on every stream (before that, routers drop). */
export function sinksConnected(routers: readonly MonitorRouter[], streams: readonly Stream[] = STREAMS): Promise<true> {
  return waitFor("sinks to connect", () => routers.every((r) => streams.every((s) => r.sinks[s] > 0)));
}

/** An agent with test-speed timings. */
export function startAgent(
  stateDir: string,
  routers: readonly MonitorRouter[],
  extra: Partial<AgentOptions> = {},
): Promise<Agent> {
  return Agent.start({
    stateDir,
    routers: routers.map((r) => r.endpoints.agents),
    statsdPort: 0,
    heartbeatInterval: 100,
    statsFlushInterval: 50,
    ackTimeout: 300,
    maxResendInterval: 1000,
    fallbackAfter: 0,
    routerHeartbeatInterval: 0,
    refusedRetryInterval: 200,
    ...extra,
  });
}
