import { describe, expect, it } from "vitest";
import { Context, Dealer, Pair, Pull, Push, Reply, Request, Router } from "../../../src/index.js";
import { useHarness } from "../../helpers/sockets.js";

const h = useHarness();

/** Asserts that `fn` throws a ZmqError with the given code. */
function expectCode(fn: () => unknown, code: string): void {
  let thrown: unknown;
  try {
    fn();
  } catch (err) {
    thrown = err;
  }
  expect(thrown, `expected ${code} to be thrown`).toBeInstanceOf(Error);
  expect((thrown as { code?: string }).code).toBe(code);
}

describe("socket option defaults equal zeromq.js's", () => {
  it.each([
    ["linger", -1],
    ["sendHighWaterMark", 1000],
    ["receiveHighWaterMark", 1000],
    ["reconnectInterval", 100],
    ["reconnectMaxInterval", 0],
    ["handshakeInterval", 30000],
    ["maxMessageSize", -1],
    ["heartbeatTimeout", -1],
    ["backlog", 100],
    ["sendTimeout", -1],
    ["receiveTimeout", -1],
    ["immediate", false],
    ["routingId", null],
  ] as const)("%s defaults to %j", (name, value) => {
    const socket = h.track(new Dealer({ context: h.ctx }));
    expect(socket[name]).toBe(value);
  });

  it("type-specific flags are write-only as in zeromq.js: they read as undefined, mandatory as EINVAL", () => {
    const req = h.track(new Request({ context: h.ctx }));
    const router = h.track(new Router({ context: h.ctx }));
    expect(req.correlate).toBeUndefined();
    expect(req.relaxed).toBeUndefined();
    expect(req.probeRouter).toBeUndefined();
    expect(router.handover).toBeUndefined();
    // zeromq.js defines a getter, but libzmq 4.3 cannot read ZMQ_ROUTER_MANDATORY back.
    expectCode(() => router.mandatory, "EINVAL");
  });
});

describe("socket option validation", () => {
  it("numbers are converted as the binding converts them: linger 1.5 is 1", () => {
    const socket = h.track(new Dealer({ context: h.ctx }));
    socket.linger = 1.5;
    expect(socket.linger).toBe(1);
  });

  it.each([
    ["sendHighWaterMark", -5],
    ["receiveHighWaterMark", -1],
    ["linger", -2],
    ["reconnectInterval", -2],
  ] as const)("%s = %s throws EINVAL", (name, value) => {
    const socket = h.track(new Dealer({ context: h.ctx }));
    expectCode(() => {
      (socket as unknown as Record<string, unknown>)[name] = value;
    }, "EINVAL");
  });

  it("a rejected value leaves the previous value in place", () => {
    const socket = h.track(new Dealer({ context: h.ctx }));
    socket.sendHighWaterMark = 7;
    expectCode(() => (socket.sendHighWaterMark = -5), "EINVAL");
    expect(socket.sendHighWaterMark).toBe(7);
  });

  it.each([
    ["empty", ""],
    ["null", null],
    ["256 bytes long", "x".repeat(256)],
    ["256 bytes once UTF-8 encoded", "é".repeat(128)],
  ])("routingId %s throws EINVAL", (_what, value) => {
    const socket = h.track(new Dealer({ context: h.ctx }));
    expectCode(() => (socket.routingId = value), "EINVAL");
  });

  it("routingId accepts 1 to 255 bytes, also starting with a zero byte (libzmq 4.3 does)", () => {
    const socket = h.track(new Dealer({ context: h.ctx }));
    expect(socket.routingId).toBeNull();
    socket.routingId = "a";
    expect(socket.routingId).toBe("a");
    socket.routingId = "z".repeat(255);
    expect(socket.routingId).toBe("z".repeat(255));
    // Read back as a C string, as zeromq.js does: up to the first zero byte.
    socket.routingId = "\0abc";
    expect(socket.routingId).toBe("");
  });

  it.each([
    ["linger", "5"],
    ["sendHighWaterMark", true],
    ["immediate", 1],
    ["receiveTimeout", null],
    ["routingId", 42],
  ] as const)("%s = %j (wrong type) throws TypeError", (name, value) => {
    const socket = h.track(new Dealer({ context: h.ctx }));
    expect(() => {
      (socket as unknown as Record<string, unknown>)[name] = value;
    }).toThrow(TypeError);
  });

  it("accepts the boundary values -1 and 0 where zeromq.js does", () => {
    const socket = h.track(new Dealer({ context: h.ctx }));
    socket.linger = 0;
    socket.sendHighWaterMark = 0;
    socket.receiveTimeout = 0;
    socket.sendTimeout = -1;
    socket.reconnectInterval = -1;
    expect([
      socket.linger,
      socket.sendHighWaterMark,
      socket.receiveTimeout,
      socket.sendTimeout,
      socket.reconnectInterval,
    ]).toEqual([0, 0, 0, -1, -1]);
  });
});

