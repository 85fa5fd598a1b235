// Rewrites differences.ts from what the conformance tests observe now:
//   node test/conformance/write-differences.mjs
// runs `vitest run test/conformance` with CONFORMANCE_RECORD set (each test appends its id and
// summary), then lists every scenario that differs, in test order. Review the diff before
// committing: a line that changed is a behaviour that changed. A comment written above an entry (why
// zeromq.js is the one that is wrong there) stays above it while the entry stays.
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

/** The `// …` lines above each entry of the current file (group headers aside), by scenario id. */
function notesByEntry() {
  const notes = new Map();
  let pending = [];
  for (const line of readFileSync(join(here, "differences.ts"), "utf8").split("\n")) {
    const trimmed = line.trim();
    const entry = /^("(?:[^"\\]|\\.)*"):$/.exec(trimmed);
    if (trimmed.startsWith("//") && !trimmed.startsWith("// ----")) pending.push(trimmed);
    else if (entry !== null) {
      if (pending.length > 0) notes.set(JSON.parse(entry[1]), pending);
      pending = [];
    } else if (!trimmed.startsWith('"')) pending = [];
  }
  return notes;
}
const notes = notesByEntry();
const record = join(tmpdir(), `conformance-${process.pid}.jsonl`);
rmSync(record, { force: true });
spawnSync("npx", ["vitest", "run", "test/conformance"], {
  cwd: join(here, "../.."),
  env: { ...process.env, CONFORMANCE_RECORD: record },
  stdio: ["ignore", "ignore", "inherit"],
});
const entries = readFileSync(record, "utf8")
  .split("\n")
  .filter((line) => line !== "")
  .map((line) => JSON.parse(line))
  .filter((entry) => entry.summary !== null)
  .sort((a, b) => a.id.localeCompare(b.id));
rmSync(record, { force: true });

const lines = [
  "/**",
  " * Scenarios where zmtp differs from zeromq.js today: scenario id → what differs (the summary the",
  " * harness prints: `field: zmtp's value, zeromq <zeromq.js's value>`). A listed scenario must still",
  " * differ exactly so. When a fix changes what differs, the test prints the new line; when it no",
  " * longer differs, delete the line. `node test/conformance/write-differences.mjs` regenerates it.",
  " */",
  "export const differences: Record<string, string> = {",
];
let group = "";
for (const { id, summary } of entries) {
  const top = id.split(" / ")[0];
  if (top !== group) {
    lines.push(`  // ---- ${top} ----`);
    group = top;
  }
  for (const note of notes.get(id) ?? []) lines.push(`  ${note}`);
  lines.push(`  ${JSON.stringify(id)}:`, `    ${JSON.stringify(summary)},`);
}
lines.push("};", "");
writeFileSync(join(here, "differences.ts"), lines.join("\n"));
console.log(`${entries.length} differing scenarios written to differences.ts`);
