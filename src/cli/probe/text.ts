/**
 * Frames as the debugging commands (probe, trace) read and show them: text, or hex with a `0x`
 * prefix; previews are cut so one line stays one line.
 */

/** Frames of one message on the command line are separated by `|`; `0x…` is hex. */
export const FRAME_SEPARATOR = "|";

/** Parses `hello|0x00ff|` into frames; throws a RangeError (a usage error) on bad hex. */
export function parseMessage(arg: string): Buffer[] {
  return arg.split(FRAME_SEPARATOR).map(parseFrame);
}

export function parseFrame(text: string): Buffer {
  if (!/^0x/i.test(text)) return Buffer.from(text);
  const hex = text.slice(2);
  if (!/^([0-9a-f]{2})*$/i.test(hex))
    throw new RangeError(`bad hex frame "${text}": use an even number of hex digits after 0x`);
  return Buffer.from(hex, "hex");
}

/** Text when every byte is printable UTF-8 (tabs and newlines allowed). */
export function isPrintable(body: Buffer): boolean {
  const text = body.toString("utf8");
  // U+FFFD means invalid UTF-8; C0 controls other than \t \n \r and DEL mean binary.
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this looks for
  return !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffd]/.test(text);
}

/** `"hello"` or `0x0001ff…`, at most `max` characters of content. */
export function previewFrame(body: Buffer, max = 32): string {
  if (body.length === 0) return '""';
  if (isPrintable(body)) {
    const text = body.toString("utf8");
    return text.length > max ? `${JSON.stringify(text.slice(0, max))}…` : JSON.stringify(text);
  }
  const bytes = Math.max(1, Math.floor(max / 2));
  return `0x${body.subarray(0, bytes).toString("hex")}${body.length > bytes ? "…" : ""}`;
}

/** A whole message on one line: `"a" | "" | 0x01`. */
export function previewMessage(frames: readonly Buffer[], max = 32): string {
  return frames.map((frame) => previewFrame(frame, max)).join(" | ");
}

/** JSON form of a frame: its size and its content as text or hex (not cut). */
export function frameJson(body: Buffer): { size: number; text?: string; hex?: string } {
  return isPrintable(body)
    ? { size: body.length, text: body.toString("utf8") }
    : { size: body.length, hex: body.toString("hex") };
}

/** A property value for reports: the text when printable, else `0x` + hex (e.g. a binary routing id). */
export function propertyValue(value: Buffer): string {
  return isPrintable(value) ? value.toString("utf8") : `0x${value.toString("hex")}`;
}

/** A property value for one line of text: bare when unambiguous, quoted when empty or space-padded. */
export function propertyText(value: Buffer): string {
  return displayValue(propertyValue(value));
}

export function displayValue(text: string): string {
  return /^\S(.*\S)?$/s.test(text) ? text : JSON.stringify(text);
}
