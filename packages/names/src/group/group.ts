import { EventEmitter } from "node:events";
import { nameOfUrl } from "../client/endpoints.js";
import type { Connection } from "../client/requester.js";
import { Watcher } from "../client/watcher.js";
import type { Change } from "../client/watch-state.js";
import { isValidName } from "../wire/protocol.js";

/** What a Group drives: any zmtp (or zeromq.js) socket. */
export interface Connectable {
  connect(endpoint: string): void;
  disconnect(endpoint: string): void;
}

export interface GroupOptions extends Connection {
  /** The local agent's request endpoint, or the replicas'. */
  servers: readonly string[];
  /** ms without a heartbeat before the watcher fails over; default 3000. */
  timeout?: number;
}

/**
 * Keeps `socket` connected to every live member of a name: connects to each endpoint that joins
 * and disconnects from each that leaves, as a publisher following the node proxies must
 * (document 001). `Group.join(socket, "zns://proxies", options)` resolves once the socket is
 * connected to the members known at that moment. When the name service is unreachable the
 * socket keeps the connections it has: members are only left when the service says so.
 *
 * Events: "join" (endpoint), "leave" (endpoint), "invalid" ({ endpoint, error }) for an endpoint
 * the socket refused.
 */
export class Group extends EventEmitter {
  readonly watcher: Watcher;
  private readonly connected = new Set<string>();

  constructor(
    readonly socket: Connectable,
    readonly name: string,
    options: GroupOptions,
  ) {
    super();
    if (!isValidName(name)) throw new TypeError(`Group: invalid name "${name}"`);
    this.watcher = new Watcher({ ...options, name });
    this.watcher.on("change", (c: Change) => (c.op === "+" ? this.add(c.endpoint) : this.remove(c.endpoint)));
  }

  /** Joins `socket` to the group named by `nameOrUrl` ("proxies" or "zns://proxies"). */
  static async join(socket: Connectable, nameOrUrl: string, options: GroupOptions): Promise<Group> {
    const group = new Group(socket, nameOfUrl(nameOrUrl) ?? nameOrUrl, options);
    await group.watcher.ready();
    return group;
  }

  /** The endpoints the socket is connected to through this group. */
  members(): string[] {
    return [...this.connected];
  }

  /** Stops following the group; `disconnect` also leaves every member. */
  async close(disconnect = false): Promise<void> {
    await this.watcher.close();
    if (disconnect) for (const endpoint of [...this.connected]) this.remove(endpoint);
  }

  private add(endpoint: string): void {
    if (this.connected.has(endpoint)) return;
    try {
      this.socket.connect(endpoint);
    } catch (error) {
      this.emit("invalid", { endpoint, error });
      return;
    }
    this.connected.add(endpoint);
    this.emit("join", endpoint);
  }

  private remove(endpoint: string): void {
    if (!this.connected.delete(endpoint)) return;
    try {
      this.socket.disconnect(endpoint);
    } catch {
      // Already gone (the socket closed): nothing to undo.
    }
    this.emit("leave", endpoint);
  }
}
