// Every page of the site in headless Chromium: axe-core (WCAG 2.0/2.1 A and AA) with
// zero violations, no request leaving 127.0.0.1, no cookies or web storage, no broken
// local resources or script errors, and no horizontal overflow at 320 px (WCAG 1.4.10).

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { AXE_PATH, allPages, htmlFiles, sitemap, startServer, launch, guardedContext, openAllDetails, overflow, writeResult } from "../lib.mjs";

const REQUIRED = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
// Reported, not failed: best practices and the newer WCAG 2.2 rules.
const ADVISORY = ["best-practice", "wcag22aa"];

const pages = allPages();
let server, browser, ctx, guard, narrow;
const totals = { pages: 0, violations: 0, nodes: 0, advisory: 0, rules: {} };

before(async () => {
  server = await startServer();
  browser = await launch();
  ({ context: ctx, guard } = await guardedContext(browser, server.origin));
  narrow = await browser.newContext({ viewport: { width: 320, height: 640 } });
  await narrow.route("**/*", (r) => (r.request().url().startsWith(server.origin + "/") ? r.continue() : r.abort()));
});

after(async () => {
  writeResult("axe", totals);
  await browser?.close();
  await server?.close();
});

test("the sitemap lists every page of the site", () => {
  const { base } = sitemap();
  const listed = new Set(pages.map((p) => (p.endsWith("/") ? p + "index.html" : p).slice(base.length)));
  const missing = htmlFiles().filter((f) => !listed.has(f));
  assert.deepEqual(missing, [], "HTML files not in sitemap.xml");
  assert.ok(pages.length > 10, `only ${pages.length} pages`);
});

test(`axe-core, WCAG 2.0/2.1 A and AA, on all ${pages.length} pages`, async (t) => {
  const page = await ctx.newPage();
  for (const path of pages) {
    await t.test(path, async () => {
      const resp = await page.goto(server.url(path), { waitUntil: "load" });
      assert.equal(resp.status(), 200, `HTTP status of ${path}`);
      await openAllDetails(page);
      await page.addScriptTag({ path: AXE_PATH });
      const result = await page.evaluate(
        async ([required, advisory]) => {
          const run = (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
          const slim = (r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => `${n.target.join(" ")}: ${n.failureSummary.split("\n").slice(1).join(" ").trim()}`) }));
          return { required: slim(await run(required)), advisory: slim(await run(advisory)) };
        },
        [REQUIRED, ADVISORY],
      );
      totals.pages++;
      for (const v of result.advisory) {
        totals.advisory += v.nodes.length;
        t.diagnostic(`advisory ${path}: ${v.id} (${v.nodes.length}): ${v.help}`);
      }
      for (const v of result.required) {
        totals.violations++;
        totals.nodes += v.nodes.length;
        totals.rules[v.id] = (totals.rules[v.id] || 0) + v.nodes.length;
      }
      const cookie = await page.evaluate(() => document.cookie);
      assert.equal(cookie, "", `document.cookie on ${path}`);
      assert.deepEqual(
        result.required,
        [],
        result.required.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 5).join("\n    ")}`).join("\n"),
      );
    });
  }
  await page.close();
  t.diagnostic(`axe-core: ${totals.pages} pages checked, ${totals.violations} violations (${totals.nodes} elements), ${totals.advisory} advisory findings`);
});

test("no request leaves 127.0.0.1", () => {
  assert.deepEqual(guard.external, []);
});

test("no cookie and no web storage is set", async () => {
  assert.deepEqual(await ctx.cookies(), []);
  const state = await ctx.storageState();
  assert.deepEqual(state.cookies, []);
  assert.deepEqual(state.origins.filter((o) => o.localStorage.length), [], "localStorage");
});

test("no broken local resource and no script error on any page", () => {
  assert.deepEqual(guard.failed, [], "failed responses");
  assert.deepEqual(guard.errors, [], "page errors");
});

test(`nothing overflows horizontally at 320 px, on all ${pages.length} pages`, async (t) => {
  const page = await narrow.newPage();
  for (const path of pages) {
    await t.test(path, async () => {
      await page.goto(server.url(path), { waitUntil: "load" });
      await openAllDetails(page);
      const o = await overflow(page);
      assert.equal(o.excess, 0, `page is ${o.excess}px too wide: ${o.culprits.join(", ")}`);
    });
  }
  await page.close();
});
