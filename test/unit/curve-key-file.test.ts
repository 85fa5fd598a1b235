/** zmtp/auth's CURVE key file: its format, its reloads, and the Authenticator following it. */
import { mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Authenticator } from "../../src/authenticator.js";
import { CurveKeyFile, parseCurveKeyList } from "../../src/curve-key-file.js";
import { curveKeyPair } from "../../src/index.js";
import { z85Decode } from "../../src/zmtp/z85.js";
import { until } from "../helpers/time.js";

const curveRequest = (key: Buffer) => ({
  version: "1.0",
  requestId: Buffer.from("1"),
  domain: "",
  address: "127.0.0.1",
  mechanism: "CURVE",
  credentials: [key],
});
/** The public key as a ZAP request carries it: 32 bytes. */
const raw = (z85: string) => Buffer.from(z85Decode(z85));

describe("CURVE key lists", () => {
  it("reads key and name per line; '#' starts a comment", () => {
    const a = curveKeyPair().publicKey;
    const keys = parseCurveKeyList(`# fleet\n${a} web-1 (rack 4) # moved\n\n  ${a}\n`);
    expect(keys).toEqual(new Map([[a, ""]]));
    expect(parseCurveKeyList(`${a} web-1 (rack 4) # moved`)).toEqual(new Map([[a, "web-1 (rack 4)"]]));
  });

  it("names the file and line of the first entry that is not a key", () => {
    const a = curveKeyPair().publicKey;
    expect(() => parseCurveKeyList(`${a}\nnot-a-key`, "keys.txt")).toThrow(
      new TypeError('keys.txt:2: expected a 40-character Z85 CURVE public key, got "not-a-key"'),
    );
  });
});

describe("CurveKeyFile", () => {
  const dirs: string[] = [];
  const files: CurveKeyFile[] = [];
  afterEach(() => {
    for (const f of files.splice(0)) f.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const open = (text: string) => {
    const dir = mkdtempSync(join(tmpdir(), "zmtp-keys-"));
    dirs.push(dir);
    const path = join(dir, "clients.keys");
    writeFileSync(path, text);
    const file = new CurveKeyFile(path, { pollInterval: 10 });
    files.push(file);
    return { path, file };
  };

  it("picks up a file replaced by rename, and keeps its keys when the file turns bad", async () => {
    const [a, b] = [curveKeyPair().publicKey, curveKeyPair().publicKey];
    const { path, file } = open(`${a} first\n`);
    const errors: Error[] = [];
    file.on("error", (err: Error) => errors.push(err));
    writeFileSync(path + ".new", `${b} second\n`);
    renameSync(path + ".new", path);
    await until(() => file.keys.has(b));
    expect([...file.keys]).toEqual([[b, "second"]]);
    writeFileSync(path, "garbage\n");
    await until(() => errors.length > 0);
    expect(errors[0]!.message).toMatch(/clients\.keys:1/);
    expect([...file.keys]).toEqual([[b, "second"]]);
  });

  it("drives an Authenticator: a key removed from the file is refused, one added is allowed", async () => {
    const [a, b] = [curveKeyPair(), curveKeyPair()];
    const { path, file } = open(`${a.publicKey}\n`);
    const auth = new Authenticator({ curve: file.keys.keys() });
    file.on("change", (keys: Map<string, string>) => auth.setCurveKeys(keys.keys()));
    expect(auth.decide(curveRequest(raw(a.publicKey))).allowed).toBe(true);
    expect(auth.decide(curveRequest(raw(b.publicKey))).allowed).toBe(false);
    writeFileSync(path, `${b.publicKey}\n`);
    file.reload();
    expect(auth.decide(curveRequest(raw(a.publicKey))).allowed).toBe(false);
    expect(auth.decide(curveRequest(raw(b.publicKey))).allowed).toBe(true);
  });

  it("followCurveKeyFile: the file's keys and the extra ones, replaced on each change until stopped", async () => {
    const [a, b, own] = [curveKeyPair(), curveKeyPair(), curveKeyPair()];
    const { path, file } = open(`${a.publicKey}\n`);
    const auth = new Authenticator();
    const counts: number[] = [];
    auth.on("curve-keys", (n: number) => counts.push(n));
    const stop = auth.followCurveKeyFile(file, [own.publicKey]);
    const allowed = (k: { publicKey: string }) => auth.decide(curveRequest(raw(k.publicKey))).allowed;
    expect([allowed(a), allowed(b), allowed(own), auth.curveKeyCount]).toEqual([true, false, true, 2]);
    writeFileSync(path, `${b.publicKey}\n${a.publicKey}\n`);
    await until(() => counts.length === 1);
    expect([allowed(a), allowed(b), allowed(own), counts]).toEqual([true, true, true, [3]]);
    stop();
    writeFileSync(path, `${b.publicKey} only b\n`);
    await until(() => file.keys.size === 1);
    expect([allowed(a), counts]).toEqual([true, [3]]);
  });

  it("setCurveKeys with a bad key changes nothing", () => {
    const a = curveKeyPair();
    const auth = new Authenticator({ curve: [a.publicKey] });
    expect(() => auth.setCurveKeys([a.publicKey, "short"])).toThrow(/Invalid CURVE client key/);
    expect(auth.decide(curveRequest(raw(a.publicKey))).allowed).toBe(true);
  });
});
