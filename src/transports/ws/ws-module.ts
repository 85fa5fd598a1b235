/**
 * `ws`, loaded at the first ws endpoint: it is CommonJS and requires Node's built-ins, which an
 * ESM bundle of an application (esbuild) cannot do at startup. Loaded lazily, it costs nothing
 * to programs that use no ws endpoint, and a bundle that inlines it still starts.
 */
export type WsModule = typeof import("ws");

let loaded: Promise<WsModule> | null = null;

export function loadWs(): Promise<WsModule> {
  loaded ??= import("ws");
  return loaded;
}
