/**
 * Scenarios where zmtp differs from zeromq.js today: scenario id → what differs (the summary the
 * harness prints: `field: zmtp's value, zeromq <zeromq.js's value>`). A listed scenario must still
 * differ exactly so. When a fix changes what differs, the test prints the new line; when it no
 * longer differs, delete the line. `node test/conformance/write-differences.mjs` regenerates it.
 */
export const differences: Record<string, string> = {
  // ---- constructors: Context ----
  "constructors: Context / arguments":
    "without new message: \"Class constructor Context cannot be invoked without 'new'\", zeromq \"Class constructors cannot be invoked without 'new'\"",
  // ---- constructors: Observer ----
  "constructors: Observer / arguments":
    "without new message: \"Class constructor Observer cannot be invoked without 'new'\", zeromq \"Class constructors cannot be invoked without 'new'\"",
  // ---- constructors: Proxy ----
  "constructors: Proxy / arguments":
    "without new message: \"Class constructor Proxy cannot be invoked without 'new'\", zeromq \"Class constructors cannot be invoked without 'new'\"",
  // ---- constructors: socket classes ----
  "constructors: socket classes / methods each type has":
    "XPublisher methods[7…]: [\"subscribe\", \"unsubscribe\"], zeromq (absent)",
  // ---- endpoints: invalid addresses ----
  "endpoints: invalid addresses / bind":
    "\"tcp://127.0.0.1:-1\": rejected Error \"EINVAL\"(22) \"Invalid argument\" address=\"tcp://127.0.0.1:-1\" {address code …, zeromq resolved undefined; \"tcp://:5555\", \"tcp://256.0.0.1:5555\", \"tcp://[::1\" message: \"Invalid argument\", zeromq \"No such device\"; \"tcp://:5555\", \"tcp://256.0.0.1:5555\", \"tcp://[::1\" code: \"EINVAL\", zeromq \"ENODEV\"; … and 11 more",
  "endpoints: invalid addresses / connect":
    "\"tcp://127.0.0.1:65536\": threw Error \"EINVAL\"(22) \"Invalid argument\" address=\"tcp://127.0.0.1:<ephemeral2>\" {addres…, zeromq returned undefined; \"tcp://:5555\": threw Error \"EINVAL\"(22) \"Invalid argument\" address=\"tcp://:5555\" {address code errno mess…, zeromq returned undefined; … and 6 more",
  "endpoints: invalid addresses / disconnect":
    "\"tcp://127.0.0.1\", \"tcp://127.0.0.1:\" (+4) message: \"Invalid argument\", zeromq \"No such endpoint\"; \"tcp://127.0.0.1\", \"tcp://127.0.0.1:\" (+4) code: \"EINVAL\", zeromq \"ENOENT\"; \"tcp://127.0.0.1\", \"tcp://127.0.0.1:\" (+4) errno: 22, zeromq 2; \"udp://127.0.0.1:5555\" message: \"Protocol not supported\", zeromq \"The protocol is not compatible with the socket type\"; … and 5 more",
  "endpoints: invalid addresses / unbind":
    "\"tcp://127.0.0.1\", \"tcp://127.0.0.1:\" (+4) message: \"Invalid argument\", zeromq \"No such endpoint\"; \"tcp://127.0.0.1\", \"tcp://127.0.0.1:\" (+4) code: \"EINVAL\", zeromq \"ENOENT\"; \"tcp://127.0.0.1\", \"tcp://127.0.0.1:\" (+4) errno: 22, zeromq 2; \"udp://127.0.0.1:5555\" message: \"Protocol not supported\", zeromq \"The protocol is not compatible with the socket type\"; … and 5 more",
  // ---- endpoints: twice ----
  "endpoints: twice / bind an endpoint another socket has bound / ipc":
    "second: rejected Error \"EADDRINUSE\"(98) \"Address already in use\" address=\"ipc://<dir>/ep1\" {addres…, zeromq resolved undefined",
  "endpoints: twice / bind the same endpoint twice / ipc":
    "bind again: rejected Error \"EADDRINUSE\"(98) \"Address already in use\" address=\"ipc://<dir>/ep1\" {addres…, zeromq resolved undefined",
  "endpoints: twice / unbind a connected endpoint, disconnect a bound one / inproc":
    "disconnect the bound: threw Error \"ENOENT\"(2) \"No such endpoint\" address=\"inproc://ep1\" {address code errno mess…, zeromq returned undefined; unbind the connected: rejected Error \"ENOENT\"(2) \"No such endpoint\" address=\"inproc://ep2\" {address code errno m…, zeromq resolved undefined",
  "endpoints: twice / unbind a connected endpoint, disconnect a bound one / ipc":
    "disconnect the bound: threw Error \"ENOENT\"(2) \"No such endpoint\" address=\"ipc://<dir>/ep1\" {address code errno m…, zeromq returned undefined; unbind the connected: rejected Error \"ENOENT\"(2) \"No such endpoint\" address=\"ipc://<dir>/ep2\" {address code errn…, zeromq resolved undefined",
  "endpoints: twice / unbind a connected endpoint, disconnect a bound one / tcp":
    "disconnect the bound: threw Error \"ENOENT\"(2) \"No such endpoint\" address=\"tcp://127.0.0.1:<port1>\" {address code…, zeromq returned undefined; unbind the connected: rejected Error \"ENOENT\"(2) \"No such endpoint\" address=\"tcp://127.0.0.1:<port2>\" {address c…, zeromq resolved undefined",
  // ---- endpoints: wildcards and names ----
  "endpoints: wildcards and names / bind ipc://*":
    "lastEndpoint shape: \"ipc://<path1>\", zeromq \"ipc://<random>/<random>\"",
  "endpoints: wildcards and names / connect with a source address":
    "connect: threw Error \"EINVAL\"(22) \"Invalid argument\" address=\"tcp://127.0.0.1:0;127.0.0.1:<ephemera…, zeromq returned undefined",
  "endpoints: wildcards and names / lastEndpoint after connect / inproc":
    "lastEndpoint: null, zeromq \"inproc://ep1\"",
  "endpoints: wildcards and names / lastEndpoint after connect / ipc":
    "lastEndpoint: null, zeromq \"ipc://<dir>/ep1\"",
  "endpoints: wildcards and names / lastEndpoint after connect / tcp":
    "lastEndpoint: null, zeromq \"tcp://127.0.0.1:<port1>\"",
  "endpoints: wildcards and names / unbind a wildcard":
    "unbind: resolved undefined, zeromq rejected Error \"ENOENT\"(2) \"No such endpoint\" address=\"tcp://127.0.0.1:*\" {address code er…",
  // ---- events: Observer ----
  "events: Observer / on and off":
    "on returns, off returns: true, zeromq false",
  "events: Observer / on with a bad listener":
    "on(1, fn): <Observer>, zeromq EventEmitter {_events: {1: function }, _eventsCount: 1, _maxListeners: undefined}; on unknown type: <Observer>, zeromq EventEmitter {_events: {1: function , nonsense: function }, _eventsCount: 2, _maxListeners…",
  // ---- events: sequences ----
  "events: sequences / bind fails / ipc":
    "events [0].type: \"bind:error\", zeromq \"bind\"; events [0].error: Error \"EADDRINUSE\"(98) \"Address already in use\" {code errno message stack}, zeromq (absent); bind: rejected Error \"EADDRINUSE\"(98) \"Address already in use\" address=\"ipc://<dir>/ep1\" {addres…, zeromq resolved undefined",
  "events: sequences / bind fails / tcp":
    "events [0].type: \"bind:error\", zeromq \"close\"; events [0].address: \"tcp://127.0.0.1:<port1>\", zeromq (absent); events [0].error: Error \"EADDRINUSE\"(98) \"Address already in use\" {code errno message stack}, zeromq (absent); events [1…]: (absent), zeromq [{type: \"bind:error\", address: \"127.0.0.1:<port1>\", error: Error \"EADDRINUSE\"(98) \"Address…; … and 1 more",
  "events: sequences / bind, then close / inproc":
    "events [0…]: [{type: \"bind\", address: \"inproc://ep1\"}], zeromq (absent)",
  "events: sequences / bind, then unbind / inproc":
    "events [0…]: [{type: \"bind\", address: \"inproc://ep1\"}], zeromq (absent); before close [0…]: [\"bind\"], zeromq (absent)",
  "events: sequences / connect and accept / inproc":
    "server events [0…]: [{type: \"bind\", address: \"inproc://ep1\"}], zeromq (absent)",
  "events: sequences / connect and accept / ipc":
    "client events [0…]: [{type: \"connect:delay\", address: \"ipc://<dir>/ep1\"}], zeromq (absent)",
  "events: sequences / connect to a dead endpoint / ipc":
    "events [0…]: [{type: \"connect:delay\", address: \"ipc://<dir>/ep1\"}], zeromq (absent); events, first events [3…]: [{type: \"connect:delay\", address: \"ipc://<dir>/ep1\"}], zeromq (absent); first events [0].type: \"connect:delay\", zeromq \"close\"; first events [1…]: (absent), zeromq [{type: \"connect:retry\", address: \"ipc://<dir>/ep1\", interval: \"1×20ms\"}]",
  "events: sequences / disconnect / ipc":
    "client events [0…]: [{type: \"connect:delay\", address: \"ipc://<dir>/ep1\"}], zeromq (absent)",
  "events: sequences / the peer closes / ipc":
    "client events [0…]: [{type: \"connect:delay\", address: \"ipc://<dir>/ep1\"}], zeromq (absent); client events [3…]: [{type: \"disconnect\", address: \"ipc://<dir>/ep1\"}, {type: \"connect:retry\", address: \"ipc:/…, zeromq (absent); until client events disconnect×1: true, zeromq false",
  "events: sequences / the peer closes / tcp":
    "client events [3…]: [{type: \"disconnect\", address: \"tcp://127.0.0.1:<port1>\"}, {type: \"connect:retry\", address…, zeromq (absent); until client events disconnect×1: true, zeromq false",
  // ---- messages: send types ----
  "messages: send types / a DataView / inproc":
    "send: resolved undefined, zeromq threw Error \"Invalid argument\" {message stack}; receive: resolved [Buffer(0x0809)], zeromq pending; settled: resolved undefined, zeromq (absent)",
  "messages: send types / a DataView / ipc":
    "send: resolved undefined, zeromq threw Error \"Invalid argument\" {message stack}; receive: resolved [Buffer(0x0809)], zeromq pending; settled: resolved undefined, zeromq (absent)",
  "messages: send types / a DataView / tcp":
    "send: resolved undefined, zeromq threw Error \"Invalid argument\" {message stack}; receive: resolved [Buffer(0x0809)], zeromq pending; settled: resolved undefined, zeromq (absent)",
  "messages: send types / an empty array / inproc":
    "receive: resolved [], zeromq pending",
  "messages: send types / an empty array / ipc":
    "receive: resolved [Buffer(0x)], zeromq pending",
  "messages: send types / an empty array / tcp":
    "receive: resolved [Buffer(0x)], zeromq pending",
  // ---- module ----
  "module / capability":
    "result tipc: false, zeromq true; result draft: false, zeromq true",
  // ---- process life ----
  "process life / a bound socket never closed / ipc":
    "exit: \"hangs\", zeromq 0",
  "process life / a bound socket never closed / tcp":
    "exit: \"hangs\", zeromq 0",
  "process life / a connected pair with heartbeats never closed / ipc":
    "exit: \"hangs\", zeromq 0",
  "process life / a connected pair with heartbeats never closed / tcp":
    "exit: \"hangs\", zeromq 0",
  "process life / a message delivered before close, linger -1 / ipc":
    "exit: \"hangs\", zeromq 0",
  "process life / a message delivered before close, linger -1 / tcp":
    "exit: \"hangs\", zeromq 0",
  "process life / a pending send with sendTimeout ends / tcp":
    "exit: \"hangs\", zeromq 0",
  "process life / a queued message, socket closed, linger -1 / ipc":
    "warnings: (absent), zeromq [\"WARNING: Waiting for queued ZeroMQ messages to be delivered. Set 'context.blocky = false…",
  "process life / a queued message, socket closed, linger -1 / tcp":
    "warnings: (absent), zeromq [\"WARNING: Waiting for queued ZeroMQ messages to be delivered. Set 'context.blocky = false…",
  "process life / a queued message, socket closed, linger 1000 / tcp":
    "stdout [1]: \"after linger true\", zeromq \"after linger false\"; warnings: (absent), zeromq [\"WARNING: Waiting for queued ZeroMQ messages to be delivered. Set 'context.blocky = false…",
  "process life / a queued message, socket never closed, linger -1 / ipc":
    "warnings: (absent), zeromq [\"WARNING: Waiting for queued ZeroMQ messages to be delivered. Set 'context.blocky = false…",
  "process life / a queued message, socket never closed, linger -1 / tcp":
    "warnings: (absent), zeromq [\"WARNING: Waiting for queued ZeroMQ messages to be delivered. Set 'context.blocky = false…",
  "process life / a socket connected to nothing never closed / ipc":
    "exit: \"hangs\", zeromq 0",
  "process life / a socket connected to nothing never closed / tcp":
    "exit: \"hangs\", zeromq 0",
  "process life / an idle socket with events being read / inproc":
    "stdout [1…]: [\"event bind\"], zeromq (absent)",
  "process life / context.blocky = false after the socket was made / tcp":
    "warnings: (absent), zeromq [\"WARNING: Waiting for queued ZeroMQ messages to be delivered.\"]",
  // ---- security ----
  "security / CURVE accepted / ipc":
    "client events [0…]: [{type: \"connect:delay\", address: \"ipc://<dir>/ep1\"}], zeromq (absent); zap request [3…]: (absent), zeromq [\"localhost:0:0:<pid>\"]; zap request [4…]: [\"\"], zeromq (absent)",
  "security / CURVE client, PLAIN server / ipc":
    "client events [0…]: [{type: \"connect:delay\", address: \"ipc://<dir>/ep1\"}], zeromq (absent); client events [2].type: \"handshake:error:protocol\", zeromq \"handshake:error:other\"; client events [2].error.message: \"ZMTP protocol error\", zeromq \"Broken pipe\"; client events [2].error.code: \"ERR_ZMTP_MECHANISM_MISMATCH\", zeromq \"EPIPE\"; … and 2 more",
  "security / CURVE refused by the ZAP handler / ipc":
    "client events [0…]: [{type: \"connect:delay\", address: \"ipc://<dir>/ep1\"}], zeromq (absent); zap request [3…]: (absent), zeromq [\"localhost:0:0:<pid>\"]; zap request [4…]: [\"\"], zeromq (absent)",
  "security / CURVE with a wrong server key / ipc":
    "client events [0…]: [{type: \"connect:delay\", address: \"ipc://<dir>/ep1\"}], zeromq (absent); client events [2].error.message: \"Connection reset by peer\", zeromq \"Broken pipe\"; client events [2].error.code: \"ECONNRESET\", zeromq \"EPIPE\"; client events [2].error.errno: 104, zeromq 32",
  "security / CURVE with a wrong server key / tcp":
    "client events [2].error.message: \"Connection reset by peer\", zeromq \"Broken pipe\"; client events [2].error.code: \"ECONNRESET\", zeromq \"EPIPE\"; client events [2].error.errno: 104, zeromq 32",
  "security / CURVE without a ZAP handler / ipc":
    "client events [0…]: [{type: \"connect:delay\", address: \"ipc://<dir>/ep1\"}], zeromq (absent)",
  "security / NULL client, PLAIN server / ipc":
    "client events [0…]: [{type: \"connect:delay\", address: \"ipc://<dir>/ep1\"}], zeromq (absent); client events [2].type: \"handshake:error:protocol\", zeromq \"handshake:error:other\"; client events [2].error.message: \"ZMTP protocol error\", zeromq \"Broken pipe\"; client events [2].error.code: \"ERR_ZMTP_MECHANISM_MISMATCH\", zeromq \"EPIPE\"; … and 2 more",
  "security / NULL with a ZAP domain, accepted / ipc":
    "client events [0…]: [{type: \"connect:delay\", address: \"ipc://<dir>/ep1\"}], zeromq (absent); zap request [3…]: (absent), zeromq [\"localhost:0:0:<pid>\"]; zap request [4…]: [\"\"], zeromq (absent)",
  "security / NULL with a ZAP domain, refused / ipc":
    "client events [0…]: [{type: \"connect:delay\", address: \"ipc://<dir>/ep1\"}], zeromq (absent); zap request [3…]: (absent), zeromq [\"localhost:0:0:<pid>\"]; zap request [4…]: [\"\"], zeromq (absent)",
  "security / PLAIN accepted by the ZAP handler / ipc":
    "client events [0…]: [{type: \"connect:delay\", address: \"ipc://<dir>/ep1\"}], zeromq (absent); zap request [3…]: (absent), zeromq [\"localhost:0:0:<pid>\"]; zap request [4…]: [\"\"], zeromq (absent)",
  "security / PLAIN client, CURVE server / ipc":
    "client events [0…]: [{type: \"connect:delay\", address: \"ipc://<dir>/ep1\"}], zeromq (absent); client events [2].type: \"handshake:error:protocol\", zeromq \"handshake:error:other\"; client events [2].error.message: \"ZMTP protocol error\", zeromq \"Broken pipe\"; client events [2].error.code: \"ERR_ZMTP_MECHANISM_MISMATCH\", zeromq \"EPIPE\"; … and 2 more",
  "security / PLAIN client, NULL server / ipc":
    "client events [0…]: [{type: \"connect:delay\", address: \"ipc://<dir>/ep1\"}], zeromq (absent); client events [2].type: \"handshake:error:protocol\", zeromq \"handshake:error:other\"; client events [2].error.message: \"ZMTP protocol error\", zeromq \"Broken pipe\"; client events [2].error.code: \"ERR_ZMTP_MECHANISM_MISMATCH\", zeromq \"EPIPE\"; … and 2 more",
  "security / PLAIN refused by the ZAP handler (400) / ipc":
    "client events [0…]: [{type: \"connect:delay\", address: \"ipc://<dir>/ep1\"}], zeromq (absent); zap request [3…]: (absent), zeromq [\"localhost:0:0:<pid>\"]; zap request [4…]: [\"\"], zeromq (absent)",
  "security / PLAIN without a ZAP handler / ipc":
    "server events [2].error.message: \"Permission denied\", zeromq \"Context is closed\"; server events [2].error.code: \"EACCES\", zeromq \"EFAULT\"; server events [2].error.errno: 13, zeromq 14; client events [0…]: [{type: \"connect:delay\", address: \"ipc://<dir>/ep1\"}], zeromq (absent); client events [2].error.message: \"Connection reset by peer\", zeromq \"Broken pipe\"; … and 2 more",
  "security / PLAIN without a ZAP handler / tcp":
    "server events [2].error.message: \"Permission denied\", zeromq \"Context is closed\"; server events [2].error.code: \"EACCES\", zeromq \"EFAULT\"; server events [2].error.errno: 13, zeromq 14; client events [2].error.message: \"Connection reset by peer\", zeromq \"Broken pipe\"; client events [2].error.code: \"ECONNRESET\", zeromq \"EPIPE\"; … and 1 more",
  "security / PLAIN, ZAP handler answers 300 / ipc":
    "client events [0…]: [{type: \"connect:delay\", address: \"ipc://<dir>/ep1\"}], zeromq (absent); client events [2…]: [{type: \"handshake:error:other\", address: \"ipc://<dir>/ep1\", error: Error \"ECONNRESET\"(104…, zeromq (absent); zap request [3…]: (absent), zeromq [\"localhost:0:0:<pid>\"]; zap request [4…]: [\"\"], zeromq (absent); … and 1 more",
  "security / PLAIN, ZAP handler answers 300 / tcp":
    "client events [2…]: [{type: \"handshake:error:other\", address: \"tcp://127.0.0.1:<port1>\", error: Error \"ECONNRE…, zeromq (absent); until client handshake outcome: true, zeromq false",
  "security / PLAIN, ZAP handler answers 500 / ipc":
    "client events [0…]: [{type: \"connect:delay\", address: \"ipc://<dir>/ep1\"}], zeromq (absent); zap request [3…]: (absent), zeromq [\"localhost:0:0:<pid>\"]; zap request [4…]: [\"\"], zeromq (absent)",
  "security / PLAIN, ZAP handler answers an invalid status / ipc":
    "client events [0…]: [{type: \"connect:delay\", address: \"ipc://<dir>/ep1\"}], zeromq (absent); client events [2].error.message: \"Connection reset by peer\", zeromq \"Broken pipe\"; client events [2].error.code: \"ECONNRESET\", zeromq \"EPIPE\"; client events [2].error.errno: 104, zeromq 32; zap request [3…]: (absent), zeromq [\"localhost:0:0:<pid>\"]; … and 1 more",
  "security / PLAIN, ZAP handler answers an invalid status / tcp":
    "client events [2].error.message: \"Connection reset by peer\", zeromq \"Broken pipe\"; client events [2].error.code: \"ECONNRESET\", zeromq \"EPIPE\"; client events [2].error.errno: 104, zeromq 32",
  "security / PLAIN, ZAP reply with too few frames / ipc":
    "client events [0…]: [{type: \"connect:delay\", address: \"ipc://<dir>/ep1\"}], zeromq (absent); client events [2].error.message: \"Connection reset by peer\", zeromq \"Broken pipe\"; client events [2].error.code: \"ECONNRESET\", zeromq \"EPIPE\"; client events [2].error.errno: 104, zeromq 32; zap request [3…]: (absent), zeromq [\"localhost:0:0:<pid>\"]; … and 1 more",
  "security / PLAIN, ZAP reply with too few frames / tcp":
    "client events [2].error.message: \"Connection reset by peer\", zeromq \"Broken pipe\"; client events [2].error.code: \"ECONNRESET\", zeromq \"EPIPE\"; client events [2].error.errno: 104, zeromq 32",
  // ---- worker threads ----
  "worker threads / a worker terminated with sockets open / tcp":
    "exit: 0, zeromq \"SIGABRT\"; stdout [0…]: [\"@end\", \"terminated 1\"], zeromq (absent)",
  "worker threads / inproc from a worker to the main thread (default context)":
    "exit: \"hangs\", zeromq 0; stdout [0…]: (absent), zeromq [\"@end\", \"received over inproc\", \"worker exit 0\"]",
  "worker threads / inproc from the main thread to a worker that binds (default context)":
    "exit: \"hangs\", zeromq 0; stdout [2]: \"worker receive failed EAGAIN\", zeromq \"worker received to worker\"",
  "worker threads / sockets in a worker that leaves them open / ipc":
    "exit: \"hangs\", zeromq 0; stdout [2…]: (absent), zeromq [\"worker exit 0\"]",
  "worker threads / sockets in a worker that leaves them open / tcp":
    "exit: \"hangs\", zeromq 0; stdout [2…]: (absent), zeromq [\"worker exit 0\"]",
};
