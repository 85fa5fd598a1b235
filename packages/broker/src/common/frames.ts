/** Frame helpers shared by the protocols: messages are arrays of Buffers, as zmtp receives them. */
export type Frames = Buffer[];

/** A message body as the user gives it: one frame or several, Buffers or strings. */
export type Body = string | Buffer | ReadonlyArray<string | Buffer>;

export const EMPTY = Buffer.alloc(0);

export function toFrames(body: Body): Frames {
  if (typeof body === "string") return [Buffer.from(body)];
  if (Buffer.isBuffer(body)) return [body];
  return body.map((part) => (typeof part === "string" ? Buffer.from(part) : part));
}

/** A routing id as a map key (ROUTER ids are binary). */
export function idKey(id: Buffer): string {
  return id.toString("latin1");
}

/** A printable form of a routing id for logs: text when printable, hex otherwise. */
export function showId(id: Buffer | string): string {
  const buf = typeof id === "string" ? Buffer.from(id, "latin1") : id;
  return /^[\x20-\x7e]+$/.test(buf.toString("latin1")) ? buf.toString("latin1") : `0x${buf.toString("hex")}`;
}
