import { mkdtempSync, rmSync, statSync, unlinkSync } from "node:fs";
import { createConnection, createServer, type Server } from "node:net";
import { join } from "node:path";
import { fromSystemError } from "../errors.js";
import { parseIpc, parseUri } from "./endpoint.js";
import type { ByteStream } from "./stream.js";
import type { Listener, StreamHandler, Transport, TransportOptions } from "./transport.js";

/** Linux abstract namespace: `ipc://@name` is a socket with no file (leading NUL). */
function socketPath(path: string): string {
  return path.startsWith("@") ? `\0${path.slice(1)}` : path;
}

/**
 * libzmq's ipc wildcard: a fresh directory `tmpXXXXXX` in $TMPDIR, $TEMPDIR or $TMP (the first
 * that is a directory), else in the working directory, holding the file `socket`.
 */
function wildcardPath(): { dir: string; path: string } {
  let parent = ".";
  for (const name of ["TMPDIR", "TEMPDIR", "TMP"]) {
    const value = process.env[name];
    if (value === undefined || value === "") continue;
    try {
      if (statSync(value).isDirectory()) {
        parent = value;
        break;
      }
    } catch {
      // Not a directory: try the next variable, as libzmq does.
    }
  }
  const dir = mkdtempSync(join(parent, "tmp"));
  return { dir, path: join(dir, "socket") };
}

function listenOn(path: string, options: TransportOptions, onStream: StreamHandler): Promise<Server> {
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
 * Binds a Unix-domain socket. As libzmq does, an existing socket file at the path is removed
 * first (a socket left behind, or even one another process still serves), and `ipc://*` gets a
 * fresh directory that goes away with the listener.
 */
async function listen(uri: string, options: TransportOptions, onStream: StreamHandler): Promise<Listener> {
  const address = parseIpc(uri, parseUri(uri).address);
  const wildcard = address === "*" ? wildcardPath() : null;
  const path = wildcard?.path ?? address;
  if (wildcard === null && !path.startsWith("@")) {
    try {
      unlinkSync(path);
    } catch {
      // Nothing there (or not ours to remove): listen() reports what matters.
    }
  }
  let server: Server;
  try {
    server = await listenOn(path, options, onStream);
  } catch (err) {
    if (wildcard !== null) rmSync(wildcard.dir, { recursive: true, force: true });
    throw fromSystemError(err as NodeJS.ErrnoException, uri);
  }
  return {
    endpoint: `ipc://${path}`,
    close: () => {
      server.close();
      if (wildcard !== null) rmSync(wildcard.dir, { recursive: true, force: true });
    },
    unref: () => server.unref(),
  };
}

/** Connects; an ipc connection is made or refused at once (no connect:delay, as in libzmq). */
function dial(uri: string): ByteStream {
  return createConnection(socketPath(parseIpc(uri, parseUri(uri).address)));
}

export const ipc: Transport = { listen, dial, connectDelayed: false };
