/** The draft sockets' codecs by example: bytes libzmq 4.3.5 was seen to send and to accept. */
import { describe, expect, it } from "vitest";
import {
  decodeDatagramAddress,
  decodeGroupDatagram,
  encodeGroupDatagram,
  inetAddr,
} from "../../../src/zmtp/datagram.js";
import { decodeGroupCommand, groupCommandMessage, isGroupMessage } from "../../../src/zmtp/group.js";

describe("JOIN / LEAVE", () => {
  it("are libzmq's command bodies: name length, name, group", () => {
    // A zeromq.js DISH's JOIN for "a" on the wire: 04 06 04 'JOIN' 'a' (command flag, size, body).
    expect(groupCommandMessage(true, Buffer.from("a"))[0]).toEqual(Buffer.from("044a4f494e61", "hex"));
    expect(groupCommandMessage(false, Buffer.from("bb"))[0]).toEqual(Buffer.from("054c454156456262", "hex"));
  });

  it("other commands, and groups longer than 255 bytes, are not JOIN / LEAVE", () => {
    expect(decodeGroupCommand(Buffer.from("\x09SUBSCRIBEa", "latin1"))).toBeNull();
    expect(decodeGroupCommand(Buffer.from("\x04JOIx", "latin1"))).toBeNull();
    expect(decodeGroupCommand(Buffer.concat([Buffer.from("\x04JOIN"), Buffer.alloc(256)]))).toBeNull();
    expect(decodeGroupCommand(Buffer.from("\x04JOIN"))).toEqual({ join: true, group: Buffer.alloc(0) });
  });

  it("a DISH takes exactly a group of up to 255 bytes and a body", () => {
    expect(isGroupMessage([Buffer.alloc(255), Buffer.from("b")])).toBe(true);
    expect(isGroupMessage([Buffer.alloc(256), Buffer.from("b")])).toBe(false);
    expect(isGroupMessage([Buffer.from("g")])).toBe(false);
    expect(isGroupMessage([Buffer.from("g"), Buffer.from("a"), Buffer.from("b")])).toBe(false);
  });
});

describe("udp:// datagrams", () => {
  it("RADIO: group length, group, body", () => {
    expect(encodeGroupDatagram(Buffer.from("grp"), Buffer.from("body"))).toEqual(Buffer.from("\x03grpbody", "latin1"));
  });

  it("a datagram longer than 8192 bytes is read as its first 8192, as libzmq reads it", () => {
    const datagram = encodeGroupDatagram(Buffer.from("a"), Buffer.alloc(9000, 0x62));
    expect(decodeGroupDatagram(datagram)!.body.length).toBe(8190);
  });

  it("a group longer than what follows, and an empty datagram, decode to nothing", () => {
    expect(decodeGroupDatagram(Buffer.from([5, 0x61]))).toBeNull();
    expect(decodeGroupDatagram(Buffer.alloc(0))).toBeNull();
    expect(decodeGroupDatagram(Buffer.from([0]))).toEqual({ group: Buffer.alloc(0), body: Buffer.alloc(0) });
  });

  it("DGRAM addresses are read as libzmq's resolve_raw_address: inet_addr, then atoi, up to a NUL", () => {
    expect(decodeDatagramAddress(Buffer.from("127.0.0.1:5555\0"))).toEqual({ address: "127.0.0.1", port: 5555 });
    expect(decodeDatagramAddress(Buffer.from("127.1:80"))).toEqual({ address: "127.0.0.1", port: 80 });
    expect(decodeDatagramAddress(Buffer.from("0x7f.1:80x"))).toEqual({ address: "127.0.0.1", port: 80 });
    expect(decodeDatagramAddress(Buffer.from("10.0.0.1:70000"))).toEqual({ address: "10.0.0.1", port: 4464 });
    for (const bad of ["localhost:80", "127.0.0.1", "127.0.0.1:0", "1.2.3.4:x", "255.255.255.255:80", "[::1]:80"])
      expect(decodeDatagramAddress(Buffer.from(bad))).toBeNull();
  });

  // Checked against glibc's inet_aton (Python's socket.inet_aton).
  it("inet_addr: one to four parts, octal and hex, trailing text after a space", () => {
    expect(inetAddr("1")).toBe(1);
    expect(inetAddr("1.2")).toBe(0x01000002);
    expect(inetAddr("1.2.3")).toBe(0x01020003);
    expect(inetAddr("010.0x10.0.1")).toBe(0x08100001);
    expect(inetAddr("1.2.3.4 rest")).toBe(0x01020304);
    for (const bad of [
      "",
      "08",
      "1.2.3.4.5",
      "1.",
      "1..2",
      "256.0.0.1",
      "1.2.3.4x",
      "a.b.c.d",
      "4294967296",
      "0x",
      "0x.1",
      " 1.2.3.4",
    ])
      expect(inetAddr(bad)).toBeNull();
  });
});
