const DEFAULT_CAPACITY = 16;

/** The ring's size is a power of two, so indexes wrap with a mask. */
function ringSize(capacity: number): number {
  let size = 1;
  while (size < capacity) size *= 2;
  return size;
}

/**
 * A FIFO over a growable ring: O(1) push and shift, no per-item allocation, no array shifting.
 * The building block of pipes and of the socket's waiting lists.
 */
export class Fifo<T> {
  private items: Array<T | undefined>;
  private head = 0;
  private count = 0;

  constructor(capacity = DEFAULT_CAPACITY) {
    this.items = new Array<T | undefined>(ringSize(capacity));
  }

  get length(): number {
    return this.count;
  }

  push(item: T): void {
    if (this.count === this.items.length) this.grow();
    this.items[(this.head + this.count) & (this.items.length - 1)] = item;
    this.count += 1;
  }

  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) & (this.items.length - 1);
    this.count -= 1;
    return item;
  }

  peek(): T | undefined {
    return this.count === 0 ? undefined : this.items[this.head];
  }

  clear(): void {
    this.items = new Array<T | undefined>(DEFAULT_CAPACITY);
    this.head = 0;
    this.count = 0;
  }

  private grow(): void {
    const next = new Array<T | undefined>(this.items.length * 2);
    const mask = this.items.length - 1;
    for (let i = 0; i < this.count; i++) next[i] = this.items[(this.head + i) & mask];
    this.items = next;
    this.head = 0;
  }
}
