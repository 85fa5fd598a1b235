/**
 * What a program can observe, as plain comparable data: values and errors are snapshot when they
 * appear (later mutation does not change the record), endpoints are replaced by placeholders at
 * the end, and two observations are diffed into a compact, stable one-line summary.
 */
import { createHash } from "node:crypto";

/** A snapshot: JSON data, with tagged objects (`$`) for what JSON cannot hold. */
export type Snap = null | boolean | number | string | Snap[] | { [key: string]: Snap };

/** Class names the libraries export: instances are shown by class, not by their (internal) fields. */
const LIBRARY_CLASSES = new Set([
  "Context",
  "Socket",
  "Observer",
  "Proxy",
  "Pair",
  "Publisher",
  "Subscriber",
  "Request",
  "Reply",
  "Dealer",
  "Router",
  "Pull",
  "Push",
  "XPublisher",
  "XSubscriber",
  "Stream",
]);

function bytes(view: Uint8Array): Snap {
  const buf = Buffer.from(view.buffer, view.byteOffset, view.byteLength);
  const printable = /^[\x20-\x7e]*$/.test(buf.toString("latin1"));
  if (buf.length <= 48) return printable && buf.length > 0 ? buf.toString("latin1") : `0x${buf.toString("hex")}`;
  const digest = createHash("sha1").update(buf).digest("hex").slice(0, 8);
  return `${buf.length} bytes ${buf.subarray(0, 8).toString("hex")}… sha1:${digest}`;
}

/** An error: its class, the fields zeromq.js sets, and which own properties it has. */
export function snapError(err: Error): Snap {
  const record = err as Error & Record<string, unknown>;
  const out: Record<string, Snap> = {
    $: "error",
    class: err.constructor?.name ?? "?",
    name: String(record.name),
    typeError: err instanceof TypeError,
    message: String(record.message),
  };
  for (const key of ["code", "errno", "address", "status"]) {
    if (key in record) out[key] = snap(record[key]);
  }
  out.props = Object.getOwnPropertyNames(err).sort().join(" ");
  return out;
}

/** Snapshots any value (strings keep their raw text; `finalize` replaces endpoints later). */
export function snap(value: unknown, depth = 0): Snap {
  switch (typeof value) {
    case "undefined":
      return { $: "undefined" };
    case "boolean":
    case "string":
      return value;
    case "number":
      return Number.isFinite(value) && !Object.is(value, -0) ? value : { $: "number", value: String(value) };
    case "bigint":
      return { $: "bigint", value: String(value) };
    case "symbol":
      return { $: "symbol", value: String(value) };
    case "function":
      return { $: "function", name: value.name };
  }
  if (value === null) return null;
  if (depth > 6) return { $: "deep" };
  const obj = value as object;
  if (obj instanceof Error) return snapError(obj);
  if (Buffer.isBuffer(obj)) return { $: "Buffer", bytes: bytes(obj) };
  if (ArrayBuffer.isView(obj)) {
    const view = new Uint8Array(obj.buffer, obj.byteOffset, obj.byteLength);
    return { $: obj.constructor.name, bytes: bytes(view) };
  }
  if (obj instanceof ArrayBuffer) return { $: "ArrayBuffer", bytes: bytes(new Uint8Array(obj)) };
  if (Array.isArray(obj)) return obj.map((item) => snap(item, depth + 1));
  if (typeof (obj as { then?: unknown }).then === "function") return { $: "Promise" };
  const ctor = (obj as { constructor?: { name?: string } }).constructor?.name;
  if (ctor !== undefined && LIBRARY_CLASSES.has(ctor)) return { $: "instance", class: ctor };
  const out: Record<string, Snap> = {};
  if (ctor !== undefined && ctor !== "Object") out.$ = ctor;
  for (const key of Object.keys(obj)) out[key] = snap((obj as Record<string, unknown>)[key], depth + 1);
  return out;
}

/** Replaces the run's concrete endpoints (and unknown ports / ipc paths) by placeholders. */
export class EndpointNormalizer {
  private readonly ports = new Map<string, string>();
  private readonly texts: Array<[string, string]> = [];
  private unknownPorts = 0;
  private unknownPaths = new Map<string, string>();

  addPort(port: number): string {
    const name = `<port${this.ports.size + 1}>`;
    this.ports.set(String(port), name);
    return name;
  }

  addText(concrete: string, placeholder: string): void {
    this.texts.push([concrete, placeholder]);
  }

