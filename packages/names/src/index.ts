/**
 * zmtp-names: a name service and group membership for zmtp (issue 21; the ZeroMQ Guide's name
 * service and Clone pattern).
 *
 * - Replica: one replica of the registry (name → endpoints, TTLs kept alive by heartbeats).
 * - Registrar, Watcher, lookup: a node registering, a client following names with failover.
 * - Agent: the local caching agent on ipc://, with a static ZPL lookup file.
 * - Group: keeps a socket connected to every live member of a name.
 * - MemoryRegistry (default) and RedisRegistry behind the Registry interface.
 */
export { Replica, type ReplicaOptions } from "./service/replica.js";
export { NameServer, type NameSource, type ServerSockets } from "./service/server.js";
export { MemoryRegistry } from "./registry/memory.js";
export { RedisRegistry, type RedisRegistryOptions } from "./registry/redis.js";
export type { GroupSnapshot, Registry, Removal } from "./registry/registry.js";
export { Registrar, type RegistrarOptions } from "./client/registrar.js";
export { Watcher, type WatcherOptions } from "./client/watcher.js";
export { WatchState, type Change, type UpdateResult } from "./client/watch-state.js";
export { lookup, type LookupOptions } from "./client/lookup.js";
export type { Connection } from "./client/requester.js";
export { CurveGate, clientSecurity, type ClientCurve, type ServiceCurve } from "./security/curve.js";
export * from "./wire/protocol.js";
export { Agent, type AgentOptions } from "./agent/agent.js";
export { parseZpl, staticNames, type ZplNode } from "./agent/zpl.js";
export { Group, type Connectable, type GroupOptions } from "./group/group.js";
export { nameOfUrl, publishEndpointFor } from "./client/endpoints.js";
