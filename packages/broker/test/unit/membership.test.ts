import { describe, expect, it } from "vitest";
import { Membership } from "../../src/network/membership.js";

const I = 100; // gossip interval, ms
const W = 3 * I; // the window: liveness 3
const self = { endpoint: "tcp://b0:1" };
const b1 = { endpoint: "tcp://b1:1" };
const b2 = { endpoint: "tcp://b2:1", publicKey: "k".repeat(40) };

const endpoints = (m: Membership, now: number): string[] => m.live(now).map((a) => a.endpoint);

describe("Membership (gossip state)", () => {
  it("lists itself first and a broker as live from its first message until the window after its last", () => {
    const m = new Membership(self, { interval: I, liveness: 3 });
    expect(m.heard(b1, 1000)).toBe(true);
    expect(m.heard(b1, 1000 + I)).toBe(false);
    expect(endpoints(m, 1000 + I + W)).toEqual([self.endpoint, b1.endpoint]);
    expect(endpoints(m, 1000 + I + W + 1)).toEqual([self.endpoint]);
  });

  it("does not make a broker live because others list it: only its own messages count", () => {
    const m = new Membership(self, { interval: I, liveness: 3 });
    expect(m.mentioned([self, b1, b2], 0)).toEqual([b1, b2]);
    expect(endpoints(m, 0)).toEqual([self.endpoint]);
    expect(m.known().map((a) => a.endpoint)).toEqual([b1.endpoint, b2.endpoint]);
    expect(m.mentioned([b1], 10)).toEqual([]); // known already
  });

  it("forgets a broker neither heard nor mentioned for a window, so a dead one is gone within two", () => {
    const m = new Membership(self, { interval: I, liveness: 3 });
    m.heard(b1, 0); // b1 dies right after this message
    m.mentioned([b1], 50); // a peer still listed it (it was live for that peer too)
    expect(m.prune(50 + W)).toEqual([]);
    expect(m.prune(50 + W + 1)).toEqual([b1]);
    expect(m.known()).toEqual([]);
  });

  it("keeps seeds whatever happens, and never lists or learns itself", () => {
    const m = new Membership(self, { interval: I, liveness: 3 });
    m.addSeed(b1);
    m.addSeed(self);
    expect(m.prune(1e9)).toEqual([]);
    expect(m.known()).toEqual([b1]);
    expect(m.heard(self, 0)).toBe(false);
    expect(m.mentioned([self], 0)).toEqual([]);
    expect(endpoints(m, 0)).toEqual([self.endpoint]);
  });

  it("keeps the public key a broker was first known with, and learns one it lacked", () => {
    const m = new Membership(null, { interval: I, liveness: 3 });
    m.addSeed({ endpoint: b2.endpoint });
    m.heard(b2, 0);
    expect(m.address(b2.endpoint)).toEqual(b2);
    expect(m.live(0)).toEqual([b2]);
  });
});
