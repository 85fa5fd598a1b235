/** This package's README examples run and print what they say (test/helpers/package-readme.ts). */
import { fileURLToPath } from "node:url";
import { describePackageReadme } from "../../../test/helpers/package-readme.js";

describePackageReadme(fileURLToPath(new URL("..", import.meta.url)), "zmtp-names", ["failover", "group", "agent"]);
