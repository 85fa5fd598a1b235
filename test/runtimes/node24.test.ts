import { runtimeSuite } from "./suite.js";

runtimeSuite({ name: "node24", flags: [], version: /^v24\./ });
