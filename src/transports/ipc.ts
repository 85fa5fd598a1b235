import { createConnection, createServer, type Server } from "node:net";
import { unlinkSync } from "node:fs";
import { fromSystemError, zmqError } from "../errors.js";
import { parseEndpoint } from "./endpoint.js";
import type { ByteStream } from "./stream.js";
import type { Listener, StreamHandler, Transport, TransportOptions } from "./transport.js";

function ipcPath(address: string, forBind: boolean): string {
  const endpoint = parseEndpoint(address, forBind);
  if (endpoint.transport !== "ipc") throw zmqError("EPROTONOSUPPORT", `Not an ipc:// endpoint: "${address}"`, address);
  return endpoint.path;
}

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

function listenOnce(path: string, options: TransportOptions, onStream: StreamHandler): Promise<Server> {
  return new Promise<Server>((resolve, reject) => {
    const server = createServer(onStream);
    server.once("error", reject);
    server.listen({ path: socketPath(path), backlog: options.backlog }, () => {
      server.removeAllListeners("error");
      server.on("error", () => undefined);
      resolve(server);
    });
  });
}

/**
 * Binds a Unix-domain socket (`ipc://*` picks a fresh path). A socket file left by a dead process
 * is replaced, as libzmq does; one that a live process still serves is EADDRINUSE.
 */
async function listen(address: string, options: TransportOptions, onStream: StreamHandler): Promise<Listener> {
  const path = ipcPath(address, true);
  let server;
  try {
    server = await listenOnce(path, options, onStream);
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
      server = await listenOnce(path, options, onStream);
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

function dial(address: string): ByteStream {
  return createConnection(socketPath(ipcPath(address, false)));
}

export const ipc: Transport = { listen, dial };
