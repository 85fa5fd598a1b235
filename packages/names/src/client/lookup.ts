import { Requester, type Connection } from "./requester.js";

export interface LookupOptions extends Connection {
  /** Request endpoints of the replicas (or of the local agent), asked in turn. */
  servers: readonly string[];
  /** ms to wait for each server; default 2000. */
  timeout?: number;
}

/** The endpoints registered under `name`, from the first server that answers. */
export async function lookup(name: string, options: LookupOptions): Promise<string[]> {
  const errors: string[] = [];
  for (const server of options.servers) {
    const requester = new Requester(server, options);
    try {
      const reply = await requester.ask({ type: "LOOKUP", id: requester.id(), name }, options.timeout ?? 2000);
      if (reply.type === "ENDPOINTS") return reply.endpoints;
      errors.push(`${server}: ${reply.type}`);
    } catch (err) {
      errors.push((err as Error).message);
    } finally {
      requester.close();
    }
  }
  throw new Error(`no name server answered the lookup of "${name}": ${errors.join("; ")}`);
}
