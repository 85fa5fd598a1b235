/**
 * Scenarios where zmtp differs from zeromq.js today: scenario id → what differs (the summary the
 * harness prints: `field: zmtp's value, zeromq <zeromq.js's value>`). A listed scenario must still
 * differ exactly so. When a fix changes what differs, the test prints the new line; when it no
 * longer differs, delete the line. `node test/conformance/write-differences.mjs` regenerates it.
 */
export const differences: Record<string, string> = {
  // ---- endpoints: invalid addresses ----
  "endpoints: invalid addresses / bind":
    '"ws://127.0.0.1:5555": rejected Error "EPROTONOSUPPORT"(93) "Protocol not supported" address="ws://127.0.0.1:<eph…, zeromq resolved undefined',
  "endpoints: invalid addresses / connect":
    '"ws://127.0.0.1:5555": threw Error "EPROTONOSUPPORT"(93) "Protocol not supported" address="ws://127.0.0.1:<epheme…, zeromq returned undefined',
  "endpoints: invalid addresses / disconnect":
    '"ws://127.0.0.1:5555" message: "Protocol not supported", zeromq "No such endpoint"; "ws://127.0.0.1:5555" code: "EPROTONOSUPPORT", zeromq "ENOENT"; "ws://127.0.0.1:5555" errno: 93, zeromq 2',
  "endpoints: invalid addresses / unbind":
    '"ws://127.0.0.1:5555" message: "Protocol not supported", zeromq "No such endpoint"; "ws://127.0.0.1:5555" code: "EPROTONOSUPPORT", zeromq "ENOENT"; "ws://127.0.0.1:5555" errno: 93, zeromq 2',
  // ---- draft ----
  // libzmq resolves a RADIO's udp host name in connect(); Node.js has no synchronous lookup.
  "draft: udp endpoints / Radio connect udp://no.such.host.invalid:PORT / udp":
    'connect: returned undefined, zeromq threw Error "EINVAL"(22) "Invalid argument" address="udp://no.such.host.invalid:<port1>" {…; lastEndpoint: "no.such.host.invalid:<port1>", zeromq null',
  // ---- module ----
  "module / capability": "result tipc: false, zeromq true",
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
