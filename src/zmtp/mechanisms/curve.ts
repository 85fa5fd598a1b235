import { decodeError, type Command } from "../command.js";
import { decodeProperties, encodeProperties, type Metadata } from "../metadata.js";
import { ProtocolError, zmqError, type ProtocolErrorCode } from "../../errors.js";
import { randomBytes } from "../../platform/random.js";
import {
  BOX_OVERHEAD,
  KEY_BYTES,
  generateKeyPair,
  nonce,
  open,
  seal,
  sharedKey,
  type CurveKeyPair,
} from "./curve-box.js";
import { MessageBoxes, loadWasmSecretbox } from "./curve-message-box.js";
import type { Mechanism, MechanismHost, TrafficCodec } from "./mechanism.js";
import { consultZap, withZapProperties } from "./zap-gate.js";

/**
 * CURVE (RFC 25 / RFC 26 CurveZMQ) as libzmq 4.3 speaks it (docs/protocol.md §8): HELLO, WELCOME, INITIATE,
 * READY, then every frame wrapped in a MESSAGE box. Roles come from configuration, never from the
 * greeting's as-server bit.
 */

const PREFIX = {
  hello: Buffer.from("CurveZMQHELLO---"),
  welcome: Buffer.from("WELCOME-"),
  cookie: Buffer.from("COOKIE--"),
  initiate: Buffer.from("CurveZMQINITIATE"),
  vouch: Buffer.from("VOUCH---"),
  ready: Buffer.from("CurveZMQREADY---"),
  clientMessage: Buffer.from("CurveZMQMESSAGEC"),
  serverMessage: Buffer.from("CurveZMQMESSAGES"),
} as const;

const HELLO_NAME = Buffer.from("\x05HELLO", "latin1");
const WELCOME_NAME = Buffer.from("\x07WELCOME", "latin1");
const INITIATE_NAME = Buffer.from("\x08INITIATE", "latin1");
const READY_NAME = Buffer.from("\x05READY", "latin1");
const MESSAGE_NAME = Buffer.from("\x07MESSAGE", "latin1");

/** RFC 26 grammar: 200 bytes; its prose says 70 bytes of padding, libzmq sends and requires 72 (docs/protocol.md §8.3). */
export const HELLO_SIZE = 200;
const HELLO_PADDING = 72;
export const WELCOME_SIZE = 168;
const COOKIE_SIZE = 96;
const VOUCH_SIZE = 80;
/** INITIATE without metadata: name(9) + cookie(96) + nonce(8) + box[C + vouch nonce + vouch](144). */
export const INITIATE_MIN_SIZE = 257;
const READY_MIN_SIZE = 6 + 8 + BOX_OVERHEAD;
/** MESSAGE = name(8) + nonce(8) + box[flags + body] (at least 17). */
const MESSAGE_MIN_SIZE = 16 + BOX_OVERHEAD + 1;
const TWO_32 = 2 ** 32;

function shortNonce(n: number): Buffer {
  const out = Buffer.allocUnsafe(8);
  writeCounter(out, n);
  return out;
}

/** `n` as 8 bytes big-endian at `out[0..8]`. */
function writeCounter(out: Uint8Array, n: number): void {
  const hi = Math.floor(n / TWO_32);
  const lo = n >>> 0;
  out[0] = hi >>> 24;
  out[1] = hi >>> 16;
  out[2] = hi >>> 8;
  out[3] = hi;
  out[4] = lo >>> 24;
  out[5] = lo >>> 16;
  out[6] = lo >>> 8;
  out[7] = lo;
}

function fail(code: ProtocolErrorCode, message: string): never {
  throw new ProtocolError(code, message);
}

function keyOrFail(key: Buffer | null, what: string): Buffer {
  return key ?? fail("ERR_ZMTP_KEY_EXCHANGE", `CURVE: ${what} is not a usable Curve25519 public key`);
}

/**
 * Short nonces a peer sends must strictly increase (RFC 26 §2.3; libzmq accepts gaps, docs/protocol.md
 * §8.5). Kept as two 32-bit halves so the whole 64-bit range compares exactly without BigInt.
 */
class NonceGuard {
  private hi = 0;
  private lo = 0;

