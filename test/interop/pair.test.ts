import { describeLargeFrame, describeMultipart, PAIR_PAIR } from "./pairings.js";
import { useCleanup } from "./helpers.js";

useCleanup();
describeMultipart(PAIR_PAIR);
describeLargeFrame(PAIR_PAIR);
