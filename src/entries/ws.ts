/**
 * `zmtp/ws`: ws:// and wss:// endpoints on an HTTP(S) server the application runs (not part of
 * zeromq.js's API): after `attachServer(server)`, a bind to the address the server listens on
 * (`ws://*:8080/zmq`) adds the path to it instead of starting a server of its own.
 */
export { attachServer, type ServerAttachment } from "../transports/ws/server.js";
