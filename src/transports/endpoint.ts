import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { zmqError } from "../errors.js";

export type Endpoint =
  | { transport: "tcp"; host: string; port: number; family: 4 | 6 | 0 }
  | { transport: "ipc"; path: string }
  | { transport: "inproc"; name: string };

/**
 * Parses a ZeroMQ endpoint. `forBind` allows `*` for the host and `*` / `0` for an ephemeral port,
 * and `ipc://*` for a fresh socket file. Errors carry EPROTONOSUPPORT or EINVAL as libzmq's do.
 */
export function parseEndpoint(address: string, forBind: boolean): Endpoint {
  const sep = address.indexOf("://");
  if (sep === -1) throw zmqError("EINVAL", `Invalid endpoint "${address}": expected transport://address`, address);
  const transport = address.slice(0, sep);
  const rest = address.slice(sep + 3);
  switch (transport) {
    case "tcp":
      return parseTcp(address, rest, forBind);
    case "ipc":
      if (rest === "") throw zmqError("EINVAL", `Invalid endpoint "${address}": empty ipc path`, address);
      if (rest === "*" && forBind) return { transport: "ipc", path: join(tmpdir(), `zmtp-${randomBytes(6).toString("hex")}.ipc`) };
      return { transport: "ipc", path: rest };
    case "inproc":
      if (rest === "") throw zmqError("EINVAL", `Invalid endpoint "${address}": empty inproc name`, address);
      return { transport: "inproc", name: rest };
    default:
      throw zmqError("EPROTONOSUPPORT", `Protocol not supported: "${transport}" (use tcp, ipc or inproc)`, address);
  }
}

function parseTcp(address: string, rest: string, forBind: boolean): Endpoint {
  if (rest.includes(";")) {
    throw zmqError("EINVAL", `Invalid endpoint "${address}": the "source;destination" form is not supported`, address);
  }
  const colon = rest.lastIndexOf(":");
  if (colon === -1) throw zmqError("EINVAL", `Invalid endpoint "${address}": a port is required`, address);
  let host = rest.slice(0, colon);
  const portText = rest.slice(colon + 1);
  let family: 4 | 6 | 0 = 0;
  if (host.startsWith("[") && host.endsWith("]")) {
    host = host.slice(1, -1);
    family = 6;
  }
  if (host === "") throw zmqError("EINVAL", `Invalid endpoint "${address}": a host is required`, address);
  let port: number;
  if (portText === "*" || portText === "0") {
    if (!forBind) throw zmqError("EINVAL", `Invalid endpoint "${address}": connect needs a real port`, address);
    port = 0;
  } else {
    port = /^\d+$/.test(portText) ? Number(portText) : Number.NaN;
    if (!(port > 0 && port <= 65535)) throw zmqError("EINVAL", `Invalid endpoint "${address}": bad port "${portText}"`, address);
  }
  if (host === "*") {
    if (!forBind) throw zmqError("EINVAL", `Invalid endpoint "${address}": connect needs a host`, address);
    host = "";
  }
  return { transport: "tcp", host, port, family };
}

/** The endpoint string libzmq would report as ZMQ_LAST_ENDPOINT for a bound TCP address. */
export function formatTcpEndpoint(host: string, port: number): string {
  return host.includes(":") ? `tcp://[${host}]:${port}` : `tcp://${host}:${port}`;
}
