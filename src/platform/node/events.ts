/** Node's EventEmitter (Observer's emitter mode, the Authenticator); ../browser/events.ts for pages. */
export { EventEmitter } from "node:events";
