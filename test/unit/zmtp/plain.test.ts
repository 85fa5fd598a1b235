import { describe, expect, it } from "vitest";
import { FakeMechanismHost, command } from "./fake-mechanism-host.js";
import { decodeCommand, encodeCommand, encodeError } from "../../../src/zmtp/command.js";
import { NullMechanism } from "../../../src/zmtp/mechanisms/null.js";
import { PlainClient, PlainServer, decodePlainHello, encodePlainHello } from "../../../src/zmtp/mechanisms/plain.js";
import { decodeProperties, encodeProperties } from "../../../src/zmtp/metadata.js";
import { ProtocolError } from "../../../src/errors.js";
import type { ZapReply } from "../../../src/zmtp/zap.js";

const reply = (statusCode: string, userId = "", metadata: Buffer = Buffer.alloc(0)): Promise<ZapReply> =>
  Promise.resolve({ statusCode, statusText: statusCode === "200" ? "OK" : "denied", userId, metadata });
const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

function protocolCode(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return err instanceof ProtocolError ? err.code : `other: ${(err as Error).message}`;
  }
  return "no error";
}

describe("PLAIN commands (RFC 24)", () => {
  it("HELLO = 05 HELLO ulen user plen password", () => {
    const hello = encodePlainHello(Buffer.from("admin"), Buffer.from("secret"));
    expect(hello.toString("latin1")).toBe("\x05HELLO\x05admin\x06secret");
    const { username, password } = decodePlainHello(command(hello).data);
    expect([username.toString(), password.toString()]).toEqual(["admin", "secret"]);
  });

  it("empty user name and password are allowed", () => {
    const { username, password } = decodePlainHello(command(encodePlainHello(Buffer.alloc(0), Buffer.alloc(0))).data);
    expect([username.length, password.length]).toEqual([0, 0]);
  });

  it("HELLO with a length past the end, or bytes after the password, is malformed", () => {
    expect(protocolCode(() => decodePlainHello(Buffer.from("\x05adm", "latin1")))).toBe(
      "ERR_ZMTP_MALFORMED_COMMAND_HELLO",
    );
    expect(protocolCode(() => decodePlainHello(Buffer.from("\x01a\x01bX", "latin1")))).toBe(
      "ERR_ZMTP_MALFORMED_COMMAND_HELLO",
    );
    expect(protocolCode(() => decodePlainHello(Buffer.alloc(0)))).toBe("ERR_ZMTP_MALFORMED_COMMAND_HELLO");
  });
});

describe("PLAIN client", () => {
  it("HELLO → WELCOME → INITIATE(metadata) → READY", () => {
    const client = new PlainClient(Buffer.from("u"), Buffer.from("p"));
    const host = new FakeMechanismHost("DEALER");
    client.start(host);
    expect(host.names()).toEqual(["HELLO"]);
    client.onCommand(command(encodeCommand("WELCOME")));
    expect(host.names()).toEqual(["HELLO", "INITIATE"]);
    expect(decodeProperties(command(host.last()).data).get("Socket-Type")?.toString()).toBe("DEALER");
    client.onCommand(command(encodeCommand("READY", encodeProperties([["Socket-Type", "ROUTER"]]))));
    expect(host.completed?.get("Socket-Type")?.toString()).toBe("ROUTER");
  });

  it("WELCOME with a body is malformed (libzmq requires exactly 8 bytes)", () => {
    const client = new PlainClient(Buffer.from("u"), Buffer.from("p"));
    client.start(new FakeMechanismHost("DEALER"));
    expect(protocolCode(() => client.onCommand(command(encodeCommand("WELCOME", Buffer.from("x")))))).toBe(
      "ERR_ZMTP_MALFORMED_COMMAND_WELCOME",
    );
  });

  it("READY before WELCOME is unexpected", () => {
    const client = new PlainClient(Buffer.from("u"), Buffer.from("p"));
    client.start(new FakeMechanismHost("DEALER"));
    expect(protocolCode(() => client.onCommand(command(encodeCommand("READY"))))).toBe("ERR_ZMTP_UNEXPECTED_COMMAND");
  });

  it("a spec ERROR is a rejection with its reason", () => {
    const client = new PlainClient(Buffer.from("u"), Buffer.from("p"));
    const host = new FakeMechanismHost("DEALER");
    client.start(host);
    client.onCommand(client.decodeCommand(encodeError("400"))!);
    expect(host.rejected).toBe("400");
  });

  it("libzmq's malformed ERROR (5E 'RROR' len reason) is recognised as ERROR (docs/protocol.md §7.3)", () => {
    const client = new PlainClient(Buffer.from("u"), Buffer.from("p"));
    const host = new FakeMechanismHost("DEALER");
    client.start(host);
    const libzmqError = Buffer.from("5e52524f5203343030", "hex");
    expect(decodeCommand(libzmqError)).toBeNull(); // what a generic parser makes of it
    const parsed = client.decodeCommand(libzmqError)!;
    expect(parsed.name).toBe("ERROR");
    client.onCommand(parsed);
    expect(host.rejected).toBe("400");
  });
});

