/**
 * Scenarios where zmtp differs from zeromq.js today: scenario id → what differs (the summary the
 * harness prints: `field: zmtp's value, zeromq <zeromq.js's value>`). A listed scenario must still
 * differ exactly so. When a fix changes what differs, the test prints the new line; when it no
 * longer differs, delete the line. `node test/conformance/write-differences.mjs` regenerates it.
 */
export const differences: Record<string, string> = {
  // ---- draft: udp endpoints ----
  // libzmq resolves a RADIO's udp host name in connect(); Node.js has no synchronous lookup.
  "draft: udp endpoints / Radio connect udp://no.such.host.invalid:PORT / udp":
    'connect: returned undefined, zeromq threw Error "EINVAL"(22) "Invalid argument" address="udp://no.such.host.invalid:<port1>" {…; lastEndpoint: "no.such.host.invalid:<port1>", zeromq null',
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
  // ---- socksProxy failures ----
  // libzmq 4.3.5 aborts ("Bad file descriptor", epoll.cpp:86) when a socket closes after a failed
  // attempt through a SOCKS proxy: its socks connecter removes a poller handle it had removed already.
  "socksProxy failures / a proxy that cannot reach the endpoint, then close() / tcp":
    'exit: 0, zeromq "SIGABRT"; stdout [0…]: ["@end"], zeromq (absent)',
  // libzmq 4.3.5 aborts there too (the same stale handle).
  "socksProxy failures / a proxy that is not listening, then close() / tcp":
    'exit: 0, zeromq "SIGABRT"; stdout [0…]: ["@end"], zeromq (absent)',
  // ---- v5-compat: bindSync ----
  // zmtp's bindSync cannot block until the bind is done: a failure comes as an `error` event
  // (uncaught, it ends the process as the binding's throw does). README: v5 compatibility API.
  "v5-compat: bindSync / bindSync to an address in use / inproc":
    'bindSync: returned undefined, zeromq threw Error "EADDRINUSE"(98) "Address already in use" address="inproc://ep1" {address code…; until error: true, zeromq false; emitted [0…]: [["error", [Error "EADDRINUSE"(98) "Address already in use" address="inproc://ep1" {addres…, zeromq (absent)',
  "v5-compat: bindSync / bindSync to an address in use / tcp":
    'bindSync: returned undefined, zeromq threw Error "EADDRINUSE"(98) "Address already in use" address="tcp://127.0.0.1:<port1>" {a…; until error: true, zeromq false; emitted [0…]: [["error", [Error "EADDRINUSE"(98) "Address already in use" address="tcp://127.0.0.1:<port…, zeromq (absent)',
  // The bind completes on a later turn of the event loop: last_endpoint is null until then.
  "v5-compat: bindSync / last_endpoint right after bindSync / inproc": "at once: false, zeromq true",
  "v5-compat: bindSync / last_endpoint right after bindSync / tcp": "at once: false, zeromq true",
  // zeromq.js's unbindSync runs its bindSync (socket.cc registers BindSync under both names);
  // zmtp's unbinds, as the zmq package's did.
  "v5-compat: bindSync / unbindSync / inproc":
    'unbindSync bound: returned undefined, zeromq threw Error "EADDRINUSE"(98) "Address already in use" address="inproc://ep1" {address code…; emitted [0…]: [["error", [Error "ENOENT"(2) "No such endpoint" address="inproc://ep2" {address code errn…, zeromq (absent)',
  "v5-compat: bindSync / unbindSync / tcp":
    'unbindSync bound: returned undefined, zeromq threw Error "EADDRINUSE"(98) "Address already in use" address="tcp://127.0.0.1:<port1>" {a…; emitted [0…]: [["error", [Error "ENOENT"(2) "No such endpoint" address="tcp://127.0.0.1:<port2>" {addres…, zeromq (absent)',
  // ---- v5-compat: internals ----
  // zeromq.js drives sending with a listener of its own event, which removeAllListeners() removes.
  "v5-compat: internals / removeAllListeners, then send / inproc": "until message: true, zeromq false",
  // zmtp keeps its state in private fields.
  "v5-compat: internals / the binding's underscored fields":
    'result value[0]: "undefined", zeromq "object"; result value[1]: "undefined", zeromq "object"; result value[2]: "undefined", zeromq "object"; result value[3]: "undefined", zeromq "object"; result value[4]: "undefined", zeromq "boolean"; result value[5]: "undefined", zeromq "function"; result value[6]: "undefined", zeromq "function"',
  // ---- v5-compat: process ----
  // The failed bindSync ends the process with the same error, but on the next tick: the code
  // after the call still runs.
  "v5-compat: process / bindSync to an address in use, not caught, ends the process / inproc":
    'stdout [1…]: ["after bindSync"], zeromq (absent)',
  "v5-compat: process / bindSync to an address in use, not caught, ends the process / tcp":
    'stdout [1…]: ["after bindSync"], zeromq (absent)',
  // ---- worker threads ----
  // zeromq.js aborts the process (SIGABRT) when a worker is terminated while a receive is pending.
  "worker threads / a worker terminated with sockets open / tcp":
    'exit: 0, zeromq "SIGABRT"; stdout [0…]: ["@end", "terminated 1"], zeromq (absent)',
};
