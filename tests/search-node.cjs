// Runs the browser's search code (static/search.js of a built site) under node for
// tests/search.rs. Usage:
//   node search-node.cjs SITE stem  < words        one stem per input line
//   node search-node.cjs SITE query Q [FILTERS]    JSON: the first results of query Q
const fs = require("fs"), path = require("path");
const [site, mode, q, filters] = process.argv.slice(2);
const api = require(path.resolve(site, "static/search.js"));
if (mode === "stem") {
  const words = fs.readFileSync(0, "utf8").split("\n").filter(Boolean);
  process.stdout.write(words.map((w) => api.stem(api.fold(w))).join("\n") + "\n");
} else {
  const load = (p) => Promise.resolve(JSON.parse(fs.readFileSync(p, "utf8")));
  const index = new api.Index(path.resolve(site, "data/soeg") + "/", load);
  (async () => {
    const res = await index.search(q, Object.fromEntries(new URLSearchParams(filters || "")));
    const docs = await index.docs(res.hits.slice(0, 10).map((h) => h[0]));
    console.log(JSON.stringify({ total: res.hits.length, hits: docs.map((d) => ({ title: d.title, context: d.context, url: d.url })) }));
  })().catch((e) => { console.error(e); process.exit(1); });
}
