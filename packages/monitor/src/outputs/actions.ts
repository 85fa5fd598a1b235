import { spawn } from "node:child_process";
import { hostname } from "node:os";
import { SEVERITIES, type Severity } from "../wire/schema.js";

/**
 * Where alerts go. Actions live in the store, so that they are configured once for the whole
 * deployment (`zmtp-monitor actions add`, or a sink's --webhook/--hook/--email) and every
 * dispatcher, in whichever process, delivers with the same list.
 */
/**
 * When an action goes: `after` (ms) makes it an escalation, due that long after the alert and
 * sent only if nobody acknowledged the alert by then; `repeat` (ms) re-notifies, again every
 * `repeat` while the alert stays unacknowledged.
 */
export interface ActionTiming {
  after?: number;
  repeat?: number;
}

export type NotificationAction = ActionTiming &
  (
    | { name: string; type: "webhook"; url: string; severities?: readonly Severity[] }
    | { name: string; type: "command"; command: string; severities?: readonly Severity[] }
    | {
        name: string;
        type: "email";
        /** Recipients. */
        to: readonly string[];
        /** The SMTP server, e.g. smtp://user:pass@mail.example:587 (smtps:// for TLS from the start). */
        smtp: string;
        /** Default zmtp-monitor@<host name>. */
        from?: string;
        severities?: readonly Severity[];
      }
  );

export type ActionType = NotificationAction["type"];

/** The JSON an action receives (the webhook's body, the command's stdin, the e-mail's text). */
export interface AlertPayload {
  agent: string;
  host: string;
  /** The notification's id: the same on every attempt, for a receiver that de-duplicates. */
  id: string;
  severity: Severity;
  text: string;
  process?: string;
  check?: string;
  /** What raised it when the monitor did (host-down, stale-check, ...). */
  kind?: string;
  /** ISO time the alert was raised. */
  time: string;
}

export function actionMatches(action: NotificationAction, severity: Severity): boolean {
  return action.severities === undefined || action.severities.includes(severity);
}

/** What an action is sent to, for lists and logs. */
export function actionTarget(action: NotificationAction): string {
  switch (action.type) {
    case "webhook":
      return action.url;
    case "command":
      return action.command;
    case "email":
      return action.to.join(",");
  }
}

/**
 * `[SEVERITIES=]TARGET`, the CLI's --webhook, --hook and --email values; the action is named
 * `<type>:<target>` unless `name` is given. E-mail takes comma-separated addresses and needs `smtp`.
 */