  constructor(private readonly what: string) {}

  /** Accepts the nonce at `buf[at..at+8]` if it is above the last one; it becomes the last one only via `commit`. */
  check(buf: Buffer, at: number): void {
    const hi = buf.readUInt32BE(at);
    const lo = buf.readUInt32BE(at + 4);
    if (hi < this.hi || (hi === this.hi && lo <= this.lo)) {
      fail(
        "ERR_ZMTP_INVALID_SEQUENCE",
        `CURVE: ${this.what} nonce ${hi * TWO_32 + lo} does not follow ${this.hi * TWO_32 + this.lo}`,
      );
    }
  }

  commit(buf: Buffer, at: number): void {
    this.hi = buf.readUInt32BE(at);
    this.lo = buf.readUInt32BE(at + 4);
  }
}

/**
 * MESSAGE boxes (RFC 26 §2.6) with the connection's precomputed key: sealed into the writer's
 * batch, opened in the received bytes (./curve-message-box.ts).
 */
export class CurveCodec implements TrafficCodec {
  private readonly send: MessageBoxes;
  private readonly receive: MessageBoxes;
  private readonly guard: NonceGuard;

  constructor(
    key: Buffer,
    sendPrefix: Buffer,
    receivePrefix: Buffer,
    /** The next short nonce we send. */
    private next: number,
    /** The last short nonce the peer used in the handshake (8 bytes BE). */
    lastPeerNonce: Buffer,
  ) {
    this.send = new MessageBoxes(key, sendPrefix);
    this.receive = new MessageBoxes(key, receivePrefix);
    this.guard = new NonceGuard("MESSAGE");
    this.guard.commit(lastPeerNonce, 0);
  }

  encodedLength(bodyLength: number): number {
    return MESSAGE_MIN_SIZE + bodyLength;
  }

  encodeInto(flags: number, body: Buffer, target: Buffer, at: number): void {
    const n = this.next;
    if (n >= Number.MAX_SAFE_INTEGER) fail("ERR_ZMTP_INVALID_SEQUENCE", "CURVE: short nonces are exhausted");
    this.next = n + 1;
    const counter = this.send.counter;
    writeCounter(counter, n);
    MESSAGE_NAME.copy(target, at);
    target.set(counter, at + 8);
    this.send.seal(target, at + 16, flags, body);
  }

  encode(flags: number, body: Buffer): Buffer {
    const out = Buffer.allocUnsafe(MESSAGE_MIN_SIZE + body.length);
    this.encodeInto(flags, body, out, 0);
    return out;
  }

  decode(message: Buffer): { flags: number; body: Buffer } {
    if (message.length < MESSAGE_MIN_SIZE || !MESSAGE_NAME.equals(message.subarray(0, 8))) {
      fail("ERR_ZMTP_MALFORMED_COMMAND_MESSAGE", "CURVE: expected a MESSAGE command");
    }
    this.guard.check(message, 8);
    // set, not Buffer#copy: the browser's Buffer copies only into a Buffer.
    this.receive.counter.set(message.subarray(8, 16));
    if (!this.receive.open(message, 16, message.length)) {
      fail("ERR_ZMTP_CRYPTOGRAPHIC", "CURVE: a MESSAGE box does not authenticate");
    }
    this.guard.commit(message, 8);
    return { flags: message[32]!, body: message.subarray(33) };
  }
}

export interface CurveClientOptions {
  /** Our long-term key pair (C, c). */
  keyPair: CurveKeyPair;
  /** The server's long-term public key (S). */
  serverKey: Buffer;
}

type ClientState = "idle" | "expect-welcome" | "expect-ready" | "done";

/** RFC 26 client: HELLO → WELCOME → INITIATE (vouch + metadata) → READY. */
export class CurveClient implements Mechanism {
  readonly name = "CURVE";
  readonly asServer = false;
  codec: TrafficCodec | null = null;
  private state: ClientState = "idle";
  private host: MechanismHost | null = null;
  private transient: CurveKeyPair | null = null;
  /** beforenm(S, c'): HELLO and WELCOME boxes. */
  private helloKey: Buffer | null = null;
  /** beforenm(S', c'): INITIATE, READY and every MESSAGE. */
  private sessionKey: Buffer | null = null;

