import { ContextCore, defaultContextCore } from "../context.js";
import { publicError } from "../errors.js";
import { isBoolean, isNumber, isObject, optional, required, validateArguments } from "./arguments.js";
import { toInt32 } from "./numbers.js";

const identifierRule = required("Identifier must be a number", isNumber);

/** @internal The core of a public context; a value that is not a Context throws as N-API's unwrap does. */
export let contextCore: (context: Context) => ContextCore;

/**
 * zeromq.js's `Context`: options by libzmq id behind named accessors, sealed like the binding's
 * objects. Sockets made without a `context` option use the default `context`, which is also the
 * one shared with worker threads.
 */
export class Context {
  readonly #core: ContextCore;

  constructor(options?: object) {
    validateArguments(arguments, [optional("Options must be an object", isObject)]);
    this.#core = creatingDefault ? defaultContextCore : new ContextCore();
    Object.seal(this);
    if (options !== undefined) Object.assign(this, options);
  }

  protected getBoolOption(option: number): boolean {
    return this.#get(arguments, option) !== 0;
  }

  protected setBoolOption(option: number, value: boolean): void {
    validateArguments(arguments, [identifierRule, required("Option value must be a boolean", isBoolean)]);
    this.#set(option, value ? 1 : 0);
  }

  protected getInt32Option(option: number): number {
    return this.#get(arguments, option);
  }

  protected setInt32Option(option: number, value: number): void {
    validateArguments(arguments, [identifierRule, required("Option value must be a number", isNumber)]);
    this.#set(option, toInt32(value));
  }

  #get(args: IArguments, option: number): number {
    validateArguments(args, [identifierRule]);
    try {
      return this.#core.getOption(toInt32(option));
    } catch (err) {
      throw publicError(err);
    }
  }

  #set(option: number, value: number): void {
    try {
      this.#core.setOption(toInt32(option), value);
    } catch (err) {
      throw publicError(err);
    }
  }

  static {
    contextCore = (context) => {
      if (!isObject(context) || !(#core in context)) throw new Error("Invalid argument");
      return context.#core;
    };
  }
}

export interface Context {
  blocky: boolean;
  ioThreads: number;
  maxMessageSize: number;
  maxSockets: number;
  readonly maxSocketsLimit: number;
  threadPriority: number;
  threadSchedulingPolicy: number;
  ipv6: boolean;
}

/** zeromq.js's context options: name, libzmq id, accessor type, access. */
const CONTEXT_OPTIONS: ReadonlyArray<[name: string, id: number, type: "Bool" | "Int32", access: "rw" | "r" | "w"]> = [
  ["ioThreads", 1, "Int32", "rw"],
  ["maxSockets", 2, "Int32", "rw"],
  ["maxSocketsLimit", 3, "Int32", "r"],
  ["threadPriority", 3, "Int32", "w"],
  ["threadSchedulingPolicy", 4, "Int32", "w"],
  ["maxMessageSize", 5, "Int32", "rw"],
  ["ipv6", 42, "Bool", "rw"],
  ["blocky", 70, "Bool", "rw"],
];

for (const [name, id, type, access] of CONTEXT_OPTIONS) {
  const descriptor: PropertyDescriptor = {};
  const getter = `get${type}Option`;
  const setter = `set${type}Option`;
  if (access !== "w") {
    descriptor.get = function get(this: Record<string, (id: number) => unknown>) {
      return this[getter]!(id);
    };
  }
  if (access !== "r") {
    descriptor.set = function set(this: Record<string, (id: number, value: unknown) => void>, value: unknown) {
      this[setter]!(id, value);
    };
  }
  Object.defineProperty(Context.prototype, name, descriptor);
}

let creatingDefault = true;
/** The default context: sockets use it unless given `{ context }`. */
export const context = new Context();
creatingDefault = false;

export type ContextOptions = Partial<
  Pick<
    Context,
    "blocky" | "ioThreads" | "maxMessageSize" | "maxSockets" | "threadPriority" | "threadSchedulingPolicy" | "ipv6"
  >
>;
