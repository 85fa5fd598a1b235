#!/usr/bin/env node
// `zmtp-call ...` is `zmtp-broker call ...` (and `zmtp call ...` through zmtp's git-style commands).
process.argv.splice(2, 0, "call");
await import("../dist/esm/cli.js");
