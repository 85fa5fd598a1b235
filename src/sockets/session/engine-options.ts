import type { Clock } from "../../clock.js";
import type { SocksOptions, TransportOptions } from "../../transports/transport.js";
import type { EngineOptions } from "../../zmtp/engine.js";
import { sendsIdentity, type SocketTypeName } from "../../zmtp/socket-types.js";
import type { OptionValues } from "../socket-options.js";
import type { SocketCounters } from "../statistics.js";
import { createMechanism } from "./security.js";
import type { ZapFunction } from "../../zmtp/zap.js";

/** What an engine of a socket of `type` with these options needs (ZAP: null when there is no handler to ask). */
export function engineOptionsFor(
  type: SocketTypeName,
  o: OptionValues,
  counters: SocketCounters,
  clock: Clock,
  zap: ZapFunction | null,
): EngineOptions {
  return {
    socketType: type,
    identity: sendsIdentity(type) ? o.routingId : null,
    mechanism: createMechanism(o),
    maxMessageSize: o.maxMessageSize,
    handshakeInterval: o.handshakeInterval,
    heartbeatInterval: o.heartbeatInterval,
    heartbeatTimeout: o.heartbeatTimeout,
    heartbeatTimeToLive: o.heartbeatTimeToLive,
    zapIdentity: o.routingId,
    zapDomain: o.zapDomain.toString("latin1"),
    zap,
    counters,
    clock,
  };
}

/** What a transport needs of a `type` socket's options to listen and dial. */
export function transportOptionsFor(type: SocketTypeName, o: OptionValues): TransportOptions {
  return {
    tcpKeepalive: o.tcpKeepalive,
    tcpKeepaliveIdle: o.tcpKeepaliveIdle,
    backlog: o.backlog,
    connectTimeout: o.connectTimeout,
    ipv6: o.ipv6,
    socketType: type,
    mechanism: o.mechanism,
    maxMessageSize: o.maxMessageSize,
    handshakeInterval: o.handshakeInterval,
    wss: {
      certPem: o.wssCertPem.toString(),
      keyPem: o.wssKeyPem.toString(),
      trustPem: o.wssTrustPem.toString(),
      hostname: o.wssHostname.toString(),
      trustSystem: o.wssTrustSystem,
    },
    socks: o.socksProxy.length === 0 ? null : socksOptions(o),
    acceptFilters: o.tcpAcceptFilters,
  };
}

function socksOptions(o: OptionValues): SocksOptions {
  return { proxy: o.socksProxy.toString(), username: o.socksUsername, password: o.socksPassword };
}
