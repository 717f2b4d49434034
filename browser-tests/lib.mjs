// Shared helpers for the browser suite: the built site, a local static server,
// headless Chromium with a network guard, and result files for run.sh's summary.

import { createServer } from "node:http";
import { readFileSync, existsSync, statSync, writeFileSync, mkdirSync, readdirSync } from "node:fs";
import { join, extname, dirname, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

export const HERE = dirname(fileURLToPath(import.meta.url));

/** axe-core's browser bundle, injected into pages under test. */
export const AXE_PATH = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

/** The built site to test: SITE_DIR (run.sh sets it), else the repository's public/. */
export const SITE_DIR = process.env.SITE_DIR || join(HERE, "..", "public");
export const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR || join(HERE, "screenshots");
export const RESULTS_DIR = process.env.RESULTS_DIR || join(HERE, "results");
export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-default-apps",
  "--disable-extensions",
  "--metrics-recording-only",
  "--no-default-browser-check",
  "--disable-domain-reliability",
  "--disable-client-side-phishing-detection",
  "--font-render-hinting=none",
];

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".xml": "application/xml; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
  ".svg": "image/svg+xml",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
  ".png": "image/png",
};

/** Reads sitemap.xml of the site in `dir` (SITE_DIR unless given): the site's base
 *  path (from its first entry, the front page) and every page's path below it, in
 *  sitemap order. */
export function sitemap(dir = SITE_DIR) {
  const xml = readFileSync(join(dir, "sitemap.xml"), "utf8");
  const locs = [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1].replace(/&amp;/g, "&")));
  if (!locs.length) throw new Error("sitemap.xml lists no pages");
  const base = locs[0].pathname.endsWith("/") ? locs[0].pathname : locs[0].pathname + "/";
  const paths = locs.map((u) => {
    if (!u.pathname.startsWith(base)) throw new Error(`sitemap entry ${u} is outside ${base}`);
    return decodeURIComponent(u.pathname);
  });
  return { base, paths };
}

/** Every page to check: the sitemap's pages plus the 404 page. */
export function allPages() {
  const { base, paths } = sitemap();
  return [...paths, base + "404.html"];
}

/** The file on disk a URL path maps to (or null), in the site in `dir`. */
export function fileFor(urlPath, base = sitemap().base, dir = SITE_DIR) {
  if (!urlPath.startsWith(base)) return null;
  let rel = decodeURIComponent(urlPath.slice(base.length));
  if (rel.split("/").includes("..")) return null;
  let file = join(dir, rel);
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
  return existsSync(file) && statSync(file).isFile() ? file : null;
}

/** Every .html file in the built site, as site-relative paths with "/". */
export function htmlFiles(dir = SITE_DIR) {
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".html")) out.push(relative(SITE_DIR, p).split(sep).join("/"));
    }
  };
  walk(dir);
  return out.sort();
}

/** Serves the site in `dir` (SITE_DIR unless given) on 127.0.0.1 at a free port under
 *  the site's base path, with 404.html (status 404) for anything missing, like a
 *  configured static host. */