  text(value: string): string {
    let out = value;
    for (const [concrete, placeholder] of this.texts) out = out.split(concrete).join(placeholder);
    out = out.replace(
      /((?:127\.0\.0\.1|localhost|\[::1\]|0\.0\.0\.0|\*):)(\d{4,5})\b/g,
      (_m, host: string, port: string) => {
        let name = this.ports.get(port);
        if (name === undefined) this.ports.set(port, (name = `<ephemeral${++this.unknownPorts}>`));
        return host + name;
      },
    );
    // A port handed out to the scenario, after any other host (an interface name, a multicast
    // group, a source;group pair of udp://).
    for (const [port, name] of this.ports) {
      if (name.startsWith("<port")) out = out.replace(new RegExp(`:${port}\\b`, "g"), `:${name}`);
    }
    out = out.replace(/ipc:\/\/(\/[^\s"',)]+)/g, (whole, path: string) => {
      if (path.startsWith("<")) return whole;
      let name = this.unknownPaths.get(path);
      if (name === undefined) this.unknownPaths.set(path, (name = `<path${this.unknownPaths.size + 1}>`));
      return `ipc://${name}`;
    });
    return out;
  }

  apply(value: Snap): Snap {
    if (typeof value === "string") return this.text(value);
    if (Array.isArray(value)) return value.map((item) => this.apply(item));
    if (value !== null && typeof value === "object") {
      const out: Record<string, Snap> = {};
      for (const [key, item] of Object.entries(value)) out[key] = this.apply(item);
      return out;
    }
    return value;
  }
}

// ---- formatting ----

function fmtError(e: Record<string, Snap>): string {
  const parts = [String(e.class)];
  if (e.name !== e.class) parts.push(`name=${String(e.name)}`);
  if (e.typeError === true && e.class !== "TypeError") parts.push("instanceof TypeError");
  if ("code" in e) parts.push(`${fmt(e.code)}(${fmt(e.errno ?? { $: "undefined" })})`);
  parts.push(JSON.stringify(e.message));
  if ("address" in e) parts.push(`address=${fmt(e.address)}`);
  if ("status" in e) parts.push(`status=${fmt(e.status)}`);
  parts.push(`{${String(e.props)}}`);
  return parts.join(" ");
}

/** A call's outcome: `threw X`, `returned X`, `resolved X`, `rejected X` or `pending`. */
export function outcome(state: string, value: Snap, warnings: string[]): Snap {
  const out: Record<string, Snap> = { $: "outcome", state };
  if (state !== "pending") out.value = value;
  if (warnings.length > 0) out.warnings = warnings;
  return out;
}

function fmtOutcome(o: Record<string, Snap>): string {
  const text = o.state === "pending" ? "pending" : `${String(o.state)} ${fmt(o.value)}`;
  return "warnings" in o ? `${text} + warnings ${fmt(o.warnings)}` : text;
}

/** One line, compact and unambiguous: strings quoted, tags by name. */
export function fmt(value: Snap | undefined): string {
  if (value === undefined) return "(absent)";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value !== "object" || value === null) return String(value);
  if (Array.isArray(value)) return `[${value.map(fmt).join(", ")}]`;
  const tag = value.$;
  if (tag === "undefined") return "undefined";
  if (tag === "outcome") return fmtOutcome(value);
  if (tag === "error") return fmtError(value);
  if (tag === "instance") return `<${String(value.class)}>`;
  if (tag === "function") return `function ${String(value.name)}`;
  if (tag === "number" || tag === "bigint" || tag === "symbol") return String(value.value);
  if (typeof tag === "string" && "bytes" in value) return `${tag}(${String(value.bytes)})`;
  const fields = Object.entries(value)
    .filter(([key]) => key !== "$")
    .map(([key, item]) => `${key}: ${fmt(item)}`);
  return `${typeof tag === "string" ? `${tag} ` : ""}{${fields.join(", ")}}`;
}

// ---- diffing ----

export interface Leaf {
  path: string;
  ref: Snap | undefined;
  sub: Snap | undefined;
}

function isError(value: Snap | undefined): value is Record<string, Snap> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && value.$ === "error";
}

/** The differing leaves of two snapshots, errors compared field by field. */
export function diffSnaps(ref: Snap | undefined, sub: Snap | undefined, path = ""): Leaf[] {
  if (JSON.stringify(ref) === JSON.stringify(sub)) return [];
  const join = (key: string | number): string => (path === "" ? String(key) : `${path}.${key}`);
  if (isError(ref) && isError(sub)) {
    const keys = [...new Set([...Object.keys(ref), ...Object.keys(sub)])];
    return keys.flatMap((key) => diffSnaps(ref[key], sub[key], join(key)));
  }
  if (isOutcome(ref) && isOutcome(sub) && ref.state !== sub.state) {
    // Threw vs rejected vs pending is one difference, shown with both values.
    const bare = (o: Record<string, Snap>): Snap => ({
      $: "outcome",
      state: o.state!,
      ...("value" in o ? { value: o.value! } : {}),
    });
    return [{ path, ref: bare(ref), sub: bare(sub) }, ...diffSnaps(ref.warnings, sub.warnings, join("warnings"))];
  }
  if (Array.isArray(ref) && Array.isArray(sub)) return diffArrays(ref, sub, path);
  const bothObjects = [ref, sub].every((v) => typeof v === "object" && v !== null && !Array.isArray(v));
  if (bothObjects && (ref as Record<string, Snap>).$ === (sub as Record<string, Snap>).$) {
    const a = ref as Record<string, Snap>;
    const b = sub as Record<string, Snap>;
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((key) => diffSnaps(a[key], b[key], join(key)));
  }
  return [{ path, ref, sub }];
}

