import { join } from "node:path";
import { expect, it } from "vitest";
import { ROOT, runWith, stdoutLines } from "../helpers/readme-examples.js";
import { DENO_FLAGS, runtimeSuite, type RuntimeBug } from "./suite.js";

const WORKER_BEFORE_EXIT: RuntimeBug = {
  example: "worker-inproc",
  summary:
    "a worker thread never emits process 'beforeExit', where zmtp keeps the worker alive until a closed socket's " +
    "queued messages are delivered: the worker ends first and its message is lost (the example waits forever)",
  repro: "test/runtimes/repro/worker-before-exit.mjs",
  fixed: "beforeExit emitted in the worker",
};

it("the worker 'beforeExit' repro shows the behaviour zmtp relies on under this Node", async () => {
  const result = await runWith([process.execPath], join(ROOT, WORKER_BEFORE_EXIT.repro), ROOT);
  expect(result.code, result.stderr).toBe(0);
  expect(stdoutLines(result.stdout)).toEqual([WORKER_BEFORE_EXIT.fixed]);
});

runtimeSuite({ name: "deno", flags: DENO_FLAGS, bugs: [WORKER_BEFORE_EXIT] });
