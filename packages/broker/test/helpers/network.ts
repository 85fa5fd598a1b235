import { NetworkBroker, type NetworkBrokerOptions } from "../../src/network/broker.js";
import { NetworkClient, type NetworkClientOptions } from "../../src/network/client.js";
import type { BrokerAddress } from "../../src/network/protocol.js";
import { NetworkWorker, type NetworkHandler, type NetworkWorkerOptions } from "../../src/network/worker.js";
import type { Cleanup } from "./sockets.js";

/** Test-speed timings: 50 ms heartbeats and gossip, liveness 3 (a 150 ms window). */
export const FAST = { heartbeatInterval: 50, liveness: 3 };

export async function startBroker(
  cleanup: Cleanup,
  peers: readonly BrokerAddress[] = [],
  options: Partial<NetworkBrokerOptions> = {},
): Promise<NetworkBroker> {
  return cleanup.add(
    await NetworkBroker.start({
      bind: "tcp://127.0.0.1:*",
      peers,
      gossipInterval: 50,
      queueTimeout: 500,
      ...FAST,
      ...options,
    }),
  );
}

export function startWorker(
  cleanup: Cleanup,
  brokers: NetworkWorkerOptions["brokers"],
  service: string,
  handler: NetworkHandler,
  options: Partial<NetworkWorkerOptions> = {},
): NetworkWorker {
  return cleanup.add(new NetworkWorker({ brokers, service, handler, ...FAST, ...options })).start();
}

export function startClient(
  cleanup: Cleanup,
  brokers: NetworkClientOptions["brokers"],
  options: Partial<NetworkClientOptions> = {},
): NetworkClient {
  return cleanup.add(new NetworkClient({ brokers, timeout: 400, retries: 4, ...FAST, ...options }));
}

/** Live brokers as a broker lists them (endpoints, sorted). */
export const listed = (broker: NetworkBroker): string[] =>
  broker
    .liveBrokers()
    .map((a) => a.endpoint)
    .sort();
