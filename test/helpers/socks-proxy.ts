/**
 * A small SOCKS5 server for tests (RFC 1928 CONNECT, RFC 1929 username/password): it records
 * what each client asked for and relays bytes both ways. The request and the peer's first bytes
 * are answered in one write when `coalesce` is set, to show a client keeps bytes that arrive with
 * the reply.
 */
import { lookup } from "node:dns/promises";
import { createConnection, createServer, type Server, type Socket } from "node:net";

export interface SocksRequest {
  /** The methods the client offered. */
  methods: number[];
  /** RFC 1929 credentials, when the client sent them. */
  username?: string;
  password?: string;
  /** 1 IPv4, 3 domain name, 4 IPv6. */
  addressType: number;
  host: string;
  port: number;
}

export interface SocksProxyOptions {
  /** Require username/password, and accept only these. */
  credentials?: { username: string; password: string };
  /** Reply to every CONNECT with this code (RFC 1928 §6) instead of connecting: 5 = refused. */
  replyCode?: number;
  /** Write the reply together with the first bytes from the target. */
  coalesce?: boolean;
  /** Listen on this port of 127.0.0.1 (default: an ephemeral one). */
  port?: number;
}

export interface SocksProxy {
  readonly address: string;
  readonly requests: SocksRequest[];
  /** Connections accepted (whatever became of them). */
  readonly connections: number;
  close(): Promise<void>;
}

export async function startSocksProxy(options: SocksProxyOptions = {}): Promise<SocksProxy> {
  const requests: SocksRequest[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: Server = createServer((client) => {
    connections += 1;
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    client.on("error", () => undefined);
    void serve(client, options, requests, sockets).catch(() => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const info = server.address();
  const port = typeof info === "object" && info !== null ? info.port : 0;
  return {
    address: `127.0.0.1:${port}`,
    requests,
    get connections() {
      return connections;
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Reads exactly `n` bytes from a paused socket. */
function reader(socket: Socket): (n: number) => Promise<Buffer> {
  let buffered = Buffer.alloc(0);
  let waiting: (() => void) | null = null;
  socket.on("data", (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    waiting?.();
  });
  socket.on("close", () => waiting?.());
  return async (n) => {
    while (buffered.length < n) {
      if (socket.destroyed) throw new Error("closed");
      await new Promise<void>((resolve) => (waiting = resolve));
      waiting = null;
    }
    const out = buffered.subarray(0, n);
    buffered = buffered.subarray(n);
    return out;
  };
}

async function serve(
  client: Socket,
  options: SocksProxyOptions,
  requests: SocksRequest[],
  sockets: Set<Socket>,
): Promise<void> {
  const read = reader(client);
  const [, count] = await read(2);
  const methods = [...(await read(count!))];
  const request: Partial<SocksRequest> = { methods };
  const wanted = options.credentials === undefined ? 0 : 2;
  if (!methods.includes(wanted)) {
    client.end(Buffer.from([5, 0xff]));
    requests.push(request as SocksRequest);
    return;
  }
  client.write(Buffer.from([5, wanted]));
  if (wanted === 2) {
    const [, userLength] = await read(2);
    request.username = (await read(userLength!)).toString();
    const [passwordLength] = await read(1);
    request.password = (await read(passwordLength!)).toString();
    const ok = request.username === options.credentials!.username && request.password === options.credentials!.password;
    client.write(Buffer.from([1, ok ? 0 : 1]));
    if (!ok) {
      requests.push(request as SocksRequest);
      client.end();
      return;
    }
  }
  const [, , , type] = await read(4);
  request.addressType = type!;
  if (type === 1) request.host = [...(await read(4))].join(".");
  else if (type === 4) request.host = ipv6Text(await read(16));
  else request.host = (await read((await read(1))[0]!)).toString();
  request.port = (await read(2)).readUInt16BE(0);
  requests.push(request as SocksRequest);
  const reply = (code: number): Buffer => Buffer.from([5, code, 0, 1, 127, 0, 0, 1, 0, 0]);
  if (options.replyCode !== undefined) {
    client.end(reply(options.replyCode));
    return;
  }
  const host = type === 3 ? (await lookup(request.host, { family: 4 })).address : request.host;
  const target = createConnection({ host, port: request.port });
  sockets.add(target);
  target.on("error", () => client.destroy());
  target.on("close", () => client.destroy());
  client.on("close", () => target.destroy());
  await new Promise<void>((resolve, reject) => {
    target.once("connect", resolve);
    target.once("error", reject);
  }).catch(() => {
    client.end(reply(5));
    throw new Error("target refused");
  });
  if (options.coalesce === true) {
    // Hold the reply until the target has spoken (a ZMTP peer greets at once), then send both together.
    const first = await new Promise<Buffer>((resolve) => target.once("data", resolve));
    client.write(Buffer.concat([reply(0), first]));
  } else {
    client.write(reply(0));
  }
  client.removeAllListeners("data");
  client.on("data", (chunk: Buffer) => target.write(chunk));
  target.on("data", (chunk: Buffer) => client.write(chunk));
}

function ipv6Text(bytes: Buffer): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i).toString(16));
  return groups.join(":");
}
