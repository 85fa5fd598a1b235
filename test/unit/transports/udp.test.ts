/**
 * udp:// addresses as libzmq 4.3.5 reads them. The expected outcomes were read off the zeromq
 * package (a DISH's bind, a RADIO's connect, each address; PORT: a free port); the conformance suite
 * checks the same against the binding on every run.
 */
import { describe, expect, it } from "vitest";
import type { DatagramHandler, DatagramLink } from "../../../src/transports/datagram.js";
import { parseUdp } from "../../../src/transports/udp-address.js";
import { udp } from "../../../src/transports/udp.js";
import { freeUdpPort } from "../../helpers/udp.js";

const OPTIONS = { ipv6: false, multicastLoop: true, multicastHops: 1 };
const NO_HANDLER: DatagramHandler = { message: () => undefined, sent: () => undefined };

/** How a bind of `uri` ends: "ok" (the link is closed again) or the error code. */
async function bindOutcome(uri: string): Promise<string> {
  let link: DatagramLink;
  try {
    link = await udp.open(uri, "bind", OPTIONS, NO_HANDLER);
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  }
  link.close();
  return "ok";
}

function connectOutcome(uri: string): string {
  try {
    udp.checkConnect(uri, OPTIONS);
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  }
  return "ok";
}

describe("udp:// bind (DISH, DGRAM)", () => {
  it.each([
    ["udp://127.0.0.1:PORT", "ok"],
    ["udp://*:PORT", "ok"],
    ["udp://*:*", "ok"],
    ["udp://lo:PORT", "ok"],
    ["udp://localhost:PORT", "ok"],
    // atoi into a uint16: 70000 binds port 4464.
    ["udp://127.0.0.1:70000", "ok"],
    // Not a local address: libzmq's engine fails quietly, the bind succeeds.
    ["udp://198.51.100.7:PORT", "ok"],
    ["udp://239.1.2.3:PORT", "ok"],
    ["udp://*;239.1.2.3:PORT", "ok"],
    ["udp://127.0.0.1;239.1.2.3:PORT", "ok"],
    ["udp://lo;239.1.2.3:PORT", "ok"],
    ["udp://127.0.0.1", "EINVAL"],
    ["udp://127.0.0.1:abc", "EINVAL"],
    ["udp://127.0.0.1;127.0.0.1:PORT", "EINVAL"],
    ["udp://239.1.1.1;239.1.2.3:PORT", "EINVAL"],
    ["udp://300.1.1.1:PORT", "ENODEV"],
    ["udp://[::1]:PORT", "ENODEV"],
    ["udp://:PORT", "ENODEV"],
    ["udp://127.0.0.1:5;239.1.2.3:PORT", "ENODEV"],
    ["udp://nosuchnic0;239.1.2.3:PORT", "ENODEV"],
    ["udp://no.such.host.invalid:PORT", "ENODEV"],
  ])("%s: %s", async (uri, outcome) => {
    expect(await bindOutcome(uri.replace("PORT", String(await freeUdpPort())))).toBe(outcome);
  });
});

describe("udp:// connect (RADIO)", () => {
  it.each([
    ["udp://127.0.0.1:5555", "ok"],
    ["udp://127.0.0.1:0", "ok"],
    ["udp://239.1.2.3:5555", "ok"],
    ["udp://127.0.0.1;239.1.2.3:5555", "ok"],
    ["udp://localhost:5555", "ok"],
    ["udp://*:5555", "EINVAL"],
    ["udp://127.0.0.1:*", "EINVAL"],
    ["udp://127.0.0.1", "EINVAL"],
    ["udp://[::1]:5555", "EINVAL"],
    ["udp://127.0.0.1;127.0.0.1:5555", "EINVAL"],
    ["udp://nosuchnic0;239.1.2.3:5555", "ENODEV"],
  ])("%s: %s", (uri, outcome) => {
    expect(connectOutcome(uri)).toBe(outcome);
  });

  it("a host name is looked up when the link opens: one that does not resolve fails then, with EINVAL", async () => {
    expect(connectOutcome("udp://no.such.host.invalid:5555")).toBe("ok");
    await expect(udp.open("udp://no.such.host.invalid:5555", "connect", OPTIONS, NO_HANDLER)).rejects.toMatchObject({
      code: "EINVAL",
    });
  });
});

describe("parseUdp", () => {
  it("splits source, host (brackets removed) and port", () => {
    expect(parseUdp("u", "eth0;[ff02::1]:5555", true)).toEqual({ source: "eth0", host: "ff02::1", port: 5555 });
    expect(parseUdp("u", "*:*", true)).toEqual({ source: null, host: "*", port: 0 });
    expect(parseUdp("u", "h:0", false)).toEqual({ source: null, host: "h", port: 0 });
  });
});