describe("constructor options", () => {
  it("are applied from the constructor object", () => {
    const socket = h.track(
      new Dealer({
        context: h.ctx,
        linger: 0,
        sendHighWaterMark: 5,
        receiveHighWaterMark: 6,
        routingId: "abc",
        immediate: true,
      }),
    );
    expect(socket.linger).toBe(0);
    expect(socket.sendHighWaterMark).toBe(5);
    expect(socket.receiveHighWaterMark).toBe(6);
    expect(socket.routingId).toBe("abc");
    expect(socket.immediate).toBe(true);
    expect(socket.context).toBe(h.ctx);
  });

  it("an unknown option throws", () => {
    expect(() => new Dealer({ context: h.ctx, notAnOption: 1 } as never)).toThrow(TypeError);
  });

  it("an option of another socket type throws (PUSH has no routingId)", () => {
    expect(() => new Push({ context: h.ctx, routingId: "x" } as never)).toThrow();
  });

  it("an invalid value throws EINVAL from the constructor", () => {
    expectCode(() => new Dealer({ context: h.ctx, sendHighWaterMark: -5 }), "EINVAL");
  });
});

describe("options on a closed socket", () => {
  it("reading an option throws ENOTSOCK", () => {
    const socket = new Dealer({ context: h.ctx });
    socket.close();
    expectCode(() => socket.linger, "ENOTSOCK");
  });

  it("writing an option throws ENOTSOCK", () => {
    const socket = new Dealer({ context: h.ctx });
    socket.close();
    expectCode(() => (socket.sendHighWaterMark = 10), "ENOTSOCK");
  });

  it("closed is true and close() can be called again", () => {
    const socket = new Dealer({ context: h.ctx });
    socket.close();
    expect(socket.closed).toBe(true);
    expect(() => socket.close()).not.toThrow();
  });
});

describe("Context", () => {
  it("new Context({ blocky: false }) makes new sockets' linger 0", () => {
    const ctx = new Context({ blocky: false });
    const socket = h.track(new Dealer({ context: ctx }));
    expect(socket.linger).toBe(0);
  });

  it("an explicit linger still wins over a non-blocky context", () => {
    const ctx = new Context({ blocky: false });
    const socket = h.track(new Dealer({ context: ctx, linger: 250 }));
    expect(socket.linger).toBe(250);
  });

  it("a blocky context (the default) keeps linger -1", () => {
    const socket = h.track(new Dealer({ context: new Context({ blocky: true }) }));
    expect(socket.linger).toBe(-1);
  });

  it("rejects unknown options and wrong types", () => {
    expect(() => new Context({ nope: true } as never)).toThrow(TypeError);
    expect(() => new Context({ blocky: "no" } as never)).toThrow(TypeError);
  });
});

describe("socket type numbers match zeromq.js", () => {
  it.each([
    ["Pair", Pair, 0],
    ["Request", Request, 3],
    ["Reply", Reply, 4],
    ["Dealer", Dealer, 5],
    ["Router", Router, 6],
    ["Pull", Pull, 7],
    ["Push", Push, 8],
  ] as const)("%s.type is %i", (_name, cls, type) => {
    const socket = h.track(new cls({ context: h.ctx }));
    expect(socket.type).toBe(type);
  });
});
