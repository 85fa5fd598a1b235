/**
 * `zmtp/browser` (and `zmtp` under a bundler's "browser" condition): zeromq.js v6's names, as the
 * main entry exports them, built for a page. The library is the same; what differs is the
 * platform seam (src/platform/browser/, chosen by package.json "imports"): no tcp, ipc or bind
 * (EPROTONOSUPPORT, ENOTSUP), no process to hold or exit, one thread, X25519 from @noble/curves
 * and Buffer from the `buffer` package. dist/browser/zmtp.js is this file bundled, with no
 * import left (scripts/browser-bundle.mjs).
 */
export * from "../index.js";
export { default } from "../index.js";
