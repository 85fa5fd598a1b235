/**
 * The monitoring system built on zmtp (agents, routers, typed sinks, schedulers): every role is a
 * class here, and `zmtp monitor <role>` runs it from the command line. Also exported from the
 * package as the `monitor` namespace: `import { monitor } from "zmtp"`.
 */
export { Agent, type AgentOptions, type AgentCounters } from "./agent.js";
export { MonitorClient, type MonitorClientOptions } from "./client.js";
export { MonitorRouter, type MonitorRouterOptions, type RouterCounters, type Refusal } from "./router.js";
export { AllowListFile, parseAllowList } from "./allow-list.js";
export { GraphiteOutput, carbonLine, graphiteName, type GraphiteOptions, type GraphiteCounters } from "./graphite.js";
export { Notifier, parseAction, type NotificationAction, type NotifierOptions, type NotifierCounters, type AlertPayload } from "./notifier.js";
export { createMetrics, type MetricsSources } from "./prometheus.js";
export { HostNames } from "./host-names.js";
export { Sink, type SinkOptions, type SinkCounters } from "./sink.js";
export {
  HeartbeatSink, RegistrationSink, StatsSink, NotificationSink, createSink,
  type HeartbeatSinkOptions, type PresenceChange, type AnySink,
} from "./sinks.js";
export { Scheduler, type SchedulerOptions, type SchedulerCounters, type RunEvent } from "./scheduler.js";
export { BackChannel, type BackChannelOptions, type DeliveryOutcome } from "./back-channel.js";
export { MemoryStore, type MemoryStoreOptions } from "./memory-store.js";
export { SqliteStore, migrate, type SqliteStoreOptions, type SqliteStoreCounters } from "./sqlite-store.js";
export { MIGRATIONS, SCHEMA_VERSION, type Migration } from "./sqlite-schema.js";
export type * from "./store.js";
export { routerEndpoints, ENDPOINT_NAMES, type RouterEndpoints } from "./endpoints.js";
export {
  PROTOCOL_VERSION, HEADER_SIZE, MAX_BODY_SIZE, TYPE_CODES, STREAMS, STREAM_OF,
  encode, decode, encodeHeader, decodeHeader, createMessage, isUuid, newId,
  type Header, type Message, type MessageType, type Stream, type Decoded,
} from "./protocol.js";
export type * from "./schema.js";
export { parsePluginOutput, parsePerfdata, type PerfValue, type PluginOutput } from "./perfdata.js";
export { runPlugin, STATUS_NAMES, type PluginResult } from "./plugin.js";
export { parseStatsd, parseStatsdLine, StatsdAggregator, type StatsdMetric, type StatsdType } from "./statsd.js";
export { Outbox, type OutboxOptions, type OutboxEntry } from "./outbox.js";
