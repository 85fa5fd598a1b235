/**
 * Scenarios where zmtp differs from zeromq.js today: scenario id → what differs (the summary the
 * harness prints: `field: zmtp's value, zeromq <zeromq.js's value>`). A listed scenario must still
 * differ exactly so. When a fix changes what differs, the test prints the new line; when it no
 * longer differs, delete the line. `node test/conformance/write-differences.mjs` regenerates it.
 */
export const differences: Record<string, string> = {
  // ---- close while pending ----
  "close while pending / close with a pending receive / inproc":
    "receive class: \"ZmqError\", zeromq \"Error\"; receive message: \"Socket was closed\", zeromq \"Operation was not possible or timed out\"; receive props: +address +name; receive address: undefined, zeromq (absent)",
  "close while pending / close with a pending receive / ipc":
    "receive class: \"ZmqError\", zeromq \"Error\"; receive message: \"Socket was closed\", zeromq \"Operation was not possible or timed out\"; receive props: +address +name; receive address: undefined, zeromq (absent)",
  "close while pending / close with a pending receive / tcp":
    "receive class: \"ZmqError\", zeromq \"Error\"; receive message: \"Socket was closed\", zeromq \"Operation was not possible or timed out\"; receive props: +address +name; receive address: undefined, zeromq (absent)",
  "close while pending / close with a pending receive on a bound socket / inproc":
    "receive class: \"ZmqError\", zeromq \"Error\"; receive message: \"Socket was closed\", zeromq \"Operation was not possible or timed out\"; receive props: +address +name; receive address: undefined, zeromq (absent)",
  "close while pending / close with a pending receive on a bound socket / ipc":
    "receive class: \"ZmqError\", zeromq \"Error\"; receive message: \"Socket was closed\", zeromq \"Operation was not possible or timed out\"; receive props: +address +name; receive address: undefined, zeromq (absent)",
  "close while pending / close with a pending receive on a bound socket / tcp":
    "receive class: \"ZmqError\", zeromq \"Error\"; receive message: \"Socket was closed\", zeromq \"Operation was not possible or timed out\"; receive props: +address +name; receive address: undefined, zeromq (absent)",
  "close while pending / for await ends when the socket closes":
    "next, next after close value: undefined, zeromq (absent)",
  "close while pending / for await over a closed socket":
    "next value: undefined, zeromq (absent)",
  // ---- concurrency ----
  "concurrency / a second receive after the first timed out":
    "receive, second receive class: \"ZmqError\", zeromq \"Error\"; receive, second receive props: +address +name; receive, second receive address: undefined, zeromq (absent)",
  "concurrency / a second receive on an Observer":
    "second receive: rejected ZmqError name=Error \"EBUSY\"(16) \"Observer is busy reading; only one receive opera…, zeromq threw Error \"EBUSY\"(16) \"Observer is busy reading; only one receive operation may be in pr…",
  "concurrency / a second receive while one is pending":
    "second receive: rejected ZmqError name=Error \"EBUSY\"(16) \"Socket is busy reading; only one receive operati…, zeromq threw Error \"EBUSY\"(16) \"Socket is busy reading; only one receive operation may be in prog…",
  "concurrency / a second send after the first timed out":
    "send, second send class: \"ZmqError\", zeromq \"Error\"; send, second send props: +address +name; send, second send address: undefined, zeromq (absent)",
  "concurrency / a second send while one is pending":
    "second send, third send: rejected ZmqError name=Error \"EBUSY\"(16) \"Socket is busy writing; only one send operation …, zeromq threw Error \"EBUSY\"(16) \"Socket is busy writing; only one send operation may be in progres…",
  "concurrency / a timeout set while an operation is pending":
    "receive again: rejected ZmqError name=Error \"EBUSY\"(16) \"Socket is busy reading; only one receive operati…, zeromq threw Error \"EBUSY\"(16) \"Socket is busy reading; only one receive operation may be in prog…",
  "concurrency / send and receive pending together on one socket":
    "second receive: rejected ZmqError name=Error \"EBUSY\"(16) \"Socket is busy reading; only one receive operati…, zeromq threw Error \"EBUSY\"(16) \"Socket is busy reading; only one receive operation may be in prog…; … and 1 more",
  "concurrency / send and receive with timeout 0":
    "send, receive (+2) class: \"ZmqError\", zeromq \"Error\"; send, receive (+2) props: +address +name; send, receive (+2) address: undefined, zeromq (absent)",
  // ---- constructors: Context ----
  "constructors: Context / arguments":
    "null message: \"Cannot convert undefined or null to object\", zeromq \"Options must be an object\"; a number: returned <Context>, zeromq threw TypeError \"Options must be an object\" {message stack}; two arguments: returned <Context>, zeromq threw TypeError \"Expected 1 argument but received 2\" {message stack}; … and 4 more",
  "constructors: Context / the default context":
    "sealed: false, zeromq true; own keys [0…]: [\"blocky\", \"ioThreads\", \"maxMessageSize\", \"maxSockets\", \"ipv6\", \"threadPriority\", \"threadS…, zeromq (absent)",
  // ---- constructors: Observer ----
  "constructors: Observer / arguments":
    "no arguments, a number: returned <Observer>, zeromq threw TypeError \"Socket must be a socket object\" {message stack}; a plain object: returned <Observer>, zeromq threw Error \"Invalid argument\" {message stack}; a closed socket: returned <Observer>, zeromq threw Error \"ENOTSOCK\"(88) \"Socket operation on non-socket\" {code errno message stack}; … and 2 more",
  // ---- constructors: Proxy ----
  "constructors: Proxy / arguments":
    "a socket and a plain object class: \"TypeError\", zeromq \"Error\"; a socket and a plain object name: \"TypeError\", zeromq \"Error\"; a socket and a plain object typeError: true, zeromq false; a socket and a plain object message: \"Back-end must be a socket object\", zeromq \"Invalid argument\"; … and 2 more",
  "constructors: Proxy / frontEnd and backEnd":
    "assign frontEnd: returned <Dealer>, zeromq threw TypeError \"Cannot set property frontEnd of #<Proxy> which has only a getter\" {messag…; own keys [0…]: [\"frontEnd\", \"backEnd\", \"state\", \"paused\", \"wakeUp\", \"resumed\", \"failure\"], zeromq (absent)",
  // ---- constructors: socket classes ----
  "constructors: socket classes / instances are sealed":
    "Pair sealed, Publisher sealed (+9): false, zeromq true; Pair own keys, Publisher own keys (+9) [0…]: [\"zmtpType\", \"options\", \"counters\", \"context\", \"_closed\", \"_events\", \"_lastEndpoint\", \"acc…, zeromq (absent); … and 1 more",
  "constructors: socket classes / methods each type has":
    "Pair, Request (+5) methods[7…]: (absent), zeromq [\"join\", \"leave\"]; Publisher, Push methods[6…]: (absent), zeromq [\"receive\", \"join\", \"leave\"]; Publisher, Push asyncIterator: false, zeromq true; Subscriber, Pull methods[5…]: (absent), zeromq [\"send\"]; Subscriber methods[9…]: (absent), zeromq [\"join\", \"leave\"]; XPublisher methods[7]: \"subscribe\", zeromq \"join\"; … and 1 more",
  "constructors: socket classes / new Socket(type) of the base class":
    "no arguments, a string type: returned <Socket>, zeromq threw TypeError \"Socket type must be a number\" {message stack}; type 99: returned <Socket>, zeromq threw Error \"EINVAL\"(22) \"Invalid argument\" {code errno message stack}; type and a number: returned <Socket>, zeromq threw TypeError \"Options must be an object\" {message stack}; … and 1 more",
  "constructors: socket classes / read-only state of a new socket":
    "Router writable: false, zeromq true",
  // ---- constructors: sockets ----
  "constructors: sockets / a context that is not a Context":
    "Pair, Publisher (+9): returned <instance>, zeromq threw Error \"Invalid argument\" {message stack}; Pair linger, Publisher linger (+9): 0, zeromq (absent)",
  "constructors: sockets / a number as options":
    "Pair, Publisher (+9): returned <instance>, zeromq threw TypeError \"Options must be an object\" {message stack}; Pair linger, Publisher linger (+7): -1, zeromq (absent); Subscriber linger, XSubscriber linger: 0, zeromq (absent)",
  "constructors: sockets / a plain object as context":
    "Pair, Publisher (+9): returned <instance>, zeromq threw Error \"Invalid argument\" {message stack}; Pair linger, Publisher linger (+9): 0, zeromq (absent)",
  "constructors: sockets / a string as options":
    "Pair, Publisher (+9) message: \"Cannot add property 0, object is not extensible\", zeromq \"Options must be an object\"",
  "constructors: sockets / a valid option":
    "Subscriber, Pull: returned <instance>, zeromq threw TypeError \"Cannot add property sendHighWaterMark, object is not extensible\" {message…; Subscriber linger, Pull linger: 10, zeromq (absent)",
  "constructors: sockets / an option of the wrong type":
    "Pair, Publisher (+9) message: \"Option value must be a number (linger)\", zeromq \"Option value must be a number\"",
  "constructors: sockets / an option out of range":
    "Pair, Publisher (+9) class: \"ZmqError\", zeromq \"Error\"; Pair, Publisher (+9) message: \"Invalid value -2 for linger: expected an integer in -1..2147483647\", zeromq \"Invalid argument\"; Pair, Publisher (+9) props: +address +name; Pair, Publisher (+9) address: undefined, zeromq (absent)",
  "constructors: sockets / null options":
    "Pair, Publisher (+9): returned <instance>, zeromq threw TypeError \"Options must be an object\" {message stack}; Pair linger, Publisher linger (+7): -1, zeromq (absent); Subscriber linger, XSubscriber linger: 0, zeromq (absent)",
  // ---- endpoints: after close ----
  "endpoints: after close / close arguments":
    "an argument: returned undefined, zeromq threw TypeError \"Expected 0 arguments but received 1\" {message stack}",
  "endpoints: after close / every operation after close / inproc":
    "bind #2, unbind (+2): rejected ZmqError name=Error \"EBADF\"(9) \"Socket is closed\" address=undefined {address code…, zeromq threw Error \"EBADF\"(9) \"Socket is closed\" {code errno message stack}; … and 12 more",
  "endpoints: after close / every operation after close / ipc":
    "bind #2, unbind (+2): rejected ZmqError name=Error \"EBADF\"(9) \"Socket is closed\" address=undefined {address code…, zeromq threw Error \"EBADF\"(9) \"Socket is closed\" {code errno message stack}; … and 12 more",
  "endpoints: after close / every operation after close / tcp":
    "bind #2, unbind (+2): rejected ZmqError name=Error \"EBADF\"(9) \"Socket is closed\" address=undefined {address code…, zeromq threw Error \"EBADF\"(9) \"Socket is closed\" {code errno message stack}; … and 12 more",
  "endpoints: after close / Subscriber.subscribe after close":
    "subscribe, unsubscribe, subscribe all class: \"ZmqError\", zeromq \"Error\"; subscribe, unsubscribe, subscribe all message: \"Socket is closed\", zeromq \"Socket operation on non-socket\"; subscribe, unsubscribe, subscribe all code: \"EBADF\", zeromq \"ENOTSOCK\"; subscribe, unsubscribe, subscribe all errno: 9, zeromq 88; … and 2 more",
  // ---- endpoints: arguments ----
  "endpoints: arguments / bind arguments":
    "no argument, undefined (+4): rejected TypeError \"Address must be a string\" {message stack}, zeromq threw TypeError \"Address must be a string\" {message stack}; an extra argument: resolved undefined, zeromq threw TypeError \"Expected 1 argument but received 2\" {message stack}; … and 1 more",
  "endpoints: arguments / connect arguments":
    "an extra argument: returned undefined, zeromq threw TypeError \"Expected 1 argument but received 2\" {message stack}; two extra arguments: returned undefined, zeromq threw TypeError \"Expected 1 argument but received 3\" {message stack}",
  "endpoints: arguments / disconnect arguments":
    "no argument, undefined message: \"Cannot read properties of undefined (reading 'indexOf')\", zeromq \"Address must be a string\"; null message: \"Cannot read properties of null (reading 'indexOf')\", zeromq \"Address must be a string\"; a number, an object message: \"address.indexOf is not a function\", zeromq \"Address must be a string\"; … and 14 more",
  "endpoints: arguments / Router.connect options":
    "routingId number: returned undefined, zeromq threw TypeError \"Option value must be a string or buffer\" {message stack}",
  "endpoints: arguments / unbind arguments":
    "no argument, undefined: rejected TypeError \"Cannot read properties of undefined (reading 'indexOf')\" {message stac…, zeromq threw TypeError \"Address must be a string\" {message stack}; null: rejected TypeError \"Cannot read properties of null (reading 'indexOf')\" {message stack}, zeromq threw TypeError \"Address must be a string\" {message stack}; … and 4 more",
  // ---- endpoints: invalid addresses ----
  "endpoints: invalid addresses / bind":
    "\"\", \"127.0.0.1:5555\" (+20) class: \"ZmqError\", zeromq \"Error\"; \"\" message: \"Invalid endpoint \\\"\\\": expected transport://address\", zeromq \"Invalid argument\"; \"\", \"127.0.0.1:5555\" (+20) props: +name; \"127.0.0.1:5555\" message: \"Invalid endpoint \\\"127.0.0.1:<ephemeral1>\\\": expected transport://address\", zeromq \"Invalid argument\"; … and 30 more",
  "endpoints: invalid addresses / connect":
    "\"\", \"127.0.0.1:5555\" (+15) class: \"ZmqError\", zeromq \"Error\"; \"\" message: \"Invalid endpoint \\\"\\\": expected transport://address\", zeromq \"Invalid argument\"; \"\", \"127.0.0.1:5555\" (+15) props: +name; \"127.0.0.1:5555\" message: \"Invalid endpoint \\\"127.0.0.1:<ephemeral1>\\\": expected transport://address\", zeromq \"Invalid argument\"; … and 22 more",
  "endpoints: invalid addresses / disconnect":
    "\"\", \"127.0.0.1:5555\" (+22) class: \"ZmqError\", zeromq \"Error\"; \"\" message: \"Invalid endpoint \\\"\\\": expected transport://address\", zeromq \"Invalid argument\"; \"\", \"127.0.0.1:5555\" (+22) props: +name; \"127.0.0.1:5555\" message: \"Invalid endpoint \\\"127.0.0.1:<ephemeral1>\\\": expected transport://address\", zeromq \"Invalid argument\"; … and 25 more",
  "endpoints: invalid addresses / unbind":
    "\"\", \"127.0.0.1:5555\" (+22) class: \"ZmqError\", zeromq \"Error\"; \"\" message: \"Invalid endpoint \\\"\\\": expected transport://address\", zeromq \"Invalid argument\"; \"\", \"127.0.0.1:5555\" (+22) props: +name; \"127.0.0.1:5555\" message: \"Invalid endpoint \\\"127.0.0.1:<ephemeral1>\\\": expected transport://address\", zeromq \"Invalid argument\"; … and 25 more",
  // ---- endpoints: twice ----
  "endpoints: twice / bind an endpoint another socket has bound / inproc":
    "second class: \"ZmqError\", zeromq \"Error\"; second message: \"Address already in use: inproc://ep1\", zeromq \"Address already in use\"; second props: +name",
  "endpoints: twice / bind an endpoint another socket has bound / ipc":
    "second: rejected ZmqError name=Error \"EADDRINUSE\"(98) \"Address already in use: <dir>/ep1 is served…, zeromq resolved undefined",
  "endpoints: twice / bind an endpoint another socket has bound / tcp":
    "second class: \"ZmqError\", zeromq \"Error\"; second message: \"listen EADDRINUSE: address already in use 127.0.0.1:<port1>\", zeromq \"Address already in use\"; second props: +name",
  "endpoints: twice / bind the same endpoint twice / inproc":
    "bind again class: \"ZmqError\", zeromq \"Error\"; bind again message: \"Address already in use: inproc://ep1\", zeromq \"Address already in use\"; bind again props: +name",
  "endpoints: twice / bind the same endpoint twice / ipc":
    "bind again: rejected ZmqError name=Error \"EADDRINUSE\"(98) \"Address already in use: <dir>/ep1 is served…, zeromq resolved undefined",
  "endpoints: twice / bind the same endpoint twice / tcp":
    "bind again class: \"ZmqError\", zeromq \"Error\"; bind again message: \"listen EADDRINUSE: address already in use 127.0.0.1:<port1>\", zeromq \"Address already in use\"; bind again props: +name",
  "endpoints: twice / connect the same endpoint twice / inproc":
    "disconnect again class: \"ZmqError\", zeromq \"Error\"; disconnect again props: +name",
  "endpoints: twice / connect the same endpoint twice / ipc":
    "disconnect again class: \"ZmqError\", zeromq \"Error\"; disconnect again props: +name",
  "endpoints: twice / connect the same endpoint twice / tcp":
    "disconnect again class: \"ZmqError\", zeromq \"Error\"; disconnect again props: +name",
  "endpoints: twice / disconnect what was never connected / inproc":
    "disconnect class: \"ZmqError\", zeromq \"Error\"; disconnect props: +name",
  "endpoints: twice / disconnect what was never connected / ipc":
    "disconnect class: \"ZmqError\", zeromq \"Error\"; disconnect props: +name",
  "endpoints: twice / disconnect what was never connected / tcp":
    "disconnect class: \"ZmqError\", zeromq \"Error\"; disconnect props: +name",
  "endpoints: twice / unbind a connected endpoint, disconnect a bound one / inproc":
    "disconnect the bound: threw ZmqError name=Error \"ENOENT\"(2) \"No such endpoint\" address=\"inproc://ep1\" {address c…, zeromq returned undefined; unbind the connected: rejected ZmqError name=Error \"ENOENT\"(2) \"No such endpoint\" address=\"inproc://ep2\" {addres…, zeromq resolved undefined",
  "endpoints: twice / unbind a connected endpoint, disconnect a bound one / ipc":
    "disconnect the bound: threw ZmqError name=Error \"ENOENT\"(2) \"No such endpoint\" address=\"ipc://<dir>/ep1\" {addres…, zeromq returned undefined; unbind the connected: rejected ZmqError name=Error \"ENOENT\"(2) \"No such endpoint\" address=\"ipc://<dir>/ep2\" {add…, zeromq resolved undefined",
  "endpoints: twice / unbind a connected endpoint, disconnect a bound one / tcp":
    "disconnect the bound: threw ZmqError name=Error \"ENOENT\"(2) \"No such endpoint\" address=\"tcp://127.0.0.1:<port1>\"…, zeromq returned undefined; unbind the connected: rejected ZmqError name=Error \"ENOENT\"(2) \"No such endpoint\" address=\"tcp://127.0.0.1:<port…, zeromq resolved undefined",
  "endpoints: twice / unbind twice / inproc":
    "unbind again class: \"ZmqError\", zeromq \"Error\"; unbind again props: +name",
  "endpoints: twice / unbind twice / ipc":
    "unbind again class: \"ZmqError\", zeromq \"Error\"; unbind again props: +name",
  "endpoints: twice / unbind twice / tcp":
    "unbind again class: \"ZmqError\", zeromq \"Error\"; unbind again props: +name",
  "endpoints: twice / unbind what was never bound / inproc":
    "unbind class: \"ZmqError\", zeromq \"Error\"; unbind props: +name",
  "endpoints: twice / unbind what was never bound / ipc":
    "unbind class: \"ZmqError\", zeromq \"Error\"; unbind props: +name",
  "endpoints: twice / unbind what was never bound / tcp":
    "unbind class: \"ZmqError\", zeromq \"Error\"; unbind props: +name",
  // ---- endpoints: while binding ----
  "endpoints: while binding / bind during bind / inproc":
    "bind again: resolved undefined, zeromq threw Error \"EBUSY\"(16) \"Socket is blocked by a bind or unbind operation\" {code errno mess…",
  "endpoints: while binding / bind during bind / ipc":
    "bind again: resolved undefined, zeromq threw Error \"EBUSY\"(16) \"Socket is blocked by a bind or unbind operation\" {code errno mess…",
  "endpoints: while binding / bind during bind / tcp":
    "bind again: resolved undefined, zeromq threw Error \"EBUSY\"(16) \"Socket is blocked by a bind or unbind operation\" {code errno mess…",
  "endpoints: while binding / close during bind / inproc":
    "closed right after: true, zeromq false",
  "endpoints: while binding / close during bind / ipc":
    "bind: rejected ZmqError name=Error \"EBADF\"(9) \"Socket was closed while binding\" address=\"ipc://<…, zeromq resolved undefined; closed right after: true, zeromq false",
  "endpoints: while binding / close during bind / tcp":
    "bind: rejected ZmqError name=Error \"EBADF\"(9) \"Socket was closed while binding\" address=\"tcp://1…, zeromq resolved undefined; closed right after: true, zeromq false; bind the endpoint elsewhere: rejected ZmqError name=Error \"EADDRINUSE\"(98) \"listen EADDRINUSE: address already in use 1…, zeromq resolved undefined",
  "endpoints: while binding / close during unbind / inproc":
    "closed right after: true, zeromq false",
  "endpoints: while binding / close during unbind / ipc":
    "closed right after: true, zeromq false",
  "endpoints: while binding / close during unbind / tcp":
    "closed right after: true, zeromq false",
  "endpoints: while binding / every other call during bind / inproc":
    "unbind: rejected ZmqError name=Error \"ENOENT\"(2) \"No such endpoint\" address=\"inproc://ep2\" {addres…, zeromq threw Error \"EBUSY\"(16) \"Socket is blocked by a bind or unbind operation\" {code errno mess…; connect, disconnect: returned undefined, zeromq threw Error \"EBUSY\"(16) \"Socket is blocked by a bind or unbind operation\" {code errno mess…; … and 1 more",
  "endpoints: while binding / every other call during bind / ipc":
    "unbind: rejected ZmqError name=Error \"ENOENT\"(2) \"No such endpoint\" address=\"ipc://<dir>/ep2\" {add…, zeromq threw Error \"EBUSY\"(16) \"Socket is blocked by a bind or unbind operation\" {code errno mess…; connect, disconnect: returned undefined, zeromq threw Error \"EBUSY\"(16) \"Socket is blocked by a bind or unbind operation\" {code errno mess…; … and 1 more",
  "endpoints: while binding / every other call during bind / tcp":
    "unbind: rejected ZmqError name=Error \"ENOENT\"(2) \"No such endpoint\" address=\"tcp://127.0.0.1:<port…, zeromq threw Error \"EBUSY\"(16) \"Socket is blocked by a bind or unbind operation\" {code errno mess…; connect, disconnect: returned undefined, zeromq threw Error \"EBUSY\"(16) \"Socket is blocked by a bind or unbind operation\" {code errno mess…; … and 1 more",
  "endpoints: while binding / unbind during unbind / inproc":
    "unbind b: resolved undefined, zeromq threw Error \"EBUSY\"(16) \"Socket is blocked by a bind or unbind operation\" {code errno mess…",
  "endpoints: while binding / unbind during unbind / ipc":
    "unbind b: resolved undefined, zeromq threw Error \"EBUSY\"(16) \"Socket is blocked by a bind or unbind operation\" {code errno mess…",
  "endpoints: while binding / unbind during unbind / tcp":
    "unbind b: resolved undefined, zeromq threw Error \"EBUSY\"(16) \"Socket is blocked by a bind or unbind operation\" {code errno mess…",
  // ---- endpoints: wildcards and names ----
  "endpoints: wildcards and names / bind ipc://*":
    "lastEndpoint shape: \"ipc://<path1>\", zeromq \"ipc://<random>/<random>\"",
  "endpoints: wildcards and names / connect with a source address":
    "connect: threw ZmqError name=Error \"EINVAL\"(22) \"Invalid endpoint \\\"tcp://127.0.0.1:0;127.0.0.1:<ep…, zeromq returned undefined",
  "endpoints: wildcards and names / lastEndpoint after connect / inproc":
    "lastEndpoint: null, zeromq \"inproc://ep1\"",
  "endpoints: wildcards and names / lastEndpoint after connect / ipc":
    "lastEndpoint: null, zeromq \"ipc://<dir>/ep1\"",
  "endpoints: wildcards and names / lastEndpoint after connect / tcp":
    "lastEndpoint: null, zeromq \"tcp://127.0.0.1:<port1>\"",
  "endpoints: wildcards and names / unbind a wildcard":
    "unbind: resolved undefined, zeromq rejected Error \"ENOENT\"(2) \"No such endpoint\" address=\"tcp://127.0.0.1:*\" {address code er…",
  // ---- event loop ----
  "event loop / 2,500 awaited sends and receives that complete at once / inproc":
    "event loop turns during receives turned: false, zeromq true; event loop turns during receives about 4 (2..6): false, zeromq true",
  "event loop / 2,500 awaited sends and receives that complete at once / ipc":
    "event loop turns during receives turned: false, zeromq true; event loop turns during receives about 4 (2..6): false, zeromq true",
  "event loop / 2,500 awaited sends and receives that complete at once / tcp":
    "event loop turns during receives turned: false, zeromq true; event loop turns during receives about 4 (2..6): false, zeromq true",
  // ---- events: Observer ----
  "events: Observer / a second Observer on one socket":
    "first receive type: \"bind\", zeromq \"end\"; first receive address: \"tcp://127.0.0.1:<ephemeral1>\", zeromq (absent); second receive: pending, zeromq resolved {type: \"bind\", address: \"tcp://127.0.0.1:<ephemeral1>\"}",
  "events: Observer / async iteration ends when the observer closes":
    "iteration threw: (absent), zeromq Error \"ENOTSOCK\"(88) \"Socket operation on non-socket\" {code errno message stack}; until iteration ended: true, zeromq false",
  "events: Observer / close":
    "pending receive: resolved {type: \"end\"}, zeromq rejected Error \"ENOTSOCK\"(88) \"Socket operation on non-socket\" {code errno message stack}; receive after close: rejected ZmqError name=Error \"EBADF\"(9) \"Observer is closed\" address=undefined {address co…, zeromq threw Error \"EBADF\"(9) \"Socket is closed\" {code errno message stack}; … and 1 more",
  "events: Observer / on and off":
    "on returns, off returns: true, zeromq false; receive in event emitter mode: resolved {type: \"bind\", address: \"tcp://127.0.0.1:<ephemeral1>\"}, zeromq threw Error \"Observer is in event emitter mode. After a call to events.on() it is not poss…",
  "events: Observer / on with a bad listener":
    "on(type): returned <Observer>, zeromq threw TypeError \"ERR_INVALID_ARG_TYPE\"(undefined) \"The \\\"listener\\\" argument must be of ty…; on(1, fn): <Observer>, zeromq EventEmitter {_events: {1: function }, _eventsCount: 1, _maxListeners: undefined}; … and 1 more",
  "events: Observer / receive":
    "receive with an argument: pending, zeromq threw TypeError \"Expected 0 arguments but received 1\" {message stack}",
  // ---- events: sequences ----
  "events: sequences / bind fails / inproc":
    "bind class: \"ZmqError\", zeromq \"Error\"; bind message: \"Address already in use: inproc://ep1\", zeromq \"Address already in use\"; bind props: +name",
  "events: sequences / bind fails / ipc":
    "events [0].type: \"bind:error\", zeromq \"bind\"; events [0].error: ZmqError name=Error \"EADDRINUSE\"(98) \"Address already in use: <dir>/ep1 is served by anoth…, zeromq (absent); bind: rejected ZmqError name=Error \"EADDRINUSE\"(98) \"Address already in use: <dir>/ep1 is served…, zeromq resolved undefined",
  "events: sequences / bind fails / tcp":
    "events [0].type: \"bind:error\", zeromq \"close\"; events [0].address: \"tcp://127.0.0.1:<port1>\", zeromq (absent); events [0].error: ZmqError name=Error \"EADDRINUSE\"(98) \"listen EADDRINUSE: address already in use 127.0.0.1:…, zeromq (absent); events [1…]: (absent), zeromq [{type: \"bind:error\", address: \"127.0.0.1:<port1>\", error: Error \"EADDRINUSE\"(98) \"Address…; … and 4 more",
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
  // ---- messages: Buffer changed after send ----
  "messages: Buffer changed after send / 100 bytes / inproc":
    "delivered: \"changed\", zeromq \"original\"; received Buffer changed with the sender's: true, zeromq false",
  "messages: Buffer changed after send / 100 bytes / ipc":
    "delivered: \"changed\", zeromq \"original\"",
  "messages: Buffer changed after send / 100 bytes / tcp":
    "delivered: \"changed\", zeromq \"original\"",
  // ---- messages: Buffer changed before send resolves ----
  "messages: Buffer changed before send resolves / changed synchronously after send() / inproc":
    "receive value[0].bytes: \"100 bytes 6262626262626262… sha1:dd3b750e\", zeromq \"100 bytes 6161616161616161… sha1:7f900025\"",
  "messages: Buffer changed before send resolves / changed synchronously after send() / ipc":
    "receive value[0].bytes: \"100 bytes 6262626262626262… sha1:dd3b750e\", zeromq \"100 bytes 6161616161616161… sha1:7f900025\"",
  "messages: Buffer changed before send resolves / changed synchronously after send() / tcp":
    "receive value[0].bytes: \"100 bytes 6262626262626262… sha1:dd3b750e\", zeromq \"100 bytes 6161616161616161… sha1:7f900025\"",
  // ---- messages: send types ----
  "messages: send types / a bigint / inproc":
    "send, settled: rejected TypeError \"Message must be a string, number, null, Buffer, ArrayBuffer or typed a…, zeromq resolved undefined; receive: pending, zeromq resolved [Buffer(12)]",
  "messages: send types / a bigint / ipc":
    "send, settled: rejected TypeError \"Message must be a string, number, null, Buffer, ArrayBuffer or typed a…, zeromq resolved undefined; receive: pending, zeromq resolved [Buffer(12)]",
  "messages: send types / a bigint / tcp":
    "send, settled: rejected TypeError \"Message must be a string, number, null, Buffer, ArrayBuffer or typed a…, zeromq resolved undefined; receive: pending, zeromq resolved [Buffer(12)]",
  "messages: send types / a DataView / inproc":
    "send: resolved undefined, zeromq threw Error \"Invalid argument\" {message stack}; receive: resolved [Buffer(0x0809)], zeromq pending; settled: resolved undefined, zeromq (absent)",
  "messages: send types / a DataView / ipc":
    "send: resolved undefined, zeromq threw Error \"Invalid argument\" {message stack}; receive: resolved [Buffer(0x0809)], zeromq pending; settled: resolved undefined, zeromq (absent)",
  "messages: send types / a DataView / tcp":
    "send: resolved undefined, zeromq threw Error \"Invalid argument\" {message stack}; receive: resolved [Buffer(0x0809)], zeromq pending; settled: resolved undefined, zeromq (absent)",
  "messages: send types / a Date / inproc":
    "send, settled: rejected TypeError \"Message must be a string, number, null, Buffer, ArrayBuffer or typed a…, zeromq resolved undefined; receive: pending, zeromq resolved [Buffer(62 bytes 546875204a616e20… sha1:0aea36c9)]",
  "messages: send types / a Date / ipc":
    "send, settled: rejected TypeError \"Message must be a string, number, null, Buffer, ArrayBuffer or typed a…, zeromq resolved undefined; receive: pending, zeromq resolved [Buffer(62 bytes 546875204a616e20… sha1:0aea36c9)]",
  "messages: send types / a Date / tcp":
    "send, settled: rejected TypeError \"Message must be a string, number, null, Buffer, ArrayBuffer or typed a…, zeromq resolved undefined; receive: pending, zeromq resolved [Buffer(62 bytes 546875204a616e20… sha1:0aea36c9)]",
  "messages: send types / a function / inproc":
    "send, settled: rejected TypeError \"Message must be a string, number, null, Buffer, ArrayBuffer or typed a…, zeromq resolved undefined; receive: pending, zeromq resolved [Buffer(function named() {})]",
  "messages: send types / a function / ipc":
    "send, settled: rejected TypeError \"Message must be a string, number, null, Buffer, ArrayBuffer or typed a…, zeromq resolved undefined; receive: pending, zeromq resolved [Buffer(function named() {})]",
  "messages: send types / a function / tcp":
    "send, settled: rejected TypeError \"Message must be a string, number, null, Buffer, ArrayBuffer or typed a…, zeromq resolved undefined; receive: pending, zeromq resolved [Buffer(function named() {})]",
  "messages: send types / a nested array / inproc":
    "send, settled: rejected TypeError \"Message must be a string, number, null, Buffer, ArrayBuffer or typed a…, zeromq resolved undefined; receive: pending, zeromq resolved [Buffer(a,b), Buffer(c)]",
  "messages: send types / a nested array / ipc":
    "send, settled: rejected TypeError \"Message must be a string, number, null, Buffer, ArrayBuffer or typed a…, zeromq resolved undefined; receive: pending, zeromq resolved [Buffer(a,b), Buffer(c)]",
  "messages: send types / a nested array / tcp":
    "send, settled: rejected TypeError \"Message must be a string, number, null, Buffer, ArrayBuffer or typed a…, zeromq resolved undefined; receive: pending, zeromq resolved [Buffer(a,b), Buffer(c)]",
  "messages: send types / a plain object / inproc":
    "send, settled: rejected TypeError \"Message must be a string, number, null, Buffer, ArrayBuffer or typed a…, zeromq resolved undefined; receive: pending, zeromq resolved [Buffer([object Object])]",
  "messages: send types / a plain object / ipc":
    "send, settled: rejected TypeError \"Message must be a string, number, null, Buffer, ArrayBuffer or typed a…, zeromq resolved undefined; receive: pending, zeromq resolved [Buffer([object Object])]",
  "messages: send types / a plain object / tcp":
    "send, settled: rejected TypeError \"Message must be a string, number, null, Buffer, ArrayBuffer or typed a…, zeromq resolved undefined; receive: pending, zeromq resolved [Buffer([object Object])]",
  "messages: send types / a SharedArrayBuffer / inproc":
    "receive value[0].bytes: \"shared\", zeromq \"[object SharedArrayBuffer]\"",
  "messages: send types / a SharedArrayBuffer / ipc":
    "receive value[0].bytes: \"shared\", zeromq \"[object SharedArrayBuffer]\"",
  "messages: send types / a SharedArrayBuffer / tcp":
    "receive value[0].bytes: \"shared\", zeromq \"[object SharedArrayBuffer]\"",
  "messages: send types / a Symbol / inproc":
    "send: rejected TypeError \"Message must be a string, number, null, Buffer, ArrayBuffer or typed a…, zeromq threw TypeError \"Cannot convert a Symbol value to a string\" {message stack}; settled: rejected TypeError \"Message must be a string, number, null, Buffer, ArrayBuffer or typed a…, zeromq (absent)",
  "messages: send types / a Symbol / ipc":
    "send: rejected TypeError \"Message must be a string, number, null, Buffer, ArrayBuffer or typed a…, zeromq threw TypeError \"Cannot convert a Symbol value to a string\" {message stack}; settled: rejected TypeError \"Message must be a string, number, null, Buffer, ArrayBuffer or typed a…, zeromq (absent)",
  "messages: send types / a Symbol / tcp":
    "send: rejected TypeError \"Message must be a string, number, null, Buffer, ArrayBuffer or typed a…, zeromq threw TypeError \"Cannot convert a Symbol value to a string\" {message stack}; settled: rejected TypeError \"Message must be a string, number, null, Buffer, ArrayBuffer or typed a…, zeromq (absent)",
  "messages: send types / an array with undefined / inproc":
    "receive value[1].bytes: \"0x\", zeromq \"undefined\"",
  "messages: send types / an array with undefined / ipc":
    "receive value[1].bytes: \"0x\", zeromq \"undefined\"",
  "messages: send types / an array with undefined / tcp":
    "receive value[1].bytes: \"0x\", zeromq \"undefined\"",
  "messages: send types / an array-like object / inproc":
    "send, settled: rejected TypeError \"Message must be a string, number, null, Buffer, ArrayBuffer or typed a…, zeromq resolved undefined; receive: pending, zeromq resolved [Buffer([object Object])]",
  "messages: send types / an array-like object / ipc":
    "send, settled: rejected TypeError \"Message must be a string, number, null, Buffer, ArrayBuffer or typed a…, zeromq resolved undefined; receive: pending, zeromq resolved [Buffer([object Object])]",
  "messages: send types / an array-like object / tcp":
    "send, settled: rejected TypeError \"Message must be a string, number, null, Buffer, ArrayBuffer or typed a…, zeromq resolved undefined; receive: pending, zeromq resolved [Buffer([object Object])]",
  "messages: send types / an empty array / inproc":
    "receive: resolved [], zeromq pending",
  "messages: send types / an empty array / ipc":
    "receive: resolved [Buffer(0x)], zeromq pending",
  "messages: send types / an empty array / tcp":
    "receive: resolved [Buffer(0x)], zeromq pending",
  "messages: send types / an object with toString / inproc":
    "send, settled: rejected TypeError \"Message must be a string, number, null, Buffer, ArrayBuffer or typed a…, zeromq resolved undefined; receive: pending, zeromq resolved [Buffer(custom)]",
  "messages: send types / an object with toString / ipc":
    "send, settled: rejected TypeError \"Message must be a string, number, null, Buffer, ArrayBuffer or typed a…, zeromq resolved undefined; receive: pending, zeromq resolved [Buffer(custom)]",
  "messages: send types / an object with toString / tcp":
    "send, settled: rejected TypeError \"Message must be a string, number, null, Buffer, ArrayBuffer or typed a…, zeromq resolved undefined; receive: pending, zeromq resolved [Buffer(custom)]",
  "messages: send types / true / inproc":
    "send, settled: rejected TypeError \"Message must be a string, number, null, Buffer, ArrayBuffer or typed a…, zeromq resolved undefined; receive: pending, zeromq resolved [Buffer(true)]",
  "messages: send types / true / ipc":
    "send, settled: rejected TypeError \"Message must be a string, number, null, Buffer, ArrayBuffer or typed a…, zeromq resolved undefined; receive: pending, zeromq resolved [Buffer(true)]",
  "messages: send types / true / tcp":
    "send, settled: rejected TypeError \"Message must be a string, number, null, Buffer, ArrayBuffer or typed a…, zeromq resolved undefined; receive: pending, zeromq resolved [Buffer(true)]",
  "messages: send types / undefined / inproc":
    "send: resolved undefined, zeromq threw TypeError \"Message must be present\" {message stack}; receive: resolved [Buffer(0x)], zeromq pending; settled: resolved undefined, zeromq (absent)",
  "messages: send types / undefined / ipc":
    "send: resolved undefined, zeromq threw TypeError \"Message must be present\" {message stack}; receive: resolved [Buffer(0x)], zeromq pending; settled: resolved undefined, zeromq (absent)",
  "messages: send types / undefined / tcp":
    "send: resolved undefined, zeromq threw TypeError \"Message must be present\" {message stack}; receive: resolved [Buffer(0x)], zeromq pending; settled: resolved undefined, zeromq (absent)",
  // ---- module ----
  "module / capability":
    "result tipc: false, zeromq true; result draft: false, zeromq true",
  "module / exported names":
    "names [0…]: [\"Authenticator\"], zeromq (absent); names [12…]: (absent), zeromq [\"Stream\"]; names [16…]: [\"ZmqError\"], zeromq (absent); names [20…]: [\"curvePublicKey\", \"monitor\"], zeromq (absent); names [23…]: [\"z85Decode\", \"z85Encode\"], zeromq (absent)",
  // ---- options: Context ----
  "options: Context / blocky":
    "new Context set wrong type: returned 1, zeromq threw TypeError \"Option value must be a boolean\" {message stack}; new Context get at the end: 1, zeromq true",
  "options: Context / ioThreads":
    "new Context set wrong type: returned \"10\", zeromq threw TypeError \"Option value must be a number\" {message stack}; new Context set -1: returned -1, zeromq threw Error \"EINVAL\"(22) \"Invalid argument\" {code errno message stack}",
  "options: Context / ipv6":
    "new Context set wrong type: returned 1, zeromq threw TypeError \"Option value must be a boolean\" {message stack}; new Context get at the end: 1, zeromq true",
  "options: Context / maxMessageSize":
    "new Context set wrong type: returned \"10\", zeromq threw TypeError \"Option value must be a number\" {message stack}; new Context set -2: returned -2, zeromq threw Error \"EINVAL\"(22) \"Invalid argument\" {code errno message stack}",
  "options: Context / maxSockets":
    "new Context set wrong type: returned \"10\", zeromq threw TypeError \"Option value must be a number\" {message stack}; new Context set -1: returned -1, zeromq threw Error \"EINVAL\"(22) \"Invalid argument\" {code errno message stack}; new Context set 0: returned 0, zeromq threw Error \"EINVAL\"(22) \"Invalid argument\" {code errno message stack}; … and 1 more",
  "options: Context / maxSocketsLimit":
    "new Context set 1: returned 1, zeromq threw TypeError \"Cannot set property maxSocketsLimit of #<Context> which has only a getter…; new Context get after set: 1, zeromq 65535; new Context set wrong type: returned \"10\", zeromq threw TypeError \"Cannot set property maxSocketsLimit of #<Context> which has only a getter…; … and 1 more",
  "options: Context / the default context's values":
    "threadPriority, threadSchedulingPolicy: -1, zeromq undefined",
  "options: Context / threadPriority":
    "new Context get: -1, zeromq undefined; new Context get after set: 1, zeromq undefined; new Context set wrong type: returned \"10\", zeromq threw TypeError \"Option value must be a number\" {message stack}; new Context set -2: returned -2, zeromq threw Error \"EINVAL\"(22) \"Invalid argument\" {code errno message stack}; new Context get at the end: -2, zeromq undefined",
  "options: Context / threadSchedulingPolicy":
    "new Context get: -1, zeromq undefined; new Context get after set: 0, zeromq undefined; new Context set wrong type: returned \"10\", zeromq threw TypeError \"Option value must be a number\" {message stack}; new Context set -2: returned -2, zeromq threw Error \"EINVAL\"(22) \"Invalid argument\" {code errno message stack}; new Context get at the end: -2, zeromq undefined",
  // ---- options: every socket type ----
  "options: every socket type / affinity":
    "Pair set wrong type, Publisher set wrong type (+9) message: \"Option value must be a number (affinity)\", zeromq \"Option value must be a number\"; Pair set -1, Publisher set -1 (+9): threw ZmqError name=Error \"EINVAL\"(22) \"Invalid value -1 for affinity: expected an integer…, zeromq returned -1; … and 3 more",
  "options: every socket type / backlog":
    "Pair set wrong type, Publisher set wrong type (+9) message: \"Option value must be a number (backlog)\", zeromq \"Option value must be a number\"; Pair set -1, Publisher set -1 (+9) class: \"ZmqError\", zeromq \"Error\"; Pair set -1, Publisher set -1 (+9) message: \"Invalid value -1 for backlog: expected an integer in 0..2147483647\", zeromq \"Invalid argument\"; … and 2 more",
  "options: every socket type / conflate":
    "Pair set true, Request set true (+4): returned true, zeromq threw TypeError \"Cannot add property conflate, object is not extensible\" {message stack}; Pair get after set, Subscriber get after set (+6): true, zeromq undefined; … and 5 more",
  "options: every socket type / connectTimeout":
    "Pair set wrong type, Publisher set wrong type (+9) message: \"Option value must be a number (connectTimeout)\", zeromq \"Option value must be a number\"; Pair set -1, Publisher set -1 (+9) class: \"ZmqError\", zeromq \"Error\"; … and 3 more",
  "options: every socket type / correlate":
    "Pair set true, Publisher set true (+8): returned true, zeromq threw TypeError \"Cannot add property correlate, object is not extensible\" {message stack}; Pair get after set, Publisher get after set (+10): true, zeromq undefined; … and 4 more",
  "options: every socket type / curvePublicKey":
    "Pair get, Pair set null (+31): returned null, zeromq threw Error \"EINVAL\"(22) \"Invalid argument\" {code errno message stack}; Pair get after set, Publisher get after set (+9): returned \"fZda:X)R$BEZU89?m*fpNN>-(Ec)ZDAE1Bpz]=6#\", zeromq threw Error \"EINVAL\"(22) \"Invalid argument\" {code errno message stack}; … and 7 more",
  "options: every socket type / curveSecretKey":
    "Pair get, Pair set null (+31): returned null, zeromq threw Error \"EINVAL\"(22) \"Invalid argument\" {code errno message stack}; Pair get after set, Pair get after Buffer (+20): returned \"WOrRzh+Lme0359+Xw)q^0C{$*HJY6@u5+}!].(Hl\", zeromq threw Error \"EINVAL\"(22) \"Invalid argument\" {code errno message stack}; … and 6 more",
  "options: every socket type / curveServer":
    "Pair set wrong type, Publisher set wrong type (+9) message: \"Option value must be a boolean (curveServer)\", zeromq \"Option value must be a boolean\"",
  "options: every socket type / curveServerKey":
    "Pair get, Pair set null (+31): returned null, zeromq threw Error \"EINVAL\"(22) \"Invalid argument\" {code errno message stack}; Pair get after set, Pair get after Buffer (+20): returned \"x/]tTb)?}[YP:>CMmiBwz3G2urN6m6ua^r!2>:3t\", zeromq threw Error \"EINVAL\"(22) \"Invalid argument\" {code errno message stack}; … and 6 more",
  "options: every socket type / handover":
    "Pair set true, Publisher set true (+8): returned true, zeromq threw TypeError \"Cannot add property handover, object is not extensible\" {message stack}; Pair get after set, Publisher get after set (+10): true, zeromq undefined; … and 4 more",
  "options: every socket type / handshakeInterval":
    "Pair set wrong type, Publisher set wrong type (+9) message: \"Option value must be a number (handshakeInterval)\", zeromq \"Option value must be a number\"; Pair set -1, Publisher set -1 (+9) class: \"ZmqError\", zeromq \"Error\"; … and 3 more",
  "options: every socket type / heartbeatInterval":
    "Pair set wrong type, Publisher set wrong type (+9) message: \"Option value must be a number (heartbeatInterval)\", zeromq \"Option value must be a number\"; Pair set -1, Publisher set -1 (+9) class: \"ZmqError\", zeromq \"Error\"; … and 3 more",
  "options: every socket type / heartbeatTimeout":
    "Pair set wrong type, Publisher set wrong type (+9) message: \"Option value must be a number (heartbeatTimeout)\", zeromq \"Option value must be a number\"; Pair set -2, Publisher set -2 (+9) class: \"ZmqError\", zeromq \"Error\"; … and 3 more",
  "options: every socket type / heartbeatTimeToLive":
    "Pair set wrong type, Publisher set wrong type (+9) message: \"Option value must be a number (heartbeatTimeToLive)\", zeromq \"Option value must be a number\"; Pair set -1, Publisher set -1 (+9): threw ZmqError name=Error \"EINVAL\"(22) \"Invalid value -1 for heartbeatTimeToLive: expected…, zeromq returned -1; … and 5 more",
  "options: every socket type / immediate":
    "Pair set wrong type, Publisher set wrong type (+9) message: \"Option value must be a boolean (immediate)\", zeromq \"Option value must be a boolean\"",
  "options: every socket type / interface":
    "Pair set wrong type, Publisher set wrong type (+9) message: \"Option value must be a string or null (interface)\", zeromq \"Option value must be a string or buffer\"; Pair get after Buffer, Publisher get after Buffer (+9): \"hÃ©llo â\", zeromq \"héllo ✓\"",
  "options: every socket type / invertMatching":
    "Pair set true, Request set true (+6): returned true, zeromq threw TypeError \"Cannot add property invertMatching, object is not extensible\" {message st…; Pair get after set, Request get after set (+6): true, zeromq undefined; … and 3 more",
  "options: every socket type / ipv6":
    "Pair set wrong type, Publisher set wrong type (+9) message: \"Option value must be a boolean (ipv6)\", zeromq \"Option value must be a boolean\"",
  "options: every socket type / linger":
    "Pair set wrong type, Publisher set wrong type (+9) message: \"Option value must be a number (linger)\", zeromq \"Option value must be a number\"; Pair set -2, Pair set 2147483648 (+20) class: \"ZmqError\", zeromq \"Error\"; Pair set -2, Publisher set -2 (+9) message: \"Invalid value -2 for linger: expected an integer in -1..2147483647\", zeromq \"Invalid argument\"; … and 5 more",
  "options: every socket type / loopbackFastPath":
    "Pair set wrong type, Publisher set wrong type (+9) message: \"Option value must be a boolean (loopbackFastPath)\", zeromq \"Option value must be a boolean\"",
  "options: every socket type / mandatory":
    "Pair set true, Publisher set true (+8): returned true, zeromq threw TypeError \"Cannot add property mandatory, object is not extensible\" {message stack}; Pair get after set, Publisher get after set (+8): true, zeromq undefined; … and 5 more",
  "options: every socket type / manual":
    "Pair set true, Publisher set true (+8): returned true, zeromq threw TypeError \"Cannot add property manual, object is not extensible\" {message stack}; Pair get after set, Publisher get after set (+10): true, zeromq undefined; … and 4 more",
  "options: every socket type / maxMessageSize":
    "Pair set wrong type, Publisher set wrong type (+9) message: \"Option value must be a number (maxMessageSize)\", zeromq \"Option value must be a number\"; Pair set -2, Publisher set -2 (+9): threw ZmqError name=Error \"EINVAL\"(22) \"Invalid value -2 for maxMessageSize: expected an i…, zeromq returned -2; … and 2 more",
  "options: every socket type / multicastHops":
    "Pair set wrong type, Publisher set wrong type (+7) message: \"Option value must be a number (multicastHops)\", zeromq \"Option value must be a number\"; Pair set 0, Publisher set 0 (+7): returned 0, zeromq threw Error \"EINVAL\"(22) \"Invalid argument\" {code errno message stack}; Pair get at the end, Publisher get at the end (+7): 0, zeromq 3; … and 6 more",
  "options: every socket type / multicastMaxTransportDataUnit":
    "Pair set wrong type, Publisher set wrong type (+9) message: \"Option value must be a number (multicastMaxTransportDataUnit)\", zeromq \"Option value must be a number\"; Pair set -1, Publisher set -1 (+9) class: \"ZmqError\", zeromq \"Error\"; … and 3 more",
  "options: every socket type / noDrop":
    "Pair set true, Subscriber set true (+7): returned true, zeromq threw TypeError \"Cannot add property noDrop, object is not extensible\" {message stack}; Pair get after set, Publisher get after set (+11): true, zeromq undefined; … and 4 more",
  "options: every socket type / plainPassword":
    "Pair set wrong type, Publisher set wrong type (+9) message: \"Option value must be a string or null (plainPassword)\", zeromq \"Option value must be a string or buffer\"; Pair set xxxx…(256), Publisher set xxxx…(256) (+9) class: \"ZmqError\", zeromq \"Error\"; … and 5 more",
  "options: every socket type / plainServer":
    "Pair set wrong type, Publisher set wrong type (+9) message: \"Option value must be a boolean (plainServer)\", zeromq \"Option value must be a boolean\"",
  "options: every socket type / plainUsername":
    "Pair set wrong type, Publisher set wrong type (+9) message: \"Option value must be a string or null (plainUsername)\", zeromq \"Option value must be a string or buffer\"; Pair set xxxx…(256), Publisher set xxxx…(256) (+9) class: \"ZmqError\", zeromq \"Error\"; … and 5 more",
  "options: every socket type / probeRouter":
    "Pair set true, Publisher set true (+6): returned true, zeromq threw TypeError \"Cannot add property probeRouter, object is not extensible\" {message stack…; Pair get after set, Publisher get after set (+12): true, zeromq undefined; … and 4 more",
  "options: every socket type / rate":
    "Pair set wrong type, Publisher set wrong type (+9) message: \"Option value must be a number (rate)\", zeromq \"Option value must be a number\"; Pair set 0, Publisher set 0 (+9) class: \"ZmqError\", zeromq \"Error\"; Pair set 0, Publisher set 0 (+9) message: \"Invalid value 0 for rate: expected an integer in 1..2147483647\", zeromq \"Invalid argument\"; … and 2 more",
  "options: every socket type / receiveBufferSize":
    "Pair set wrong type, Subscriber set wrong type (+7) message: \"Option value must be a number (receiveBufferSize)\", zeromq \"Option value must be a number\"; Pair set -2, Subscriber set -2 (+7) class: \"ZmqError\", zeromq \"Error\"; … and 14 more",
  "options: every socket type / receiveHighWaterMark":
    "Pair set wrong type, Subscriber set wrong type (+7) message: \"Option value must be a number (receiveHighWaterMark)\", zeromq \"Option value must be a number\"; Pair set -1, Subscriber set -1 (+7) class: \"ZmqError\", zeromq \"Error\"; … and 14 more",
  "options: every socket type / receiveTimeout":
    "Pair set wrong type, Subscriber set wrong type (+7) message: \"Option value must be a number (receiveTimeout)\", zeromq \"Option value must be a number\"; Pair set -2, Subscriber set -2 (+7) class: \"ZmqError\", zeromq \"Error\"; … and 14 more",
  "options: every socket type / reconnectInterval":
    "Pair set wrong type, Publisher set wrong type (+9) message: \"Option value must be a number (reconnectInterval)\", zeromq \"Option value must be a number\"; Pair set -2, Publisher set -2 (+9) class: \"ZmqError\", zeromq \"Error\"; … and 3 more",
  "options: every socket type / reconnectMaxInterval":
    "Pair set wrong type, Publisher set wrong type (+9) message: \"Option value must be a number (reconnectMaxInterval)\", zeromq \"Option value must be a number\"; Pair set -1, Publisher set -1 (+9) class: \"ZmqError\", zeromq \"Error\"; … and 3 more",
  "options: every socket type / recoveryInterval":
    "Pair set wrong type, Publisher set wrong type (+9) message: \"Option value must be a number (recoveryInterval)\", zeromq \"Option value must be a number\"; Pair set -1, Publisher set -1 (+9) class: \"ZmqError\", zeromq \"Error\"; … and 3 more",
  "options: every socket type / relaxed":
    "Pair set true, Publisher set true (+8): returned true, zeromq threw TypeError \"Cannot add property relaxed, object is not extensible\" {message stack}; Pair get after set, Publisher get after set (+10): true, zeromq undefined; … and 4 more",
  "options: every socket type / routingId":
    "Pair set \"id1\", Publisher set \"id1\" (+5): returned \"id1\", zeromq threw TypeError \"Cannot add property routingId, object is not extensible\" {message stack}; Pair get after set, Publisher get after set (+5): \"id1\", zeromq undefined; … and 17 more",
  "options: every socket type / sendBufferSize":
    "Pair set wrong type, Publisher set wrong type (+7) message: \"Option value must be a number (sendBufferSize)\", zeromq \"Option value must be a number\"; Pair set -2, Publisher set -2 (+7) class: \"ZmqError\", zeromq \"Error\"; … and 17 more",
  "options: every socket type / sendHighWaterMark":
    "Pair set wrong type, Publisher set wrong type (+7) message: \"Option value must be a number (sendHighWaterMark)\", zeromq \"Option value must be a number\"; Pair set -1, Pair set 2147483648 (+16) class: \"ZmqError\", zeromq \"Error\"; … and 16 more",
  "options: every socket type / sendTimeout":
    "Pair set wrong type, Publisher set wrong type (+7) message: \"Option value must be a number (sendTimeout)\", zeromq \"Option value must be a number\"; Pair set -2, Publisher set -2 (+7) class: \"ZmqError\", zeromq \"Error\"; Pair set -2, Publisher set -2 (+7) message: \"Invalid value -2 for sendTimeout: expected an integer in -1..2147483647\", zeromq \"Invalid argument\"; … and 13 more",
  "options: every socket type / socksProxy":
    "Pair set wrong type, Publisher set wrong type (+9) message: \"Option value must be a string or null (socksProxy)\", zeromq \"Option value must be a string or buffer\"; Pair get after Buffer, Publisher get after Buffer (+9): \"hÃ©llo â\", zeromq \"héllo ✓\"",
  "options: every socket type / tcpAcceptFilter":
    "Pair get, Pair get at the end (+20): returned null, zeromq threw Error \"EINVAL\"(22) \"Invalid argument\" {code errno message stack}; Pair get after set, Publisher get after set (+9): returned \"127.0.0.1\", zeromq threw Error \"EINVAL\"(22) \"Invalid argument\" {code errno message stack}; … and 5 more",
  "options: every socket type / tcpKeepalive":
    "Pair set wrong type, Publisher set wrong type (+9) message: \"Option value must be a number (tcpKeepalive)\", zeromq \"Option value must be a number\"; Pair set 2, Pair set -2 (+20) class: \"ZmqError\", zeromq \"Error\"; Pair set 2, Publisher set 2 (+9) message: \"Invalid value 2 for tcpKeepalive: expected an integer in -1..1\", zeromq \"Invalid argument\"; … and 3 more",
  "options: every socket type / tcpKeepaliveCount":
    "Pair set wrong type, Publisher set wrong type (+9) message: \"Option value must be a number (tcpKeepaliveCount)\", zeromq \"Option value must be a number\"; Pair set -2, Publisher set -2 (+9) class: \"ZmqError\", zeromq \"Error\"; … and 3 more",
  "options: every socket type / tcpKeepaliveIdle":
    "Pair set wrong type, Publisher set wrong type (+9) message: \"Option value must be a number (tcpKeepaliveIdle)\", zeromq \"Option value must be a number\"; Pair set -2, Publisher set -2 (+9) class: \"ZmqError\", zeromq \"Error\"; … and 3 more",
  "options: every socket type / tcpKeepaliveInterval":
    "Pair set wrong type, Publisher set wrong type (+9) message: \"Option value must be a number (tcpKeepaliveInterval)\", zeromq \"Option value must be a number\"; Pair set -2, Publisher set -2 (+9) class: \"ZmqError\", zeromq \"Error\"; … and 3 more",
  "options: every socket type / tcpMaxRetransmitTimeout":
    "Pair set wrong type, Publisher set wrong type (+9) message: \"Option value must be a number (tcpMaxRetransmitTimeout)\", zeromq \"Option value must be a number\"; Pair set -1, Publisher set -1 (+9) class: \"ZmqError\", zeromq \"Error\"; … and 3 more",
  "options: every socket type / typeOfService":
    "Pair set wrong type, Publisher set wrong type (+9) message: \"Option value must be a number (typeOfService)\", zeromq \"Option value must be a number\"; Pair set -1, Publisher set -1 (+9) class: \"ZmqError\", zeromq \"Error\"; Pair set -1, Publisher set -1 (+9) message: \"Invalid value -1 for typeOfService: expected an integer in 0..255\", zeromq \"Invalid argument\"; … and 4 more",
  "options: every socket type / verbosity":
    "Pair set \"allSubs\", Publisher set \"allSubs\" (+8): returned \"allSubs\", zeromq threw TypeError \"Cannot add property verbosity, object is not extensible\" {message stack}; Pair get after set, Publisher get after set (+9): \"allSubs\", zeromq undefined; … and 10 more",
  "options: every socket type / vmciBufferMaxSize":
    "Pair get, Publisher get (+9): returned undefined, zeromq threw Error \"EINVAL\"(22) \"Invalid argument\" {code errno message stack}; Pair set 1024, Pair get after set (+20): returned 1024, zeromq threw Error \"EINVAL\"(22) \"Invalid argument\" {code errno message stack}; … and 2 more",
  "options: every socket type / vmciBufferMinSize":
    "Pair get, Publisher get (+9): returned undefined, zeromq threw Error \"EINVAL\"(22) \"Invalid argument\" {code errno message stack}; Pair set 1024, Pair get after set (+20): returned 1024, zeromq threw Error \"EINVAL\"(22) \"Invalid argument\" {code errno message stack}; … and 2 more",
  "options: every socket type / vmciBufferSize":
    "Pair get, Publisher get (+9): returned undefined, zeromq threw Error \"EINVAL\"(22) \"Invalid argument\" {code errno message stack}; Pair set 1024, Pair get after set (+20): returned 1024, zeromq threw Error \"EINVAL\"(22) \"Invalid argument\" {code errno message stack}; … and 2 more",
  "options: every socket type / vmciConnectTimeout":
    "Pair get, Publisher get (+9): returned undefined, zeromq threw Error \"EINVAL\"(22) \"Invalid argument\" {code errno message stack}; Pair set 100, Pair get after set (+20): returned 100, zeromq threw Error \"EINVAL\"(22) \"Invalid argument\" {code errno message stack}; … and 2 more",
  "options: every socket type / welcomeMessage":
    "Pair set \"welcome\", Publisher set \"welcome\" (+8): returned \"welcome\", zeromq threw TypeError \"Cannot add property welcomeMessage, object is not extensible\" {message st…; Pair get after set, Publisher get after set (+9): \"welcome\", zeromq undefined; … and 7 more",
  "options: every socket type / zapDomain":
    "Pair set wrong type, Publisher set wrong type (+9) message: \"Option value must be a string or null (zapDomain)\", zeromq \"Option value must be a string or buffer\"; … and 4 more",
  "options: every socket type / zapEnforceDomain":
    "Pair set wrong type, Publisher set wrong type (+9) message: \"Option value must be a boolean (zapEnforceDomain)\", zeromq \"Option value must be a boolean\"",
  // ---- options: generic accessors ----
  "options: generic accessors / accessors after close":
    "getInt32Option(17), setInt32Option(17, 1), getStringOption(5) class: \"TypeError\", zeromq \"Error\"; getInt32Option(17), setInt32Option(17, 1), getStringOption(5) name: \"TypeError\", zeromq \"Error\"; getInt32Option(17), setInt32Option(17, 1), getStringOption(5) typeError: true, zeromq false; … and 6 more",
  "options: generic accessors / Context accessors":
    "getInt32Option(1) ioThreads: threw TypeError \"c.getInt32Option is not a function\" {message stack}, zeromq returned 1; setInt32Option(1, 2): threw TypeError \"c.setInt32Option is not a function\" {message stack}, zeromq returned undefined; getInt32Option(1) again: threw TypeError \"c.getInt32Option is not a function\" {message stack}, zeromq returned 2; … and 14 more",
  "options: generic accessors / getters with libzmq ids":
    "getBoolOption(39) immediate: threw TypeError \"s.getBoolOption is not a function\" {message stack}, zeromq returned false; getInt32Option(17) linger: threw TypeError \"s.getInt32Option is not a function\" {message stack}, zeromq returned 7; getUint32Option(57) typeOfService: threw TypeError \"s.getUint32Option is not a function\" {message stack}, zeromq returned 0; … and 16 more",
  "options: generic accessors / setters after bind warn":
    "setInt32Option(18, 50) reconnectInterval, setInt32Option(17, 5) linger, setInt32Option(23, 5) sendHighWaterMark: threw TypeError \"s.setInt32Option is not a function\" {message stack}, zeromq returned undefined; setInt32Option(18, 50) reconnectInterval warnings: (absent), zeromq [\"Socket option will not take effect until next connect/bind.\"]",
  "options: generic accessors / setters with libzmq ids":
    "setBoolOption(39, true): threw TypeError \"s.setBoolOption is not a function\" {message stack}, zeromq returned undefined; immediate: false, zeromq true; setInt32Option(17, 10): threw TypeError \"s.setInt32Option is not a function\" {message stack}, zeromq returned undefined; linger: -1, zeromq 10; … and 23 more",
  // ---- options: warnings ----
  "options: warnings / numbers beyond 2^53":
    "affinity 2^60: threw ZmqError name=Error \"EINVAL\"(22) \"Invalid value 1152921504606847000 for affinity: ex…, zeromq returned 1152921504606847000; affinity 2^60, affinity 2^64, vmciBufferSize 2^53 warnings: (absent), zeromq [\"Value is larger than Number.MAX_SAFE_INTEGER and may have been rounded inaccurately.\"]; affinity read back: 0, zeromq 1152921504606847000; … and 12 more",
  "options: warnings / set after bind / inproc":
    "sendBufferSize, receiveBufferSize (+26) warnings: (absent), zeromq [\"Socket option will not take effect until next connect/bind.\"]; conflate: threw ZmqError name=Error \"ENOTSUP\"(95) \"conflate is not supported on this socket type yet…, zeromq returned true",
  "options: warnings / set after bind / ipc":
    "sendBufferSize, receiveBufferSize (+26) warnings: (absent), zeromq [\"Socket option will not take effect until next connect/bind.\"]; conflate: threw ZmqError name=Error \"ENOTSUP\"(95) \"conflate is not supported on this socket type yet…, zeromq returned true",
  "options: warnings / set after bind / tcp":
    "sendBufferSize, receiveBufferSize (+26) warnings: (absent), zeromq [\"Socket option will not take effect until next connect/bind.\"]; conflate: threw ZmqError name=Error \"ENOTSUP\"(95) \"conflate is not supported on this socket type yet…, zeromq returned true",
  "options: warnings / set after connect / inproc":
    "sendBufferSize, receiveBufferSize (+26) warnings: (absent), zeromq [\"Socket option will not take effect until next connect/bind.\"]; conflate: threw ZmqError name=Error \"ENOTSUP\"(95) \"conflate is not supported on this socket type yet…, zeromq returned true",
  "options: warnings / set after connect / ipc":
    "sendBufferSize, receiveBufferSize (+26) warnings: (absent), zeromq [\"Socket option will not take effect until next connect/bind.\"]; conflate: threw ZmqError name=Error \"ENOTSUP\"(95) \"conflate is not supported on this socket type yet…, zeromq returned true",
  "options: warnings / set after connect / tcp":
    "sendBufferSize, receiveBufferSize (+26) warnings: (absent), zeromq [\"Socket option will not take effect until next connect/bind.\"]; conflate: threw ZmqError name=Error \"ENOTSUP\"(95) \"conflate is not supported on this socket type yet…, zeromq returned true",
  "options: warnings / set after disconnect / inproc":
    "conflate: threw ZmqError name=Error \"ENOTSUP\"(95) \"conflate is not supported on this socket type yet…, zeromq returned true",
  "options: warnings / set after disconnect / ipc":
    "conflate: threw ZmqError name=Error \"ENOTSUP\"(95) \"conflate is not supported on this socket type yet…, zeromq returned true",
  "options: warnings / set after disconnect / tcp":
    "conflate: threw ZmqError name=Error \"ENOTSUP\"(95) \"conflate is not supported on this socket type yet…, zeromq returned true",
  "options: warnings / set after unbind / inproc":
    "conflate: threw ZmqError name=Error \"ENOTSUP\"(95) \"conflate is not supported on this socket type yet…, zeromq returned true",
  "options: warnings / set after unbind / ipc":
    "conflate: threw ZmqError name=Error \"ENOTSUP\"(95) \"conflate is not supported on this socket type yet…, zeromq returned true",
  "options: warnings / set after unbind / tcp":
    "conflate: threw ZmqError name=Error \"ENOTSUP\"(95) \"conflate is not supported on this socket type yet…, zeromq returned true",
  "options: warnings / set before connect or bind":
    "conflate: threw ZmqError name=Error \"ENOTSUP\"(95) \"conflate is not supported on this socket type yet…, zeromq returned true",
  "options: warnings / set during bind / inproc":
    "sendBufferSize, receiveBufferSize (+26) warnings: (absent), zeromq [\"Socket option will not take effect until next connect/bind.\"]; conflate: threw ZmqError name=Error \"ENOTSUP\"(95) \"conflate is not supported on this socket type yet…, zeromq returned true",
  "options: warnings / set during bind / ipc":
    "sendBufferSize, receiveBufferSize (+26) warnings: (absent), zeromq [\"Socket option will not take effect until next connect/bind.\"]; conflate: threw ZmqError name=Error \"ENOTSUP\"(95) \"conflate is not supported on this socket type yet…, zeromq returned true",
  "options: warnings / set during bind / tcp":
    "sendBufferSize, receiveBufferSize (+26) warnings: (absent), zeromq [\"Socket option will not take effect until next connect/bind.\"]; conflate: threw ZmqError name=Error \"ENOTSUP\"(95) \"conflate is not supported on this socket type yet…, zeromq returned true",
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
  "process life / a pending receive keeps the process alive / inproc":
    "exit: 0, zeromq \"hangs\"",
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
  "process life / a running proxy / inproc":
    "exit: 0, zeromq \"hangs\"",
  "process life / a socket connected to nothing never closed / ipc":
    "exit: \"hangs\", zeromq 0",
  "process life / a socket connected to nothing never closed / tcp":
    "exit: \"hangs\", zeromq 0",
  "process life / an awaited pending receive at top level / inproc":
    "exit: 13, zeromq \"hangs\"",
  "process life / an idle socket with events being read / inproc":
    "exit: 0, zeromq \"hangs\"; stdout [1…]: [\"event bind\"], zeromq (absent)",
  "process life / an uncaught error from a socket call":
    "stderr [0]: \"ZmqError: Socket is closed\", zeromq \"Error: Socket is closed\"",
  "process life / context.blocky = false after the socket was made / tcp":
    "warnings: (absent), zeromq [\"WARNING: Waiting for queued ZeroMQ messages to be delivered.\"]",
  // ---- Proxy ----
  "Proxy / before run":
    "terminate, pause, resume class: \"ZmqError\", zeromq \"Error\"; terminate, pause, resume message: \"Proxy is not running\", zeromq \"Socket is closed\"; terminate, pause, resume props: +address +name; terminate, pause (+2) address: undefined, zeromq (absent); terminate with an argument class: \"ZmqError\", zeromq \"TypeError\"; … and 6 more",
  "Proxy / closing a socket of a running proxy":
    "front closed: true, zeromq false; terminate: threw ZmqError name=Error \"EBADF\"(9) \"Proxy is not running\" address=undefined {address cod…, zeromq returned undefined",
  "Proxy / run with unbound sockets":
    "run, neither bound, run, back not bound class: \"ZmqError\", zeromq \"Error\"; run, neither bound, run, back not bound props: +address +name; run, neither bound, run, back not bound, run with an argument address: undefined, zeromq (absent); run with an argument class: \"ZmqError\", zeromq \"TypeError\"; run with an argument name: \"Error\", zeromq \"TypeError\"; … and 5 more",
  "Proxy / run, forward, terminate / inproc":
    "front bind while running: resolved undefined, zeromq threw Error \"EBUSY\"(16) \"Socket is blocked by a bind or unbind operation\" {code errno mess…; … and 5 more",
  "Proxy / run, forward, terminate / ipc":
    "front bind while running: rejected ZmqError name=Error \"EBADF\"(9) \"Socket was closed while binding\" address=\"ipc://<…, zeromq threw Error \"EBUSY\"(16) \"Socket is blocked by a bind or unbind operation\" {code errno mess…; … and 5 more",
  "Proxy / run, forward, terminate / tcp":
    "front bind while running: rejected ZmqError name=Error \"EBADF\"(9) \"Socket was closed while binding\" address=\"tcp://1…, zeromq threw Error \"EBUSY\"(16) \"Socket is blocked by a bind or unbind operation\" {code errno mess…; … and 5 more",
  // ---- security ----
  "security / CURVE accepted / ipc":
    "client events [0…]: [{type: \"connect:delay\", address: \"ipc://<dir>/ep1\"}], zeromq (absent); zap request [3…]: (absent), zeromq [\"localhost:0:0:<pid>\"]; zap request [4…]: [\"\"], zeromq (absent)",
  "security / CURVE client, PLAIN server / ipc":
    "server events, client events [2].error.class: \"ProtocolError\", zeromq \"Error\"; server events, client events [2].error.name: \"ProtocolError\", zeromq \"Error\"; server events [2].error.message: \"peer uses mechanism CURVE, we use PLAIN\", zeromq \"ZMTP protocol error\"; server events [2].error.props: +name; … and 6 more",
  "security / CURVE client, PLAIN server / tcp":
    "server events, client events [2].error.class: \"ProtocolError\", zeromq \"Error\"; server events, client events [2].error.name: \"ProtocolError\", zeromq \"Error\"; server events [2].error.message: \"peer uses mechanism CURVE, we use PLAIN\", zeromq \"ZMTP protocol error\"; server events, client events [2].error.props: +name; … and 1 more",
  "security / CURVE refused by the ZAP handler / ipc":
    "server events [2].error.message: \"ZAP handler refused the CURVE peer: 400 Wrong password\", zeromq \"Authentication failure\"; client events [0…]: [{type: \"connect:delay\", address: \"ipc://<dir>/ep1\"}], zeromq (absent); client events [2].error.message: \"peer rejected the handshake: 400\", zeromq \"Authentication failure\"; … and 2 more",
  "security / CURVE refused by the ZAP handler / tcp":
    "server events [2].error.message: \"ZAP handler refused the CURVE peer: 400 Wrong password\", zeromq \"Authentication failure\"; client events [2].error.message: \"peer rejected the handshake: 400\", zeromq \"Authentication failure\"",
  "security / CURVE with a wrong server key / ipc":
    "server events [2].error.class: \"ProtocolError\", zeromq \"Error\"; server events [2].error.name: \"ProtocolError\", zeromq \"Error\"; server events [2].error.message: \"CURVE: cannot open HELLO (client has the wrong server key?)\", zeromq \"ZMTP protocol error\"; server events [2].error.props: +name; … and 5 more",
  "security / CURVE with a wrong server key / tcp":
    "server events [2].error.class: \"ProtocolError\", zeromq \"Error\"; server events [2].error.name: \"ProtocolError\", zeromq \"Error\"; server events [2].error.message: \"CURVE: cannot open HELLO (client has the wrong server key?)\", zeromq \"ZMTP protocol error\"; server events [2].error.props: +name; … and 4 more",
  "security / CURVE without a ZAP handler / ipc":
    "client events [0…]: [{type: \"connect:delay\", address: \"ipc://<dir>/ep1\"}], zeromq (absent)",
  "security / NULL client, PLAIN server / ipc":
    "server events, client events [2].error.class: \"ProtocolError\", zeromq \"Error\"; server events, client events [2].error.name: \"ProtocolError\", zeromq \"Error\"; server events [2].error.message: \"peer uses mechanism NULL, we use PLAIN\", zeromq \"ZMTP protocol error\"; server events [2].error.props: +name; … and 6 more",
  "security / NULL client, PLAIN server / tcp":
    "server events, client events [2].error.class: \"ProtocolError\", zeromq \"Error\"; server events, client events [2].error.name: \"ProtocolError\", zeromq \"Error\"; server events [2].error.message: \"peer uses mechanism NULL, we use PLAIN\", zeromq \"ZMTP protocol error\"; server events, client events [2].error.props: +name; … and 1 more",
  "security / NULL with a ZAP domain, accepted / ipc":
    "client events [0…]: [{type: \"connect:delay\", address: \"ipc://<dir>/ep1\"}], zeromq (absent); zap request [3…]: (absent), zeromq [\"localhost:0:0:<pid>\"]; zap request [4…]: [\"\"], zeromq (absent)",
  "security / NULL with a ZAP domain, refused / ipc":
    "server events [2].error.message: \"ZAP handler refused the NULL peer: 400 Wrong password\", zeromq \"Authentication failure\"; client events [0…]: [{type: \"connect:delay\", address: \"ipc://<dir>/ep1\"}], zeromq (absent); client events [2].error.message: \"peer rejected the handshake: 400\", zeromq \"Authentication failure\"; … and 2 more",
  "security / NULL with a ZAP domain, refused / tcp":
    "server events [2].error.message: \"ZAP handler refused the NULL peer: 400 Wrong password\", zeromq \"Authentication failure\"; client events [2].error.message: \"peer rejected the handshake: 400\", zeromq \"Authentication failure\"",
  "security / PLAIN accepted by the ZAP handler / ipc":
    "client events [0…]: [{type: \"connect:delay\", address: \"ipc://<dir>/ep1\"}], zeromq (absent); zap request [3…]: (absent), zeromq [\"localhost:0:0:<pid>\"]; zap request [4…]: [\"\"], zeromq (absent)",
  "security / PLAIN client, CURVE server / ipc":
    "server events, client events [2].error.class: \"ProtocolError\", zeromq \"Error\"; server events, client events [2].error.name: \"ProtocolError\", zeromq \"Error\"; server events [2].error.message: \"peer uses mechanism PLAIN, we use CURVE\", zeromq \"ZMTP protocol error\"; server events [2].error.props: +name; … and 6 more",
  "security / PLAIN client, CURVE server / tcp":
    "server events, client events [2].error.class: \"ProtocolError\", zeromq \"Error\"; server events, client events [2].error.name: \"ProtocolError\", zeromq \"Error\"; server events [2].error.message: \"peer uses mechanism PLAIN, we use CURVE\", zeromq \"ZMTP protocol error\"; server events, client events [2].error.props: +name; … and 1 more",
  "security / PLAIN client, NULL server / ipc":
    "server events, client events [2].error.class: \"ProtocolError\", zeromq \"Error\"; server events, client events [2].error.name: \"ProtocolError\", zeromq \"Error\"; server events [2].error.message: \"peer uses mechanism PLAIN, we use NULL\", zeromq \"ZMTP protocol error\"; server events [2].error.props: +name; … and 6 more",
  "security / PLAIN client, NULL server / tcp":
    "server events, client events [2].error.class: \"ProtocolError\", zeromq \"Error\"; server events, client events [2].error.name: \"ProtocolError\", zeromq \"Error\"; server events [2].error.message: \"peer uses mechanism PLAIN, we use NULL\", zeromq \"ZMTP protocol error\"; server events, client events [2].error.props: +name; … and 1 more",
  "security / PLAIN refused by the ZAP handler (400) / ipc":
    "server events [2].error.message: \"ZAP handler refused the PLAIN peer: 400 Wrong password\", zeromq \"Authentication failure\"; client events [0…]: [{type: \"connect:delay\", address: \"ipc://<dir>/ep1\"}], zeromq (absent); client events [2].error.message: \"peer rejected the handshake: 400\", zeromq \"Authentication failure\"; … and 2 more",
  "security / PLAIN refused by the ZAP handler (400) / tcp":
    "server events [2].error.message: \"ZAP handler refused the PLAIN peer: 400 Wrong password\", zeromq \"Authentication failure\"; client events [2].error.message: \"peer rejected the handshake: 400\", zeromq \"Authentication failure\"",
  "security / PLAIN without a ZAP handler / ipc":
    "server events [2].error.message: \"PLAIN server refused the client: no ZAP handler is bound at inproc://zeromq.zap.01\", zeromq \"Context is closed\"; server events [2].error.code: \"EACCES\", zeromq \"EFAULT\"; server events [2].error.errno: (absent), zeromq 14; server events, client events [2].error.props: -errno; … and 4 more",
  "security / PLAIN without a ZAP handler / tcp":
    "server events [2].error.message: \"PLAIN server refused the client: no ZAP handler is bound at inproc://zeromq.zap.01\", zeromq \"Context is closed\"; server events [2].error.code: \"EACCES\", zeromq \"EFAULT\"; server events [2].error.errno: (absent), zeromq 14; server events, client events [2].error.props: -errno; … and 3 more",
  "security / PLAIN, ZAP handler answers 300 / ipc":
    "server events [2].error.message: \"ZAP handler refused the PLAIN peer: 300 Try later\", zeromq \"Temporary error\"; client events [0…]: [{type: \"connect:delay\", address: \"ipc://<dir>/ep1\"}], zeromq (absent); client events [2…]: [{type: \"handshake:error:other\", address: \"ipc://<dir>/ep1\", error: Error \"ECONNRESET\"(und…, zeromq (absent); … and 3 more",
  "security / PLAIN, ZAP handler answers 300 / tcp":
    "server events [2].error.message: \"ZAP handler refused the PLAIN peer: 300 Try later\", zeromq \"Temporary error\"; client events [2…]: [{type: \"handshake:error:other\", address: \"tcp://127.0.0.1:<port1>\", error: Error \"ECONNRE…, zeromq (absent); until client handshake outcome: true, zeromq false",
  "security / PLAIN, ZAP handler answers 500 / ipc":
    "server events [2].error.message: \"ZAP handler refused the PLAIN peer: 500 Broken\", zeromq \"Internal error\"; client events [0…]: [{type: \"connect:delay\", address: \"ipc://<dir>/ep1\"}], zeromq (absent); client events [2].error.message: \"peer rejected the handshake: 500\", zeromq \"Internal error\"; zap request [3…]: (absent), zeromq [\"localhost:0:0:<pid>\"]; … and 1 more",
  "security / PLAIN, ZAP handler answers 500 / tcp":
    "server events [2].error.message: \"ZAP handler refused the PLAIN peer: 500 Broken\", zeromq \"Internal error\"; client events [2].error.message: \"peer rejected the handshake: 500\", zeromq \"Internal error\"",
  "security / PLAIN, ZAP handler answers an invalid status / ipc":
    "server events [2].error.class: \"ProtocolError\", zeromq \"Error\"; server events [2].error.name: \"ProtocolError\", zeromq \"Error\"; server events [2].error.message: \"ZAP status must be 200, 300, 400 or 500, got \\\"999\\\"\", zeromq \"ZAP protocol error\"; server events [2].error.props: +name; … and 7 more",
  "security / PLAIN, ZAP handler answers an invalid status / tcp":
    "server events [2].error.class: \"ProtocolError\", zeromq \"Error\"; server events [2].error.name: \"ProtocolError\", zeromq \"Error\"; server events [2].error.message: \"ZAP status must be 200, 300, 400 or 500, got \\\"999\\\"\", zeromq \"ZAP protocol error\"; server events [2].error.props: +name; … and 4 more",
  "security / PLAIN, ZAP reply with too few frames / ipc":
    "server events [2].error.class: \"ProtocolError\", zeromq \"Error\"; server events [2].error.name: \"ProtocolError\", zeromq \"Error\"; server events [2].error.message: \"ZAP reply must be 7 frames starting with an empty one, got 4\", zeromq \"ZAP protocol error\"; server events [2].error.props: +name; … and 7 more",
  "security / PLAIN, ZAP reply with too few frames / tcp":
    "server events [2].error.class: \"ProtocolError\", zeromq \"Error\"; server events [2].error.name: \"ProtocolError\", zeromq \"Error\"; server events [2].error.message: \"ZAP reply must be 7 frames starting with an empty one, got 4\", zeromq \"ZAP protocol error\"; server events [2].error.props: +name; … and 4 more",
  // ---- security: options ----
  "security: options / a CURVE client without keys":
    "connect: threw ZmqError name=Error \"EINVAL\"(22) \"A CURVE client needs curveSecretKey (and curvePubl…, zeromq returned undefined",
  "security: options / a CURVE server without a secret key":
    "bind: rejected ZmqError name=Error \"EINVAL\"(22) \"A CURVE server needs curveSecretKey (see curveK…, zeromq resolved undefined",
  // ---- state: REQ/REP ----
  "state: REQ/REP / in turn / inproc":
    "connected, request sent, reply received rep.writable: true, zeromq false; request sent, request received req.writable: true, zeromq false",
  "state: REQ/REP / in turn / ipc":
    "connected, request sent, reply received rep.writable: true, zeromq false; request sent, request received req.writable: true, zeromq false",
  "state: REQ/REP / in turn / tcp":
    "connected, request sent, reply received rep.writable: true, zeromq false; request sent, request received req.writable: true, zeromq false",
  "state: REQ/REP / REP receives twice / inproc":
    "receive again class: \"ZmqError\", zeromq \"Error\"; receive again message: \"A REP socket must send the reply before it can receive the next request\", zeromq \"Operation cannot be accomplished in current state\"; receive again props: +address +name; receive again address: undefined, zeromq (absent)",
  "state: REQ/REP / REP receives twice / ipc":
    "receive again class: \"ZmqError\", zeromq \"Error\"; receive again message: \"A REP socket must send the reply before it can receive the next request\", zeromq \"Operation cannot be accomplished in current state\"; receive again props: +address +name; receive again address: undefined, zeromq (absent)",
  "state: REQ/REP / REP receives twice / tcp":
    "receive again class: \"ZmqError\", zeromq \"Error\"; receive again message: \"A REP socket must send the reply before it can receive the next request\", zeromq \"Operation cannot be accomplished in current state\"; receive again props: +address +name; receive again address: undefined, zeromq (absent)",
  "state: REQ/REP / REP sends before receiving / inproc":
    "send: rejected ZmqError name=Error \"EFSM\"(156384763) \"A REP socket must receive a request before…, zeromq pending",
  "state: REQ/REP / REP sends before receiving / ipc":
    "send: rejected ZmqError name=Error \"EFSM\"(156384763) \"A REP socket must receive a request before…, zeromq pending",
  "state: REQ/REP / REP sends before receiving / tcp":
    "send: rejected ZmqError name=Error \"EFSM\"(156384763) \"A REP socket must receive a request before…, zeromq pending",
  "state: REQ/REP / REP sends before receiving, sendTimeout 0 / inproc":
    "send class: \"ZmqError\", zeromq \"Error\"; send message: \"A REP socket must receive a request before it can send a reply\", zeromq \"Operation cannot be accomplished in current state\"; send props: +address +name; send address: undefined, zeromq (absent)",
  "state: REQ/REP / REP sends before receiving, sendTimeout 0 / ipc":
    "send class: \"ZmqError\", zeromq \"Error\"; send message: \"A REP socket must receive a request before it can send a reply\", zeromq \"Operation cannot be accomplished in current state\"; send props: +address +name; send address: undefined, zeromq (absent)",
  "state: REQ/REP / REP sends before receiving, sendTimeout 0 / tcp":
    "send class: \"ZmqError\", zeromq \"Error\"; send message: \"A REP socket must receive a request before it can send a reply\", zeromq \"Operation cannot be accomplished in current state\"; send props: +address +name; send address: undefined, zeromq (absent)",
  "state: REQ/REP / REQ receives before sending / inproc":
    "receive: rejected ZmqError name=Error \"EFSM\"(156384763) \"A REQ socket must send a request before it…, zeromq pending",
  "state: REQ/REP / REQ receives before sending / ipc":
    "receive: rejected ZmqError name=Error \"EFSM\"(156384763) \"A REQ socket must send a request before it…, zeromq pending",
  "state: REQ/REP / REQ receives before sending / tcp":
    "receive: rejected ZmqError name=Error \"EFSM\"(156384763) \"A REQ socket must send a request before it…, zeromq pending",
  "state: REQ/REP / REQ receives before sending, receiveTimeout 0 / inproc":
    "receive class: \"ZmqError\", zeromq \"Error\"; receive message: \"A REQ socket must send a request before it can receive a reply\", zeromq \"Operation cannot be accomplished in current state\"; receive props: +address +name; receive address: undefined, zeromq (absent)",
  "state: REQ/REP / REQ receives before sending, receiveTimeout 0 / ipc":
    "receive class: \"ZmqError\", zeromq \"Error\"; receive message: \"A REQ socket must send a request before it can receive a reply\", zeromq \"Operation cannot be accomplished in current state\"; receive props: +address +name; receive address: undefined, zeromq (absent)",
  "state: REQ/REP / REQ receives before sending, receiveTimeout 0 / tcp":
    "receive class: \"ZmqError\", zeromq \"Error\"; receive message: \"A REQ socket must send a request before it can receive a reply\", zeromq \"Operation cannot be accomplished in current state\"; receive props: +address +name; receive address: undefined, zeromq (absent)",
  "state: REQ/REP / REQ receives before sending, receiveTimeout 30 / inproc":
    "receive class: \"ZmqError\", zeromq \"Error\"; receive message: \"A REQ socket must send a request before it can receive a reply\", zeromq \"Operation cannot be accomplished in current state\"; receive props: +address +name; receive address: undefined, zeromq (absent)",
  "state: REQ/REP / REQ receives before sending, receiveTimeout 30 / ipc":
    "receive class: \"ZmqError\", zeromq \"Error\"; receive message: \"A REQ socket must send a request before it can receive a reply\", zeromq \"Operation cannot be accomplished in current state\"; receive props: +address +name; receive address: undefined, zeromq (absent)",
  "state: REQ/REP / REQ receives before sending, receiveTimeout 30 / tcp":
    "receive class: \"ZmqError\", zeromq \"Error\"; receive message: \"A REQ socket must send a request before it can receive a reply\", zeromq \"Operation cannot be accomplished in current state\"; receive props: +address +name; receive address: undefined, zeromq (absent)",
  "state: REQ/REP / REQ sends twice / inproc":
    "after send req.writable: true, zeromq false; after send rep.writable: true, zeromq false; send again: rejected ZmqError name=Error \"EFSM\"(156384763) \"A REQ socket must receive the reply before…, zeromq pending",
  "state: REQ/REP / REQ sends twice / ipc":
    "after send req.writable: true, zeromq false; after send rep.writable: true, zeromq false; send again: rejected ZmqError name=Error \"EFSM\"(156384763) \"A REQ socket must receive the reply before…, zeromq pending",
  "state: REQ/REP / REQ sends twice / tcp":
    "after send req.writable: true, zeromq false; after send rep.writable: true, zeromq false; send again: rejected ZmqError name=Error \"EFSM\"(156384763) \"A REQ socket must receive the reply before…, zeromq pending",
  "state: REQ/REP / REQ sends twice, sendTimeout 0 / inproc":
    "send again class: \"ZmqError\", zeromq \"Error\"; send again message: \"A REQ socket must receive the reply before sending the next request (or set relaxed)\", zeromq \"Operation cannot be accomplished in current state\"; send again props: +address +name; send again address: undefined, zeromq (absent)",
  "state: REQ/REP / REQ sends twice, sendTimeout 0 / ipc":
    "send again class: \"ZmqError\", zeromq \"Error\"; send again message: \"A REQ socket must receive the reply before sending the next request (or set relaxed)\", zeromq \"Operation cannot be accomplished in current state\"; send again props: +address +name; send again address: undefined, zeromq (absent)",
  "state: REQ/REP / REQ sends twice, sendTimeout 0 / tcp":
    "send again class: \"ZmqError\", zeromq \"Error\"; send again message: \"A REQ socket must receive the reply before sending the next request (or set relaxed)\", zeromq \"Operation cannot be accomplished in current state\"; send again props: +address +name; send again address: undefined, zeromq (absent)",
  "state: REQ/REP / REQ sends twice, sendTimeout 30 / inproc":
    "send again class: \"ZmqError\", zeromq \"Error\"; send again message: \"A REQ socket must receive the reply before sending the next request (or set relaxed)\", zeromq \"Operation cannot be accomplished in current state\"; send again props: +address +name; send again address: undefined, zeromq (absent)",
  "state: REQ/REP / REQ sends twice, sendTimeout 30 / ipc":
    "send again class: \"ZmqError\", zeromq \"Error\"; send again message: \"A REQ socket must receive the reply before sending the next request (or set relaxed)\", zeromq \"Operation cannot be accomplished in current state\"; send again props: +address +name; send again address: undefined, zeromq (absent)",
  "state: REQ/REP / REQ sends twice, sendTimeout 30 / tcp":
    "send again class: \"ZmqError\", zeromq \"Error\"; send again message: \"A REQ socket must receive the reply before sending the next request (or set relaxed)\", zeromq \"Operation cannot be accomplished in current state\"; send again props: +address +name; send again address: undefined, zeromq (absent)",
  "state: REQ/REP / REQ with no peer, sendTimeout 0":
    "send class: \"ZmqError\", zeromq \"Error\"; send props: +address +name; send address: undefined, zeromq (absent)",
  // ---- state: ROUTER mandatory ----
  "state: ROUTER mandatory / an unknown id with a peer / inproc":
    "send to unknown class: \"ZmqError\", zeromq \"Error\"; send to unknown message: \"No peer with this routing id is connected (mandatory is set)\", zeromq \"Host unreachable\"; send to unknown props: +address +name; send to unknown address: undefined, zeromq (absent)",
  "state: ROUTER mandatory / an unknown id with a peer / ipc":
    "send to unknown class: \"ZmqError\", zeromq \"Error\"; send to unknown message: \"No peer with this routing id is connected (mandatory is set)\", zeromq \"Host unreachable\"; send to unknown props: +address +name; send to unknown address: undefined, zeromq (absent)",
  "state: ROUTER mandatory / an unknown id with a peer / tcp":
    "send to unknown class: \"ZmqError\", zeromq \"Error\"; send to unknown message: \"No peer with this routing id is connected (mandatory is set)\", zeromq \"Host unreachable\"; send to unknown props: +address +name; send to unknown address: undefined, zeromq (absent)",
  "state: ROUTER mandatory / mandatory set after bind":
    "get mandatory: returned true, zeromq threw Error \"EINVAL\"(22) \"Invalid argument\" {code errno message stack}; send: rejected ZmqError name=Error \"EHOSTUNREACH\"(113) \"No peer with this routing id is connecte…, zeromq pending",
  "state: ROUTER mandatory / no peer":
    "send: rejected ZmqError name=Error \"EHOSTUNREACH\"(113) \"No peer with this routing id is connecte…, zeromq pending",
  "state: ROUTER mandatory / no peer, sendTimeout 0":
    "send class: \"ZmqError\", zeromq \"Error\"; send message: \"No peer with this routing id is connected (mandatory is set)\", zeromq \"Host unreachable\"; send props: +address +name; send address: undefined, zeromq (absent)",
  "state: ROUTER mandatory / no peer, sendTimeout 30":
    "send class: \"ZmqError\", zeromq \"Error\"; send message: \"No peer with this routing id is connected (mandatory is set)\", zeromq \"Host unreachable\"; send props: +address +name; send address: undefined, zeromq (absent)",
  "state: ROUTER mandatory / not mandatory: an unknown id is dropped / inproc":
    "writable: false, zeromq true",
  "state: ROUTER mandatory / not mandatory: an unknown id is dropped / ipc":
    "writable: false, zeromq true",
  "state: ROUTER mandatory / not mandatory: an unknown id is dropped / tcp":
    "writable: false, zeromq true",
  // ---- Stream ----
  "Stream / a raw TCP client":
    "bind, send: (absent), zeromq resolved undefined; connect notification, disconnect notification: (absent), zeromq resolved [\"id: 5 bytes from 0\", \"\"]; receive: (absent), zeromq resolved [\"id: 5 bytes from 0\", \"hello\"]; until client received: (absent), zeromq true; client got: (absent), zeromq \"world\"; … and 1 more",
  "Stream / construction":
    "exported: \"undefined\", zeromq \"function\"; new Stream(), new Stream({ notify: false }): threw TypeError \"Stream is not a constructor\" {message stack}, zeromq returned <Stream>; state: (absent), zeromq {type: 11, notify: undefined, routingId: undefined}",
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
