/**
 * A throwaway certificate authority for the wss tests, made with the machine's `openssl` (Node
 * can verify certificates but not make them): a CA, and a server certificate it signed for
 * `localhost` and 127.0.0.1. Made once per test file, in a temporary directory.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TestPki {
  /** The CA's certificate: what a client trusts (wssTrustPem). */
  caPem: string;
  /** The server's certificate and key (wssCertPem / wssKeyPem), for localhost and 127.0.0.1. */
  certPem: string;
  keyPem: string;
  /** A certificate and key for the same names that no trusted CA signed (self-signed). */
  strangerCertPem: string;
  strangerKeyPem: string;
}

/** Whether `openssl` runs here; the wss tests skip with a message when it does not. */
export const hasOpenssl: boolean = (() => {
  try {
    execFileSync("openssl", ["version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

const EC = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];

/** Makes the CA and the certificates; throws when openssl is missing. */
export function makeTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), "zmtp-pki-"));
  const at = (name: string): string => join(dir, name);
  const openssl = (...args: string[]): void => void execFileSync("openssl", args, { stdio: "ignore" });
  try {
    writeFileSync(at("san.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
    openssl(
      "req",
      "-x509",
      ...EC,
      "-keyout",
      at("ca.key"),
      "-out",
      at("ca.pem"),
      "-days",
      "2",
      "-subj",
      "/CN=zmtp test CA",
    );
    openssl("req", ...EC, "-keyout", at("server.key"), "-out", at("server.csr"), "-subj", "/CN=localhost");
    openssl(
      "x509",
      "-req",
      "-in",
      at("server.csr"),
      "-CA",
      at("ca.pem"),
      "-CAkey",
      at("ca.key"),
      "-CAcreateserial",
      "-out",
      at("server.pem"),
      "-days",
      "2",
      "-extfile",
      at("san.ext"),
    );
    openssl(
      "req",
      "-x509",
      ...EC,
      "-keyout",
      at("stranger.key"),
      "-out",
      at("stranger.pem"),
      "-days",
      "2",
      "-subj",
      "/CN=localhost",
      "-addext",
      "subjectAltName=DNS:localhost,IP:127.0.0.1",
    );
    const read = (name: string): string => readFileSync(at(name), "utf8");
    return {
      caPem: read("ca.pem"),
      certPem: read("server.pem"),
      keyPem: read("server.key"),
      strangerCertPem: read("stranger.pem"),
      strangerKeyPem: read("stranger.key"),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
