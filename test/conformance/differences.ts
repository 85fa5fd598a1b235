/**
 * Scenarios where zmtp differs from zeromq.js today: scenario id → what differs (the summary the
 * harness prints: `field: zmtp's value, zeromq <zeromq.js's value>`). A listed scenario must still
 * differ exactly so. When a fix changes what differs, the test prints the new line; when it no
 * longer differs, delete the line. `node test/conformance/write-differences.mjs` regenerates it.
 */
export const differences: Record<string, string> = {
  // ---- endpoints: invalid addresses ----
  // zeromq.js's prebuilt libzmq has ws but no wss (EPROTONOSUPPORT); zmtp has both (a wss bind
  // needs wssCertPem and wssKeyPem: EINVAL without them).
  "endpoints: invalid addresses / bind":
    '"wss://127.0.0.1:5555/x" message: "Invalid argument", zeromq "Protocol not supported"; "wss://127.0.0.1:5555/x" code: "EINVAL", zeromq "EPROTONOSUPPORT"; "wss://127.0.0.1:5555/x" errno: 22, zeromq 93',
  // zeromq.js's prebuilt libzmq has no wss.
  "endpoints: invalid addresses / connect":
    '"wss://127.0.0.1:5555/x": returned undefined, zeromq threw Error "EPROTONOSUPPORT"(93) "Protocol not supported" address="wss://127.0.0.1:<ephem…',
  // zeromq.js's prebuilt libzmq has no wss.
  "endpoints: invalid addresses / disconnect":
    '"wss://127.0.0.1:5555/x" message: "No such endpoint", zeromq "Protocol not supported"; "wss://127.0.0.1:5555/x" code: "ENOENT", zeromq "EPROTONOSUPPORT"; "wss://127.0.0.1:5555/x" errno: 2, zeromq 93',
  // zeromq.js's prebuilt libzmq has no wss.
  "endpoints: invalid addresses / unbind":
    '"wss://127.0.0.1:5555/x" message: "No such endpoint", zeromq "Protocol not supported"; "wss://127.0.0.1:5555/x" code: "ENOENT", zeromq "EPROTONOSUPPORT"; "wss://127.0.0.1:5555/x" errno: 2, zeromq 93',
  // ---- module ----
  "module / capability": "result tipc: false, zeromq true; result draft: false, zeromq true",
  // ---- security ----
  "security / CURVE accepted / ipc":
    'zap request [3…]: (absent), zeromq ["localhost:0:0:<pid>"]; zap request [4…]: [""], zeromq (absent)',
  "security / CURVE refused by the ZAP handler / ipc":
    'zap request [3…]: (absent), zeromq ["localhost:0:0:<pid>"]; zap request [4…]: [""], zeromq (absent)',
  "security / NULL with a ZAP domain, accepted / ipc":
    'zap request [3…]: (absent), zeromq ["localhost:0:0:<pid>"]; zap request [4…]: [""], zeromq (absent)',
  "security / NULL with a ZAP domain, refused / ipc":
    'zap request [3…]: (absent), zeromq ["localhost:0:0:<pid>"]; zap request [4…]: [""], zeromq (absent)',
  "security / PLAIN accepted by the ZAP handler / ipc":
    'zap request [3…]: (absent), zeromq ["localhost:0:0:<pid>"]; zap request [4…]: [""], zeromq (absent)',
  "security / PLAIN refused by the ZAP handler (400) / ipc":
    'zap request [3…]: (absent), zeromq ["localhost:0:0:<pid>"]; zap request [4…]: [""], zeromq (absent)',
  "security / PLAIN, ZAP handler answers 300 / ipc":
    'zap request [3…]: (absent), zeromq ["localhost:0:0:<pid>"]; zap request [4…]: [""], zeromq (absent)',
  "security / PLAIN, ZAP handler answers 500 / ipc":
    'zap request [3…]: (absent), zeromq ["localhost:0:0:<pid>"]; zap request [4…]: [""], zeromq (absent)',
  "security / PLAIN, ZAP handler answers an invalid status / ipc":
    'zap request [3…]: (absent), zeromq ["localhost:0:0:<pid>"]; zap request [4…]: [""], zeromq (absent)',
  "security / PLAIN, ZAP reply with too few frames / ipc":
    'zap request [3…]: (absent), zeromq ["localhost:0:0:<pid>"]; zap request [4…]: [""], zeromq (absent)',
  // ---- worker threads ----
  // zeromq.js aborts the process (SIGABRT) when a worker is terminated while a receive is pending.
  "worker threads / a worker terminated with sockets open / tcp":
    'exit: 0, zeromq "SIGABRT"; stdout [0…]: ["@end", "terminated 1"], zeromq (absent)',
};
