import { receiveMany, sendMany } from "../../api/batch.js";
import * as zmtp from "../../index.js";

/**
 * The two implementations a bench compares, behind the API they share (zeromq.js v6): the same
 * workload code drives both, so the only difference measured is the library.
 */

export type ImplName = "zmtp" | "zeromq";

/** The part of a socket the workloads use; zmtp's and zeromq.js's sockets both fit it. */
export interface BenchSocket {
  bind(address: string): Promise<void>;
  connect(address: string): void;
  close(): void;
  readonly lastEndpoint: string | null;
  send?(message: Buffer | Buffer[]): Promise<void>;
  receive?(): Promise<Buffer[]>;
  [Symbol.asyncIterator]?(): AsyncIterator<Buffer[]>;
  subscribe?(...prefixes: string[]): void;
}

type SocketClass = new (options?: object) => BenchSocket;

/** The socket classes a workload may create, by their zeromq.js names. */
export interface SocketApi {
  Push: SocketClass;
  Pull: SocketClass;
  Publisher: SocketClass;
  Subscriber: SocketClass;
  Dealer: SocketClass;
  Router: SocketClass;
  Request: SocketClass;
  Reply: SocketClass;
  /** zmtp/batch, where the implementation has it (--batch). */
  sendMany?(socket: BenchSocket, messages: Buffer[]): Promise<void>;
  receiveMany?(socket: BenchSocket): Promise<Buffer[][]>;
}

export type SocketClassName = Exclude<keyof SocketApi, "sendMany" | "receiveMany">;

/** How each implementation is named in tables, JSON and plots. */
export const IMPL_LABEL: Record<ImplName, string> = { zmtp: "zmtp", zeromq: "zeromq.js" };

export class MissingZeromqError extends Error {
  constructor(cause: unknown) {
    super(
      "--against zeromq / --cross need the zeromq package (zeromq.js, the native binding), which is not installed: " +
        `run \`npm install zeromq\` next to zmtp, or leave the option out (${(cause as Error).message ?? cause})`,
    );
  }
}

/** Loads an implementation's socket classes; zeromq.js is imported only when asked for. */
export async function loadImpl(name: ImplName): Promise<SocketApi> {
  if (name === "zmtp") return { ...zmtp, sendMany, receiveMany } as unknown as SocketApi;
  try {
    // A variable specifier keeps bundlers from resolving it: zeromq is an optional dev dependency.
    const specifier = "zeromq";
    return (await import(specifier)) as SocketApi;
  } catch (err) {
    throw new MissingZeromqError(err);
  }
}
