import { namesCli } from "./main.js";

// Set exitCode rather than exit(): the process ends when the sockets are really gone.
process.exitCode = await namesCli(process.argv.slice(2));
