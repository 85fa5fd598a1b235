/**
 * Subscription prefix trie (libzmq `trie_t` / `generic_mtrie_t`): topic prefixes → values
 * (pipes, or one local token for SUB) with a count per (prefix, value).
 *
 * - `"count"` mode: subscribing "A" twice needs two cancels (libzmq trie_t, the SUB/XSUB side).
 * - `"set"` mode: a value is present at a prefix or not (libzmq mtrie's std::set of pipes, the
 *   PUB/XPUB side). Duplicates from one peer are absorbed there; the counting that users see
 *   ("A" twice needs two cancels) is done by the subscribing socket, which forwards the cancel
 *   only when its own count drops to zero.
 *
 * The empty prefix matches everything. `match` walks at most `topic.length` nodes, whatever the
 * number of subscriptions, and allocates nothing. No method recurses, so a hostile huge prefix
 * cannot overflow the stack.
 */

/** What removing one subscription left behind (libzmq mtrie `rm_result`). */
export type RemoveResult = "notFound" | "valuesRemain" | "lastValueRemoved";

export type TrieMode = "count" | "set";

class TrieNode<V> {
  /** Values subscribed to exactly this prefix, with their counts (parallel arrays). */
  values: V[] | null = null;
  counts: number[] | null = null;
  /** Children indexed by byte - min (libzmq's min/count table). */
  min = 0;
  next: Array<TrieNode<V> | undefined> | null = null;
  live = 0;

  get empty(): boolean {
    return this.values === null && this.live === 0;
  }

  child(byte: number): TrieNode<V> | undefined {
    const next = this.next;
    if (next === null) return undefined;
    return next[byte - this.min];
  }

  /** The child for `byte`, created (and the table widened) if needed. */
  childOrNew(byte: number): TrieNode<V> {
    let next = this.next;
    if (next === null) {
      next = this.next = [undefined];
      this.min = byte;
    } else if (byte < this.min) {
      const widened = new Array<TrieNode<V> | undefined>(this.min - byte + next.length);
      for (let i = 0; i < next.length; i++) widened[this.min - byte + i] = next[i];
      next = this.next = widened;
      this.min = byte;
    } else {
      while (byte - this.min >= next.length) next.push(undefined);
    }
    let node = next[byte - this.min];
    if (node === undefined) {
      node = next[byte - this.min] = new TrieNode<V>();
      this.live += 1;
    }
    return node;
  }

  dropChild(byte: number): void {
    this.next![byte - this.min] = undefined;
    this.live -= 1;
    if (this.live === 0) this.next = null;
  }
}

export class SubscriptionTrie<V> {
  private readonly root = new TrieNode<V>();
  private prefixCount = 0;

  constructor(readonly mode: TrieMode = "count") {}

  /** Number of distinct prefixes somebody subscribes to. */
  get size(): number {
    return this.prefixCount;
  }

  /**
   * Adds one subscription of `value` to `prefix`. Returns true when nobody subscribed to this
   * prefix before (libzmq's "first added": what a non-verbose XPUB reports).
   */
  add(prefix: Buffer, value: V): boolean {
    let node = this.root;
    for (let i = 0; i < prefix.length; i++) node = node.childOrNew(prefix[i]!);
    if (node.values === null) {
      node.values = [value];
      node.counts = [1];
      this.prefixCount += 1;
      return true;
    }
    const at = node.values.indexOf(value);
    if (at === -1) {
      node.values.push(value);
      node.counts!.push(1);
    } else if (this.mode === "count") {
      node.counts![at]! += 1;
    }
    return false;
  }

  /** Removes one subscription of `value` to `prefix` (all of it in "set" mode). */
  remove(prefix: Buffer, value: V): RemoveResult {
    const path: Array<TrieNode<V>> = [];
    let node: TrieNode<V> | undefined = this.root;
    for (let i = 0; i < prefix.length && node !== undefined; i++) {
      path.push(node);
      node = node.child(prefix[i]!);
    }
    if (node === undefined || node.values === null) return "notFound";
    const at = node.values.indexOf(value);
    if (at === -1) return "notFound";
    const counts = node.counts!;
    counts[at]! -= 1;
    if (counts[at]! > 0) return "valuesRemain";
    removeAt(node, at);
    if (node.values !== null) return "valuesRemain";
    this.prefixCount -= 1;
    // Prune nodes that no longer lead anywhere, bottom up.
    for (let depth = prefix.length - 1; depth >= 0 && node.empty; depth--) {
      const parent: TrieNode<V> = path[depth]!;
      parent.dropChild(prefix[depth]!);
      node = parent;
    }
    return "lastValueRemoved";
  }