describe("PLAIN server", () => {
  it("without a ZAP handler every client is refused, without ERROR (libzmq behaviour)", () => {
    const server = new PlainServer("");
    const host = new FakeMechanismHost("ROUTER");
    server.start(host);
    expect(() => server.onCommand(command(encodePlainHello(Buffer.from("u"), Buffer.from("p"))))).toThrow(
      /ZAP handler/,
    );
    expect(host.sent).toEqual([]);
  });

  it("asks ZAP (mechanism PLAIN, credentials user and password); 200 → WELCOME, INITIATE → READY with User-Id", async () => {
    const server = new PlainServer("dom");
    const host = new FakeMechanismHost("ROUTER");
    host.zapReply = reply("200", "admin", encodeProperties([["X-Tier", "gold"]]));
    server.start(host);
    server.onCommand(command(encodePlainHello(Buffer.from("admin"), Buffer.from("pw"))));
    expect(host.zapRequests).toEqual([
      { domain: "dom", mechanism: "PLAIN", credentials: [Buffer.from("admin"), Buffer.from("pw")] },
    ]);
    expect(host.sent).toEqual([]);
    await tick();
    expect(host.names()).toEqual(["WELCOME"]);
    expect(host.last().length).toBe(8);
    server.onCommand(command(encodeCommand("INITIATE", encodeProperties([["Socket-Type", "DEALER"]]))));
    expect(host.names()).toEqual(["WELCOME", "READY"]);
    expect(host.completed?.get("User-Id")?.toString()).toBe("admin");
    expect(host.completed?.get("X-Tier")?.toString()).toBe("gold");
    expect(host.completed?.get("Socket-Type")?.toString()).toBe("DEALER");
  });

  it("ZAP 400 and 300 are auth failures (the engine sends ERROR for 400 only)", async () => {
    for (const status of ["400", "300", "500"]) {
      const server = new PlainServer("");
      const host = new FakeMechanismHost("ROUTER");
      host.zapReply = reply(status);
      server.start(host);
      server.onCommand(command(encodePlainHello(Buffer.from("u"), Buffer.from("bad"))));
      await tick();
      expect(host.authFailure).toBe(Number(status));
      expect(host.sent).toEqual([]);
    }
  });

  it("INITIATE while ZAP is deciding is unexpected", () => {
    const server = new PlainServer("");
    const host = new FakeMechanismHost("ROUTER");
    host.zapReply = new Promise(() => undefined);
    server.start(host);
    server.onCommand(command(encodePlainHello(Buffer.from("u"), Buffer.from("p"))));
    expect(protocolCode(() => server.onCommand(command(encodeCommand("INITIATE"))))).toBe(
      "ERR_ZMTP_UNEXPECTED_COMMAND",
    );
  });
});

describe("NULL with ZAP (docs/protocol.md §3.5)", () => {
  it("with a ZAP domain, READY waits for ZAP; the peer's early READY waits too", async () => {
    const mech = new NullMechanism("global");
    const host = new FakeMechanismHost("ROUTER");
    host.zapReply = reply("200", "anon");
    mech.start(host);
    expect(host.zapRequests).toEqual([{ domain: "global", mechanism: "NULL", credentials: [] }]);
    expect(host.sent).toEqual([]);
    mech.onCommand(command(encodeCommand("READY", encodeProperties([["Socket-Type", "DEALER"]]))));
    expect(host.completed).toBeNull();
    await tick();
    expect(host.names()).toEqual(["READY"]);
    expect(host.completed?.get("User-Id")?.toString()).toBe("anon");
  });

  it("ZAP 400 → auth failure, no READY", async () => {
    const mech = new NullMechanism("global");
    const host = new FakeMechanismHost("ROUTER");
    host.zapReply = reply("400");
    mech.start(host);
    await tick();
    expect(host.authFailure).toBe(400);
    expect(host.sent).toEqual([]);
  });

  it("without a domain ZAP is not asked", () => {
    const mech = new NullMechanism("");
    const host = new FakeMechanismHost("ROUTER");
    host.zapReply = reply("400");
    mech.start(host);
    expect(host.zapRequests).toEqual([]);
    expect(host.names()).toEqual(["READY"]);
  });

  it("with a domain but no handler bound, READY goes at once", () => {
    const mech = new NullMechanism("global");
    const host = new FakeMechanismHost("ROUTER");
    mech.start(host);
    expect(host.names()).toEqual(["READY"]);
  });
});
