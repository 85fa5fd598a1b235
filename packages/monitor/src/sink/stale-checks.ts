import { eventId, staleAlert } from "./alerts.js";
import type { CheckResultRecord, Store } from "../store/store.js";

/**
 * Checks that stopped giving results become UNKNOWN, so that a dead host's checks do not stay a
 * green OK: a declared check with no result for `staleAfter` of its intervals (counted from its
 * newest result, or from its registration) gets an UNKNOWN result with trigger "stale", and an
 * alert unless its host is down (the host's own alert says it all). The result's id is derived
 * from the check and the time of the result it follows, so that two sweepers record it once.
 * Returns how many checks were marked.
 */
export async function sweepStaleChecks(
  store: Store,
  hostOf: (agent: string) => string | Promise<string>,
  now: number,
  staleAfter: number,
): Promise<number> {
  const [registrations, states, presence] = await Promise.all([
    store.registrations(),
    store.checkStates(),
    store.presence(),
  ]);
  const latest = new Map<string, CheckResultRecord>();
  for (const s of states) latest.set(`${s.agent}\0${s.check}`, s);
  const down = new Set<string>();
  for (const p of presence) if (p.process === null && p.state === "down") down.add(p.agent);
  let marked = 0;
  for (const registration of registrations) {
    for (const check of registration.checks) {
      const last = latest.get(`${registration.agent}\0${check.name}`);
      if (last?.trigger === "stale") continue; // marked already; the next real result clears it
      const since = Math.max(last?.time ?? 0, registration.time);
      const silent = now - since;
      if (silent <= check.interval * staleAfter) continue;
      const hostDown = down.has(registration.agent);
      const result: CheckResultRecord = {
        agent: registration.agent,
        id: eventId("stale", registration.agent, check.name, since),
        check: check.name,
        status: 3,
        text: `UNKNOWN: no result for ${Math.round(silent / 1000)} s${hostDown ? " (host down)" : ""}`,
        perfdata: "",
        duration: 0,
        trigger: "stale",
        time: now,
      };
      const name = await hostOf(registration.agent);
      const alert = hostDown
        ? undefined
        : {
            ...staleAlert(registration.agent, name, check.name, registration.process, silent, now),
            id: eventId("stale-alert", result.id),
          };
      if (await store.addCheckResult(result, alert)) marked += 1;
    }
  }
  return marked;
}
