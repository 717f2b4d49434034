// Live reload in a real browser: `planspor serve` (the release binary run.sh builds) on a
// copy of the default site, three pages open in Chromium. Saving a plan's text reloads
// the plan's page with the new text and the other pages the edit affects (its kommune's
// page), and leaves unaffected pages alone; a broken save shows the error overlay over
// the last good page, and fixing it removes the overlay.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HERE, launch, guardedContext } from "../lib.mjs";

const ROOT = join(HERE, "..");
const BIN = join(ROOT, "target", "release", "planspor");
const PLAN = "content/kredse/nordjylland/kommuner/hjoerring/handleplan-2026.md";

let work, server, origin, browser, context, guard;

function startServe(root) {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, ["serve", "--port", "0", "--root", root], {
      env: { ...process.env, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/at (http:\/\/127\.0\.0\.1:\d+)\//);
      if (m) resolve({ child, origin: m[1] });
    });
    child.stderr.on("data", () => {});
    child.on("exit", (code) => reject(new Error(`planspor serve exited (${code}): ${out}`)));
  });
}

before(async () => {
  if (!existsSync(BIN)) throw new Error(`${BIN} missing: run this through browser-tests/run.sh, which builds it`);
  work = mkdtempSync(join(tmpdir(), "planspor-reload-"));
  for (const part of ["planspor.toml", "content", "themes", "templates"]) {
    if (existsSync(join(ROOT, part))) cpSync(join(ROOT, part), join(work, part), { recursive: true });
  }
  ({ child: server, origin } = await startServe(work));
  browser = await launch();
  ({ context, guard } = await guardedContext(browser, origin));
});

after(async () => {
  await browser?.close();
  server?.kill("SIGTERM");
  if (work) rmSync(work, { recursive: true, force: true });
});

function edit(from, to) {
  const path = join(work, PLAN);
  const text = readFileSync(path, "utf8");
  assert.ok(text.includes(from), `${PLAN} lacks ${from}`);
  writeFileSync(path, text.replace(from, to));
}

/** Opens `path` and marks its window: a reload starts a new window without the mark. */
async function openMarked(path) {
  const page = await context.newPage();
  await page.goto(origin + path);
  // Wait until the page's event stream is open, or a save could come before it listens.
  await page.waitForTimeout(300);
  await page.evaluate(() => { window.__notReloaded = true; });
  return page;
}

const reloaded = (page) => page.waitForFunction(() => !window.__notReloaded, null, { timeout: 20000 });

test("a save reloads the edited plan and its kommune, not unaffected pages", async () => {
  const plan = await openMarked("/kommuner/hjoerring/handleplan/2026/");
  const kommune = await openMarked("/kommuner/hjoerring/");
  const other = await openMarked("/kredse/oestjylland/samarbejdsplan/2024/");
  edit("fortsat sikrer tryghed", "fortsat sikrer tryghed og kvartsurfred");
  await plan.waitForFunction(() => document.body.innerText.includes("kvartsurfred"), null, { timeout: 20000 });
  await reloaded(kommune);
  // Give a stray reload every chance to arrive.
  await other.waitForTimeout(1500);
  assert.equal(await other.evaluate(() => window.__notReloaded), true, "an unaffected page reloaded");
  for (const p of [plan, kommune, other]) await p.close();
  assert.deepEqual(guard.errors, []);
  assert.deepEqual(guard.external, []);
});

test("a broken save shows the overlay over the last good page; fixing it clears it", async () => {
  const plan = await openMarked("/kommuner/hjoerring/handleplan/2026/");
  edit("year = 2026", "yaer = 2026");
  const overlay = plan.locator("#planspor-error-overlay");
  await overlay.waitFor({ state: "visible", timeout: 20000 });
  assert.match(await overlay.innerText(), /unknown key `yaer`/);
  assert.match(await plan.locator("main").innerText(), /kvartsurfred/, "the last good page stays under the overlay");
  edit("yaer = 2026", "year = 2026");
  await reloaded(plan);
  await plan.waitForLoadState("load");
  assert.equal(await plan.locator("#planspor-error-overlay").count(), 0);
  await plan.close();
  assert.deepEqual(guard.errors, []);
});
