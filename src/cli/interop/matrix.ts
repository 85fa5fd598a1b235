import { performance } from "node:perf_hooks";
import { KIND_NAME, hasCurve, socketClass, type Implementation, type Kind } from "./api.js";
import { BEHAVIOURS } from "./behaviour.js";
import { CaseContext, Session, payload, type MechanismName, type Transport } from "./harness.js";
import { FRAME_SIZES, PAIRINGS, type Pairing } from "./pairings.js";

/**
 * The interop matrix between two zeromq.js-compatible implementations: every pairing x
 * transport x mechanism x which side plays which type x which side binds, then the behaviour
 * cases in both directions. Library code: `zmtp interop` prints it, tests run parts of it.
 */

export const TRANSPORTS: readonly Transport[] = ["tcp", "ipc", "ws"];
export const MECHANISMS: readonly MechanismName[] = ["null", "plain", "curve"];

/** What names a case and what it covers, in the table and in its result. */
export interface CaseInfo {
  /** Unique and filterable: `REQ-REP tcp curve zmtp=REQ(bind) zeromq=REP`. */
  name: string;
  group: string;
  transport: Transport;
  mechanism: MechanismName;
  /** What each implementation plays in this case. */
  implRole: string;
  peerRole: string;
}

export interface InteropCase extends CaseInfo {
  /** Why the case cannot run (a class not exported, no CURVE); null when it can. */
  skip: string | null;
  run(ctx: CaseContext): Promise<void>;
}

export interface CaseResult extends CaseInfo {
  status: "pass" | "fail" | "skip";
  ms: number;
  /** Why it failed or was skipped. */
  detail?: string;
}

function missing(impl: Implementation, kinds: readonly Kind[]): string | null {
  const absent = kinds.filter((k) => socketClass(impl, k) === null);
  return absent.length === 0 ? null : `${impl.name} does not export ${absent.join(", ")}`;
}

function skipReason(
  impl: Implementation,
  peer: Implementation,
  implKinds: readonly Kind[],
  peerKinds: readonly Kind[],
  mechanism: MechanismName,
): string | null {
  const absent = missing(impl, implKinds) ?? missing(peer, peerKinds);
  if (absent !== null) return absent;
  if (mechanism === "curve") {
    for (const side of [impl, peer]) if (!hasCurve(side)) return `${side.name} has no CURVE (capability.curve)`;
  }
  if (mechanism !== "null") {
    // The server side needs a Reply for its ZAP handler; either side may serve.
    const noReply = missing(impl, ["Reply"]) ?? missing(peer, ["Reply"]);
    if (noReply !== null) return `${noReply} (needed for the ZAP handler)`;
  }
  return null;
}

/** Which variants of a pairing to make, and the frames they exchange. */
export interface PairingVariants {
  transports?: readonly Transport[];
  mechanisms?: readonly MechanismName[];
  /** Frame sizes of the message each way (the reply's in reverse order). */
  sizes?: readonly number[];
}

/**
 * A pairing's cases: every transport x mechanism x which type each implementation plays x which
 * side binds (the bound side is the PLAIN / CURVE server).
 */
export function pairingCases(
  p: Pairing,
  impl: Implementation,
  peer: Implementation,
  variants: PairingVariants = {},
): InteropCase[] {
  const { transports = TRANSPORTS, mechanisms = MECHANISMS, sizes = FRAME_SIZES } = variants;
  const cases: InteropCase[] = [];
  // In a symmetric pairing "impl plays the second type" repeats "impl plays the first".
  const implPlays: ("a" | "b")[] = p.a === p.b ? ["a"] : ["a", "b"];
  for (const transport of transports)
    for (const mechanism of mechanisms)
      for (const role of implPlays)
        for (const implBinds of [true, false]) {
          const implKind = role === "a" ? p.a : p.b;
          const peerKind = role === "a" ? p.b : p.a;
          const implMode = implBinds ? "bind" : "connect";
          const peerMode = implBinds ? "connect" : "bind";
          const implRole = `${KIND_NAME[implKind]}(${implMode})`;
          const peerRole = `${KIND_NAME[peerKind]}(${peerMode})`;
          cases.push({
            name: `${p.name} ${transport} ${mechanism} ${impl.name}=${implRole} ${peer.name}=${peerRole}`,
            group: p.name,
            transport,
            mechanism,
            implRole,
            peerRole,
            skip: skipReason(impl, peer, [implKind], [peerKind], mechanism),
            async run(ctx) {
              const implSock = ctx.open(impl, implKind, p.options?.(implKind, implMode));
              const peerSock = ctx.open(peer, peerKind, p.options?.(peerKind, peerMode));
              const [binder, connecter] = implBinds
                ? [{ side: impl, sock: implSock }, peerSock]
                : [{ side: peer, sock: peerSock }, implSock];
              await ctx.secure(mechanism, binder, connecter);
              const endpoint = await ctx.bind(binder.sock, transport);
              // zeromq.js checks its arguments: pass connect options only where there are some.
              if (p.connectOptions === undefined) connecter.connect(endpoint);
              else connecter.connect(endpoint, p.connectOptions);
              const [a, b] = role === "a" ? [implSock, peerSock] : [peerSock, implSock];
              const bound = (role === "a") === implBinds ? "a" : "b";
              await p.exchange({ ctx, a, b, bound, out: payload(sizes, 1), back: payload([...sizes].reverse(), 2) });
            },
          });
        }
  return cases;
}

