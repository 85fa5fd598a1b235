/**
 * `zmtp/draft`: zeromq.js's `zeromq/draft` — the draft socket classes SERVER, CLIENT, RADIO,
 * DISH, GATHER, SCATTER and DGRAM, and the udp:// transport they use. Loading it emits the
 * binding's warning, as `require("zeromq/draft")` does.
 */
import { warn } from "#platform/process";

export { Client, Datagram, Dish, Gather, Radio, Scatter, Server } from "../api/draft-classes.js";

warn("ZeroMQ draft features are experimental and could change at any time.");
