import { decodeCommand, decodeError, encodeCommand, type Command } from "../command.js";
import { decodeProperties, encodeProperties, type Metadata } from "../metadata.js";
import { ProtocolError, zmqError } from "../../errors.js";
import type { Mechanism, MechanismHost } from "./mechanism.js";
import { consultZap, withZapProperties } from "./zap-gate.js";

/**
 * PLAIN (RFC 24): user name and password in clear, checked by the server's ZAP handler.
 *   C: HELLO(username, password)  S: WELCOME  C: INITIATE(metadata)  S: READY(metadata) | ERROR
 */

/**
 * libzmq's PLAIN writes ERROR from the C literal "\x05ERROR", which C reads as "\x05E" + "RROR":
 * the command arrives as `5E 'RROR' len reason` (docs/protocol.md §7.3). Recognised as ERROR by our client.
 */
const LIBZMQ_PLAIN_ERROR = Buffer.from([0x5e, 0x52, 0x52, 0x4f, 0x52]);

function unexpected(side: string, command: Command, state: string): never {
  throw new ProtocolError("ERR_ZMTP_UNEXPECTED_COMMAND", `PLAIN ${side}: unexpected ${command.name} (${state})`);
}

export function encodePlainHello(username: Buffer, password: Buffer): Buffer {
  if (username.length > 255 || password.length > 255)
    throw new RangeError("PLAIN user name and password are at most 255 bytes");
  return encodeCommand(
    "HELLO",
    Buffer.concat([Buffer.of(username.length), username, Buffer.of(password.length), password]),
  );
}

/** HELLO data = ulen(1) username plen(1) password, nothing after (RFC 24 §2.2). */
export function decodePlainHello(data: Buffer): { username: Buffer; password: Buffer } {
  const userEnd = 1 + (data[0] ?? 0);
  const passEnd = userEnd + 1 + (data[userEnd] ?? 0);
  if (data.length === 0 || userEnd >= data.length || passEnd !== data.length) {
    throw new ProtocolError("ERR_ZMTP_MALFORMED_COMMAND_HELLO", "PLAIN: malformed HELLO");
  }
  return { username: data.subarray(1, userEnd), password: data.subarray(userEnd + 1, passEnd) };
}

type ClientState = "idle" | "expect-welcome" | "expect-ready" | "done";

export class PlainClient implements Mechanism {
  readonly name = "PLAIN";
  readonly asServer = false;
  private state: ClientState = "idle";
  private host: MechanismHost | null = null;

  constructor(
    private readonly username: Buffer,
    private readonly password: Buffer,
  ) {}

  start(host: MechanismHost): void {
    this.host = host;
    this.state = "expect-welcome";
    host.sendCommand(encodePlainHello(this.username, this.password));
  }

  decodeCommand(body: Buffer): Command | null {
    if (body.length >= 5 && LIBZMQ_PLAIN_ERROR.equals(body.subarray(0, 5)))
      return { name: "ERROR", data: body.subarray(5) };
    return decodeCommand(body);
  }

  onCommand(command: Command): void {
    const host = this.host;
    if (host === null) unexpected("client", command, this.state);
    if (command.name === "ERROR" && (this.state === "expect-welcome" || this.state === "expect-ready")) {
      this.state = "done";
      host.peerRejected(decodeError(command.data));
      return;
    }
    if (this.state === "expect-welcome" && command.name === "WELCOME") {
      // libzmq's client requires WELCOME to be exactly the 8-byte name.
      if (command.data.length !== 0)
        throw new ProtocolError("ERR_ZMTP_MALFORMED_COMMAND_WELCOME", "PLAIN: WELCOME has a body");
      this.state = "expect-ready";
      host.sendCommand(encodeCommand("INITIATE", encodeProperties(host.localProperties())));
      return;
    }
    if (this.state === "expect-ready" && command.name === "READY") {
      const props = decodeProperties(command.data);
      host.checkPeerProperties(props);
      this.state = "done";
      host.handshakeComplete(props);
      return;
    }
    unexpected("client", command, this.state);
  }
}

type ServerState = "expect-hello" | "zap" | "expect-initiate" | "done";

/**
 * The server side. Every HELLO goes to the ZAP handler; without one, every client is refused by
 * closing the connection without ERROR, as libzmq does (docs/protocol.md §7.2).
 */
export class PlainServer implements Mechanism {
  readonly name = "PLAIN";
  readonly asServer = true;
  private state: ServerState = "expect-hello";
  private host: MechanismHost | null = null;
  private zapProperties: Metadata | null = null;

  constructor(private readonly domain: string) {}

  start(host: MechanismHost): void {
    this.host = host;
  }

  onCommand(command: Command): void {
    const host = this.host;
    if (host === null) unexpected("server", command, this.state);
    if (this.state === "expect-hello" && command.name === "HELLO") {
      const { username, password } = decodePlainHello(command.data);
      this.state = "zap";
      const request = { domain: this.domain, mechanism: "PLAIN" as const, credentials: [username, password] };
      const asked = consultZap(host, request, (extra) => {
        this.zapProperties = extra;
        this.state = "expect-initiate";
        host.sendCommand(encodeCommand("WELCOME"));
      });
      if (!asked) {
        // libzmq reports this handshake failure with EFAULT.
        throw zmqError("EFAULT", "PLAIN server refused the client: no ZAP handler is bound at inproc://zeromq.zap.01");
      }
      return;
    }
    if (this.state === "expect-initiate" && command.name === "INITIATE") {
      const props = decodeProperties(command.data);
      host.checkPeerProperties(props);
      this.state = "done";
      host.sendCommand(encodeCommand("READY", encodeProperties(host.localProperties())));
      host.handshakeComplete(withZapProperties(props, this.zapProperties));
      return;
    }
    unexpected("server", command, this.state);
  }
}
