import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { newToken, parseUsers, userLine } from "../web/users.js";
import { UsageError, type FlagValues } from "./flags.js";
import type { CliIo } from "zmtp-app-kit/io";
import { str, type Role } from "./role.js";

export const usersRole: Role = {
  usage: `zmtp-monitor users --file FILE <command>
  users add NAME            a new user with a random token, printed once (Bearer NAME.SECRET, or
                            Basic NAME with the token as password)
  users add NAME --password-stdin   a password read from standard input instead
  users remove NAME
  users list`,
  summary:
    "The status page's users (sink --http ... --users FILE): names with scrypt hashes of their password or\ntoken. The page rereads the file when it changes.",
  flags: [
    { name: "file", kind: "string", arg: "FILE", help: "the users file (created if missing, mode 0600)" },
    { name: "password-stdin", kind: "boolean", help: "add: read the password from standard input" },
  ],
  run: runUsers,
};

async function readStdin(): Promise<string> {
  let text = "";
  for await (const chunk of process.stdin) text += String(chunk);
  return text.replace(/\r?\n$/, "");
}

async function runUsers(values: FlagValues, positionals: string[], io: CliIo): Promise<number> {
  const [command, name, ...rest] = positionals;
  const file = str(values, "file");
  if (file === undefined) throw new UsageError("--file FILE is required");
  if (rest.length > 0 || !["add", "remove", "list"].includes(command ?? ""))
    throw new UsageError("add NAME, remove NAME or list");
  const lines = existsSync(file)
    ? readFileSync(file, "utf8")
        .split("\n")
        .filter((l) => l.trim() !== "")
    : [];
  const users = parseUsers(lines.join("\n"));
  const nameOf = (line: string): string => line.split(":")[0]!;
  const save = (next: string[]): void => writeFileSync(file, next.map((l) => `${l}\n`).join(""), { mode: 0o600 });
  if (command === "list") {
    for (const user of users.keys()) io.out(`${user}\n`);
    return 0;
  }
  if (name === undefined) throw new UsageError(`${command} NAME`);
  if (command === "remove") {
    if (!users.has(name)) throw new UsageError(`no user "${name}"`);
    save(lines.filter((l) => l.trim().startsWith("#") || nameOf(l.trim()) !== name));
    io.out(`removed ${name}\n`);
    return 0;
  }
  const password = values["password-stdin"] === true ? await readStdin() : null;
  if (password !== null && password.length < 8) throw new UsageError("a password has at least 8 characters");
  const secret = password ?? newToken(name);
  let line: string;
  try {
    line = await userLine(name, secret);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  save([...lines.filter((l) => l.trim().startsWith("#") || nameOf(l.trim()) !== name), line]);
  io.out(password === null ? `token for ${name} (shown once): ${secret}\n` : `password set for ${name}\n`);
  return 0;
}
