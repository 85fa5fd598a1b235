/** `zmtp/z85`: Z85 (RFC 32) and CURVE key helpers beyond zeromq.js's `curveKeyPair`. */
export { curvePublicKey, z85Decode, z85Encode } from "../zmtp/z85.js";
