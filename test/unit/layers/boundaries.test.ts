/**
 * The import rules of eslint.config.js catch a layer reaching up (issue 17): each case lints one
 * line as if it sat in the named file and expects the boundary rule to refuse it, or to let it by.
 */
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const eslint = new ESLint({ cwd: new URL("../../..", import.meta.url).pathname });

async function refused(filePath: string, source: string): Promise<boolean> {
  const [result] = await eslint.lintText(`${source}\nexport const used = x;\n`, { filePath });
  return result!.messages.some((m) => m.ruleId === "no-restricted-imports" || m.ruleId === "no-restricted-globals");
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
    ["packages/monitor/src/agent/agent.ts", 'import { x } from "zmtp/internal";', "an application importing internals"],
    [
      "packages/monitor/src/agent/agent.ts",
      'import { x } from "../../../../src/sockets/base.js";',
      "an application importing library files",
    ],
    ["src/api/socket.ts", 'import { x } from "zmtp-broker";', "the library importing the broker application"],
    [
      "packages/broker/src/network/broker.ts",
      'import { x } from "../../../../test/helpers/time.js";',
      "an application's code importing the repository's test helpers",
    ],
    [
      "packages/broker/test/network/faults.test.ts",
      'import { x } from "../../../../src/sockets/base.js";',
      "an application's test importing library files",
    ],
    [
      "packages/broker/test/network/faults.test.ts",
      'import { x } from "../../../../test/unit/readme.test.js";',
      "an application's test importing the library's tests",
    ],
  ])("%s: refuses %s (%s)", async (file, source) => {
    expect(await refused(file, source)).toBe(true);
  });

  it.each([
    ["src/zmtp/frame.ts", 'import { x } from "./decoder.js";'],
    ["src/zmtp/engine.ts", 'import { x } from "../transports/stream.js";'],
    ["src/sockets/pipe.ts", 'import { x } from "../zmtp/frame.js";'],
    ["src/cli/main.ts", 'import { x } from "../internal.js";'],
    ["packages/monitor/src/agent/agent.ts", 'import { x } from "zmtp/auth";'],
    ["packages/monitor/src/agent/agent.ts", 'import { x } from "../wire/codec.js";'],
    ["packages/broker/test/network/faults.test.ts", 'import { x } from "../../../../test/helpers/time.js";'],
  ])("%s: allows %s", async (file, source) => {
    expect(await refused(file, source)).toBe(false);
  });
});
