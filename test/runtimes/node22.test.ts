import { runtimeSuite } from "./suite.js";

runtimeSuite({ name: "node22", flags: [], version: /^v22\./ });
