/**
 * The v5 compatibility API in the differential suite: the same harness, run against the
 * binding's `zeromq/v5-compat` and zmtp's `zmtp/v5-compat` instead of their v6 entries, and
 * helpers to record what v5 sockets emit and pass to callbacks.
 */
import * as zeromqCompat from "zeromq/v5-compat.js";
import * as zmtpCompat from "../../../src/entries/v5-compat.js";
import { scenarios, type Modules, type Scenario, type Transport, type Trial } from "../harness.js";
import { processScenarios, type ProcessScenario } from "../process-harness.js";
import { snap, type Snap } from "../observe.js";

export type Compat = typeof import("zeromq/v5-compat.js");
export type CompatSocket = InstanceType<Compat["Socket"]>;

// The binding's module is CommonJS: its namespace's default is module.exports.
const MODULES: Modules = {
  zeromq: ((zeromqCompat as unknown as { default?: Record<string, unknown> }).default ?? zeromqCompat) as Record<
    string,
    unknown
  >,
  zmtp: zmtpCompat as unknown as Record<string, unknown>,
};

export interface CompatScenario {
  name: string;
  transports?: readonly Transport[];
  ports?: number;
  run?: (zmq: Compat, t: Trial) => unknown;
  steps?: (zmq: Compat, t: Trial) => Promise<void>;
}

/** Registers the scenarios of a group (named `v5-compat: <group>`) against both v5 APIs. */
export function compatScenarios(
  group: string,
  list: readonly CompatScenario[],
  options: { sequential?: boolean } = {},
): void {
  scenarios(`v5-compat: ${group}`, list as unknown as readonly Scenario[], { ...options, modules: MODULES });
}

/** The same for scripts in a child process, which import `zeromq/v5-compat` or `zmtp/v5-compat` as `zmq`. */
export function compatProcessScenarios(group: string, list: readonly ProcessScenario[]): void {
  processScenarios(`v5-compat: ${group}`, list, {
    specifiers: { zeromq: "zeromq/v5-compat.js", zmtp: "zmtp/v5-compat" },
  });
}

/** What a v5 socket emits, snapshot as it arrives, for notes and waits. */
export class Emitted {
  readonly list: Array<[string, Snap]> = [];

  constructor(socket: CompatSocket, names: readonly string[]) {
    for (const name of names) {
      socket.on(name, (...args: unknown[]) => {
        this.list.push([name, snap(args)]);
      });
    }
  }

  count(name: string): number {
    return this.list.filter(([n]) => n === name).length;
  }

  /** Only the event names, in order. */
  names(): string[] {
    return this.list.map(([name]) => name);
  }
}

/** A callback that records the arguments of each call in `calls`. */
export function callback(calls: Snap[]): (...args: unknown[]) => void {
  return (...args: unknown[]) => {
    calls.push(snap(args));
  };
}

/** Frames of `message` events as text, one array per message. */
export function texts(emitted: Emitted): string[][] {
  return emitted.list.flatMap(([name, args]) =>
    name === "message" ? [(args as Snap[]).map((frame) => JSON.stringify(frame))] : [],
  );
}
