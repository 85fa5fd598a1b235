/**
 * CPU per connection: a DEALER connects to a ROUTER over tcp on 127.0.0.1, sends one message,
 * gets it back and closes, over and over; both ends are in this process, so `process.cpuUsage`
 * counts both (and, for zeromq.js, libzmq's I/O thread). Prints ms of CPU and of wall clock per
 * cycle. `--warm N` cycles run first, untimed (0: measure a fresh process's first cycles).
 *
 *   esbuild bench/connect-cycle.ts --bundle --platform=node --format=esm --packages=external \
 *     --outfile=tmp/bench/connect-cycle.mjs && node tmp/bench/connect-cycle.mjs \
 *     [--impl zmtp|zeromq] [--mechanism null|curve] [--cycles 500] [--warm 50]
 */
import { echo as echoEach } from "./echo.js";

interface Sock {
  bind(address: string): Promise<void>;
  connect(address: string): void;
  send(message: Buffer | string | Array<Buffer | string>): Promise<void>;
  receive(): Promise<Buffer[]>;
  close(): void;
  readonly lastEndpoint: string | null;
}
interface Api {
  Dealer: new (options?: object) => Sock;
  Router: new (options?: object) => Sock;
  curveKeyPair(): { publicKey: string; secretKey: string };
}

function arg(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at !== -1 && process.argv[at + 1] !== undefined ? process.argv[at + 1]! : fallback;
}

const impl = arg("impl", "zmtp");
const mechanism = arg("mechanism", "null");
const cycles = Number(arg("cycles", "500"));
const warm = Number(arg("warm", "50"));

const zmq = (impl === "zeromq" ? await import("zeromq") : await import("../src/index.js")) as unknown as Api;
let server: object = {};
let client: object = {};
if (mechanism === "curve") {
  const s = zmq.curveKeyPair();
  const c = zmq.curveKeyPair();
  server = { curveServer: true, curveSecretKey: s.secretKey };
  client = { curveServerKey: s.publicKey, curvePublicKey: c.publicKey, curveSecretKey: c.secretKey };
}
const router = new zmq.Router({ linger: 0, ...server });
await router.bind("tcp://127.0.0.1:*");
const endpoint = router.lastEndpoint!;
const echo = echoEach(router);

async function run(count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const dealer = new zmq.Dealer({ linger: 0, ...client });
    dealer.connect(endpoint);
    await dealer.send("hi");
    await dealer.receive();
    dealer.close();
  }
}

await run(warm);
const cpu0 = process.cpuUsage();
const started = performance.now();
await run(cycles);
const cpu = process.cpuUsage(cpu0);
const wall = performance.now() - started;
console.log(
  `${impl} ${mechanism}: ${((cpu.user + cpu.system) / 1000 / cycles).toFixed(3)} ms CPU, ` +
    `${(wall / cycles).toFixed(3)} ms wall per cycle (${cycles} cycles after ${warm})`,
);
router.close();
await echo;
process.exit(0);
