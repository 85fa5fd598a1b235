/**
 * The v5 `proxy(frontend, backend, capture?)`: forwards messages between two v5 sockets with
 * `message` listeners (no v6 Proxy), for the pairings the v5 API allowed. The capture socket gets
 * what the backend sends towards the frontend; for ROUTER/DEALER without the two envelope frames.
 */
import type { MessageLike } from "../index.js";
import type { Socket } from "./socket.js";

function forward(from: Socket, to: Socket, capture?: Socket, captureFrom = 0): void {
  from.on("message", (...frames: MessageLike[]) => {
    to.send(frames);
    capture?.send(captureFrom === 0 ? frames : frames.slice(captureFrom));
  });
}

export function proxy(frontend: Socket, backend: Socket, capture?: Socket): void {
  switch (`${frontend.type}/${backend.type}`) {
    case "push/pull":
    case "pull/push":
    case "xpub/xsub":
      forward(frontend, backend);
      forward(backend, frontend, capture);
      break;
    case "router/dealer":
    case "xrep/xreq":
      forward(frontend, backend);
      forward(backend, frontend, capture, 2);
      break;
    default:
      throw new Error("This socket type order is not supported in compatibility mode");
  }
}
