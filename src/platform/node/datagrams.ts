/** A socket's udp:// endpoints on Node (../browser/datagrams.ts: a page has no udp). */
export { DatagramEndpoints } from "../../sockets/datagram-endpoints.js";
