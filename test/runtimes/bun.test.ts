import { runtimeSuite } from "./suite.js";

runtimeSuite({ name: "bun", flags: [] });
