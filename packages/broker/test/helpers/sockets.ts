import { Dealer, Router } from "zmtp";

/** Sockets a test closes at the end, whatever happened. */
export class Cleanup {
  private readonly items: Array<{ close(): unknown }> = [];

  add<T extends { close(): unknown }>(item: T): T {
    this.items.push(item);
    return item;
  }

  run(): void {
    for (const item of this.items.reverse()) item.close();
    this.items.length = 0;
  }
}

/** A ROUTER bound on a free local port, with every message it receives kept. */
export async function recordingRouter(): Promise<{ socket: Router; endpoint: string; received: Buffer[][] }> {
  const socket = new Router({ linger: 0 });
  await socket.bind("tcp://127.0.0.1:*");
  const received: Buffer[][] = [];
  void (async () => {
    for await (const msg of socket) received.push(msg);
  })().catch(() => undefined);
  return { socket, endpoint: socket.lastEndpoint!, received };
}

/** A raw DEALER: a peer that sends exactly what the test says (a misbehaving one). */
export function rawDealer(endpoint: string, routingId?: string): { socket: Dealer; received: Buffer[][] } {
  const socket = new Dealer({ linger: 0, ...(routingId !== undefined && { routingId }) });
  socket.connect(endpoint);
  const received: Buffer[][] = [];
  void (async () => {
    for await (const msg of socket) received.push(msg);
  })().catch(() => undefined);
  return { socket, received };
}

export const text = (frames: readonly Buffer[]): string[] => frames.map((f) => f.toString());
