// Every page (and the theme's CSS and SVG) through the Nu HTML Checker: zero errors.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { existsSync } from "node:fs";
import { SITE_DIR, htmlFiles, writeResult } from "../lib.mjs";

const require = createRequire(import.meta.url);
const VNU = join(require.resolve("vnu-jar/package.json"), "..", "build", "dist", "vnu.jar");

const pages = htmlFiles();
const extra = ["static/style.css", "static/favicon.svg"].filter((f) => existsSync(join(SITE_DIR, f)));
const files = [...pages, ...extra];
const byFile = new Map(files.map((f) => [f, []]));
let output = "";

before(() => {
  const r = spawnSync(
    process.env.JAVA || "java",
    ["-jar", VNU, "--errors-only", "--format", "json", "--stdout", "--also-check-css", "--also-check-svg", ...files.map((f) => join(SITE_DIR, f))],
    { encoding: "utf8", maxBuffer: 64 << 20 },
  );
  if (r.error) throw r.error;
  output = r.stdout;
  const { messages } = JSON.parse(r.stdout || '{"messages":[]}');
  for (const m of messages) {
    const file = m.url ? relative(SITE_DIR, fileURLToPath(m.url)).split(sep).join("/") : "(unknown)";
    if (!byFile.has(file)) byFile.set(file, []);
    byFile.get(file).push(m);
  }
});

after(() => {
  const errors = [...byFile.values()].flat().filter((m) => m.type === "error" || m.subType === "fatal").length;
  writeResult("vnu", { pages: pages.length, files: files.length, errors });
});

test(`Nu HTML Checker on ${pages.length} pages and ${extra.length} theme files`, async (t) => {
  assert.ok(output.includes("messages"), "vnu gave no JSON output");
  for (const [file, msgs] of byFile) {
    await t.test(file, () => {
      const errs = msgs.filter((m) => m.type === "error" || m.subType === "fatal");
      assert.deepEqual(
        errs.map((m) => `line ${m.lastLine}: ${m.message}`),
        [],
        errs.map((m) => `${file}:${m.lastLine}:${m.firstColumn ?? m.lastColumn}: ${m.message}\n    ${(m.extract || "").replace(/\n/g, " ")}`).join("\n"),
      );
    });
  }
  const total = [...byFile.values()].flat().length;
  t.diagnostic(`Nu HTML Checker: ${pages.length} pages checked, ${total} errors`);
});
