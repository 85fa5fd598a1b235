/**
 * ZPL, the ZeroMQ Property Language (RFC 4/ZPL): one `name = value` or bare `name` per line,
 * children indented four spaces deeper than their parent, "#" starting a comment, values either
 * quoted ('...' or "...") or running to the next whitespace.
 */

export interface ZplNode {
  name: string;
  value: string;
  children: ZplNode[];
}

const NAME = /^[A-Za-z0-9$\-_@.&+/]+/;

/** Parses ZPL text; throws a TypeError naming the file and line of the first error. */
export function parseZpl(text: string, file = "zpl"): ZplNode[] {
  const root: ZplNode = { name: "", value: "", children: [] };
  const stack: ZplNode[] = [root];
  text.split(/\r\n|\r|\n/).forEach((raw, i) => {
    const fail = (why: string): never => {
      throw new TypeError(`${file}:${i + 1}: ${why}`);
    };
    const indent = /^ */.exec(raw)![0].length;
    const line = raw.slice(indent);
    if (line === "" || line.startsWith("#") || /^\s*$/.test(line)) return;
    if (line.startsWith("\t")) fail("indent with spaces, not tabs");
    if (indent % 4 !== 0) fail("indentation must be a multiple of 4 spaces");
    const depth = indent / 4 + 1;
    if (depth > stack.length) fail("indented more than one level below its parent");
    const name = NAME.exec(line)?.[0] ?? fail(`expected a property name, got "${line}"`);
    let rest = line.slice(name.length).trimStart();
    let value = "";
    if (rest.startsWith("=")) {
      rest = rest.slice(1).trimStart();
      const quote = rest[0];
      if (quote === '"' || quote === "'") {
        const end = rest.indexOf(quote, 1);
        if (end < 0) fail("unterminated quoted value");
        value = rest.slice(1, end);
        rest = rest.slice(end + 1).trimStart();
      } else {
        value = /^[^\s#]*/.exec(rest)![0];
        rest = rest.slice(value.length).trimStart();
      }
    }
    if (rest !== "" && !rest.startsWith("#")) fail(`unexpected "${rest}" after the property`);
    const node: ZplNode = { name, value, children: [] };
    stack.length = depth;
    stack[depth - 1]!.children.push(node);
    stack.push(node);
  });
  return root.children;
}

/**
 * A static lookup file's names: each top-level property is a name; its value, if any, and the
 * values of its `endpoint` children are its endpoints.
 *
 *     proxies
 *         endpoint = tcp://10.0.0.1:5555
 *         endpoint = tcp://10.0.0.2:5555
 *     logger = tcp://10.0.0.9:6000
 */
export function staticNames(nodes: readonly ZplNode[]): Map<string, Set<string>> {
  const names = new Map<string, Set<string>>();
  for (const node of nodes) {
    const endpoints = names.get(node.name) ?? new Set<string>();
    if (node.value !== "") endpoints.add(node.value);
    for (const child of node.children) if (child.name === "endpoint" && child.value !== "") endpoints.add(child.value);
    names.set(node.name, endpoints);
  }
  return names;
}
