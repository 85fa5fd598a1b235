/**
 * Peers that fail the greeting (docs/protocol.md §1): each bad connection is closed, and the socket keeps
 * serving its good peer, ours or libzmq.
 */
import { describe, expect, it } from "vitest";
import { LIBZMQ_SIGNATURE, greeting } from "../helpers/raw-peer.js";
import { until } from "../helpers/time.js";
import { GOOD_KINDS, rawClient, record, servingPull, useFaultGuard, waitEvent } from "./fixtures.js";

useFaultGuard();

describe.each(GOOD_KINDS)("our bound PULL serving a good %s PUSH", (good) => {
  it("closes a peer that sends garbage instead of a greeting", async () => {
    const { endpoint, pull, expectServing } = await servingPull(good);
    const failed = waitEvent(pull, "handshake:error:protocol");
    const peer = await rawClient(endpoint);
    peer.send(Buffer.from("GET / HTTP/1.1\r\nHost: example\r\n\r\n"));
    await peer.waitClose();
    expect((await failed).address).toBe(endpoint);
    await expectServing();
  });

  it("closes a peer whose signature ends without bit 0 set, after its 10th byte", async () => {
    const { endpoint, expectServing } = await servingPull(good);
    const peer = await rawClient(endpoint);
    const bad = Buffer.from(LIBZMQ_SIGNATURE);
    bad[9] = 0x7e;
    // Only the signature: we must not wait for 64 bytes to refuse it (docs/protocol.md §1.2).
    peer.send(bad);
    await peer.waitClose();
    await expectServing();
  });

  it.each([
    ["ZMTP 2.0 (major 1)", 1],
    ["ZMTP 1.0 with version (major 0)", 0],
  ])("closes a %s peer after its version byte", async (_name, major) => {
    const { endpoint, expectServing } = await servingPull(good);
    const peer = await rawClient(endpoint);
    // A 2.0 peer sends signature + major and then waits for ours (docs/protocol.md §1.3).
    peer.send(LIBZMQ_SIGNATURE, Buffer.from([major]));
    await peer.waitClose();
    await expectServing();
  });

  it('closes a "PLAIN" peer talking to our NULL socket with ERR_ZMTP_MECHANISM_MISMATCH (docs/protocol.md §1.1)', async () => {
    const { endpoint, pull, expectServing } = await servingPull(good);
    const seen = record(pull, ["handshake", "handshake:error:protocol"]);
    const peer = await rawClient(endpoint);
    peer.send(greeting({ mechanism: "PLAIN" }));
    await peer.waitClose();
    await expectServing();
    const errors = seen.filter((e) => e.type === "handshake:error:protocol");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ address: endpoint, error: { code: "ERR_ZMTP_MECHANISM_MISMATCH" } });
  });

  it('closes a peer whose mechanism differs only after the NUL padding ("NULL\\0X")', async () => {
    const { endpoint, expectServing } = await servingPull(good);
    const peer = await rawClient(endpoint);
    const bytes = greeting();
    bytes[17] = 0x58; // all 20 bytes are compared, not a trimmed string (RFC 23 §2.3)
    peer.send(bytes);
    await peer.waitClose();
    await expectServing();
  });

  it("survives a peer that hangs up in the middle of the greeting (docs/protocol.md §1.1)", async () => {
    const { endpoint, pull, expectServing } = await servingPull(good);
    const disconnected = waitEvent(pull, "disconnect");
    const before = pull.statistics.bytesIn;
    const peer = await rawClient(endpoint);
    peer.send(greeting().subarray(0, 30));
    await until(() => pull.statistics.bytesIn >= before + 30, undefined, "the first 30 greeting bytes read");
    peer.socket.end();
    await disconnected;
    await expectServing();
  });
});
