/**
 * Where to reach a server's update socket: its XPUB's `lastEndpoint`, as the server reported it,
 * except that a wildcard host (a server bound to tcp://*:port or tcp://0.0.0.0:port) is replaced
 * by the host the client already reaches the server's ROUTER at.
 */
export function publishEndpointFor(publish: string, server: string): string {
  const wildcard = /^(tcp|ws):\/\/(\*|0\.0\.0\.0|\[::\]|\[::0\]):(\d+)(.*)$/.exec(publish);
  if (wildcard === null) return publish;
  const host = /^(?:tcp|ws):\/\/(\[[^\]]*\]|[^:/]+):/.exec(server)?.[1];
  return host === undefined ? publish : `${wildcard[1]}://${host}:${wildcard[3]}${wildcard[4]}`;
}

/** "zns://proxies" → "proxies"; null when the string is not a name URL. */
export function nameOfUrl(url: string): string | null {
  return url.startsWith("zns://") && url.length > 6 ? url.slice(6) : null;
}
