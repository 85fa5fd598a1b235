import { createConnection, createServer, type Socket as NetSocket } from "node:net";
import { unlinkSync } from "node:fs";
import { fromSystemError, zmqError } from "../errors.js";
import type { AcceptHandler, Listener, TransportOptions } from "./transport.js";

/** Linux abstract namespace: `ipc://@name` is a socket with no file (leading NUL). */
function socketPath(path: string): string {
  return path.startsWith("@") ? `\0${path.slice(1)}` : path;
}

/** Resolves true when something accepts connections on the path. */
function isLive(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createConnection(socketPath(path));
    probe.once("connect", () => {
      probe.destroy();
      resolve(true);
    });
    probe.once("error", () => resolve(false));
  });
}

function listenOnce(path: string, options: TransportOptions, onAccept: AcceptHandler) {
  return new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
    const server = createServer(onAccept);
    server.once("error", reject);
    server.listen({ path: socketPath(path), backlog: options.backlog }, () => {
      server.removeAllListeners("error");
      server.on("error", () => undefined);
      resolve(server);
    });
  });
}

/**
 * Binds a Unix-domain socket. A socket file left by a dead process is replaced, as libzmq does;
 * one that a live process still serves is EADDRINUSE.
 */
export async function listenIpc(
  address: string,
  path: string,
  options: TransportOptions,
  onAccept: AcceptHandler,
): Promise<Listener> {
  let server;
  try {
    server = await listenOnce(path, options, onAccept);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code !== "EADDRINUSE" || path.startsWith("@")) throw fromSystemError(e, address);
    if (await isLive(path)) throw zmqError("EADDRINUSE", `Address already in use: ${path} is served by another process`, address);
    try {
      unlinkSync(path);
    } catch {
      // Someone else removed it first; the retry below decides.
    }
    try {
      server = await listenOnce(path, options, onAccept);
    } catch (retryErr) {
      throw fromSystemError(retryErr as NodeJS.ErrnoException, address);
    }
  }
  const owned = server;
  return {
    endpoint: `ipc://${path}`,
    close: () => owned.close(),
  };
}

export function connectIpc(path: string): NetSocket {
  return createConnection(socketPath(path));
}
