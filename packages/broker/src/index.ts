/**
 * zmtp-broker: reliable request-reply on zmtp (ZeroMQ Guide chapter 4, documents 002 and 003).
 *
 * - The Pirate patterns: LazyPirateClient; PirateQueue and PirateWorker (Simple Pirate with
 *   heartbeatInterval 0, Paranoid Pirate otherwise; RFC 6).
 * - Majordomo (MDP/0.1, RFC 7, with RFC 8's mmi.service): MajordomoBroker, MajordomoWorker,
 *   MajordomoClient, wire-compatible with other languages' implementations.
 * - The broker network: NetworkBroker, NetworkWorker, NetworkClient — several stateless brokers,
 *   gossip discovery, CURVE with reloadable allow-lists, and at-most-once execution.
 */
export { Backoff, type BackoffOptions } from "./common/backoff.js";
export { brokerError, isBrokerError, type BrokerError, type BrokerErrorCode } from "./common/errors.js";
export type { Body, Frames } from "./common/frames.js";

export { LazyPirateClient, type LazyPirateOptions } from "./pirate/lazy-pirate.js";
export { PirateQueue, type PirateQueueCounters, type PirateQueueOptions } from "./pirate/queue.js";
export { PirateWorker, type PirateHandler, type PirateWorkerOptions } from "./pirate/worker.js";

export { MajordomoBroker, type MajordomoBrokerOptions, type MajordomoCounters } from "./mdp/broker.js";
export { MajordomoClient, type MajordomoClientOptions } from "./mdp/client.js";
export { MajordomoWorker, type MajordomoHandler, type MajordomoWorkerOptions } from "./mdp/worker.js";

export { parseBrokerAddress, type BrokerList } from "./network/address.js";
export { NetworkBroker, type NetworkBrokerCounters, type NetworkBrokerOptions } from "./network/broker.js";
export { NetworkClient, type NetworkClientCounters, type NetworkClientOptions } from "./network/client.js";
export type { Envelope } from "./network/envelope.js";
export type { CurveKeyPair } from "./network/links.js";
export type { BrokerAddress, ErrorCode } from "./network/protocol.js";
export type { BrokerCurveOptions } from "./network/security.js";
export {
  NetworkWorker,
  type NetworkHandler,
  type NetworkWorkerCounters,
  type NetworkWorkerOptions,
  type RequestInfo,
} from "./network/worker.js";
