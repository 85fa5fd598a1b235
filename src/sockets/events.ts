/**
 * Connection events as the sessions report them to their socket; the socket turns each into a
 * libzmq monitor event (core.ts) for the public Observer. `error` carries the errno code
 * (`EADDRINUSE`, `ECONNRESET`, ...), the ZMTP/ZAP protocol error code, or a ZAP `status`.
 */
interface Address {
  address: string;
}
interface WithError {
  error: Error;
}

export type Event =
  | ({ type: "accept" } & Address)
  | ({ type: "accept:error" } & Address & WithError)
  | ({ type: "bind" } & Address)
  | ({ type: "bind:error" } & Address & WithError)
  | ({ type: "connect" } & Address)
  | ({ type: "connect:delay" } & Address)
  | ({ type: "connect:retry" } & Address & { interval: number })
  | ({ type: "close" } & Address)
  | ({ type: "close:error" } & Address & WithError)
  | ({ type: "disconnect" } & Address)
  | { type: "end" }
  | ({ type: "handshake" } & Address)
  | ({ type: "handshake:error:protocol" } & Address & WithError)
  | ({ type: "handshake:error:auth" } & Address & WithError)
  | ({ type: "handshake:error:other" } & Address & WithError)
  | { type: "unknown" };

export type EventType = Event["type"];
