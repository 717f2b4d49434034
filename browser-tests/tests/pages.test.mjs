// Each page type: screenshots at 375 px and 1280 px (and in print), no horizontal
// overflow at 375 px, usable without JavaScript, and usable by keyboard.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { PAGE_TYPES, SCREENSHOT_DIR, startServer, launch, guardedContext, overflow, writeResult } from "../lib.mjs";

let server, browser;
const shots = [];

before(async () => {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  server = await startServer();
  browser = await launch();
});

after(async () => {
  writeResult("screenshots", { count: shots.length, dir: SCREENSHOT_DIR });
  await browser?.close();
  await server?.close();
});

for (const width of [375, 1280]) {
  test(`page types at ${width} px: screenshot${width === 375 ? ", no horizontal overflow" : ""}`, async (t) => {
    const { context, guard } = await guardedContext(browser, server.origin, { viewport: { width, height: width < 600 ? 812 : 900 } });
    const page = await context.newPage();
    for (const [name, path] of PAGE_TYPES) {
      await t.test(name, async () => {
        const resp = await page.goto(server.url(server.base + path), { waitUntil: "load" });
        assert.equal(resp.status(), name === "404" ? 404 : 200);
        await page.evaluate(() => document.fonts.ready);
        const file = join(SCREENSHOT_DIR, `${name}-${width}.png`);
        await page.screenshot({ path: file, fullPage: true });
        shots.push(file);
        if (width === 375) {
          const o = await overflow(page);
          assert.equal(o.excess, 0, `${name} is ${o.excess}px too wide at 375 px: ${o.culprits.join(", ")}`);
        }
      });
    }
    assert.deepEqual(guard.external, [], "requests outside 127.0.0.1");
    await context.close();
  });
}

test("print stylesheet: no navigation chrome, diffs marked in black and white", async (t) => {
  const { context } = await guardedContext(browser, server.origin, { viewport: { width: 800, height: 1100 } });
  const page = await context.newPage();
  await page.emulateMedia({ media: "print" });
  for (const [name, path] of PAGE_TYPES.filter(([n]) => ["plan", "comparison", "indsats", "indsats-issuer"].includes(n))) {
    await t.test(name, async () => {
      await page.goto(server.url(server.base + path), { waitUntil: "load" });
      await page.evaluate(() => document.fonts.ready);
      const hidden = await page.evaluate(() =>
        [".site-header", ".breadcrumbs", ".site-footer nav, .footer-links"].map((s) => {
          const el = document.querySelector(s);
          return !el || getComputedStyle(el).display === "none";
        }),
      );
      assert.deepEqual(hidden, [true, true, true], "header, breadcrumbs and footer links are hidden in print");
      if (name === "comparison" || name === "indsats-issuer") {
        const marks = await page.evaluate(() => {
          const ins = document.querySelector("ins");
          const del = document.querySelector("del");
          return ins && del ? [getComputedStyle(ins, "::before").content, getComputedStyle(del, "::before").content, ins.getBoundingClientRect().height > 0] : null;
        });
        assert.ok(marks, "the page has a diff");
        assert.match(marks[0], /\+/, "insertions are marked with + in print");
        assert.match(marks[1], /−|-/, "deletions are marked with − in print");
        assert.ok(marks[2], "diffs are shown (not collapsed) in print");
      }
      const file = join(SCREENSHOT_DIR, `${name}-print.png`);
      await page.screenshot({ path: file, fullPage: true });
      shots.push(file);
    });
  }
  await context.close();
});

test("pages work without JavaScript", async (t) => {
  const { context, guard } = await guardedContext(browser, server.origin, { javaScriptEnabled: false });
  const page = await context.newPage();
  await t.test("search page lists every indsatsområde, kommune and plan", async () => {
    await page.goto(server.url(server.base + "soeg/"));
    const all = page.locator("#search-all");
    assert.ok(await all.isVisible(), "the full list is visible");
    const links = await all.locator("a").count();
    assert.ok(links > 50, `only ${links} links listed without JavaScript`);
    assert.ok(await all.getByRole("link", { name: "Hjørring Kommune", exact: true }).isVisible());
  });
  await t.test("the search form still submits to the search page", async () => {
    await page.goto(server.url(server.base));
    await page.getByLabel("Søg i planer, kommuner og indsatsområder").fill("indbrud");
    await page.getByRole("button", { name: "Søg" }).click();
    await page.waitForURL(/soeg\/\?q=indbrud/);
    assert.ok(await page.locator("#search-all").isVisible());
  });
  await t.test("folded texts and diffs open without JavaScript", async () => {
    await page.goto(server.url(server.base + "indsatsomraader/indbrud/kommuner/hjoerring/"));
    const summary = page.locator("details.diff-box > summary").first();
    await summary.click();
    assert.ok(await page.locator("details.diff-box").first().locator(".diff").isVisible());
  });
  assert.deepEqual(guard.external, []);
  await context.close();
});

