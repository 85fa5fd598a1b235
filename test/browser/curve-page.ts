/**
 * CURVE in the page, built from the sources with the browser bundle's options (chromium.test.ts):
 * a DEALER and a ROUTER of the page handshake over an in-memory byte stream (./memory-transport.ts
 * stands in for tcp://, which a page has not), with X25519 from @noble/curves, and a ZAP handler
 * over inproc that admits one client key.
 */
import { streamTransports } from "#platform/transports";
import * as zmq from "../../src/entries/browser.js";
import { z85Encode } from "../../src/zmtp/z85.js";
import { memoryTransport } from "./memory-transport.js";

(streamTransports as Map<string, unknown>).set("tcp", memoryTransport());

export async function curveHandshake(): Promise<string[]> {
  const server = zmq.curveKeyPair();
  const client = zmq.curveKeyPair();
  const stranger = zmq.curveKeyPair();
  const seen: string[] = [];

  // A ZAP handler (RFC 27): admits `client`, refuses anyone else with 400.
  const zap = new zmq.Router({ linger: 0 });
  await zap.bind("inproc://zeromq.zap.01");
  void (async () => {
    for await (const [id, , version, requestId, , , , mechanism, key] of zap) {
      const known = mechanism!.toString() === "CURVE" && z85Encode(key!) === client.publicKey;
      await zap.send([id!, "", version!, requestId!, known ? "200" : "400", known ? "OK" : "unknown key", "", ""]);
    }
  })();

  const router = new zmq.Router({ curveServer: true, curveSecretKey: server.secretKey, linger: 0 });
  await router.bind("tcp://page:*");
  const options = (pair: { publicKey: string; secretKey: string }): object => ({
    curveServerKey: server.publicKey,
    curvePublicKey: pair.publicKey,
    curveSecretKey: pair.secretKey,
    receiveTimeout: 5000,
    linger: 0,
  });

  const dealer = new zmq.Dealer(options(client));
  const handshake = new Promise<string>((resolve) => dealer.events.on("handshake", () => resolve("handshake")));
  dealer.connect(router.lastEndpoint!);
  seen.push(await handshake);
  await dealer.send("encrypted hello");
  const [id, hello] = await router.receive();
  seen.push(hello!.toString());
  await router.send([id!, "encrypted reply"]);
  seen.push((await dealer.receive()).toString());

  const intruder = new zmq.Dealer(options(stranger));
  const refused = new Promise<string>((resolve) =>
    intruder.events.on("handshake:error:auth", (e) => resolve(`refused ${e.error.status}`)),
  );
  intruder.connect(router.lastEndpoint!);
  seen.push(await refused);

  for (const socket of [dealer, intruder, router, zap]) socket.close();
  return seen;
}
