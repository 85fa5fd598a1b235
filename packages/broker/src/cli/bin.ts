import { brokerCli } from "./main.js";

// Set exitCode rather than exit(): the process ends when the sockets are really gone.
process.exitCode = await brokerCli(process.argv.slice(2));