test("search with JavaScript finds a kommune", async () => {
  const { context, guard } = await guardedContext(browser, server.origin);
  const page = await context.newPage();
  await page.goto(server.url(server.base + "soeg/?q=hj%C3%B8rring"));
  const results = page.locator("#search-results");
  await results.getByRole("link", { name: "Hjørring Kommune" }).first().waitFor();
  assert.ok(await page.locator("#search-all").isHidden(), "the full list gives way to the results");
  await page.getByLabel("Søg i planer, kommuner og indsatsområder").fill("sårbare borgere");
  await results.getByRole("link", { name: /sårbare borgere/i }).first().waitFor();
  assert.deepEqual(guard.external, []);
  assert.deepEqual(guard.errors, []);
  await context.close();
});

test("keyboard: skip link first, visible focus, lands on the content", async () => {
  const { context } = await guardedContext(browser, server.origin);
  const page = await context.newPage();
  await page.goto(server.url(server.base + "kommuner/hjoerring/"));
  await page.keyboard.press("Tab");
  const skip = await page.evaluate(() => {
    const a = document.activeElement;
    const r = a.getBoundingClientRect();
    const cs = getComputedStyle(a);
    return { text: a.textContent.trim(), inView: r.top >= 0 && r.left >= 0 && r.width > 10 && r.height > 10, outline: cs.outlineStyle, shadow: cs.boxShadow };
  });
  assert.equal(skip.text, "Gå til indhold");
  assert.ok(skip.inView, "the skip link is visible when focused");
  await page.keyboard.press("Enter");
  assert.equal(await page.evaluate(() => document.activeElement.id), "indhold", "focus moves to <main>");
  // the next Tab reaches a link inside the content, with a visible focus indicator
  await page.keyboard.press("Tab");
  const next = await page.evaluate(() => {
    const a = document.activeElement;
    const cs = getComputedStyle(a);
    return { inMain: !!a.closest("main"), outline: cs.outlineStyle, width: parseFloat(cs.outlineWidth), shadow: cs.boxShadow };
  });
  assert.ok(next.inMain, "Tab after the skip link continues in the content");
  assert.ok((next.outline !== "none" && next.width >= 2) || next.shadow !== "none", `focus is visible: ${JSON.stringify(next)}`);
  await context.close();
});

test("landmarks on every page type: header, nav, main, footer, one h1", async (t) => {
  const { context } = await guardedContext(browser, server.origin);
  const page = await context.newPage();
  for (const [name, path] of PAGE_TYPES) {
    await t.test(name, async () => {
      await page.goto(server.url(server.base + path));
      const l = await page.evaluate(() => ({
        lang: document.documentElement.lang,
        banner: document.querySelectorAll("body > header").length,
        nav: document.querySelectorAll("nav").length,
        main: document.querySelectorAll("main").length,
        footer: document.querySelectorAll("body > footer").length,
        h1: document.querySelectorAll("h1").length,
      }));
      assert.deepEqual(l, { lang: "da", banner: 1, nav: l.nav, main: 1, footer: 1, h1: 1 });
      assert.ok(l.nav >= 1);
    });
  }
  await context.close();
});

test("on a phone, a year matrix starts with its newest year in view beside the row names", async (t) => {
  const { context } = await guardedContext(browser, server.origin, { viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  for (const path of ["", "kommuner/hjoerring/", "indsatsomraader/indbrud/"]) {
    await t.test(path || "front", async () => {
      await page.goto(server.url(server.base + path), { waitUntil: "load" });
      const seen = await page.evaluate(() => {
        const box = document.querySelector(".years-scroll").getBoundingClientRect();
        const head = [...document.querySelectorAll(".years-scroll thead th")];
        const last = head[head.length - 1].getBoundingClientRect();
        const names = head[0].getBoundingClientRect();
        return { last: head[head.length - 1].textContent, inView: last.left >= box.left && last.right <= box.right + 1, namesLeft: names.left - box.left };
      });
      assert.ok(seen.inView, `${path}: the newest year (${seen.last}) is not in view`);
      assert.ok(Math.abs(seen.namesLeft) <= 1, `${path}: the row names are ${seen.namesLeft}px from the left edge`);
    });
  }
  await context.close();
});