  constructor(private readonly options: CurveClientOptions) {
    if (options.serverKey.length !== KEY_BYTES) throw new RangeError("CURVE server key must be 32 bytes");
    // The module compiles while the handshake runs; the first boxes may still use @noble/ciphers.
    void loadWasmSecretbox();
  }

  start(host: MechanismHost): void {
    this.host = host;
    const transient = generateKeyPair();
    this.transient = transient;
    this.helloKey = keyOrFail(sharedKey(transient, this.options.serverKey), "the server key (curveServerKey)");
    // Client short nonces: HELLO = 1, INITIATE = 2, first MESSAGE = 3 (docs/protocol.md §8.5).
    const helloNonce = shortNonce(1);
    const hello = Buffer.alloc(HELLO_SIZE);
    HELLO_NAME.copy(hello, 0);
    hello[6] = 1; // CurveZMQ 1.0
    hello[7] = 0;
    transient.publicKey.copy(hello, 8 + HELLO_PADDING);
    helloNonce.copy(hello, 112);
    seal(Buffer.alloc(64), nonce(PREFIX.hello, helloNonce), this.helloKey).copy(hello, 120);
    this.state = "expect-welcome";
    host.sendCommand(hello);
  }

  onCommand(command: Command): void {
    const host = this.host;
    if (
      host !== null &&
      command.name === "ERROR" &&
      (this.state === "expect-welcome" || this.state === "expect-ready")
    ) {
      this.state = "done";
      host.peerRejected(decodeError(command.data));
      return;
    }
    if (host !== null && this.state === "expect-welcome" && command.name === "WELCOME") {
      this.onWelcome(host, command.data);
      return;
    }
    if (host !== null && this.state === "expect-ready" && command.name === "READY") {
      this.onReady(host, command.data);
      return;
    }
    fail("ERR_ZMTP_UNEXPECTED_COMMAND", `CURVE client: unexpected ${command.name} (${this.state})`);
  }

  private onWelcome(host: MechanismHost, data: Buffer): void {
    if (data.length !== WELCOME_SIZE - 8) {
      fail(
        "ERR_ZMTP_MALFORMED_COMMAND_WELCOME",
        `CURVE: WELCOME must be ${WELCOME_SIZE} bytes, got ${data.length + 8}`,
      );
    }
    const plain = open(data.subarray(16), nonce(PREFIX.welcome, data.subarray(0, 16)), this.helloKey!);
    if (plain === null) fail("ERR_ZMTP_CRYPTOGRAPHIC", "CURVE: cannot open WELCOME (wrong server key?)");
    const serverTransient = plain.subarray(0, KEY_BYTES);
    const cookie = plain.subarray(KEY_BYTES, KEY_BYTES + COOKIE_SIZE);
    const transient = this.transient!;
    const { keyPair, serverKey } = this.options;
    this.sessionKey = keyOrFail(sharedKey(transient, serverTransient), "the server's transient key");
    const vouchKey = keyOrFail(sharedKey(keyPair, serverTransient), "the server's transient key");
    // Vouch = Box[C' + S](C → S'): proves that the owner of C made C' (RFC 26 §2.5).
    const vouchNonce = randomBytes(16);
    const vouch = seal(Buffer.concat([transient.publicKey, serverKey]), nonce(PREFIX.vouch, vouchNonce), vouchKey);
    const metadata = encodeProperties(host.localProperties());
    const initiateNonce = shortNonce(2);
    const box = seal(
      Buffer.concat([keyPair.publicKey, vouchNonce, vouch, metadata]),
      nonce(PREFIX.initiate, initiateNonce),
      this.sessionKey,
    );
    this.state = "expect-ready";
    host.sendCommand(Buffer.concat([INITIATE_NAME, cookie, initiateNonce, box]));
  }

  private onReady(host: MechanismHost, data: Buffer): void {
    if (data.length < READY_MIN_SIZE - 6) fail("ERR_ZMTP_MALFORMED_COMMAND_READY", "CURVE: READY is too short");
    const readyNonce = data.subarray(0, 8);
    const plain = open(data.subarray(8), nonce(PREFIX.ready, readyNonce), this.sessionKey!);
    if (plain === null) fail("ERR_ZMTP_CRYPTOGRAPHIC", "CURVE: cannot open READY");
    const props = decodeProperties(plain);
    host.checkPeerProperties(props);
    this.codec = new CurveCodec(this.sessionKey!, PREFIX.clientMessage, PREFIX.serverMessage, 3, readyNonce);
    this.state = "done";
    host.handshakeComplete(props);
  }
}

