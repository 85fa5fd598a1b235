/** Where a command writes and what stops it: the process by default, a test's capture otherwise. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Stops a long-running command; the process's SIGINT and SIGTERM when absent. */
  signal?: AbortSignal;
  /** Whether out() writes to a terminal (a command may then rewrite a summary line in place). */
  tty?: boolean;
  /** Standard input, read to its end (request bodies, say). */
  stdin?: () => Promise<Buffer>;
}

export function processIo(): CliIo {
  return {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    tty: process.stdout.isTTY === true,
    stdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    },
  };
}

/** Resolves when a command should stop; `dispose()` stops listening (one that failed to start). */
export type Stopped = Promise<void> & { dispose(): void };

/** Resolves when a long-running command should stop: the io's signal, else SIGINT / SIGTERM. */
export function stopped(io: CliIo): Stopped {
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

/**
 * Runs a long-running command's `start(stop)` listening for SIGINT / SIGTERM from the first
 * moment: a signal that comes during the start (or as soon as its first line is out) stops the
 * command cleanly instead of killing it.
 */
export async function runUntilStopped(io: CliIo, start: (stop: Promise<void>) => Promise<number>): Promise<number> {
  const stop = stopped(io);
  try {
    return await start(stop);
  } finally {
    stop.dispose();
  }
}

/** One line per event of a long-running command: an ISO time, the event, JSON details. */
export function log(io: CliIo, event: string, details: unknown): void {
  io.out(`${new Date().toISOString()} ${event} ${JSON.stringify(details)}\n`);
}
