/**
 * Node's EventEmitter in a page, for what zmtp and its users do with one (Observer's emitter
 * mode returns it, as zeromq.js does): on/addListener, once, off/removeListener,
 * removeAllListeners, emit, listeners, listenerCount, eventNames, with Node's semantics for each
 * (listeners run in order on a copy of the list, `off` removes the most recent registration, an
 * unhandled "error" event throws). A tenth of the `events` package's size, which matters in a
 * 40 KiB budget.
 */

type Listener = (...args: never[]) => void;

/** A `once` registration: the wrapper knows the listener it stands for, so `off(listener)` finds it. */
interface OnceWrapper {
  (...args: unknown[]): void;
  listener: Listener;
}

export class EventEmitter {
  #events = new Map<string | symbol, Array<Listener | OnceWrapper>>();

  on(event: string | symbol, listener: Listener): this {
    const list = this.#events.get(event);
    if (list === undefined) this.#events.set(event, [listener]);
    else list.push(listener);
    return this;
  }

  addListener(event: string | symbol, listener: Listener): this {
    return this.on(event, listener);
  }

  once(event: string | symbol, listener: Listener): this {
    const wrapper = ((...args: unknown[]): void => {
      this.off(event, listener);
      (listener as (...args: unknown[]) => void).apply(this, args);
    }) as OnceWrapper;
    wrapper.listener = listener;
    return this.on(event, wrapper);
  }

  off(event: string | symbol, listener: Listener): this {
    const list = this.#events.get(event);
    if (list === undefined) return this;
    for (let i = list.length - 1; i >= 0; i--) {
      const registered = list[i]!;
      if (registered === listener || (registered as OnceWrapper).listener === listener) {
        list.splice(i, 1);
        if (list.length === 0) this.#events.delete(event);
        break;
      }
    }
    return this;
  }

  removeListener(event: string | symbol, listener: Listener): this {
    return this.off(event, listener);
  }

  removeAllListeners(event?: string | symbol): this {
    if (event === undefined) this.#events.clear();
    else this.#events.delete(event);
    return this;
  }

  emit(event: string | symbol, ...args: unknown[]): boolean {
    const list = this.#events.get(event);
    if (list === undefined) {
      if (event === "error")
        throw args[0] instanceof Error ? args[0] : new Error(`Unhandled error. (${String(args[0])})`);
      return false;
    }
    for (const listener of [...list]) (listener as (...args: unknown[]) => void).apply(this, args);
    return true;
  }

  listeners(event: string | symbol): Listener[] {
    return (this.#events.get(event) ?? []).map((l) => (l as OnceWrapper).listener ?? l);
  }

  listenerCount(event: string | symbol): number {
    return this.#events.get(event)?.length ?? 0;
  }

  eventNames(): Array<string | symbol> {
    return [...this.#events.keys()];
  }
}
