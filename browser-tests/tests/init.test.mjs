// The site a new publisher starts from: `planspor init` (all 12 districts, 98 kommuner,
// the starter registry) followed by `planspor build`, which run.sh makes into
// INIT_SITE_DIR (its root in INIT_ROOT). In headless Chromium: the front page, the
// kredse and kommuner lists, a kreds and a kommune page, and the indsatsområder list
// render with the national data, no script error, no request leaving 127.0.0.1, every
// internal link on them answering 200 (and every #anchor existing), and axe-core (WCAG
// 2.0/2.1 A and AA) finding nothing.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { startServer, launch, guardedContext, writeResult, axeViolations } from "../lib.mjs";

const { INIT_SITE_DIR, INIT_ROOT } = process.env;

let server, browser, context, guard;
const totals = { pages: 0, links: 0, urls: 0 };
// Internal URL (without #fragment) → its response, fetched once for all pages.
const fetched = new Map();

before(async () => {
  if (!INIT_SITE_DIR) throw new Error("INIT_SITE_DIR is not set: run this through browser-tests/run.sh, which builds it");
  server = await startServer(INIT_SITE_DIR);
  browser = await launch();
  ({ context, guard } = await guardedContext(browser, server.origin));
});

after(async () => {
  writeResult("init", { ...totals, urls: fetched.size });
  await browser?.close();
  await server?.close();
});

/** Every link on the page to this site: each URL answers 200, and a #fragment names an
 *  element of the page it leads to. Returns the broken ones. */
async function brokenLinks(page) {
  const hrefs = await page.$$eval("a[href]", (as) => as.map((a) => a.href));
  const internal = [...new Set(hrefs)].filter((h) => h.startsWith(server.origin + "/"));
  const broken = [];
  for (const href of internal) {
    const url = new URL(href);
    const fragment = decodeURIComponent(url.hash.slice(1));
    url.hash = "";
    if (!fetched.has(url.href)) {
      const resp = await context.request.get(url.href, { maxRedirects: 0 });
      fetched.set(url.href, { status: resp.status(), body: resp.status() === 200 ? await resp.text() : "" });
    }
    const { status, body } = fetched.get(url.href);
    if (status !== 200) broken.push(`${status} ${href}`);
    else if (fragment && !body.includes(`id="${fragment}"`)) broken.push(`no #${fragment} on ${url.pathname}`);
  }
  totals.links += internal.length;
  return broken;
}

/** Opens a page of the init site and runs the checks every page gets. */
async function open(path) {
  const page = await context.newPage();
  const resp = await page.goto(server.url(server.base + path), { waitUntil: "load" });
  assert.equal(resp.status(), 200, `HTTP status of ${path}`);
  assert.deepEqual(await brokenLinks(page), [], `broken links on ${path}`);
  assert.deepEqual(await axeViolations(page), [], `axe on ${path}`);
  totals.pages++;
  return page;
}

const h1 = (page) => page.locator("h1").innerText();

test("front page", async () => {
  const page = await open("");
  assert.ok((await h1(page)).trim().length > 0, "the front page has a heading");
  await page.close();
});

test("kredse: all 12 districts, each with its kommuner", async () => {
  const page = await open("kredse/");
  const kredse = await page.locator("main section.block h2 a").allInnerTexts();
  assert.equal(kredse.length, 12, kredse.join(", "));
  assert.ok(kredse.includes("Nordjyllands Politi") && kredse.includes("Bornholms Politi"), kredse.join(", "));
  await page.close();
});

test("kommuner: all 98 under their official names", async () => {
  const page = await open("kommuner/");
  const names = await page.locator("main ul.kommune-list > li > a").allInnerTexts();
  assert.equal(names.length, 98);
  assert.equal(new Set(names).size, 98, "no kommune twice");
  for (const n of ["Bornholms Regionskommune", "Københavns Kommune", "Vesthimmerlands Kommune"]) {
    assert.ok(names.includes(n), `${n} listed`);
  }
  await page.close();
});

test("a kreds page links its kommuner", async () => {
  const page = await open("kredse/bornholm/");
  assert.equal(await h1(page), "Bornholms Politi");
  await page.getByRole("main").getByRole("link", { name: "Bornholms Regionskommune", exact: true }).first().click();
  await page.waitForURL(/\/kommuner\/bornholm\/$/);
  await page.close();
});

test("a kommune page under its official name, in its kreds", async () => {
  const page = await open("kommuner/bornholm/");
  assert.equal(await h1(page), "Bornholms Regionskommune");
  const lead = await page.locator("main p.lead a").innerText();
  assert.equal(lead, "Bornholms Politi");
  await page.close();
});

test("indsatsområder: the starter registry", async () => {
  const page = await open("indsatsomraader/");
  const rows = await page.locator("main table th[scope=row] a").count();
  if (INIT_ROOT) {
    const dir = join(INIT_ROOT, "content", "indsatsomraader");
    const entries = readdirSync(dir).filter((f) => f.endsWith(".md") && f !== "_index.md");
    assert.equal(rows, entries.length, `one row per entry in ${dir}`);
  }
  assert.ok(rows >= 20, `${rows} indsatsområder listed`);
  await page.close();
});

test("no script error, no failed resource, no request leaving 127.0.0.1", () => {
  assert.ok(totals.pages >= 6, `${totals.pages} pages opened`);
  assert.deepEqual(guard.errors, [], "page and console errors");
  assert.deepEqual(guard.failed, [], "failed responses");
  assert.deepEqual(guard.external, [], "requests leaving 127.0.0.1");
});
