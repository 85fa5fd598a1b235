/**
 * The import rules of eslint.config.js catch a layer reaching up (issue 17): each case lints one
 * line as if it sat in the named file and expects the boundary rule to refuse it, or to let it by.
 */
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const eslint = new ESLint({ cwd: new URL("../../..", import.meta.url).pathname });

async function refused(filePath: string, source: string): Promise<boolean> {
  const [result] = await eslint.lintText(`${source}\nexport const used = x;\n`, { filePath });
  const rules = ["no-restricted-imports", "no-restricted-globals", "no-restricted-syntax"];
  return result!.messages.some((m) => rules.includes(m.ruleId ?? ""));
}

describe("layer boundaries", () => {
  it.each([
    ["src/zmtp/frame.ts", 'import { x } from "../sockets/pipe.js";', "the codec importing a socket layer"],
    ["src/zmtp/mechanisms/null.ts", 'import { x } from "../../api/socket.js";', "a mechanism importing the API"],
    ["src/zmtp/decoder.ts", 'import { x } from "node:net";', "the codec doing I/O"],
    ["src/zmtp/decoder.ts", 'import { x } from "../transports/tcp.js";', "the codec importing a transport"],
    ["src/zmtp/greeting.ts", "const x = setTimeout;", "the codec using a timer"],
    ["src/zmtp/engine.ts", 'import { x } from "node:net";', "the engine reaching Node's sockets"],
    ["src/transports/tcp.ts", 'import { x } from "../sockets/base.js";', "a transport importing sockets"],
    ["src/sockets/base.ts", 'import { x } from "../api/socket.js";', "sockets importing the public API"],
    ["src/sockets/routing/lb.ts", 'import { x } from "../../transports/tcp.js";', "routing importing a transport"],
    ["src/api/socket.ts", 'import { x } from "../cli/main.js";', "the library importing its CLI"],
    ["src/index.ts", 'import { x } from "prom-client";', "the library importing an application's dependency"],
    [
      "src/sockets/router.ts",
      'import { x } from "node:crypto";',
      "a Node module outside the platform seam's Node side",
    ],
    ["src/api/observer.ts", 'import { x } from "events";', "a bare Node module name in code a page runs"],
    ["src/zmtp/engine.ts", "const x = process.nextTick;", "a Node global in code a page runs"],
    ["src/api/socket.ts", "const x = setImmediate;", "setImmediate, which a page has not"],
    ["src/platform/browser/timers.ts", 'export { x } from "node:timers";', "the browser side of the seam using Node"],
    ["packages/monitor/src/agent/agent.ts", 'import { x } from "zmtp/internal";', "an application importing internals"],
    [
      "packages/monitor/src/agent/agent.ts",
      'import { x } from "../../../../src/sockets/base.js";',
      "an application importing library files",
    ],
  ])("%s: refuses %s (%s)", async (file, source) => {
    expect(await refused(file, source)).toBe(true);
  });

  it.each([
    ["src/zmtp/frame.ts", 'import { x } from "./decoder.js";'],
    ["src/zmtp/engine.ts", 'import { x } from "../transports/stream.js";'],
    ["src/platform/node/x25519.ts", 'import { x } from "node:crypto";'],
    ["src/transports/tcp.ts", 'import { x } from "node:net";'],
    ["src/zmtp/engine.ts", 'import { x } from "#platform/timers";'],
    ["src/sockets/pipe.ts", 'import { x } from "../zmtp/frame.js";'],
    ["src/cli/main.ts", 'import { x } from "../internal.js";'],
    ["packages/monitor/src/agent/agent.ts", 'import { x } from "zmtp/auth";'],
    ["packages/monitor/src/agent/agent.ts", 'import { x } from "../wire/codec.js";'],
  ])("%s: allows %s", async (file, source) => {
    expect(await refused(file, source)).toBe(false);
  });
});
