// The layers of docs/ARCHITECTURE.md, enforced: each folder may import only the layers below it,
// the library never imports its command line or an application, and applications use the
// library's public entries only. `npm test` runs this; a layer reaching up fails the build.
import { builtinModules } from "node:module";
import js from "@eslint/js";
import tseslint from "typescript-eslint";

/** Import paths that reach a folder of `src/` from anywhere below it (relative specifiers). */
const into = (...folders) => folders.flatMap((folder) => [`**/${folder}`, `**/${folder}/**`]);
const file = (...names) => names.flatMap((name) => [`./${name}`, `../${name}`, `../../${name}`, `../../../${name}`]);

const NODE_IO = [
  "node:net",
  "node:fs",
  "node:fs/promises",
  "node:dgram",
  "node:tls",
  "node:dns",
  "node:http",
  "node:https",
  "node:child_process",
  "node:worker_threads",
  "net",
  "fs",
  "dgram",
  "tls",
  "dns",
  "http",
  "https",
  "child_process",
  "worker_threads",
];

/** The library (src/ outside the CLI) never reaches the CLI, an application or an application's dependency. */
const LIBRARY = [
  { group: into("cli"), message: "The library does not import its command line (src/cli)." },
  {
    group: [
      "**/packages/**",
      "zmtp-monitor",
      "zmtp-monitor/**",
      "zmtp-broker",
      "zmtp-broker/**",
      "zmtp-names",
      "zmtp-names/**",
      "@redis/client",
      "prom-client",
      "node-sqlite3-wasm",
      "uplot",
      "pg",
      "nodemailer",
    ],
    message: "The library does not import an application or its dependencies.",
  },
];

/**
 * The files only the Node side of the platform seam reaches (src/platform/node/ imports them):
 * the Node transports, inproc across threads, the process's exit and keep-alive. Everything else
 * in the library also runs in a page (docs/ARCHITECTURE.md, "The platform seam").
 */
const NODE_ONLY = [
  "src/platform/node/**",
  "src/transports/tcp.ts",
  "src/transports/tcp-socks.ts",
  "src/transports/ipc.ts",
  "src/transports/tipc.ts",
  "src/transports/udp.ts",
  "src/sockets/session/cross-thread.ts",
  "src/sockets/session/cross-thread-engine.ts",
  "src/sockets/session/final-delivery.ts",
  "src/api/process-exit.ts",
  "src/api/exit-delivery.ts",
  "src/api/keep-alive.ts",
  // zmtp/auth's key file (a ZAP handler serves binds, which a page cannot make).
  "src/curve-key-file.ts",
  // The zmq package's callback API: Node programs only (not in the browser bundles).
  "src/v5-compat/**",
  "src/entries/v5-compat.ts",
  // ws on Node (the `ws` package, http/https/tls); the page's ws is platform/browser/websocket.ts.
  "src/transports/ws.ts",
  "src/transports/ws/client.ts",
  "src/transports/ws/server.ts",
  "src/transports/ws/node-port.ts",
  "src/transports/ws/ws-module.ts",
  "src/entries/ws.ts",
];
/** Node's built-in modules as import specifiers: node:x, x, x/sub (esquery regexes cannot hold a slash). */
const NODE_BUILTIN = `/^(node:|(${builtinModules.filter((m) => !m.includes("/")).join("|")})($|\\W))/`;
const NODE_BUILTIN_IMPORTS = [
  "ImportDeclaration",
  "ExportNamedDeclaration",
  "ExportAllDeclaration",
  "ImportExpression",
].map((node) => ({
  selector: `${node}[source.value=${NODE_BUILTIN}]`,
  message: "Node built-ins only on the Node side of the platform seam (src/platform/node/ and what it imports).",
}));
/** Node's globals a page lacks; `Buffer` is bundled for the page (src/platform/browser/buffer-global.ts). */
const NODE_GLOBALS = ["process", "setImmediate", "clearImmediate", "require", "__dirname", "__filename"];

function restrict(...patterns) {
  return { "no-restricted-imports": ["error", { patterns: [...LIBRARY, ...patterns] }] };
}

/** Applications reach zmtp through its public entries; `files` is the regex of the repository folders refused. */
function applicationImports(files) {
  return {
    "no-restricted-imports": [
      "error",
      {
        patterns: [
          {
            regex: `^(\\.\\./)+(\\.\\./)(\\.\\./)${files}`,
            message: "Applications import zmtp's public entries, never its files.",
          },
          {
            regex: "^zmtp/(?!(auth|z85|batch|errors|ws|browser|browser-lite|package\\.json)$)",
            message:
              "Applications import zmtp's public entries only: zmtp, zmtp/auth, zmtp/z85, zmtp/batch, zmtp/errors, zmtp/ws, zmtp/browser, zmtp/browser-lite.",
          },
        ],
      },
    ],
  };
}

const ABOVE_PROTOCOL = [
  { group: into("sockets", "api"), message: "The protocol layer (src/zmtp) does not know sockets or the API." },
  {
    group: file("context.js", "index.js", "internal.js", "authenticator.js"),
    message: "The protocol layer does not import the socket layers.",
  },
];

