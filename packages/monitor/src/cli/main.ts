import { UsageError, formatHelp, parseFlags } from "./flags.js";
import { processIo, type CliIo } from "zmtp-app-kit/io";
import type { Role } from "./role.js";
import { MONITOR_VERSION } from "../version.js";

export type { CliIo } from "zmtp-app-kit/io";

/**
 * `zmtp-monitor <role>`: runs one role of the monitoring system until SIGINT / SIGTERM, or
 * sends one message. Long-running roles print one line per event: an ISO time, the event, JSON.
 * Exit codes as for `zmtp`: 0 success, 1 failure, 2 usage error.
 */

const USAGE = `Usage: zmtp-monitor <role> [options]     (zmtp-monitor <role> --help for its options)

Roles:
  demo       the whole system on localhost: 2 routers, sinks over SQLite, a scheduler, the status
             page and 3 agents with real checks (what \`npm start\` runs)
  router     bind the agent, back-channel and per-stream endpoints; forward, never store
  agent      run on each monitored machine: heartbeats, stats (statsd), checks, notifications
  sink       store one or more streams (heartbeat, registration, stats, notification);
             with --scheduler, also schedule checks from the same store
  scheduler  a scheduler with its own registration sink (same as sink --type registration --scheduler)
  send       hand the local agent a stat, notification, heartbeat or registration
  run        ask an agent, through any router, to run a check now
  actions    the deployment's notification actions (webhook, command, e-mail) and their deliveries
  graphite   the deployment's Graphite target (every stats sink writes its share to it)
  users      who may sign in to the status page (scrypt-hashed passwords and tokens)
  silence    silences and maintenance windows; acknowledge many notifications at once
  decommission  a host gone for good: off the page, no more down or stale alerts
  problems   what is wrong now, worst first (filters: host, check, severity, acknowledged)
  host       one host: its registrations (processes, pids, versions), state, checks and history
  notifications  notifications with repeats grouped; acknowledge a group; the dedup window

Options:
  -h, --help     Show this help
  -v, --version  Print the zmtp-monitor version
`;

/**
 * Each role's module is loaded when that role runs: an agent, which runs on every monitored
 * machine, then parses none of the stores, sinks, routers or the page (A lean agent, README).
 */
const ROLES: Record<string, () => Promise<Role>> = {
  router: async () => (await import("./router.js")).routerRole,
  agent: async () => (await import("./agent.js")).agentRole,
  sink: async () => (await import("./sink.js")).sinkRole,
  scheduler: async () => (await import("./sink.js")).schedulerRole,
  demo: async () => (await import("./demo.js")).demoRole,
  send: async () => (await import("./send.js")).sendRole,
  run: async () => (await import("./run.js")).runRole,
  actions: async () => (await import("./actions.js")).actionsRole,
  graphite: async () => (await import("./graphite.js")).graphiteRole,
  users: async () => (await import("./users.js")).usersRole,
  silence: async () => (await import("./silence.js")).silenceRole,
  decommission: async () => (await import("./decommission.js")).decommissionRole,
  problems: async () => (await import("./problems.js")).problemsRole,
  host: async () => (await import("./problems.js")).hostRole,
  notifications: async () => (await import("./notifications.js")).notificationsRole,
};

export async function monitorCommand(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const [roleName, ...rest] = argv;
  if (roleName === undefined || roleName === "--help" || roleName === "-h" || roleName === "help") {
    (roleName === undefined ? io.err : io.out)(USAGE);
    return roleName === undefined ? 2 : 0;
  }
  if (roleName === "--version" || roleName === "-v") {
    io.out(`${MONITOR_VERSION}\n`);
    return 0;
  }
  const load = Object.hasOwn(ROLES, roleName) ? ROLES[roleName] : undefined;
  if (load === undefined) {
    io.err(`zmtp-monitor: unknown role "${roleName}"\n\n${USAGE}`);
    return 2;
  }
  const role = await load();
  const help = formatHelp(role.usage, role.summary, role.flags);
  try {
    const { values, positionals, help: wantsHelp } = parseFlags(role.flags, rest);
    if (wantsHelp) {
      io.out(help);
      return 0;
    }
    return await role.run(values, positionals, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`zmtp-monitor ${roleName}: ${err.message}\n\n${help}`);
      return 2;
    }
    io.err(`zmtp-monitor ${roleName}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
