// "Compare any two" (compare.js): on a plan page pick an earlier plan, on an
// indsatsområde's page pick two issuers' texts; the diff renders in place, the URL
// carries the pair, the shared URL shows the same diff, and the diff is the site's own:
// for consecutive plans the same blocks with the same classes, the same old and new
// text in each, and the same word counts as the prerendered comparison. (Where a word
// could pair with either of two equal words, jsdiff and the Rust side's `similar` may
// put an <ins>/<del> boundary a word apart: both are minimal diffs, so the texts and
// counts agree and the exact markup is not compared.) By keyboard, axe clean with the
// result shown, and usable without JavaScript.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, launch, guardedContext, axeViolations } from "../lib.mjs";


const PLAN = "kommuner/hjoerring/handleplan/2026/";
const CONSECUTIVE = "kommuner/hjoerring/handleplan/2026/sammenlign/2025/";
const INDSATS = "indsatsomraader/saarbare-borgere/";

let server, browser;

before(async () => {
  server = await startServer();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** A diff as the reader sees it: per block its classes and its old and new text
 *  (screen-reader cues, labels and fold summaries left out). Runs in the page. */
function readDiff(diff) {
  const side = (block, drop) => {
    const c = block.cloneNode(true);
    c.querySelectorAll(`${drop}, .visually-hidden, .diff-label, summary`).forEach((e) => e.remove());
    return c.textContent.replace(/\s+/g, " ").trim();
  };
  return [...diff.children].map((b) => [b.className, side(b, "ins"), side(b, "del")]);
}

/** Each entry's diff and word counts by the indsatsområde it is about. */
async function diffsByIndsats(scope) {
  return scope.locator("article.entry").evaluateAll((articles, read) => {
    const readDiff = new Function(`return (${read})`)();
    const out = {};
    for (const a of articles) {
      const link = a.querySelector("h3 a, h4 a");
      const diff = a.querySelector(".diff");
      const summary = a.querySelector(".diff-summary");
      // The status: compare.js's beside the title, the prerendered page's over its group.
      const status = (a.querySelector("h4 .status") || a.closest(".status-group")?.querySelector("h2 .status"))?.textContent;
      if (link && diff) out[link.getAttribute("href")] = { status, counts: summary?.textContent, blocks: readDiff(diff) };
    }
    return out;
  }, readDiff.toString());
}

test("plan page: pick an earlier plan, the diff appears in place and the URL carries the pair", async () => {
  const { context, guard } = await guardedContext(browser, server.origin);
  const page = await context.newPage();
  await page.goto(server.url(server.base + PLAN));
  const section = page.locator("section.compare");
  assert.ok(await section.locator(".compare-nojs").isHidden(), "the no-script note gives way to the form");
  await section.getByLabel("Sammenlign Handleplan 2026 med").selectOption({ label: "Handleplan 2025" });
  await section.getByRole("button", { name: "Sammenlign" }).click();
  const result = section.locator(".compare-result");
  await result.locator("ins").first().waitFor({ state: "attached" });
  assert.ok((await result.locator("del").count()) > 0, "deletions are marked");
  assert.match(page.url(), /\/handleplan\/2026\/\?sammenlign=2025$/);
  assert.match(await section.getByRole("status").textContent(), /^Viser Handleplan 2026 sammenlignet med Handleplan 2025/);
  // a diff opens like every other diff on the site
  await result.locator("details.diff-box > summary").first().click();
  assert.ok(await result.locator("details.diff-box ins").first().isVisible());
  assert.ok(await result.locator("ins .visually-hidden").first().evaluate((e) => e.textContent === "[tilføjet: "));
  const mine = await diffsByIndsats(result);
  assert.deepEqual(await axeViolations(page), [], "axe with the result shown");
  // Grøn omstilling is named in 2025 as a sub-area of Det Gode Naboskab, with no text of
  // its own: split off in 2026, not new.
  const groen = result.locator("article.entry", { has: page.locator("h4 a", { hasText: /^Grøn omstilling$/ }) });
  assert.equal(await groen.locator(".status").textContent(), "udskilt");
  assert.match(await groen.textContent(), /Nævnt som delområde uden eget afsnit i Handleplan 2025/);

  // the same diffs as the prerendered comparison of the two plans
  
  await page.goto(server.url(server.base + CONSECUTIVE));
  const built = await diffsByIndsats(page.locator("main"));
  // A section merged with others that had sections of their own is compared, on the
  // prerendered page, with all their previous texts ("Sammenlignet med forrige plans
  // tekster om …"); compare.js compares the two texts of one indsatsområde alone, and
  // says so.
  const both = Object.keys(built).filter((k) => k in mine && !built[k].counts.startsWith("Sammenlignet med"));
  assert.ok(both.length >= 5, `only ${both.length} diffs to compare`);
  // Statuses too, where compare.js can tell them from the two texts alone (not merges).
  const textual = (x, k) => (["videreført", "ændret"].includes(built[k].status) ? x : { ...x, status: undefined });
  for (const k of both) assert.deepEqual(textual(mine[k], k), textual(built[k], k), `diff of ${k}`);
  assert.ok(both.filter((k) => textual(built[k], k).status).length >= 3, "statuses compared");
  // Udviklingen i ungdomskriminaliteten: the first sentence turned passive, the year rolled
  // on with the plan, one typo; a reader says videreført, and both sides say why.
  const ung = both.find((k) => k.endsWith("/ungdomskriminalitet/"));
  assert.ok(ung, "ungdomskriminalitet is compared");
  assert.equal(mine[ung].status, "videreført");
  assert.match(mine[ung].counts, /^15 ord tilføjet, 10 ord slettet, 96 ord uændret\. Videreført, fordi kun 6,0 % af ordene er ændret/);

  // the shared URL shows the same diff
  const shared = await context.newPage();
  await shared.goto(server.url(server.base + PLAN + "?sammenlign=2025"));
  await shared.locator("section.compare .compare-result ins").first().waitFor({ state: "attached" });
  assert.deepEqual(await diffsByIndsats(shared.locator("section.compare .compare-result")), mine);
  assert.deepEqual(guard.external, []);
  assert.deepEqual(guard.errors, []);
  assert.deepEqual(guard.failed, []);
  await context.close();
});

test("indsatsområde page: one issuer's later plan picked first is compared forward in time", async () => {
  const { context, guard } = await guardedContext(browser, server.origin);
  const base = server.url(server.base + "indsatsomraader/tryghed-paa-nettet/");
  const read = async (query) => {
    const page = await context.newPage();
    await page.goto(base + query);
    const section = page.locator("section.compare");
    await section.locator(".compare-result ins").first().waitFor({ state: "attached" });
    const result = section.locator(".compare-result");
    return { heading: await result.locator("h3").textContent(), text: await result.textContent(),
             blocks: await result.locator(".diff").evaluate((d, r) => new Function(`return (${r})`)()(d), readDiff.toString()) };
  };
  const forward = await read("?a=kommune.hjoerring.2025&b=kommune.hjoerring.2026");
  const reversed = await read("?a=kommune.hjoerring.2026&b=kommune.hjoerring.2025");
  // 2026's new heading is new, not "udgået": the older text is compared from.
  assert.match(reversed.heading, /Handleplan 2025 sammenlignet med .*Handleplan 2026/);
  assert.deepEqual(reversed.blocks, forward.blocks);
  assert.doesNotMatch(reversed.text, /Udgåede afsnit: Fokus på forebyggelse/);
  assert.deepEqual(guard.errors, []);
  await context.close();
});

test("indsatsområde page: two issuers of different years, by keyboard; the shared URL shows the same diff", async () => {
  const { context, guard } = await guardedContext(browser, server.origin);
  const page = await context.newPage();
  await page.goto(server.url(server.base + INDSATS));
  const section = page.locator("section.compare");
  const first = section.getByRole("group", { name: "Første tekst" });
  const second = section.getByRole("group", { name: "Anden tekst" });
  // keyboard only: focus the first select, choose with the keyboard, Tab on, Enter
  await first.getByLabel("Råd", { exact: true }).focus();
  await first.getByLabel("Råd", { exact: true }).selectOption({ label: "Nordjyllands Politi" });
  assert.deepEqual(await first.getByLabel("Plan").locator("option").allTextContents(), ["2022"], "the plans follow the issuer");
  await second.getByLabel("Råd", { exact: true }).selectOption({ label: "Hjørring Kommune" });
  await second.getByLabel("Plan").selectOption("2026");
  await second.getByLabel("Plan").focus();
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "Sammenlign", "Tab reaches the button");
  await page.keyboard.press("Enter");
  const result = section.locator(".compare-result");
  await result.locator(".diff ins").first().waitFor();
  assert.ok((await result.locator(".diff del").count()) > 0);
  assert.match(page.url(), /\?a=kreds\.nordjylland\.2022&b=kommune\.hjoerring\.2026$/);
  assert.match(await section.getByRole("status").textContent(), /^Viser Nordjyllands Politi, .* sammenlignet med Hjørring Kommune, Handleplan 2026/);
  const html = await result.locator(".diff").innerHTML();
  assert.deepEqual(await axeViolations(page), [], "axe with the result shown");
  assert.ok(await section.locator("form").isVisible(), "the form stays");

  const shared = await context.newPage();
  await shared.goto(page.url());
  const again = shared.locator("section.compare .compare-result .diff");
  await again.locator("ins").first().waitFor();
  assert.equal(await again.innerHTML(), html, "the shared URL shows the same diff");
  assert.equal(await shared.locator("#sammenlign-a").inputValue(), "kreds.nordjylland");

  // one issuer, two years: the same diff as that issuer's own history page
  await page.goto(server.url(server.base + INDSATS));
  await first.getByLabel("Råd", { exact: true }).selectOption({ label: "Hjørring Kommune" });
  await first.getByLabel("Plan").selectOption("2025");
  await second.getByLabel("Råd", { exact: true }).selectOption({ label: "Hjørring Kommune" });
  await second.getByLabel("Plan").selectOption("2026");
  await section.getByRole("button", { name: "Sammenlign" }).click();
  await result.locator(".diff").waitFor();
  const mine = await result.locator(".diff").evaluate(readDiff);
  await page.goto(server.url(server.base + INDSATS + "kommuner/hjoerring/"));
  const built = await page.locator("article.entry .diff").last().evaluate(readDiff);
  assert.deepEqual(mine, built, "the same diff as the prerendered history");
  assert.deepEqual(guard.external, []);
  assert.deepEqual(guard.errors, []);
  await context.close();
});

test("without JavaScript: the plan form leads to the prerendered comparison, the notes list what exists", async () => {
  const { context, guard } = await guardedContext(browser, server.origin, { javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(server.url(server.base + PLAN));
  const section = page.locator("section.compare");
  assert.ok(await section.locator(".compare-nojs").isVisible());
  await section.getByRole("button", { name: "Sammenlign" }).click();
  await page.waitForURL(/\/2026\/sammenlign\/2025\/\?sammenlign=2025$/);
  assert.match(await page.locator("h1").textContent(), /Handleplan 2026 sammenlignet med Handleplan 2025/);
  // the note leads to the list of the comparisons that exist
  await page.goto(server.url(server.base + PLAN));
  await page.locator("section.compare .compare-nojs").getByRole("link").click();
  await page.waitForURL(/\/handleplan\/#sammenligninger$/);
  assert.ok(await page.getByRole("link", { name: "Handleplan 2026 sammenlignet med Handleplan 2025" }).isVisible());

  await page.goto(server.url(server.base + INDSATS));
  const s2 = page.locator("section.compare");
  assert.ok(await s2.locator("form").isHidden(), "a form that needs the script is not offered without it");
  assert.match(await s2.locator(".compare-nojs").textContent(), /kræver JavaScript/);
  await s2.locator(".compare-nojs").getByRole("link").click();
  assert.ok(await page.locator("#aar-for-aar").isVisible());
  assert.ok((await page.locator(".issuer-list a").count()) >= 2, "the issuers' pages are listed");
  assert.deepEqual(guard.external, []);
  await context.close();
});
