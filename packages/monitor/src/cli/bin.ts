import { setFlagsFromString } from "node:v8";
import { monitorCommand } from "./main.js";

// An agent runs on every monitored machine, and its code is never hot (a heartbeat every few
// seconds): V8's optimising tiers (Sparkplug, TurboFan) cost it about 4 MB of memory and buy
// nothing. Set before the agent's code and zmtp are loaded. `agent --jit` keeps them.
if (process.argv[2] === "agent" && !process.argv.includes("--jit")) setFlagsFromString("--no-opt --no-sparkplug");

// Set exitCode rather than exit(): the process ends when the sockets are really gone.
process.exitCode = await monitorCommand(process.argv.slice(2));
