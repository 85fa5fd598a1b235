/**
 * Properties of the draft sockets' codecs: RADIO/DISH groups over ZMTP (JOIN / LEAVE) and over
 * udp:// (the datagram layout), and DGRAM's address frames.
 */
import { isIPv4 } from "node:net";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeCommand } from "../../src/zmtp/command.js";
import {
  MAX_UDP_MSG,
  decodeDatagramAddress,
  decodeGroupDatagram,
  encodeDatagramAddress,
  encodeGroupDatagram,
  inetAddr,
} from "../../src/zmtp/datagram.js";
import {
  GROUP_MAX_LENGTH,
  decodeGroupCommand,
  groupCommand,
  groupCommandMessage,
  groupOf,
  isGroupCommand,
} from "../../src/zmtp/group.js";

const group = fc.uint8Array({ maxLength: GROUP_MAX_LENGTH }).map((a) => Buffer.from(a));
const body = fc.uint8Array({ maxLength: 2000 }).map((a) => Buffer.from(a));
const bytes = fc.uint8Array({ maxLength: MAX_UDP_MSG + 100 }).map((a) => Buffer.from(a));
const ipv4 = fc.ipV4();
const port = fc.integer({ min: 1, max: 65535 });

describe("JOIN / LEAVE", () => {
  it("a marked command message decodes to the join or leave and group it was made from", () => {
    fc.assert(
      fc.property(fc.boolean(), group, (join, g) => {
        const msg = groupCommandMessage(join, g);
        expect(isGroupCommand(msg)).toBe(true);
        expect(decodeGroupCommand(msg[0]!)).toEqual({ join, group: g });
        const cmd = decodeCommand(msg[0]!)!;
        expect(groupCommand(cmd.name, cmd.data)).toEqual({ join, group: g });
      }),
    );
  });

  it("arbitrary command bodies never throw; only JOIN / LEAVE with at most 255 bytes decode", () => {
    fc.assert(
      fc.property(bytes, (b) => {
        const decoded = decodeGroupCommand(b);
        if (decoded === null) return;
        expect(decoded.group.length).toBeLessThanOrEqual(GROUP_MAX_LENGTH);
        expect(b.subarray(0, decoded.join ? 5 : 6).toString("latin1")).toBe(decoded.join ? "\x04JOIN" : "\x05LEAVE");
      }),
    );
  });

  it("a group is read as a C string: up to its first NUL", () => {
    fc.assert(
      fc.property(group, (g) => {
        const cut = groupOf(g);
        expect(cut.includes(0)).toBe(false);
        expect(g.subarray(0, cut.length)).toEqual(cut);
        if (cut.length < g.length) expect(g[cut.length]).toBe(0);
      }),
    );
  });

  it("an unmarked message (made elsewhere, equal bytes) is no command", () => {
    fc.assert(fc.property(fc.boolean(), group, (join, g) => !isGroupCommand([groupCommandMessage(join, g)[0]!])));
  });
});

describe("RADIO / DISH datagrams", () => {
  it("encode then decode gives the group and body back, when the datagram fits libzmq's 8192 bytes", () => {
    fc.assert(
      fc.property(group, body, (g, b) => {
        const datagram = encodeGroupDatagram(g, b);
        expect(datagram.length).toBe(1 + g.length + b.length);
        expect(datagram[0]).toBe(g.length);
        expect(decodeGroupDatagram(datagram)).toEqual({ group: g, body: b });
      }),
    );
  });

  it("any datagram decodes without throwing, to views inside its first 8192 bytes, or to nothing", () => {
    fc.assert(
      fc.property(bytes, (b) => {
        const decoded = decodeGroupDatagram(b);
        if (decoded === null) {
          expect(b.length === 0 || Math.min(b.length, MAX_UDP_MSG) - 1 < b[0]!).toBe(true);
          return;
        }
        expect(decoded.group.length).toBe(b[0]);
        expect(1 + decoded.group.length + decoded.body.length).toBe(Math.min(b.length, MAX_UDP_MSG));
      }),
    );
  });
});

describe("DGRAM address frames", () => {
  it("the frame a DGRAM receives names an address a reply can be sent to", () => {
    fc.assert(
      fc.property(ipv4, port, (address, p) => {
        const frame = encodeDatagramAddress(address, p);
        expect(frame[frame.length - 1]).toBe(0);
        expect(decodeDatagramAddress(frame)).toEqual(
          address === "255.255.255.255" ? null : { address: normalise(address), port: p },
        );
      }),
    );
  });

  it("any bytes decode without throwing, to a dotted IPv4 address and a port 1..65535, or to nothing", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (b) => {
        const decoded = decodeDatagramAddress(Buffer.from(b));
        if (decoded === null) return;
        expect(isIPv4(decoded.address)).toBe(true);
        expect(decoded.port).toBeGreaterThanOrEqual(1);
        expect(decoded.port).toBeLessThanOrEqual(65535);
      }),
    );
  });

  it("inet_addr reads a dotted quad as its four bytes", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 }), (parts) => {
        const value = ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
        expect(inetAddr(parts.join("."))).toBe(value === 0xffffffff ? null : value);
      }),
    );
  });
});

/** fast-check's IPv4 addresses are canonical dotted quads already; this keeps the comparison explicit. */
function normalise(address: string): string {
  return address
    .split(".")
    .map((part) => String(Number(part)))
    .join(".");
}