export default tseslint.config(
  {
    ignores: [
      "**/dist/**",
      "**/tmp/**",
      "**/node_modules/**",
      "**/.examples-tmp/**",
      "coverage/**",
      "packages/*/plugins/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: "readonly",
        process: "readonly",
        Buffer: "readonly",
        setTimeout: "readonly",
        clearTimeout: "readonly",
        setInterval: "readonly",
        clearInterval: "readonly",
        setImmediate: "readonly",
        clearImmediate: "readonly",
        queueMicrotask: "readonly",
        URL: "readonly",
        TextEncoder: "readonly",
        TextDecoder: "readonly",
        AbortController: "readonly",
        AbortSignal: "readonly",
        performance: "readonly",
        structuredClone: "readonly",
        globalThis: "readonly",
        fetch: "readonly",
        WebSocket: "readonly",
      },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" },
      ],
      "@typescript-eslint/consistent-type-imports": [
        "error",
        { fixStyle: "inline-type-imports", disallowTypeAnnotations: false },
      ],
    },
  },
  // The library runs in a page too: Node's modules and globals only behind the platform seam.
  {
    files: ["src/**/*.ts"],
    ignores: ["src/cli/**", ...NODE_ONLY],
    rules: {
      "no-restricted-syntax": ["error", ...NODE_BUILTIN_IMPORTS],
      "no-restricted-globals": ["error", ...NODE_GLOBALS],
    },
  },
  // The codec: pure functions over bytes. No I/O, no transports, no clock, no timers.
  {
    files: ["src/zmtp/**/*.ts"],
    ignores: ["src/zmtp/engine.ts", "src/zmtp/connection.ts", "src/zmtp/frame-writer.ts", "src/zmtp/heartbeats.ts"],
    rules: {
      ...restrict(
        ...ABOVE_PROTOCOL,
        { group: into("transports"), message: "The codec does no I/O: it does not import transports." },
        { group: NODE_IO, message: "The codec does no I/O." },
        { group: file("clock.js"), message: "The codec keeps no time." },
      ),
      "no-restricted-globals": ["error", "setTimeout", "setInterval", ...NODE_GLOBALS],
    },
  },
  // The connection core, engine, frame writer and heartbeats: over a byte stream, never a socket.
  {
    files: ["src/zmtp/engine.ts", "src/zmtp/connection.ts", "src/zmtp/frame-writer.ts", "src/zmtp/heartbeats.ts"],
    rules: restrict(...ABOVE_PROTOCOL, {
      group: NODE_IO,
      message: "The engine sees a ByteStream, not Node's sockets.",
    }),
  },
  // Transports: byte streams and inproc links; they do not know sockets.
  {
    files: ["src/transports/**/*.ts"],
    rules: restrict(
      { group: into("sockets", "api"), message: "Transports do not import sockets or the API." },
      { group: file("context.js", "index.js", "internal.js"), message: "Transports do not import the socket layers." },
    ),
  },
  // Socket layers (types, routing, pipes, sessions): below the public API.
  {
    files: ["src/sockets/**/*.ts"],
    rules: restrict({
      group: into("api").concat(file("index.js", "internal.js")),
      message: "Sockets do not import the public API.",
    }),
  },
  {
    files: ["src/sockets/routing/**/*.ts", "src/sockets/pipe.ts", "src/sockets/fifo.ts"],
    rules: restrict({
      group: into("transports", "session", "api", "mechanisms").concat(
        "**/zmtp/engine.js",
        "**/zmtp/connection.js",
        file("index.js", "internal.js", "context.js"),
      ),
      message: "Routing and pipes know messages only: no engine, transports, sessions or API.",
    }),
  },
  { files: ["src/*.ts", "src/entries/**/*.ts"], rules: restrict() },
  // The v5 compatibility API is built on the public entries, as an application of them would be.
  {
    files: ["src/v5-compat/**/*.ts"],
    rules: restrict({
      group: [
        ...into("api", "sockets", "zmtp", "transports"),
        ...file("internal.js", "context.js", "errors.js", "clock.js", "authenticator.js"),
      ],
      message: "The v5 compatibility API uses zmtp's public entries only (../index.js, ../entries/*.js).",
    }),
  },
  {
    files: ["src/api/**/*.ts"],
    rules: {
      ...restrict(),
      // zeromq.js checks how many arguments a call got (it throws "Expected at most N arguments"),
      // which only `arguments` can see; and its classes merge with interfaces to declare the
      // options each socket type has, as the binding's typings do.
      "prefer-rest-params": "off",
      "@typescript-eslint/no-unsafe-declaration-merging": "off",
    },
  },
  // Applications: the library's public entries only, as any user would import them.
  {
    files: ["packages/**/*.ts", "packages/**/*.js", "packages/**/*.mjs"],
    rules: applicationImports("(src|dist|bench|test)(/|$)"),
  },
  // An application's tests may also use the repository's test helpers (child processes, until()).
  {
    files: ["packages/*/test/**/*.ts"],
    rules: applicationImports("((src|dist|bench)(/|$)|test/(?!helpers/))"),
  },
  { files: ["**/*.js", "**/*.mjs", "**/*.cjs"], languageOptions: { sourceType: "module" } },
);
