// Paths through the site by clicking, as a person would: links found by their visible
// names and roles, on a phone-sized and a desktop-sized screen.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, launch, guardedContext } from "../lib.mjs";

let server, browser;

before(async () => {
  server = await startServer();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const h1 = (page) => page.locator("h1").innerText();

for (const width of [375, 1280]) {
  test(`citizen at ${width} px: front page → Hjørring → its plan → an indsatsområde`, async () => {
    const { context, guard } = await guardedContext(browser, server.origin, { viewport: { width, height: 800 } });
    const page = await context.newPage();
    await page.goto(server.url(server.base));

    // front page → the kommune
    await page.getByRole("main").getByRole("link", { name: "Hjørring Kommune", exact: true }).first().click();
    await page.waitForURL(/\/kommuner\/hjoerring\/$/);
    assert.equal(await h1(page), "Hjørring Kommune");

    // kommune → its newest handleplan
    await page.getByRole("main").getByRole("link", { name: /^Handleplan 2026/ }).first().click();
    await page.waitForURL(/\/kommuner\/hjoerring\/handleplan\/2026\/$/);
    assert.match(await h1(page), /Handleplan 2026/);

    // plan → an indsatsområde bound to one of its sections
    const link = page.locator("main .bound a").first();
    const name = (await link.innerText()).trim();
    await link.click();
    await page.waitForURL(/\/indsatsomraader\/[a-z0-9-]+\/$/);
    assert.equal(await h1(page), name);
    assert.ok(await page.getByRole("table").first().isVisible(), "the issuers × years matrix is shown");

    assert.deepEqual(guard.external, []);
    assert.deepEqual(guard.errors, []);
    await context.close();
  });

  test(`journalist at ${width} px: indsatsområde → comparison of two years`, async () => {
    const { context, guard } = await guardedContext(browser, server.origin, { viewport: { width, height: 800 } });
    const page = await context.newPage();
    await page.goto(server.url(server.base + "indsatsomraader/"));

    // the indsatsområder index → an indsatsområde that changed between two plans
    await page.getByRole("link", { name: /^Indbrud$/ }).first().click();
    await page.waitForURL(/\/indsatsomraader\/indbrud\/$/);

    // → one issuer's history of it, year by year
    await page.locator("ul.issuer-list").getByRole("link", { name: "Lokalrådet i Hjørring Kommune", exact: true }).click();
    await page.waitForURL(/\/indsatsomraader\/indbrud\/kommuner\/hjoerring\/$/);
    assert.match(await h1(page), /Indbrud: Hjørring Kommune/);

    // → the comparison of the issuer's two plans
    await page.getByRole("link", { name: /^Sammenlign 2026 med 2025$/ }).first().click();
    await page.waitForURL(/\/sammenlign\/2025\/$/);
    assert.match(await h1(page), /2026/);
    assert.match(await h1(page), /2025/);

    // the comparison shows statuses; a diff opens on click
    assert.ok(await page.locator(".status-group h2").count() >= 2, "several status groups");
    const summary = page.locator("details.diff-box > summary").first();
    await summary.click();
    assert.ok(await page.locator("details.diff-box .diff").first().isVisible(), "the diff opens");
    assert.ok((await page.locator("details.diff-box ins, details.diff-box del").count()) > 0, "the diff marks words");

    assert.deepEqual(guard.external, []);
    assert.deepEqual(guard.errors, []);
    await context.close();
  });
}