function isOutcome(value: Snap | undefined): value is Record<string, Snap> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && value.$ === "outcome";
}

/**
 * Arrays are aligned on their longest common subsequence (events inserted or missing show as such,
 * not as every later element differing); where as many elements were replaced as removed, the
 * pairs are diffed field by field.
 */
function diffArrays(ref: Snap[], sub: Snap[], path: string): Leaf[] {
  const key = (item: Snap): string => JSON.stringify(item);
  const n = ref.length;
  const m = sub.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = key(ref[i]!) === key(sub[j]!) ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const leaves: Leaf[] = [];
  let removed: number[] = [];
  let added: number[] = [];
  const flush = (): void => {
    const paired = Math.min(removed.length, added.length);
    for (let k = 0; k < paired; k++)
      leaves.push(...diffSnaps(ref[removed[k]!], sub[added[k]!], `${path}[${added[k]}]`));
    // What is left over is missing from (or extra in) zmtp's list: one leaf for the lot.
    const missing = removed.slice(paired);
    const extra = added.slice(paired);
    if (missing.length > 0 || extra.length > 0) {
      const at = missing.length > 0 ? missing[0]! : extra[0]!;
      leaves.push({
        path: `${path}[${at}…]`,
        ref: missing.length > 0 ? missing.map((k) => ref[k]!) : undefined,
        sub: extra.length > 0 ? extra.map((k) => sub[k]!) : undefined,
      });
    }
    removed = [];
    added = [];
  };
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && key(ref[i]!) === key(sub[j]!)) {
      flush();
      i++;
      j++;
    } else if (j >= m || (i < n && lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      removed.push(i++);
    } else {
      added.push(j++);
    }
  }
  flush();
  return leaves;
}

const SUMMARY_VALUE_MAX = 90;

function short(value: Snap | undefined): string {
  const text = fmt(value);
  return text.length > SUMMARY_VALUE_MAX ? `${text.slice(0, SUMMARY_VALUE_MAX)}…` : text;
}

/** `props` differences read as set differences (zmtp's extra props with +, missing with -). */
function leafText(leaf: Leaf): string {
  if (leaf.path.endsWith(".props") && typeof leaf.ref === "string" && typeof leaf.sub === "string") {
    const a = new Set(leaf.ref.split(" "));
    const b = new Set(leaf.sub.split(" "));
    const changes = [
      ...[...b].filter((p) => !a.has(p)).map((p) => `+${p}`),
      ...[...a].filter((p) => !b.has(p)).map((p) => `-${p}`),
    ];
    return changes.join(" ");
  }
  return `${short(leaf.sub)}, zeromq ${short(leaf.ref)}`;
}

/**
 * The summary stored in differences.ts: for each difference, where (entry and field) and what zmtp
 * shows against zeromq. Identical differences in several entries are listed once.
 */
export function summarize(leaves: Array<Leaf & { entry: string }>): string {
  const groups = new Map<string, string[]>();
  for (const leaf of leaves) {
    const { entry } = leaf;
    // An outcome's value is what the reader expects a field path to start from.
    const field = leaf.path.replace(/^value(\.|$)/, "").replace(/^\./, "");
    // The same difference on several socket types reads once: "<instance>" for the entry's own.
    const key = `${field}\u0000${leafText(leaf).split(`<${entry}>`).join("<instance>")}`;
    const entries = groups.get(key) ?? [];
    entries.push(entry);
    groups.set(key, entries);
  }
  const parts: string[] = [];
  for (const [key, entries] of groups) {
    const [field, text] = key.split("\u0000") as [string, string];
    const where =
      entries.length > 3 ? `${entries.slice(0, 2).join(", ")} (+${entries.length - 2})` : entries.join(", ");
    parts.push(`${where}${field === "" ? "" : ` ${field}`}: ${text}`);
  }
  // One line: the first differences in full, then how many more (the test prints them all).
  let out = "";
  for (const [i, part] of parts.entries()) {
    if (out.length > 0 && out.length + part.length > SUMMARY_MAX) return `${out}; … and ${parts.length - i} more`;
    out += out.length > 0 ? `; ${part}` : part;
  }
  return out;
}

const SUMMARY_MAX = 360;
