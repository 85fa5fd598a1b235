import { createRequire } from "node:module";
import { basename, extname, isAbsolute, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import * as ours from "../../index.js";

/**
 * The part of the zeromq.js v6 API the interop matrix drives, typed loosely enough that any
 * zeromq.js-compatible module (ours, zeromq itself, someone else's) fits without a cast at
 * each call.
 */

export type Kind =
  | "Pair"
  | "Request"
  | "Reply"
  | "Dealer"
  | "Router"
  | "Push"
  | "Pull"
  | "Publisher"
  | "Subscriber"
  | "XPublisher"
  | "XSubscriber";

/** ZeroMQ's names for the socket classes, as written in case names. */
export const KIND_NAME: Record<Kind, string> = {
  Pair: "PAIR",
  Request: "REQ",
  Reply: "REP",
  Dealer: "DEALER",
  Router: "ROUTER",
  Push: "PUSH",
  Pull: "PULL",
  Publisher: "PUB",
  Subscriber: "SUB",
  XPublisher: "XPUB",
  XSubscriber: "XSUB",
};

export type Frame = Buffer | string;

export interface Sock {
  bind(address: string): Promise<void>;
  connect(address: string, options?: { routingId?: string }): void;
  close(): void;
  send(message: Frame | Frame[]): Promise<void>;
  receive(): Promise<Buffer[]>;
  subscribe(...topics: Array<string | Buffer>): void;
  unsubscribe(...topics: Array<string | Buffer>): void;
  readonly lastEndpoint: string | null;
  [option: string]: unknown;
}

export type SocketClass = new (options?: Record<string, unknown>) => Sock;

/** A zeromq.js-shaped module: socket classes by name, plus optional extras. */
export interface ZmqModule {
  readonly [name: string]: unknown;
}

export interface Implementation {
  /** Short label for tables: "zmtp", "zeromq", a file's base name. */
  name: string;
  module: ZmqModule;
}

/** The names that mean this package's own implementation. */
const SELF = new Set(["zmtp", "ours", "self"]);

export const OURS: Implementation = { name: "zmtp", module: ours as unknown as ZmqModule };

export function socketClass(impl: Implementation, kind: Kind): SocketClass | null {
  const value = impl.module[kind];
  return typeof value === "function" ? (value as SocketClass) : null;
}

/** Whether the implementation says it has CURVE (zeromq.js's `capability.curve`). */
export function hasCurve(impl: Implementation): boolean {
  const capability = impl.module.capability as { curve?: boolean } | undefined;
  return capability?.curve === true;
}

function looksLikePath(spec: string): boolean {
  return spec.startsWith(".") || isAbsolute(spec) || /\.(m?js|cjs|ts)$/.test(spec);
}

/**
 * Loads an implementation from a module specifier: "zmtp" (this package), a package name
 * resolved from the current directory (e.g. "zeromq"), or a path to a module file.
 */
export async function loadImplementation(spec: string, cwd = process.cwd()): Promise<Implementation> {
  if (SELF.has(spec)) return OURS;
  let loaded: Record<string, unknown>;
  let name: string;
  if (looksLikePath(spec)) {
    const file = resolve(cwd, spec);
    loaded = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    name = basename(file, extname(file));
  } else {
    name = spec;
    let url: string | null = null;
    try {
      url = pathToFileURL(createRequire(join(cwd, "noop.js")).resolve(spec)).href;
    } catch {
      // Not resolvable from cwd (or ESM-only without a require condition): try from here.
    }
    loaded = (await import(url ?? spec)) as Record<string, unknown>;
  }
  // A CommonJS module imported from ESM may put its exports under `default`.
  const module =
    (typeof loaded.Dealer === "function" ? loaded : (loaded.default as Record<string, unknown> | undefined)) ?? loaded;
  if (typeof module.Dealer !== "function" && typeof module.Push !== "function") {
    throw new Error(`${spec} does not look like a zeromq.js v6 module (no Dealer or Push class exported)`);
  }
  return { name, module: module as ZmqModule };
}
