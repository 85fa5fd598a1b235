import { zmqError } from "./errors.js";
import { InprocRegistry } from "./transports/inproc.js";

export interface ContextOptions {
  blocky?: boolean;
  ioThreads?: number;
  maxMessageSize?: number;
  maxSockets?: number;
  ipv6?: boolean;
  threadPriority?: number;
  threadSchedulingPolicy?: number;
}

/**
 * zeromq.js's Context. There are no I/O threads to configure in a pure-JS engine; the numeric
 * options are kept and validated for compatibility. What a Context really scopes is `inproc://`:
 * sockets reach each other's inproc endpoints only within one Context.
 */
export class Context {
  /** When false, new sockets default to linger 0 instead of -1 (zeromq.js semantics). */
  blocky = true;
  ioThreads = 1;
  maxMessageSize = 2 ** 31 - 1;
  maxSockets = 1023;
  ipv6 = false;
  threadPriority = -1;
  threadSchedulingPolicy = -1;
  readonly maxSocketsLimit = 65535;
  /** @internal */
  readonly inproc = new InprocRegistry();

  constructor(options: ContextOptions = {}) {
    for (const [key, value] of Object.entries(options)) {
      if (!(key in this) || key === "inproc" || key === "maxSocketsLimit") {
        throw new TypeError(`Cannot add property ${key}, object is not extensible`);
      }
      const current = (this as unknown as Record<string, unknown>)[key];
      if (typeof value !== typeof current) throw new TypeError(`Option value must be a ${typeof current} (${key})`);
      if (typeof value === "number" && (!Number.isInteger(value) || value < -1)) {
        throw zmqError("EINVAL", `Invalid value ${value} for context option ${key}`);
      }
      (this as unknown as Record<string, unknown>)[key] = value;
    }
  }
}

/** The default context, used by sockets created without a `context` option. */
export const context = new Context();