export interface CurveServerOptions {
  /** Our long-term key pair (S, s). */
  keyPair: CurveKeyPair;
  /** ZAP domain (ZAP is asked even when it is empty, as libzmq does: docs/protocol.md §8.7). */
  domain: string;
  /** ZMQ_ZAP_ENFORCE_DOMAIN: a missing ZAP handler fails the handshake instead of letting every key in. */
  enforceDomain?: boolean;
}

type ServerState = "expect-hello" | "expect-initiate" | "zap" | "done";

/**
 * RFC 26 server. Without a ZAP handler every client key is accepted (encryption without
 * authentication, libzmq's behaviour); with one, the client's long-term key decides.
 */
export class CurveServer implements Mechanism {
  readonly name = "CURVE";
  readonly asServer = true;
  codec: TrafficCodec | null = null;
  private state: ServerState = "expect-hello";
  private host: MechanismHost | null = null;
  private clientTransient: Buffer | null = null;
  private transient: CurveKeyPair | null = null;
  private cookieKey: Buffer | null = null;
  private sessionKey: Buffer | null = null;
  private readonly peerNonce = new NonceGuard("INITIATE");
  private lastPeerNonce: Buffer | null = null;

  constructor(private readonly options: CurveServerOptions) {
    void loadWasmSecretbox();
  }

  start(host: MechanismHost): void {
    this.host = host;
  }

  onCommand(command: Command): void {
    const host = this.host;
    if (host !== null && this.state === "expect-hello" && command.name === "HELLO") {
      this.onHello(host, command.data);
      return;
    }
    if (host !== null && this.state === "expect-initiate" && command.name === "INITIATE") {
      this.onInitiate(host, command.data);
      return;
    }
    fail("ERR_ZMTP_UNEXPECTED_COMMAND", `CURVE server: unexpected ${command.name} (${this.state})`);
  }

  private onHello(host: MechanismHost, data: Buffer): void {
    // Offsets below are within the command data, i.e. 6 bytes after the RFC's (past "\x05HELLO").
    if (data.length !== HELLO_SIZE - 6) {
      fail("ERR_ZMTP_MALFORMED_COMMAND_HELLO", `CURVE: HELLO must be ${HELLO_SIZE} bytes, got ${data.length + 6}`);
    }
    if (data[0] !== 1 || data[1] !== 0) {
      fail("ERR_ZMTP_MALFORMED_COMMAND_HELLO", `CURVE: unsupported CurveZMQ version ${data[0]}.${data[1]}`);
    }
    const clientTransient = Buffer.from(data.subarray(74, 106));
    const helloNonce = data.subarray(106, 114);
    const helloKey = sharedKey(this.options.keyPair, clientTransient);
    const signature = helloKey === null ? null : open(data.subarray(114), nonce(PREFIX.hello, helloNonce), helloKey);
    if (signature === null)
      fail("ERR_ZMTP_CRYPTOGRAPHIC", "CURVE: cannot open HELLO (client has the wrong server key?)");
    this.peerNonce.commit(helloNonce, 0);
    this.clientTransient = clientTransient;
    const transient = generateKeyPair();
    this.transient = transient;
    // Cookie = nonce(16) + secretbox[C' + s'](K): K lives only in this mechanism (RFC 26 §2.4).
    // One draw for K and the two nonces: each call into the CSPRNG costs a few µs.
    const random = randomBytes(64);
    this.cookieKey = random.subarray(0, 32);
    const cookieNonce = random.subarray(32, 48);
    const cookieBox = seal(
      Buffer.concat([clientTransient, transient.secretKey]),
      nonce(PREFIX.cookie, cookieNonce),
      this.cookieKey,
    );
    const welcomeNonce = random.subarray(48, 64);
    const box = seal(
      Buffer.concat([transient.publicKey, cookieNonce, cookieBox]),
      nonce(PREFIX.welcome, welcomeNonce),
      helloKey!,
    );
    this.state = "expect-initiate";
    host.sendCommand(Buffer.concat([WELCOME_NAME, welcomeNonce, box]));
  }