export function parseAction(
  type: ActionType,
  value: string,
  extra: { name?: string; smtp?: string; from?: string } & ActionTiming = {},
): NotificationAction {
  const match = /^([a-z,]+)=(.+)$/s.exec(value);
  const target = match === null ? value : match[2]!;
  const severities = match === null ? undefined : (match[1]!.split(",") as Severity[]);
  for (const s of severities ?? [])
    if (!SEVERITIES.includes(s)) throw new TypeError(`"${s}" is not a severity (${SEVERITIES.join(", ")})`);
  for (const key of ["after", "repeat"] as const)
    if (extra[key] !== undefined && !(extra[key] >= 1000)) throw new TypeError(`${key}: at least 1 s`);
  const base = {
    name: extra.name ?? `${type}:${target}`,
    ...(severities !== undefined && { severities }),
    ...(extra.after !== undefined && { after: extra.after }),
    ...(extra.repeat !== undefined && { repeat: extra.repeat }),
  };
  switch (type) {
    case "webhook":
      if (!/^https?:\/\//.test(target)) throw new TypeError(`webhook "${target}": expected an http:// or https:// URL`);
      return { ...base, type, url: target };
    case "command":
      return { ...base, type, command: target };
    case "email": {
      if (extra.smtp === undefined) throw new TypeError("e-mail actions need an SMTP server (--smtp smtp://host:port)");
      const to = target.split(",").map((a) => a.trim());
      if (to.some((a) => !/^[^@\s]+@[^@\s]+$/.test(a))) throw new TypeError(`"${target}": expected e-mail addresses`);
      return { ...base, type, to, smtp: extra.smtp, ...(extra.from !== undefined && { from: extra.from }) };
    }
  }
}

/** Checks an action read from JSON (a config file, the store, the API). Throws a TypeError that says what is wrong. */
export function validAction(value: unknown): NotificationAction {
  const o = value as Record<string, unknown> | null;
  if (typeof o !== "object" || o === null) throw new TypeError("an action must be an object");
  if (typeof o.name !== "string" || o.name === "" || o.name.length > 200) throw new TypeError("action.name: a string");
  const severities = o.severities;
  if (
    severities !== undefined &&
    (!Array.isArray(severities) || !severities.every((s) => SEVERITIES.includes(s as Severity)))
  )
    throw new TypeError(`action.severities: some of ${SEVERITIES.join(", ")}`);
  const timing: ActionTiming = {};
  for (const key of ["after", "repeat"] as const) {
    const v = o[key];
    if (v === undefined) continue;
    if (typeof v !== "number" || !Number.isFinite(v) || v < 1000)
      throw new TypeError(`action.${key}: ms, at least 1000`);
    timing[key] = v;
  }
  const base = {
    name: o.name,
    ...(severities !== undefined && { severities: severities as Severity[] }),
    ...timing,
  };
  const text = (key: string): string => {
    if (typeof o[key] !== "string" || o[key] === "") throw new TypeError(`action.${key}: a string`);
    return o[key];
  };
  switch (o.type) {
    case "webhook":
      return { ...base, type: "webhook", url: text("url") };
    case "command":
      return { ...base, type: "command", command: text("command") };
    case "email": {
      const to = o.to;
      if (!Array.isArray(to) || to.length === 0 || !to.every((a) => typeof a === "string"))
        throw new TypeError("action.to: e-mail addresses");
      return {
        ...base,
        type: "email",
        to: to as string[],
        smtp: text("smtp"),
        ...(typeof o.from === "string" && { from: o.from }),
      };
    }
    default:
      throw new TypeError("action.type: webhook, command or email");
  }
}

/** Runs actions; one per process, so that SMTP transports are reused. */
export class ActionRunner {
  private readonly mailers = new Map<string, Promise<Mailer>>();

  /** @param timeout ms an attempt may take (HTTP request, command, SMTP session). */
  constructor(private readonly timeout = 10_000) {}

  /** Resolves once the target took the alert; rejects with what went wrong. */
  run(action: NotificationAction, payload: AlertPayload): Promise<void> {
    switch (action.type) {
      case "webhook":
        return this.post(action.url, payload);
      case "command":
        return this.command(action.command, payload);
      case "email":
        return this.email(action, payload);
    }
  }

  close(): void {
    for (const mailer of this.mailers.values()) void mailer.then((m) => m.close()).catch(() => undefined);
    this.mailers.clear();
  }

  private async post(url: string, payload: AlertPayload): Promise<void> {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(this.timeout),
    });
    await response.body?.cancel();
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  }

  private command(command: string, payload: AlertPayload): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn("/bin/sh", ["-c", command], {
        stdio: ["pipe", "ignore", "ignore"],
        timeout: this.timeout,
        killSignal: "SIGKILL",
      });
      child.on("error", reject);
      child.on("close", (code, signal) =>
        code === 0 ? resolve() : reject(new Error(`${command}: ${signal ?? `exit code ${code}`}`)),
      );
      child.stdin.on("error", () => undefined); // a command that does not read its input
      child.stdin.end(`${JSON.stringify(payload)}\n`);
    });
  }

  private async email(action: Extract<NotificationAction, { type: "email" }>, payload: AlertPayload): Promise<void> {
    const key = action.smtp;
    let mailer = this.mailers.get(key);
    if (mailer === undefined) {
      mailer = createMailer(action.smtp, this.timeout);
      this.mailers.set(key, mailer);
      mailer.catch(() => this.mailers.delete(key));
    }
    const subject = `[${payload.severity.toUpperCase()}] ${payload.host}: ${payload.text}`.replace(/\s+/g, " ");
    await (
      await mailer
    ).send({
      from: action.from ?? `zmtp-monitor@${hostname()}`,
      to: [...action.to],
      subject: subject.length > 200 ? `${subject.slice(0, 197)}...` : subject,
      text: `${payload.text}\n\n${JSON.stringify(payload, null, 2)}\n`,
      headers: { "X-Zmtp-Monitor-Id": payload.id },
    });
  }
}

interface Mailer {
  send(message: {
    from: string;
    to: string[];
    subject: string;
    text: string;
    headers: Record<string, string>;
  }): Promise<void>;
  close(): void;
}

/** nodemailer is loaded on first use: only processes that send e-mail pay for it. */
async function createMailer(url: string, timeout: number): Promise<Mailer> {
  const nodemailer = (await import("nodemailer")).default;
  const transport = nodemailer.createTransport({
    url,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  return {
    send: async (message) => void (await transport.sendMail(message)),
    close: () => transport.close(),
  };
}
