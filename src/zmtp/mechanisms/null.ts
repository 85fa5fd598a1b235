import { decodeError, decodeReady, encodeReady, type Command } from "../command.js";
import type { Metadata } from "../metadata.js";
import { ProtocolError, zmqError } from "../../errors.js";
import type { Mechanism, MechanismHost } from "./mechanism.js";
import { consultZap, withZapProperties } from "./zap-gate.js";

type State = "idle" | "waiting-ready" | "done";

/**
 * RFC 23 §2.5.2 NULL: both sides send READY at once, without waiting for the other's — libzmq
 * does so in both roles, so an early READY from the accepting side must be accepted.
 *
 * With a ZAP domain set and a handler bound, our READY waits for ZAP's verdict (mechanism
 * "NULL", no credentials); refused peers get ERROR instead (docs/protocol.md §3.5).
 */
export class NullMechanism implements Mechanism {
  readonly name = "NULL";
  readonly asServer = false;
  private state: State = "idle";
  private host: MechanismHost | null = null;
  /** Set while ZAP decides; the peer's READY, if it came meanwhile, waits in `peerProps`. */
  private zapPending = false;
  private zapProperties: Metadata | null = null;
  private peerProps: Metadata | null = null;

  constructor(
    private readonly zapDomain = "",
    /** ZMQ_ZAP_ENFORCE_DOMAIN: with a domain, a missing ZAP handler stalls the handshake. */
    private readonly enforceDomain = false,
  ) {}

  start(host: MechanismHost): void {
    this.host = host;
    this.state = "waiting-ready";
    if (this.zapDomain !== "") {
      this.zapPending = consultZap(host, { domain: this.zapDomain, mechanism: "NULL", credentials: [] }, (extra) => {
        this.zapPending = false;
        this.zapProperties = extra;
        host.sendCommand(encodeReady(host.localProperties()));
        if (this.peerProps !== null) this.complete(host, this.peerProps);
      });
      if (this.zapPending) return;
      if (this.enforceDomain) {
        // libzmq reports EFAULT and sends nothing more: the peer waits for the handshake deadline.
        this.zapPending = true;
        host.stall(zmqError("EFAULT", "NULL server: zapEnforceDomain is set and no ZAP handler is bound"));
        return;
      }
    }
    host.sendCommand(encodeReady(host.localProperties()));
  }

  onCommand(command: Command): void {
    const host = this.host;
    if (host === null || this.state !== "waiting-ready" || this.peerProps !== null) {
      throw new ProtocolError("ERR_ZMTP_UNEXPECTED_COMMAND", `unexpected ${command.name} in NULL handshake`);
    }
    if (command.name === "READY") {
      const props = decodeReady(command.data);
      host.checkPeerProperties(props);
      if (this.zapPending) this.peerProps = props;
      else this.complete(host, props);
      return;
    }
    if (command.name === "ERROR") {
      this.state = "done";
      host.peerRejected(decodeError(command.data));
      return;
    }
    throw new ProtocolError("ERR_ZMTP_UNEXPECTED_COMMAND", `unexpected ${command.name} in NULL handshake`);
  }

  private complete(host: MechanismHost, props: Metadata): void {
    this.state = "done";
    host.handshakeComplete(withZapProperties(props, this.zapProperties));
  }
}
