#!/usr/bin/env node
// `zmtp-worker ...` is `zmtp-broker worker ...` (and `zmtp worker ...` through zmtp's git-style commands).
process.argv.splice(2, 0, "worker");
await import("../dist/esm/cli.js");