  /**
   * Removes every subscription of `value` (a pipe that went away). `removed` is told each of
   * its prefixes and whether nobody else wants that prefix now (an XPUB reports those).
   */
  removeValue(value: V, removed?: (prefix: Buffer, last: boolean) => void): void {
    this.walk((node, path) => {
      const at = node.values === null ? -1 : node.values.indexOf(value);
      if (at === -1) return;
      removeAt(node, at);
      if (node.values === null) this.prefixCount -= 1;
      removed?.(Buffer.from(path), node.values === null);
    });
  }

  /**
   * Calls `visit` for the values of every prefix of `topic` (a value subscribed to two
   * matching prefixes is visited twice). Pass a function made once, not a closure per call.
   */
  match(topic: Buffer, visit: (value: V) => void): void {
    let node: TrieNode<V> | undefined = this.root;
    let i = 0;
    for (;;) {
      const values = node.values;
      if (values !== null) for (let k = 0; k < values.length; k++) visit(values[k]!);
      if (i === topic.length) return;
      node = node.child(topic[i]!);
      if (node === undefined) return;
      i += 1;
    }
  }

  /** Whether some prefix of `topic` is subscribed (SUB's local filter). */
  matches(topic: Buffer): boolean {
    let node: TrieNode<V> | undefined = this.root;
    for (let i = 0; ; i++) {
      if (node.values !== null) return true;
      if (i === topic.length) return false;
      node = node.child(topic[i]!);
      if (node === undefined) return false;
    }
  }

  /** How many times `value` subscribed to exactly `prefix` (0 or 1 in "set" mode). */
  count(prefix: Buffer, value: V): number {
    let node: TrieNode<V> | undefined = this.root;
    for (let i = 0; i < prefix.length && node !== undefined; i++) node = node.child(prefix[i]!);
    if (node === undefined || node.values === null) return 0;
    const at = node.values.indexOf(value);
    return at === -1 ? 0 : node.counts![at]!;
  }

  /** Every subscribed prefix, once each, in byte order (what SUB/XSUB replay on a new pipe). */
  prefixes(): Buffer[] {
    const out: Buffer[] = [];
    this.walk((node, path) => {
      if (node.values !== null) out.push(Buffer.from(path));
    });
    return out;
  }

  /**
   * Depth-first, in byte order, without recursion: `enter` sees each node and its prefix
   * bytes; nodes left empty by `enter` are pruned on the way back up.
   */
  private walk(enter: (node: TrieNode<V>, path: readonly number[]) => void): void {
    // nodes[k] is at depth k; path[0..k) is its prefix; cursor[k] its next child slot.
    const nodes: Array<TrieNode<V>> = [this.root];
    const cursor: number[] = [-1];
    const path: number[] = [];
    while (nodes.length > 0) {
      const top = nodes.length - 1;
      const node = nodes[top]!;
      if (cursor[top] === -1) {
        cursor[top] = 0;
        enter(node, path);
      }
      const next = node.next;
      let child: TrieNode<V> | undefined;
      while (next !== null && child === undefined && cursor[top]! < next.length) {
        const i = cursor[top]!;
        cursor[top] = i + 1;
        child = next[i];
        if (child !== undefined) path.push(node.min + i);
      }
      if (child !== undefined) {
        nodes.push(child);
        cursor.push(-1);
        continue;
      }
      nodes.pop();
      cursor.pop();
      if (top > 0) {
        const byte = path.pop()!;
        if (node.empty) nodes[top - 1]!.dropChild(byte);
      }
    }
  }
}

function removeAt<V>(node: TrieNode<V>, at: number): void {
  const values = node.values!;
  const counts = node.counts!;
  const last = values.length - 1;
  values[at] = values[last]!;
  counts[at] = counts[last]!;
  values.pop();
  counts.pop();
  if (values.length === 0) {
    node.values = null;
    node.counts = null;
  }
}
