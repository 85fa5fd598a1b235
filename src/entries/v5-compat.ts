/**
 * `zmtp/v5-compat`: the callback API of the `zmq` package (zeromq.js up to v5), as the binding's
 * `zeromq/v5-compat` offers it, built on zmtp's v6 classes. A program written for `zmq` runs by
 * changing `require("zmq")` to `require("zmtp/v5-compat")`.
 */
import { curveKeyPair, version } from "../index.js";
import * as constants from "../v5-compat/constants.js";
import { Context } from "../v5-compat/context.js";
import { options } from "../v5-compat/options.js";
import { proxy } from "../v5-compat/proxy.js";
import { createSocket, Socket } from "../v5-compat/socket.js";

/** A new CURVE key pair as Z85 strings, under the v5 names. */
export function curveKeypair(): { public: string; secret: string } {
  const { publicKey, secretKey } = curveKeyPair();
  return { public: publicKey, secret: secretKey };
}

export * from "../v5-compat/constants.js";
export type { Callback, SocketType } from "../v5-compat/socket.js";
export type { OptionName } from "../v5-compat/options.js";
export { Context, createSocket, createSocket as socket, options, proxy, Socket, version };

/** Every export above in one object, for `import zmq from "zmtp/v5-compat"` (ESM only, as Node gives the binding's). */
const zmq = {
  ...constants,
  Context,
  createSocket,
  curveKeypair,
  options,
  proxy,
  socket: createSocket,
  Socket,
  version,
};
export default zmq;
