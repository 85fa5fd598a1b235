import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { curveKeyPair } from "zmtp";
import { curvePublicKey } from "zmtp/z85";
import { isUuid, newId } from "../wire/protocol.js";
import { validateBody, type CheckStatus, type RegistrationBody } from "../wire/schema.js";

/**
 * An agent's state directory:
 *
 *   agent-id       the agent's UUID, created on first start and kept: it is the DEALER routing id
 *   outbox.jsonl   acknowledged messages not yet acked (see outbox.ts)
 *   registry.json  local processes' registrations and the last status of each check, so that
 *                  checks keep running, and state changes are judged right, across restarts
 *   agent.ipc      the default local endpoint (a Unix socket)
 *   curve.key      with CURVE: the agent's secret key (Z85, mode 0600), created on first use
 */

export interface Registry {
  registrations: Record<string, RegistrationBody>;
  checkStatus: Record<string, CheckStatus>;
}

export class StateDir {
  constructor(readonly path: string) {
    mkdirSync(path, { recursive: true });
  }

  get outboxFile(): string {
    return join(this.path, "outbox.jsonl");
  }

  get localEndpoint(): string {
    return `ipc://${join(this.path, "agent.ipc")}`;
  }

  /** The agent's UUID: read, or created and stored on first use. */
  agentId(): string {
    const file = join(this.path, "agent-id");
    if (existsSync(file)) {
      const id = readFileSync(file, "utf8").trim();
      if (!isUuid(id))
        throw new Error(`${file} does not hold a UUID: fix or remove it (removing gives this machine a new identity)`);
      return id;
    }
    const id = newId();
    this.writeAtomic(file, `${id}\n`);
    return id;
  }

  /** The agent's CURVE key pair: read from curve.key, or created there on first use. */
  curveKeyPair(): { publicKey: string; secretKey: string } {
    return loadOrCreateCurveKey(join(this.path, "curve.key"));
  }

  loadRegistry(): Registry {
    const registry: Registry = { registrations: {}, checkStatus: {} };
    const file = join(this.path, "registry.json");
    if (!existsSync(file)) return registry;
    let json: Partial<Registry>;
    try {
      json = JSON.parse(readFileSync(file, "utf8")) as Partial<Registry>;
    } catch {
      return registry; // a damaged registry is rebuilt as processes register again
    }
    for (const [name, body] of Object.entries(json.registrations ?? {})) {
      const valid = validateBody("registration", body);
      if (valid.ok) registry.registrations[name] = valid.value;
    }
    for (const [name, status] of Object.entries(json.checkStatus ?? {})) {
      if (status === 0 || status === 1 || status === 2 || status === 3) registry.checkStatus[name] = status;
    }
    return registry;
  }

  saveRegistry(registry: Registry): void {
    this.writeAtomic(join(this.path, "registry.json"), JSON.stringify(registry));
  }

  private writeAtomic(file: string, data: string): void {
    writeFileSync(`${file}.tmp`, data);
    renameSync(`${file}.tmp`, file);
  }
}

/** A CURVE secret key kept in a file (Z85, mode 0600), created on first use; returns the pair. */
export function loadOrCreateCurveKey(file: string): { publicKey: string; secretKey: string } {
  if (existsSync(file)) {
    const secretKey = readFileSync(file, "utf8").trim();
    try {
      return { publicKey: curvePublicKey(secretKey), secretKey };
    } catch {
      throw new Error(
        `${file} does not hold a Z85 CURVE secret key: fix or remove it (removing makes a new key, to be allowed again)`,
      );
    }
  }
  const pair = curveKeyPair();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, `${pair.secretKey}\n`, { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
  return pair;
}
