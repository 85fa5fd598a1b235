import { STREAMS, type Stream } from "./protocol.js";

/** The six endpoints one monitoring router binds. */
export interface RouterEndpoints extends Record<Stream, string> {
  /** ROUTER for agents (their DEALERs connect here). */
  agents: string;
  /** ROUTER back channel for schedulers and sinks: [agent id, header, body] to an agent. */
  back: string;
}

/** The order of the port plan: base, base+1, ... */
export const ENDPOINT_NAMES = ["agents", "back", ...STREAMS] as const;

/**
 * The conventional plan from one base address, so each role needs only `--router BASE`:
 * `tcp://host:P` gives agents P, back channel P+1, then heartbeat, registration, stats and
 * notification on P+2..P+5; `ipc://path` (or `inproc://name`) gives agents on the path itself
 * and `path.back`, `path.heartbeat`, ... for the others.
 */
export function routerEndpoints(base: string): RouterEndpoints {
  const tcp = /^tcp:\/\/(.+):(\d+)$/.exec(base);
  const plan: Partial<RouterEndpoints> = {};
  ENDPOINT_NAMES.forEach((name, i) => {
    if (tcp !== null) {
      const port = Number(tcp[2]);
      if (port === 0)
        throw new TypeError(
          `${base}: a router base address needs a fixed port (give each endpoint explicitly for ephemeral ports)`,
        );
      plan[name] = `tcp://${tcp[1]}:${port + i}`;
    } else if (/^(ipc|inproc):\/\/./.test(base)) {
      plan[name] = i === 0 ? base : `${base}.${name}`;
    } else {
      throw new TypeError(`${base}: expected tcp://host:port, ipc://path or inproc://name`);
    }
  });
  return plan as RouterEndpoints;
}

/** The address a peer connects to for a bound address: `tcp://*:P` and `tcp://0.0.0.0:P` become localhost. */
export function connectAddress(bound: string): string {
  return bound.replace(/^tcp:\/\/(\*|0\.0\.0\.0):/, "tcp://127.0.0.1:").replace(/^tcp:\/\/\[::\]:/, "tcp://[::1]:");
}
