import { Counter, Gauge, Registry } from "prom-client";
import type { Agent } from "../agent/agent.js";
import type { GraphiteCounters } from "./graphite.js";
import type { Dispatcher } from "./dispatcher.js";
import type { MonitorRouter } from "../router/router.js";
import type { Scheduler } from "../sink/scheduler.js";
import type { AnySink } from "../sink/sinks.js";
import type { Store } from "../store/store.js";
import { STREAMS } from "../wire/protocol.js";

/** What /metrics reports on: the store's view of the fleet, and the roles running in this process. */
export interface MetricsSources {
  /** The fleet's metrics come from the store; a role without one (a router, an agent) has its own only. */
  store?: Store;
  /** Names agents for the `host` label (a HostNames.get). */
  hostOf?: (agent: string) => string;
  routers?: readonly MonitorRouter[];
  sinks?: readonly AnySink[];
  agents?: readonly Agent[];
  schedulers?: readonly Scheduler[];
  /** A GraphiteOutput or a GraphiteFeed. */
  graphite?: { readonly counters: GraphiteCounters; readonly buffered: number } | null;
  dispatcher?: Dispatcher | null;
}

type Labels = Record<string, string>;

/** A counter whose values are read from the roles' own counters at scrape time. */
function counter(
  registry: Registry,
  name: string,
  help: string,
  labelNames: string[],
  read: () => Array<[Labels, number]>,
): void {
  new Counter({
    name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      this.reset();
      for (const [labels, value] of read()) this.inc(labels, value);
    },
  });
}

function gauge(
  registry: Registry,
  name: string,
  help: string,
  labelNames: string[],
  read: () => Array<[Labels, number]> | Promise<Array<[Labels, number]>>,
): void {
  new Gauge({
    name,
    help,
    labelNames,
    registers: [registry],
    async collect() {
      const values = await read();
      this.reset();
      for (const [labels, value] of values) this.set(labels, value);
    },
  });
}

/**
 * The Prometheus registry behind /metrics (prom-client): per agent, the latest value of each
 * stat, presence and last heartbeat, check states; and this process's own counters: messages per
 * stream and type, acks, resends, drops, connected peers.
 */
