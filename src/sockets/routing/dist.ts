import type { Message, Pipe } from "../pipe.js";

/**
 * Distributor (libzmq dist_t): fans one message out to a set of pipes. Used by PUB/XPUB (to the
 * pipes whose subscriptions match) and SUB/XSUB (subscriptions to every publisher).
 *
 * Matching pipes are kept at the front of `pipes` (indices below `matching`), as libzmq does, so
 * marking, sending and clearing cost O(matched pipes) and allocate nothing. A pipe at its HWM
 * misses the message; callers that must not drop (noDrop) ask `matchingWritable` first. Our
 * pipes carry whole messages, so a multipart message arrives whole or not at all.
 */
export class Distributor {
  private readonly pipes: Pipe[] = [];
  private readonly index = new Map<Pipe, number>();
  private matching = 0;

  /** Marks a pipe as a recipient of the next message (made once: the trie's match visitor). */
  readonly match = (pipe: Pipe): void => {
    const at = this.index.get(pipe);
    if (at === undefined || at < this.matching) return;
    this.swap(at, this.matching);
    this.matching += 1;
  };

  get size(): number {
    return this.pipes.length;
  }

  attach(pipe: Pipe): void {
    if (this.index.has(pipe)) return;
    this.index.set(pipe, this.pipes.length);
    this.pipes.push(pipe);
  }

  detach(pipe: Pipe): void {
    let at = this.index.get(pipe);
    if (at === undefined) return;
    if (at < this.matching) {
      this.matching -= 1;
      this.swap(at, this.matching);
      at = this.matching;
    }
    this.swap(at, this.pipes.length - 1);
    this.pipes.pop();
    this.index.delete(pipe);
  }

  matchAll(): void {
    this.matching = this.pipes.length;
  }

  /** Inverts the selection (invertMatching): the pipes that did not match get the message. */
  reverseMatch(): void {
    // Reversing the array moves the non-matching tail to the front.
    const n = this.pipes.length;
    for (let i = 0, j = n - 1; i < j; i++, j--) this.swap(i, j);
    this.matching = n - this.matching;
  }

  unmatch(): void {
    this.matching = 0;
  }

  /** Whether every marked pipe has room (ZMQ_XPUB_NODROP sends only then). */
  get matchingWritable(): boolean {
    for (let i = 0; i < this.matching; i++) if (!this.pipes[i]!.writable) return false;
    return true;
  }

  /** Writes `msg` to the marked pipes that have room, drops it for the others, clears the marks. */
  sendToMatching(msg: Message): void {
    const n = this.matching;
    this.matching = 0;
    let shared = false;
    // Once one pipe has queued the message, its small frames are our copies (copySmallFrames
    // replaces them in the array): the pipes after it queue the same frames. Copying per pipe
    // made a thousand 100-byte copies per message with a thousand slow subscribers, and the copy
    // kept last pinned an 8 KiB Buffer pool slab per queued message.
    let copied = false;
    for (let i = 0; i < n; i++) {
      const pipe = this.pipes[i]!;
      if (!pipe.writable) continue;
      // inproc hands the array itself to the receiver: give each further inproc peer its own
      // array, so one application mutating what it received cannot change another's message.
      // (A copy made in such an array is not in `msg`.)
      if (shared && pipe.endpoint.startsWith("inproc:")) pipe.write(msg.slice(), copied);
      else if (pipe.write(msg, copied)) copied = true;
      shared = true;
    }
  }

  sendToAll(msg: Message): void {
    this.matchAll();
    this.sendToMatching(msg);
  }

  private swap(a: number, b: number): void {
    if (a === b) return;
    const pa = this.pipes[a]!;
    const pb = this.pipes[b]!;
    this.pipes[a] = pb;
    this.pipes[b] = pa;
    this.index.set(pa, b);
    this.index.set(pb, a);
  }
}

/**
 * Room for one more message in `pipe`, for what a socket writes while attaching a pipe (replayed
 * subscriptions, a welcome message). Not `pipe.writable`: a pipe being re-attached (an inproc
 * name bound again) is still marked closed until its xattach returns.
 */
export function hasRoom(pipe: Pipe): boolean {
  return pipe.hasRoom;
}
