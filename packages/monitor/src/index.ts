/**
 * zmtp-monitor: the monitoring system built on zmtp (agents, routers, typed sinks, schedulers,
 * stores, outputs, the status page). Every role is a class here, and `zmtp-monitor <role>` runs
 * it from the command line. It uses zmtp through its public entries only, as any user would.
 */
export { Agent, type AgentOptions, type AgentCounters } from "./agent/agent.js";
export { MonitorClient, type MonitorClientOptions } from "./agent/client.js";
export { MonitorRouter, type MonitorRouterOptions, type RouterCounters, type Refusal } from "./router/router.js";
export {
  GraphiteOutput,
  carbonLine,
  graphiteName,
  type GraphiteOptions,
  type GraphiteCounters,
  type HostNamer,
} from "./outputs/graphite.js";
export {
  ActionRunner,
  parseAction,
  validAction,
  actionTarget,
  type NotificationAction,
  type ActionType,
  type AlertPayload,
} from "./outputs/actions.js";
export {
  GraphiteFeed,
  parseGraphiteTarget,
  GRAPHITE_SETTING,
  type GraphiteTarget,
  type GraphiteFeedOptions,
} from "./outputs/graphite-feed.js";
export { Dispatcher, alertPayload, type DispatcherOptions, type DispatcherCounters } from "./outputs/dispatcher.js";
export { createMetrics, type MetricsSources } from "./outputs/prometheus.js";
export { HostNames } from "./store/host-names.js";
export { Sink, type SinkOptions, type SinkCounters } from "./sink/sink.js";
export {
  HeartbeatSink,
  RegistrationSink,
  StatsSink,
  NotificationSink,
  createSink,
  type HeartbeatSinkOptions,
  type PresenceChange,
  type AnySink,
} from "./sink/sinks.js";
export { RoleHeartbeat, type RoleHeartbeatOptions } from "./sink/role-heartbeat.js";
export { sweepStaleChecks } from "./sink/stale-checks.js";
export { downAlert, upAlert, staleAlert, backlogAlert, backlogClearedAlert, eventId } from "./sink/alerts.js";
export { ROLE_PROCESS, roleId, roleOfProcess, type RoleKind } from "./wire/roles.js";
export { MONITOR_VERSION } from "./version.js";
export { StatusServer, type StatusServerOptions } from "./web/server.js";
export { UserFile, userLine, newToken, parseUsers } from "./web/users.js";
export { RequestGuard } from "./web/guard.js";
export { Scheduler, type SchedulerOptions, type SchedulerCounters, type RunEvent } from "./sink/scheduler.js";
export { BackChannel, type BackChannelOptions, type DeliveryOutcome } from "./wire/back-channel.js";
export { MemoryStore, type MemoryStoreOptions } from "./store/memory-store.js";
export { SqliteStore, migrate, type SqliteStoreOptions, type SqliteStoreCounters } from "./store/sqlite-store.js";
export { MIGRATIONS, SCHEMA_VERSION, type Migration } from "./store/sqlite-schema.js";
export { PostgresStore, type PostgresStoreOptions, type PostgresStoreCounters } from "./store/postgres-store.js";
export { PG_MIGRATIONS, PG_SCHEMA_VERSION } from "./store/postgres-schema.js";
export type * from "./store/store.js";
export { silenceCovers } from "./store/store.js";
export { routerEndpoints, ENDPOINT_NAMES, type RouterEndpoints } from "./wire/endpoints.js";
export {
  PROTOCOL_VERSION,
  HEADER_SIZE,
  MAX_BODY_SIZE,
  TYPE_CODES,
  STREAMS,
  STREAM_OF,
  encode,
  decode,
  encodeHeader,
  decodeHeader,
  createMessage,
  isUuid,
  newId,
  type Header,
  type Message,
  type MessageType,
  type Stream,
  type Decoded,
} from "./wire/protocol.js";
export type * from "./wire/schema.js";
export { parsePluginOutput, parsePerfdata, type PerfValue, type PluginOutput } from "./agent/perfdata.js";
export { runPlugin, STATUS_NAMES, type PluginResult } from "./agent/plugin.js";
export { parseStatsd, parseStatsdLine, StatsdAggregator, type StatsdMetric, type StatsdType } from "./agent/statsd.js";
export { Outbox, type OutboxOptions, type OutboxEntry } from "./agent/outbox.js";
