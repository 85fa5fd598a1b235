/**
 * The v5 `Context`: static accessors of the default context's I/O threads and socket limit. v5
 * programs never made a context of their own, and cannot here either.
 */
import { context } from "../index.js";

export class Context {
  static setMaxThreads(value: number): void {
    context.ioThreads = value;
  }

  static getMaxThreads(): number {
    return context.ioThreads;
  }

  static setMaxSockets(value: number): void {
    context.maxSockets = value;
  }

  static getMaxSockets(): number {
    return context.maxSockets;
  }

  constructor() {
    throw new Error("Context cannot be instantiated in compatibility mode");
  }
}
