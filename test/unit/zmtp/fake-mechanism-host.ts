import { decodeCommand, type Command } from "../../../src/zmtp/command.js";
import type { MechanismHost } from "../../../src/zmtp/mechanisms/mechanism.js";
import type { Metadata } from "../../../src/zmtp/metadata.js";
import type { ZapReply, ZapRequest } from "../../../src/zmtp/zap.js";

/** A MechanismHost that records what a mechanism does, for PLAIN and CURVE unit tests. */
export class FakeMechanismHost implements MechanismHost {
  readonly sent: Buffer[] = [];
  completed: Metadata | null = null;
  rejected: string | null = null;
  authFailure: number | null = null;
  failure: unknown = null;
  /** Set once the mechanism failed or refused: the engine would have closed the connection. */
  closed = false;
  zapRequests: Array<Omit<ZapRequest, "address" | "identity">> = [];
  zapReply: Promise<ZapReply> | null = null;

  constructor(private readonly socketType: string) {}

  sendCommand(body: Buffer): void {
    this.sent.push(body);
  }
  localProperties(): Array<[string, Buffer]> {
    return [["Socket-Type", Buffer.from(this.socketType)]];
  }
  checkPeerProperties(): void {}
  handshakeComplete(props: Metadata): void {
    this.completed = props;
  }
  peerRejected(reason: string): void {
    this.rejected = reason;
  }
  authFailed(status: number): void {
    this.authFailure = status;
    this.closed = true;
  }
  stalled: Error | null = null;
  stall(error: Error): void {
    this.stalled = error;
  }
  fail(error: unknown): void {
    this.failure = error;
    this.closed = true;
  }
  zap(request: Omit<ZapRequest, "address" | "identity">): Promise<ZapReply> | null {
    this.zapRequests.push(request);
    return this.zapReply;
  }
  names(): string[] {
    return this.sent.map((b) => decodeCommand(b)!.name);
  }
  last(): Buffer {
    return this.sent[this.sent.length - 1]!;
  }
}

export function command(body: Buffer): Command {
  const c = decodeCommand(body);
  if (c === null) throw new Error("not a command");
  return c;
}