  private onInitiate(host: MechanismHost, data: Buffer): void {
    if (data.length < INITIATE_MIN_SIZE - 9) {
      fail("ERR_ZMTP_MALFORMED_COMMAND_INITIATE", `CURVE: INITIATE must be at least ${INITIATE_MIN_SIZE} bytes`);
    }
    const cookie = open(data.subarray(16, COOKIE_SIZE), nonce(PREFIX.cookie, data.subarray(0, 16)), this.cookieKey!);
    const transient = this.transient!;
    const clientTransient = this.clientTransient!;
    if (
      cookie === null ||
      !cookie.subarray(0, KEY_BYTES).equals(clientTransient) ||
      !cookie.subarray(KEY_BYTES).equals(transient.secretKey)
    ) {
      fail("ERR_ZMTP_CRYPTOGRAPHIC", "CURVE: the INITIATE cookie is not ours");
    }
    const initiateNonce = data.subarray(COOKIE_SIZE, COOKIE_SIZE + 8);
    this.peerNonce.check(initiateNonce, 0);
    const sessionKey = keyOrFail(sharedKey(transient, clientTransient), "the client's transient key");
    const plain = open(data.subarray(COOKIE_SIZE + 8), nonce(PREFIX.initiate, initiateNonce), sessionKey);
    if (plain === null) fail("ERR_ZMTP_CRYPTOGRAPHIC", "CURVE: cannot open INITIATE");
    if (plain.length < KEY_BYTES + 16 + VOUCH_SIZE)
      fail("ERR_ZMTP_MALFORMED_COMMAND_INITIATE", "CURVE: INITIATE box is too short");
    const clientKey = Buffer.from(plain.subarray(0, KEY_BYTES));
    const vouchKey = keyOrFail(sharedKey(transient, clientKey), "the client's long-term key");
    const vouch = open(
      plain.subarray(KEY_BYTES + 16, KEY_BYTES + 16 + VOUCH_SIZE),
      nonce(PREFIX.vouch, plain.subarray(KEY_BYTES, KEY_BYTES + 16)),
      vouchKey,
    );
    if (vouch === null) fail("ERR_ZMTP_CRYPTOGRAPHIC", "CURVE: cannot open the INITIATE vouch");
    // libzmq compares only the C' half of the vouch (docs/protocol.md §8.7).
    if (!vouch.subarray(0, KEY_BYTES).equals(clientTransient)) {
      fail("ERR_ZMTP_KEY_EXCHANGE", "CURVE: the vouch does not name this connection's client key");
    }
    const props = decodeProperties(plain.subarray(KEY_BYTES + 16 + VOUCH_SIZE));
    host.checkPeerProperties(props);
    this.sessionKey = sessionKey;
    this.lastPeerNonce = Buffer.from(initiateNonce);
    this.state = "zap";
    const asked = consultZap(
      host,
      { domain: this.options.domain, mechanism: "CURVE", credentials: [clientKey] },
      (extra) => this.sendReady(host, withZapProperties(props, extra)),
    );
    if (asked) return;
    if (this.options.enforceDomain === true) {
      // libzmq reports this handshake failure with EFAULT.
      throw zmqError("EFAULT", "CURVE server: zapEnforceDomain is set and no ZAP handler is bound");
    }
    this.sendReady(host, props);
  }

  private sendReady(host: MechanismHost, props: Metadata): void {
    const readyNonce = shortNonce(1);
    const box = seal(encodeProperties(host.localProperties()), nonce(PREFIX.ready, readyNonce), this.sessionKey!);
    host.sendCommand(Buffer.concat([READY_NAME, readyNonce, box]));
    // Server short nonces: READY = 1, first MESSAGE = 2 (docs/protocol.md §8.5).
    this.codec = new CurveCodec(this.sessionKey!, PREFIX.serverMessage, PREFIX.clientMessage, 2, this.lastPeerNonce!);
    this.state = "done";
    host.handshakeComplete(props);
  }
}
