// Full-text search on /soeg/ as a reader uses it: the four queries of issue 12 give the
// expected first results, a filter narrows them and is kept in the shared URL, a result
// lands on its section, nothing leaves 127.0.0.1, and the page with results passes
// axe-core and the Nu HTML Checker. Works under any base path (from sitemap.xml).

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import { writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { SITE_DIR, startServer, launch, guardedContext } from "../lib.mjs";

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve("axe-core/axe.min.js");
const VNU = join(require.resolve("vnu-jar/package.json"), "..", "build", "dist", "vnu.jar");

let server, browser, context, guard, page;

before(async () => {
  server = await startServer();
  browser = await launch();
  ({ context, guard } = await guardedContext(browser, server.origin));
  page = await context.newPage();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const searchUrl = (query) => server.url(server.base + "soeg/" + (query ? "?" + query : ""));

/** The result links (name, href without origin) once the results are in. */
async function results() {
  const list = page.locator("#search-results .search-hits > li > a");
  await list.first().waitFor();
  return list.evaluateAll((as) => as.map((a) => ({ name: a.textContent, href: a.getAttribute("href") })));
}

async function search(query) {
  await page.goto(searchUrl(query));
  return results();
}

test("indbrud: the indsatsområde, then the sections named after it", async () => {
  const hits = await search("q=indbrud");
  assert.equal(hits[0].href, server.base + "indsatsomraader/indbrud/");
  for (const h of hits.slice(1, 5)) {
    assert.match(h.name, /indbrud/i);
    assert.match(h.href, /#/, "a section link has its anchor");
  }
  for (const plan of ["kredse/nordjylland/samarbejdsplan/2022/", "kredse/oestjylland/samarbejdsplan/2024/", "kommuner/hjoerring/handleplan/2025/", "kommuner/hjoerring/handleplan/2026/"]) {
    assert.ok(hits.some((h) => h.href.startsWith(server.base + plan + "#")), `a section of ${plan}`);
  }
  assert.ok(await page.locator("#search-results mark").count() > 0, "matched words are highlighted");
  assert.ok(await page.locator("#search-all").isHidden());
});

test("indbruddene (inflected) finds what indbrud finds", async () => {
  const a = await search("q=indbrud");
  const b = await search("q=indbruddene");
  assert.deepEqual(b, a);
});

test("hjoerring (slug spelling) finds Hjørring Kommune first", async () => {
  const hits = await search("q=hjoerring");
  assert.equal(hits[0].name, "Hjørring Kommune");
  assert.equal(hits[0].href, server.base + "kommuner/hjoerring/");
  assert.deepEqual(await search("q=hj%C3%B8rring"), hits);
});

test("Trekanten finds the Holstebro priority in Midt- og Vestjylland 2025", async () => {
  const hits = await search("q=Trekanten");
  assert.equal(hits[0].href, server.base + "kredse/midt-og-vestjylland/samarbejdsplan/2025/#holstebro-kommune");
  assert.equal(hits[0].name, "Holstebro Kommune");
});

test("a filter narrows the results and is kept in the URL to share", async () => {
  const all = await search("q=indbrud");
  await page.getByLabel("Politikreds").selectOption("nordjylland");
  await page.waitForURL(/kreds=nordjylland/);
  await page.waitForFunction((n) => document.querySelectorAll("#search-results .search-hits > li").length < n, all.length);
  const narrowed = await results();
  assert.ok(narrowed.length > 0 && narrowed.length < all.length);
  for (const h of narrowed) assert.match(h.href, /nordjylland|hjoerring/);
  // the shared URL opens the same search with the filter set
  const shared = new URL(page.url());
  assert.equal(shared.searchParams.get("q"), "indbrud");
  assert.deepEqual(await search(shared.search.slice(1)), narrowed);
  assert.equal(await page.getByLabel("Politikreds").inputValue(), "nordjylland");
});

test("a result lands on its section", async () => {
  const hits = await search("q=Trekanten");
  await page.locator("#search-results .search-hits > li > a").first().click();
  await page.waitForURL(/#holstebro-kommune$/);
  const id = decodeURIComponent(new URL(page.url()).hash.slice(1));
  assert.equal(id, hits[0].href.split("#")[1]);
  assert.equal(await page.locator(`[id="${id}"]`).count(), 1, "the anchor exists on the plan page");
});

test("without JavaScript the page says so and links to the overviews", async () => {
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const p = await ctx.newPage();
  await p.goto(searchUrl("q=indbrud"));
  const note = p.locator("#search-nojs");
  assert.match(await note.textContent(), /kræver JavaScript/);
  for (const name of ["Indsatsområder", "Kommuner", "Politikredse", "År"]) {
    assert.ok(await note.getByRole("link", { name, exact: true }).isVisible(), name);
  }
  await ctx.close();
});

test("axe-core on /soeg/ with results: zero violations", async () => {
  await search("q=indbrud&type=handleplan");
  await page.addScriptTag({ path: AXE_PATH });
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] }, resultTypes: ["violations"] });
    return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
  assert.deepEqual(violations, []);
});

test("Nu HTML Checker on /soeg/ (as built and with results): zero errors", async () => {
  await search("q=indbrud");
  const rendered = join(tmpdir(), `planspor-soeg-rendered-${process.pid}.html`);
  writeFileSync(rendered, "<!DOCTYPE html>\n" + (await page.evaluate(() => document.documentElement.outerHTML)));
  const r = spawnSync(process.env.JAVA || "java", ["-jar", VNU, "--errors-only", "--format", "json", "--stdout", join(SITE_DIR, "soeg/index.html"), rendered], { encoding: "utf8" });
  rmSync(rendered, { force: true });
  if (r.error) throw r.error;
  const errors = JSON.parse(r.stdout || '{"messages":[]}').messages.filter((m) => m.type === "error" || m.subType === "fatal");
  assert.deepEqual(errors.map((m) => `${m.url}:${m.lastLine}: ${m.message}`), []);
});

test("no request left 127.0.0.1, no script errors", () => {
  assert.deepEqual(guard.external, []);
  assert.deepEqual(guard.errors, []);
  assert.deepEqual(guard.failed, []);
});

test("no results under the filters: the page says how many there are without them, and one click searches so", async () => {
  // Østjylland has no plan for 2025: a reader took "0 resultater" for "Randers does
  // nothing about burglary".
  await page.goto(searchUrl("q=indbrud&kommune=randers&aar=2025"));
  const note = page.locator("#search-results p", { hasText: "Ingen resultater med de valgte afgrænsninger" });
  await note.waitFor();
  assert.match(await note.textContent(), /uden dem er der \d+\./);
  await note.getByRole("button", { name: "Søg uden afgrænsninger" }).click();
  const hits = await results();
  assert.ok(hits.length > 3, `${hits.length} results without the filters`);
  assert.equal(await page.locator("#f-kommune").inputValue(), "");
  assert.ok(!new URL(page.url()).searchParams.has("aar"), page.url());
});

test("a kommune's name in the query is read as the place, and the page says so", async () => {
  const hits = await search("q=Randers+indbrud");
  assert.ok(hits.some((h) => h.href.includes("/kredse/oestjylland/samarbejdsplan/2024/#5-2-indbrud")), JSON.stringify(hits));
  const note = await page.locator("#search-results p.meta").first().textContent();
  assert.match(note, /«Randers» er læst som Randers Kommune/);
});

test("a misspelt word finds the word the plans have, and the page says which", async () => {
  // "Hjøring" with one r found nothing.
  const hits = await search("q=Hj%C3%B8ring");
  assert.ok(hits.some((h) => h.href.endsWith("/kommuner/hjoerring/")), JSON.stringify(hits));
  const notes = await page.locator("#search-results p.meta").allTextContents();
  assert.ok(notes.some((n) => n === "Intet ord i planerne staves «Hjøring»; viser resultater for «Hjørring»."), JSON.stringify(notes));
});

test("a year in the query is read as the year, and the page says so", async () => {
  // "trafik 2026" found the one 2026 section that happens to say "2026".
  const hits = await search("q=trafik+2026");
  assert.ok(hits.length >= 3, JSON.stringify(hits));
  assert.ok(hits.slice(0, 3).every((h) => h.href.includes("/2026/")), JSON.stringify(hits));
  const notes = await page.locator("#search-results p.meta").allTextContents();
  assert.ok(notes.some((n) => n.startsWith("«2026» er læst som året")), JSON.stringify(notes));
});

test("a year that leaves nothing: the page says how many there are without it, and one click searches so", async () => {
  // The year with a full stop after it, as a sentence is typed.
  await page.goto(searchUrl("q=vold+i+n%C3%A6re+relationer+2025."));
  const note = page.locator("#search-results p", { hasText: "uden årstallet er der" });
  await note.waitFor();
  assert.match(await note.textContent(), /^Ingen resultater i planerne for 2025 eller i tekster, der nævner 2025; uden årstallet er der \d+\./);
  await note.getByRole("button", { name: "Søg uden årstallet" }).click();
  const hits = await results();
  assert.ok(hits.length > 3, `${hits.length} results without the year`);
  assert.equal(await page.locator("#q").inputValue(), "vold i nære relationer");
});
