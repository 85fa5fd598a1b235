/**
 * A notification sink over an SQLite store, in a process of its own, for the kill -9 test:
 * `node worker.mjs DB_PATH STREAM_ENDPOINT BACK_ENDPOINT`. Prints "ready" once connecting.
 */
import { SqliteStore } from "../../src/store/sqlite-store.js";
import { NotificationSink } from "../../src/sink/sinks.js";

const [path, stream, back] = process.argv.slice(2) as [string, string, string];
const store = await SqliteStore.open({ path });
new NotificationSink({
  store,
  streams: [stream],
  backChannels: [back],
  backChannel: { attemptTimeout: 300, deliveryTimeout: 1500 },
});
process.stdout.write("ready\n");
