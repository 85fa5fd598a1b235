/** `zmtp/auth`: a ready-made ZAP handler (not part of zeromq.js's API). */
export { Authenticator, type AuthDecision, type AuthenticatorOptions } from "../authenticator.js";
export { CurveKeyFile, parseCurveKeyList, type CurveKeyFileOptions } from "../curve-key-file.js";