/** Every case of the matrix, in table order (skipped ones included, with their reason). */
export function interopCases(impl: Implementation, peer: Implementation): InteropCase[] {
  const cases = PAIRINGS.flatMap((p) => pairingCases(p, impl, peer));
  for (const b of BEHAVIOURS) {
    for (const [subject, other, implRole, peerRole] of [
      [impl, peer, b.subject, b.other],
      [peer, impl, b.other, b.subject],
    ] as const) {
      cases.push({
        name: `${b.name} ${b.transport} ${b.mechanism} ${impl.name}=${implRole} ${peer.name}=${peerRole}`,
        group: b.name,
        transport: b.transport,
        mechanism: b.mechanism,
        implRole,
        peerRole,
        skip: skipReason(subject, other, b.subjectKinds, b.otherKinds, b.mechanism),
        run: (ctx) => b.run(ctx, subject, other),
      });
    }
  }
  return cases;
}

/** A case matches when its name contains every filter word (case-insensitive). */
export function matchesFilters(c: InteropCase, filters: readonly string[]): boolean {
  const name = c.name.toLowerCase();
  return filters.every((f) => name.includes(f.toLowerCase()));
}

export interface RunOptions {
  filters?: readonly string[];
  /** Whole-case limit in ms (default 10000); each send / receive waits at most a third of it. */
  caseTimeout?: number;
  /** Called as each case ends, for progressive output. */
  onResult?(result: CaseResult): void;
}

export interface InteropSummary {
  impl: string;
  peer: string;
  passed: number;
  failed: number;
  skipped: number;
  results: CaseResult[];
}

/** Runs the (filtered) matrix one case at a time; never throws for a failing case. */
export async function runInterop(
  impl: Implementation,
  peer: Implementation,
  options: RunOptions = {},
): Promise<InteropSummary> {
  const caseTimeout = options.caseTimeout ?? 10_000;
  const waitMs = Math.max(200, Math.floor(caseTimeout / 3));
  const session = new Session();
  const results: CaseResult[] = [];
  try {
    for (const c of interopCases(impl, peer)) {
      if (!matchesFilters(c, options.filters ?? [])) continue;
      const result = await runCase(c, impl, peer, session, caseTimeout, waitMs);
      results.push(result);
      options.onResult?.(result);
    }
  } finally {
    await session.close();
  }
  return {
    impl: impl.name,
    peer: peer.name,
    passed: results.filter((r) => r.status === "pass").length,
    failed: results.filter((r) => r.status === "fail").length,
    skipped: results.filter((r) => r.status === "skip").length,
    results,
  };
}

async function runCase(
  c: InteropCase,
  impl: Implementation,
  peer: Implementation,
  session: Session,
  caseTimeout: number,
  waitMs: number,
): Promise<CaseResult> {
  const base = {
    name: c.name,
    group: c.group,
    transport: c.transport,
    mechanism: c.mechanism,
    implRole: c.implRole,
    peerRole: c.peerRole,
  };
  if (c.skip !== null) return { ...base, status: "skip", ms: 0, detail: c.skip };
  const ctx = new CaseContext(impl, peer, session, waitMs);
  const start = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const running = c.run(ctx);
    // A hung case is abandoned: its sockets are closed below, which ends its pending calls.
    running.catch(() => undefined);
    await Promise.race([
      running,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${caseTimeout} ms`)), caseTimeout);
      }),
    ]);
    return { ...base, status: "pass", ms: Math.round(performance.now() - start) };
  } catch (err) {
    return {
      ...base,
      status: "fail",
      ms: Math.round(performance.now() - start),
      detail: (err as Error).message ?? String(err),
    };
  } finally {
    clearTimeout(timer);
    ctx.cleanup();
  }
}