export function createMetrics(src: MetricsSources): Registry {
  const registry = new Registry();
  const routers = src.routers ?? [];
  const sinks = src.sinks ?? [];
  const agents = src.agents ?? [];

  const store = src.store;
  const hostOf = src.hostOf ?? ((agent: string) => agent);
  if (store !== undefined) {
    // ---- the fleet, from the store ----
    gauge(
      registry,
      "zmtp_monitor_stat",
      "Latest value of each stat an agent reported",
      ["host", "agent", "name"],
      async () =>
        (await store.latestStats()).map((s) => [{ host: hostOf(s.agent), agent: s.agent, name: s.name }, s.value]),
    );
    gauge(
      registry,
      "zmtp_monitor_stat_time_seconds",
      "When each stat's latest value was measured",
      ["host", "agent", "name"],
      async () =>
        (await store.latestStats()).map((s) => [
          { host: hostOf(s.agent), agent: s.agent, name: s.name },
          s.time / 1000,
        ]),
    );
    gauge(
      registry,
      "zmtp_monitor_up",
      "1 while the agent (or a process with heartbeats) is up, 0 once declared down",
      ["host", "agent", "process"],
      async () =>
        (await store.presence()).map((p) => [
          { host: hostOf(p.agent), agent: p.agent, process: p.process ?? "" },
          p.state === "up" ? 1 : 0,
        ]),
    );
    gauge(
      registry,
      "zmtp_monitor_last_heartbeat_seconds",
      "Time of the last heartbeat received",
      ["host", "agent", "process"],
      async () =>
        (await store.presence()).map((p) => [
          { host: hostOf(p.agent), agent: p.agent, process: p.process ?? "" },
          p.lastSeen / 1000,
        ]),
    );
    gauge(
      registry,
      "zmtp_monitor_check_status",
      "Latest result of each check: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN",
      ["host", "agent", "check"],
      async () =>
        (await store.checkStates()).map((r) => [{ host: hostOf(r.agent), agent: r.agent, check: r.check }, r.status]),
    );
    gauge(
      registry,
      "zmtp_monitor_unacknowledged_notifications",
      "Notifications no operator acknowledged yet",
      [],
      async () => [[{}, (await store.notifications({ unacknowledged: true })).length]],
    );
  }

  // ---- this process's roles ----
  const routerLabel = (i: number): string => `${i}`;
  counter(registry, "zmtp_monitor_router_received_total", "Messages routers received from agents", ["router"], () =>
    routers.map((r, i) => [{ router: routerLabel(i) }, r.counters.received]),
  );
  counter(
    registry,
    "zmtp_monitor_router_forwarded_total",
    "Messages routers forwarded to sinks, per stream",
    ["router", "stream"],
    () =>
      routers.flatMap((r, i) =>
        STREAMS.map((s): [Labels, number] => [{ router: routerLabel(i), stream: s }, r.counters.forwarded[s]]),
      ),
  );
  counter(
    registry,
    "zmtp_monitor_router_dropped_total",
    "Messages routers dropped (no sink with room), per stream",
    ["router", "stream"],
    () =>
      routers.flatMap((r, i) =>
        STREAMS.map((s): [Labels, number] => [{ router: routerLabel(i), stream: s }, r.counters.dropped[s]]),
      ),
  );
  counter(
    registry,
    "zmtp_monitor_router_refused_total",
    "Agents refused by a router's CURVE allow-list",
    ["router"],
    () => routers.map((r, i) => [{ router: routerLabel(i) }, r.counters.refused]),
  );
  gauge(
    registry,
    "zmtp_monitor_router_peers",
    "Peers connected to routers: agents, and sinks per stream",
    ["router", "peer"],
    () =>
      routers.flatMap((r, i) => [
        [{ router: routerLabel(i), peer: "agents" }, r.connectedAgents] as [Labels, number],
        ...STREAMS.map((s): [Labels, number] => [{ router: routerLabel(i), peer: `${s}-sinks` }, r.sinks[s]]),
      ]),
  );
  counter(
    registry,
    "zmtp_monitor_sink_messages_total",
    "Messages sinks received, per stream and type",
    ["stream", "type"],
    () =>
      sinks.flatMap((k) =>
        Object.entries(k.counters.types).map(([type, n]): [Labels, number] => [{ stream: k.stream, type }, n ?? 0]),
      ),
  );
  counter(
    registry,
    "zmtp_monitor_sink_outcomes_total",
    "What sinks did with messages: stored, duplicates, malformed, failed",
    ["stream", "outcome"],
    () =>
      sinks.flatMap((k) =>
        (["stored", "duplicates", "malformed", "failed"] as const).map((o): [Labels, number] => [
          { stream: k.stream, outcome: o },
          k.counters[o],
        ]),
      ),
  );
  counter(
    registry,
    "zmtp_monitor_sink_acks_total",
    "Acks sinks sent (delivered) or could not deliver (failed)",
    ["stream", "result"],
    () =>
      sinks.flatMap((k) => [
        [{ stream: k.stream, result: "delivered" }, k.counters.acked] as [Labels, number],
        [{ stream: k.stream, result: "failed" }, k.counters.ackFailed] as [Labels, number],
      ]),
  );
  const agentCounter = (name: string, help: string, key: "sent" | "resent" | "acked" | "uplinkDropped"): void =>
    counter(registry, name, help, ["agent"], () => agents.map((a) => [{ agent: a.id }, a.counters[key]]));
  agentCounter("zmtp_monitor_agent_sent_total", "Messages agents in this process sent", "sent");
  agentCounter("zmtp_monitor_agent_resent_total", "Acknowledged messages agents resent", "resent");
  agentCounter("zmtp_monitor_agent_acked_total", "Acks agents received", "acked");
  agentCounter("zmtp_monitor_agent_dropped_total", "Messages agents dropped (no router, queue full)", "uplinkDropped");
  gauge(registry, "zmtp_monitor_agent_outbox", "Acknowledged messages waiting for their ack", ["agent"], () =>
    agents.map((a) => [{ agent: a.id }, a.outboxSize]),
  );
  counter(registry, "zmtp_monitor_scheduler_runs_total", "Check runs schedulers sent, by outcome", ["outcome"], () => {
    const s = src.schedulers ?? [];
    const sum = (k: "scheduled" | "delivered" | "undelivered"): number => s.reduce((n, x) => n + x.counters[k], 0);
    return [
      [{ outcome: "scheduled" }, sum("scheduled")],
      [{ outcome: "delivered" }, sum("delivered")],
      [{ outcome: "undelivered" }, sum("undelivered")],
    ];
  });
  if (src.graphite != null) {
    const g = src.graphite;
    counter(
      registry,
      "zmtp_monitor_graphite_lines_total",
      "Lines written to carbon (sent) or dropped while it was away",
      ["result"],
      () => [
        [{ result: "sent" }, g.counters.sent],
        [{ result: "dropped" }, g.counters.dropped],
      ],
    );
    gauge(registry, "zmtp_monitor_graphite_buffered", "Lines waiting for carbon", [], () => [[{}, g.buffered]]);
  }
  if (src.dispatcher != null) {
    const d = src.dispatcher;
    counter(
      registry,
      "zmtp_monitor_notification_attempts_total",
      "Notification action attempts by this process: delivered, failed (retried), lost (lease ran out)",
      ["result"],
      () => [
        [{ result: "delivered" }, d.counters.delivered],
        [{ result: "failed" }, d.counters.failed],
        [{ result: "lost" }, d.counters.lost],
      ],
    );
  }
  if (store !== undefined)
    gauge(
      registry,
      "zmtp_monitor_pending_deliveries",
      "Notification deliveries not done yet (retried until delivered or given up), per action",
      ["action"],
      async () => {
        const counts = new Map<string, number>();
        for (const d of await store.deliveries({ state: "pending" }))
          counts.set(d.action, (counts.get(d.action) ?? 0) + 1);
        return [...counts].map(([action, n]): [Labels, number] => [{ action }, n]);
      },
    );
  return registry;
}
