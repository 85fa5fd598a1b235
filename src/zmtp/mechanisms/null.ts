import { decodeError, decodeReady, encodeReady, type Command } from "../command.js";
import { ProtocolError } from "../protocol-error.js";
import type { Mechanism, MechanismHost } from "./mechanism.js";

type State = "idle" | "waiting-ready" | "done";

/**
 * RFC 23 §2.5.2 NULL: both sides send READY at once, without waiting for the other's — libzmq
 * does so in both roles, so an early READY from the accepting side must be accepted.
 */
export class NullMechanism implements Mechanism {
  readonly name = "NULL";
  readonly asServer = false;
  private state: State = "idle";
  private host: MechanismHost | null = null;

  start(host: MechanismHost): void {
    this.host = host;
    this.state = "waiting-ready";
    host.sendCommand(encodeReady(host.localProperties()));
  }

  onCommand(command: Command): void {
    const host = this.host;
    if (host === null || this.state !== "waiting-ready") {
      throw new ProtocolError("ERR_ZMTP_UNEXPECTED_COMMAND", `unexpected ${command.name} in NULL handshake`);
    }
    if (command.name === "READY") {
      const props = decodeReady(command.data);
      host.checkPeerProperties(props);
      this.state = "done";
      host.handshakeComplete(props);
      return;
    }
    if (command.name === "ERROR") {
      this.state = "done";
      host.peerRejected(decodeError(command.data));
      return;
    }
    throw new ProtocolError("ERR_ZMTP_UNEXPECTED_COMMAND", `unexpected ${command.name} in NULL handshake`);
  }
}
