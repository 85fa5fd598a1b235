import { userInfo } from "node:os";
import { actionTarget } from "../outputs/actions.js";
import type { DeliveryState } from "../store/store.js";
import { UsageError, type FlagValues } from "./flags.js";
import { STORE_FLAGS, openStore } from "./store-flags.js";
import type { CliIo } from "zmtp-app-kit/io";
import { ACTION_FLAGS, notificationActions, str, type Role } from "./role.js";

const STATES: readonly DeliveryState[] = ["pending", "delivered", "abandoned"];

export const actionsRole: Role = {
  usage: `zmtp-monitor actions --db FILE | --pg URL <command>
  actions list                                  the deployment's notification actions
  actions add [--name N] --webhook|--hook|--email [SEVERITIES=]TARGET [--smtp URL] [--after 30m] [--repeat 1h]
  actions remove NAME                           (its pending deliveries are abandoned)
  actions deliveries [--state S] [--limit N]    one JSON line per delivery, oldest first
  actions give-up DELIVERY-ID... [--by NAME]    stop retrying these deliveries`,
  summary:
    "The notification actions, kept in the store for the whole deployment: every sink process delivers\nwith them. A delivery is retried (with backoff) until it succeeds or an operator gives it up here.",
  flags: [
    ...STORE_FLAGS,
    { name: "name", kind: "string", arg: "NAME", help: "add: the action's name", shown: "<type>:<target>" },
    ...ACTION_FLAGS,
    { name: "state", kind: "string", arg: "STATE", help: `deliveries: only ${STATES.join(", ")}` },
    { name: "limit", kind: "number", arg: "N", help: "deliveries: the newest N", default: "100" },
    { name: "by", kind: "string", arg: "NAME", help: "give-up, remove: who", shown: "the user name" },
  ],
  run: runActions,
};

async function runActions(values: FlagValues, positionals: string[], io: CliIo): Promise<number> {
  const [command, ...args] = positionals;
  if (!["list", "add", "remove", "deliveries", "give-up"].includes(command ?? ""))
    throw new UsageError(command === undefined ? "list, add, remove, deliveries or give-up?" : `unknown "${command}"`);
  const by = str(values, "by") ?? userInfo().username;
  const store = await openStore(values, "required");
  const line = (value: unknown): void => io.out(`${JSON.stringify(value)}\n`);
  try {
    switch (command) {
      case "list":
        for (const a of await store.actions())
          line({
            name: a.name,
            type: a.type,
            target: actionTarget(a),
            severities: a.severities ?? "all",
            ...(a.after !== undefined && { after: a.after }),
            ...(a.repeat !== undefined && { repeat: a.repeat }),
          });
        return 0;
      case "add": {
        const actions = notificationActions(values);
        if (actions.length !== 1) throw new UsageError("add: exactly one of --webhook, --hook, --email");
        const name = str(values, "name");
        const action = name === undefined ? actions[0]! : { ...actions[0]!, name };
        await store.putAction(action);
        line({ added: action.name });
        return 0;
      }
      case "remove": {
        if (args.length !== 1) throw new UsageError("remove NAME");
        const removed = await store.removeAction(args[0]!, by, Date.now());
        line({ removed: removed ? args[0] : null });
        return removed ? 0 : 1;
      }
      case "deliveries": {
        const state = str(values, "state");
        if (state !== undefined && !STATES.includes(state as DeliveryState))
          throw new UsageError(`--state: ${STATES.join(", ")}`);
        const list = await store.deliveries({
          limit: values.limit as number,
          ...(state !== undefined && { state: state as DeliveryState }),
        });
        for (const d of list) line(d);
        return 0;
      }
      default: {
        if (args.length === 0) throw new UsageError("give-up DELIVERY-ID...");
        let failed = 0;
        for (const id of args) {
          const done = await store.abandonDelivery(id, by, Date.now());
          line({ delivery: id, abandoned: done });
          if (!done) failed += 1;
        }
        return failed === 0 ? 0 : 1;
      }
    }
  } finally {
    await store.close();
  }
}
