import type { ZmqError } from "../errors.js";

/** What can be iterated with `for await`: a socket that receives, an Observer. */
export interface Receiver<T> {
  readonly closed: boolean;
  receive(): Promise<T>;
}

/** zeromq.js's async iterator: ends when the source is closed, also when a pending receive was cut by close. */
export function iterate<T>(source: Receiver<T>): AsyncIterator<T, undefined> {
  return {
    next: async (): Promise<IteratorResult<T, undefined>> => {
      // zeromq.js's results carry no `value` when done.
      if (source.closed) return { done: true } as IteratorReturnResult<undefined>;
      try {
        return { value: await source.receive(), done: false };
      } catch (err) {
        if (source.closed && (err as ZmqError).code === "EAGAIN")
          return { done: true } as IteratorReturnResult<undefined>;
        throw err;
      }
    },
  };
}
