import { ProtocolError } from "../errors.js";

/** Connection metadata: property name → value, as carried by READY / INITIATE (RFC 23 §2.5.1). */
export type Metadata = Map<string, Buffer>;

/**
 * Encodes properties as `name-len(1) name value-len(4, BE) value`. Names must be 1–255 bytes;
 * values are sent as given (canonical `Socket-Type` / `Identity` spelling is the caller's).
 */
export function encodeProperties(props: Iterable<readonly [string, Buffer | string]>): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of props) {
    const nameBuf = Buffer.from(name, "latin1");
    if (nameBuf.length === 0 || nameBuf.length > 255) {
      throw new RangeError(`metadata property name must be 1..255 bytes: "${name}"`);
    }
    const valueBuf = typeof value === "string" ? Buffer.from(value) : value;
    const head = Buffer.allocUnsafe(1 + nameBuf.length + 4);
    head[0] = nameBuf.length;
    nameBuf.copy(head, 1);
    head.writeUInt32BE(valueBuf.length, 1 + nameBuf.length);
    parts.push(head, valueBuf);
  }
  return Buffer.concat(parts);
}

/**
 * Decodes a property list. Names are stored as received; `getProperty` matches them without
 * regard to case (RFC 23 says names are case-insensitive; libzmq compares exactly — we accept both).
 */
export function decodeProperties(buf: Buffer): Metadata {
  const props: Metadata = new Map();
  let at = 0;
  while (at < buf.length) {
    const nameLen = buf[at]!;
    at += 1;
    if (nameLen === 0 || at + nameLen + 4 > buf.length) {
      throw new ProtocolError("ERR_ZMTP_INVALID_METADATA", "truncated or empty metadata property name");
    }
    const name = buf.toString("latin1", at, at + nameLen);
    at += nameLen;
    const valueLen = buf.readUInt32BE(at);
    at += 4;
    if (valueLen > buf.length - at) {
      throw new ProtocolError("ERR_ZMTP_INVALID_METADATA", `metadata value for "${name}" is truncated`);
    }
    props.set(name, buf.subarray(at, at + valueLen));
    at += valueLen;
  }
  return props;
}

/** Case-insensitive property lookup (RFC 23 §2.5.1). */
export function getProperty(props: Metadata, name: string): Buffer | undefined {
  const exact = props.get(name);
  if (exact !== undefined) return exact;
  const lower = name.toLowerCase();
  for (const [key, value] of props) {
    if (key.toLowerCase() === lower) return value;
  }
  return undefined;
}