export async function startServer(dir = SITE_DIR) {
  const { base } = sitemap(dir);
  const notFound = readFileSync(join(dir, "404.html"));
  const server = createServer((req, res) => {
    const path = new URL(req.url, "http://127.0.0.1").pathname;
    const file = fileFor(path, base, dir);
    if (!file) {
      // a directory without its trailing slash: redirect like a real host
      if (!path.endsWith("/") && fileFor(path + "/", base, dir)) {
        res.writeHead(301, { Location: path + "/" });
        return res.end();
      }
      res.writeHead(404, { "Content-Type": TYPES[".html"] });
      return res.end(notFound);
    }
    res.writeHead(200, { "Content-Type": TYPES[extname(file)] || "application/octet-stream", "Cache-Control": "no-store" });
    res.end(readFileSync(file));
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return { origin, base, url: (p) => origin + p, close: () => new Promise((ok) => server.close(ok)) };
}

export function launch() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** A browser context that lets requests reach only the local server: everything else
 *  is recorded in `guard.external` and aborted. Failed local responses, page errors and
 *  console errors are recorded too. */
export async function guardedContext(browser, origin, options = {}) {
  const context = await browser.newContext({ locale: "da-DK", viewport: { width: 1280, height: 900 }, ...options });
  const guard = { external: [], failed: [], errors: [] };
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(origin + "/") || url.startsWith("data:") || url.startsWith("blob:") || url === "about:blank") {
      return route.continue();
    }
    guard.external.push(url);
    return route.abort("blockedbyclient");
  });
  context.on("request", (req) => {
    const url = req.url();
    if (!(url.startsWith(origin + "/") || url.startsWith("data:") || url.startsWith("blob:") || url === "about:blank")) {
      if (!guard.external.includes(url)) guard.external.push(url);
    }
  });
  context.on("response", (res) => {
    // the 404 page itself is expected to answer 404
    if (res.status() >= 400 && res.request().resourceType() !== "document") guard.failed.push(`${res.status()} ${res.url()}`);
  });
  context.on("page", (page) => {
    page.on("pageerror", (e) => guard.errors.push(`${page.url()}: ${e.message}`));
    page.on("console", (m) => {
      if (m.type() === "error") guard.errors.push(`${page.url()}: console: ${m.text()}`);
    });
  });
  return { context, guard };
}

/** Open every <details> so that checks and screenshots see the whole page. */
export async function openAllDetails(page) {
  await page.evaluate(() => document.querySelectorAll("details").forEach((d) => (d.open = true)));
}

/** Horizontal overflow of the document: 0 when nothing sticks out. */
export async function overflow(page) {
  return page.evaluate(() => {
    const d = document.documentElement;
    const excess = d.scrollWidth - d.clientWidth;
    if (excess <= 0) return { excess: 0, culprits: [] };
    const culprits = [];
    for (const el of document.body.querySelectorAll("*")) {
      const r = el.getBoundingClientRect();
      if (r.right > d.clientWidth + 1 && !el.closest(".table-scroll")) {
        culprits.push(`${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : ""} (right ${Math.round(r.right)})`);
        if (culprits.length >= 5) break;
      }
    }
    return { excess, culprits };
  });
}

export function writeResult(name, data) {
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, name + ".json"), JSON.stringify(data, null, 2));
}

/** Page types: one representative page each, for screenshots and type checks. */
export const PAGE_TYPES = [
  ["front", ""],
  ["kredse", "kredse/"],
  ["kreds", "kredse/nordjylland/"],
  ["kommuner", "kommuner/"],
  ["kommune", "kommuner/hjoerring/"],
  ["issuer-plans", "kommuner/hjoerring/handleplan/"],
  ["plan", "kommuner/hjoerring/handleplan/2026/"],
  ["plan-kreds", "kredse/oestjylland/samarbejdsplan/2024/"],
  ["comparison", "kommuner/hjoerring/handleplan/2026/sammenlign/2025/"],
  ["indsats", "indsatsomraader/indbrud/"],
  ["indsats-issuer", "indsatsomraader/indbrud/kommuner/hjoerring/"],
  ["indsatser", "indsatsomraader/"],
  ["years", "aar/"],
  ["year", "aar/2025/"],
  ["search", "soeg/"],
  ["data", "data/"],
  ["tilgaengelighed", "tilgaengelighed/"],
  ["404", "findes-ikke/"],
];

/** axe-core's WCAG 2.0/2.1 A and AA violations on `page` with every <details> open, as
 *  "rule: targets" lines (empty when clean). */
export async function axeViolations(page) {
  await openAllDetails(page);
  await page.addScriptTag({ path: AXE_PATH });
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] }, resultTypes: ["violations"] });
    return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
}
