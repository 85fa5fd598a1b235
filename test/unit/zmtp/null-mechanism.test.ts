import { describe, expect, it } from "vitest";
import { decodeCommand, encodeCommand, encodeError, encodeReady, type Command } from "../../../src/zmtp/command.js";
import type { MechanismHost } from "../../../src/zmtp/mechanisms/mechanism.js";
import { NullMechanism } from "../../../src/zmtp/mechanisms/null.js";
import { type Metadata, decodeProperties, getProperty } from "../../../src/zmtp/metadata.js";
import { ProtocolError } from "../../../src/errors.js";

class FakeHost implements MechanismHost {
  readonly sent: Buffer[] = [];
  readonly events: string[] = [];
  checked: Metadata | null = null;
  completed: Metadata | null = null;
  rejected: string | null = null;
  rejectPeer = false;

  constructor(private readonly props: Array<[string, Buffer]>) {}

  sendCommand(body: Buffer): void {
    this.events.push("send");
    this.sent.push(body);
  }
  localProperties(): Array<[string, Buffer]> {
    return this.props;
  }
  checkPeerProperties(props: Metadata): void {
    this.events.push("check");
    this.checked = props;
    if (this.rejectPeer) throw new ProtocolError("ERR_ZMTP_INVALID_METADATA", "incompatible Socket-Type");
  }
  handshakeComplete(props: Metadata): void {
    this.events.push("complete");
    this.completed = props;
  }
  peerRejected(reason: string): void {
    this.events.push("rejected");
    this.rejected = reason;
  }
  authFailed(status: number): void {
    this.events.push(`auth-failed ${status}`);
  }
  stall(error: Error & { code?: string }): void {
    this.events.push(`stalled ${error.code}`);
  }
  zap(): null {
    return null;
  }
  fail(error: unknown): void {
    this.events.push(`fail ${String(error)}`);
  }
  closed = false;
}

function command(body: Buffer): Command {
  const cmd = decodeCommand(body);
  if (cmd === null) throw new Error("bad test command");
  return cmd;
}

const dealerProps = (): Array<[string, Buffer]> => [
  ["Socket-Type", Buffer.from("DEALER")],
  ["Identity", Buffer.alloc(0)],
];

function started(): { mech: NullMechanism; host: FakeHost } {
  const mech = new NullMechanism();
  const host = new FakeHost(dealerProps());
  mech.start(host);
  return { mech, host };
}

function expectUnexpected(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as ProtocolError).code).toBe("ERR_ZMTP_UNEXPECTED_COMMAND");
    return;
  }
  throw new Error("expected ERR_ZMTP_UNEXPECTED_COMMAND");
}

describe("NullMechanism", () => {
  it("announces NULL with as-server 0", () => {
    const mech = new NullMechanism();
    expect(mech.name).toBe("NULL");
    expect(mech.asServer).toBe(false);
  });

  it("start() sends READY at once with the host's properties", () => {
    const { host } = started();
    expect(host.sent).toHaveLength(1);
    expect(host.sent[0]).toEqual(encodeReady(dealerProps()));
    const cmd = command(host.sent[0]!);
    expect(cmd.name).toBe("READY");
    const props = decodeProperties(cmd.data);
    expect(props.get("Socket-Type")?.toString()).toBe("DEALER");
    expect(props.get("Identity")).toEqual(Buffer.alloc(0));
    expect(host.completed).toBeNull();
  });

  // libzmq null_mechanism: ZMQ_ZAP_ENFORCE_DOMAIN with a domain and no handler reports EFAULT and
  // sends nothing more; the peer's READY then completes nothing (the handshake deadline ends it).
  it("with a ZAP domain, zapEnforceDomain and no handler, stalls with EFAULT and never sends READY", () => {
    const mech = new NullMechanism("domain", true);
    const host = new FakeHost(dealerProps());
    mech.start(host);
    mech.onCommand(command(encodeReady([["Socket-Type", "ROUTER"]])));
    expect(host.events).toEqual(["stalled EFAULT", "check"]);
    expect(host.sent).toHaveLength(0);
    expect(host.completed).toBeNull();
  });

  it("with a ZAP domain and no handler but no enforcement, lets the peer in", () => {
    const mech = new NullMechanism("domain", false);
    const host = new FakeHost(dealerProps());
    mech.start(host);
    mech.onCommand(command(encodeReady([["Socket-Type", "ROUTER"]])));
    expect(host.events).toEqual(["send", "check", "complete"]);
  });

  it("checks the peer's READY properties, then completes the handshake", () => {
    const { mech, host } = started();
    mech.onCommand(
      command(
        encodeReady([
          ["Socket-Type", "ROUTER"],
          ["X-Foo", Buffer.from([1, 2])],
        ]),
      ),
    );
    expect(host.events).toEqual(["send", "check", "complete"]);
    expect(host.checked).toBe(host.completed);
    expect(getProperty(host.completed!, "socket-type")?.toString()).toBe("ROUTER");
    expect(host.completed!.get("X-Foo")).toEqual(Buffer.from([1, 2]));
    expect(host.rejected).toBeNull();
  });

  it("does not complete when the host refuses the peer's properties", () => {
    const { mech, host } = started();
    host.rejectPeer = true;
    expect(() => mech.onCommand(command(encodeReady([["Socket-Type", "PUB"]])))).toThrow(ProtocolError);
    expect(host.completed).toBeNull();
  });

  it("rejects a READY with truncated metadata as invalid metadata", () => {
    const { mech, host } = started();
    const body = encodeReady([["Socket-Type", "ROUTER"]]);
    try {
      mech.onCommand(command(body.subarray(0, body.length - 2)));
      throw new Error("expected a ProtocolError");
    } catch (err) {
      expect(err).toBeInstanceOf(ProtocolError);
      expect((err as ProtocolError).code).toBe("ERR_ZMTP_INVALID_METADATA");
    }
    expect(host.completed).toBeNull();
  });

  it("reports an ERROR from the peer as peerRejected(reason)", () => {
    const { mech, host } = started();
    mech.onCommand(command(encodeError("400")));
    expect(host.rejected).toBe("400");
    expect(host.completed).toBeNull();
    expect(host.events).toEqual(["send", "rejected"]);
  });

  it("rejects PING (or any other command) instead of READY", () => {
    const { mech, host } = started();
    expectUnexpected(() => mech.onCommand(command(encodeCommand("PING", Buffer.from([0, 10])))));
    expectUnexpected(() => mech.onCommand(command(encodeCommand("HELLO"))));
    expect(host.completed).toBeNull();
  });

  it("rejects a second READY after the handshake completed", () => {
    const { mech, host } = started();
    mech.onCommand(command(encodeReady([["Socket-Type", "ROUTER"]])));
    expectUnexpected(() => mech.onCommand(command(encodeReady([["Socket-Type", "ROUTER"]]))));
    expect(host.events).toEqual(["send", "check", "complete"]);
  });

  it("rejects any command after a peer ERROR", () => {
    const { mech } = started();
    mech.onCommand(command(encodeError("500")));
    expectUnexpected(() => mech.onCommand(command(encodeReady([["Socket-Type", "ROUTER"]]))));
  });

  it("rejects a command received before start()", () => {
    const mech = new NullMechanism();
    expectUnexpected(() => mech.onCommand(command(encodeReady([["Socket-Type", "ROUTER"]]))));
  });
});
