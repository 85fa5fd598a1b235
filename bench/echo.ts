/** The benchmarks' replier: the REP or ROUTER side of a round trip. */
export interface EchoSocket {
  receive(): Promise<Buffer[]>;
  send(message: Buffer[]): Promise<void>;
}

/** Sends back every message `socket` receives; resolves once the socket is closed. */
export async function echo(socket: EchoSocket): Promise<void> {
  for (;;) {
    try {
      await socket.send(await socket.receive());
    } catch {
      return; // closed
    }
  }
}
