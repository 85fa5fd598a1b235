/** Where a role writes and what stops it: the process by default, a test's capture otherwise. */
export interface MonitorIo {
  out(text: string): void;
  err(text: string): void;
  /** Stops a long-running role; the command wires SIGINT and SIGTERM to it when absent. */
  signal?: AbortSignal;
  /** Whether out() writes to a terminal (the demo then rewrites its summary line in place). */
  tty?: boolean;
}

export function processIo(): MonitorIo {
  return {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    tty: process.stdout.isTTY === true,
  };
}

/** Resolves when the role should stop; `dispose()` stops listening (a role that failed to start). */
export type Stopped = Promise<void> & { dispose(): void };

/** Resolves when the role should stop: the io's signal, else SIGINT / SIGTERM. */
export function stopped(io: MonitorIo): Stopped {
  let dispose = (): void => undefined;
  const promise = new Promise<void>((resolve) => {
    if (io.signal !== undefined) {
      if (io.signal.aborted) resolve();
      else io.signal.addEventListener("abort", () => resolve(), { once: true });
      return;
    }
    const stop = (): void => {
      dispose();
      resolve();
    };
    dispose = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  return Object.assign(promise, { dispose: () => dispose() });
}

/** One line per event of a long-running role: an ISO time, the event, JSON details. */
export function log(io: MonitorIo, event: string, details: unknown): void {
  io.out(`${new Date().toISOString()} ${event} ${JSON.stringify(details)}\n`);
}
