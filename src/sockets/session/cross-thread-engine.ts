import { timingSafeEqual } from "node:crypto";
import { ProtocolError } from "../../errors.js";
import type { ByteStream } from "../../transports/stream.js";
import { encodeCommand, type Command } from "../../zmtp/command.js";
import { Engine, type EngineHost, type EngineOptions, type EnginePipe } from "../../zmtp/engine.js";
import { getProperty, type Metadata } from "../../zmtp/metadata.js";
import type { Pipe } from "../pipe.js";

/** READY properties only zmtp's own threads send each other. */
const SECRET_PROPERTY = "X-Zmtp-Inproc";
const CREDIT_PROPERTY = "X-Zmtp-Credit";
/** A command granting the peer more messages (a 4-byte count). */
const CREDIT_COMMAND = "CREDIT";
const UNLIMITED = 0xffffffff;

function uint32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value);
  return out;
}

/** What the receiving pipe can take: its high-water mark, or no limit. */
function grantOf(pipe: Pipe): number {
  return pipe.conflate || pipe.receiveHighWaterMark <= 0 ? UNLIMITED : pipe.receiveHighWaterMark;
}

/**
 * The ZMTP engine of an inproc connection between threads. The peer must prove it is a thread
 * of this context (the shared secret in its READY), and the high-water marks hold as for inproc
 * within a thread: the receiver grants the sender as many messages as its queue takes (READY),
 * then a low-water mark's worth each time the application has read that many (CREDIT), so no
 * more than SNDHWM + RCVHWM messages are ever on their way, kernel buffers or not.
 */
export class CrossThreadEngine extends Engine {
  /** Messages the peer still takes. */
  private sendCredit = 0;

  constructor(
    stream: ByteStream,
    options: EngineOptions,
    host: EngineHost,
    address: string,
    private readonly secret: Buffer,
    /** The pipe the peer's messages go to (its limit is what we grant). */
    private readonly receiving: Pipe,
  ) {
    super(stream, options, host, address);
  }

  override localProperties(): Array<[string, Buffer]> {
    return [
      ...super.localProperties(),
      [SECRET_PROPERTY, this.secret],
      [CREDIT_PROPERTY, uint32(grantOf(this.receiving))],
    ];
  }

  /** libzmq's inproc does not check socket types; only our threads may connect. */
  override checkPeerProperties(props: Metadata): void {
    const secret = getProperty(props, SECRET_PROPERTY);
    if (secret === undefined || secret.length !== this.secret.length || !timingSafeEqual(secret, this.secret)) {
      throw new ProtocolError("ERR_ZMTP_INVALID_METADATA", "peer is not a thread of this process's context");
    }
    const credit = getProperty(props, CREDIT_PROPERTY);
    const granted = credit?.length === 4 ? credit.readUInt32BE(0) : UNLIMITED;
    this.sendCredit = granted === UNLIMITED ? Infinity : granted;
  }

  /** Attaches the pipe with sending held to the peer's credit. */
  attachGated(pipe: Pipe): void {
    const gated: EnginePipe = {
      get carriesSubscriptions() {
        return pipe.carriesSubscriptions;
      },
      takeOutbound: () => {
        if (this.sendCredit <= 0) return undefined;
        const msg = pipe.takeOutbound();
        if (msg !== undefined) this.sendCredit--;
        return msg;
      },
      deliver: (msg) => pipe.deliver(msg),
      get driver() {
        return pipe.driver;
      },
      set driver(driver) {
        pipe.driver = driver;
      },
    };
    this.attach(gated);
  }

  /** A message taken at once spends credit as one taken from the queue does. */
  override takeNow(msg: Buffer[]): boolean {
    if (this.sendCredit <= 0 || !super.takeNow(msg)) return false;
    this.sendCredit--;
    return true;
  }

  /** The application read `count` more of the peer's messages: the peer may send as many more. */
  inboundRead(count: number): void {
    if (this.state !== "traffic" || grantOf(this.receiving) === UNLIMITED) return;
    this.sendCommand(encodeCommand(CREDIT_COMMAND, uint32(count)));
  }

  protected override onCommand(cmd: Command): boolean {
    if (cmd.name !== CREDIT_COMMAND) return super.onCommand(cmd);
    if (cmd.data.length === 4) {
      this.sendCredit += cmd.data.readUInt32BE(0);
      this.outboundReady();
    }
    return true;
  }
}
