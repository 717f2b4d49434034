// Bytes a search downloads: runs search.js's own query path over a built site's index
// and sums the files it loads (manifest, term shards, large-term files, the document
// files of the first page of results).
//   node scripts/search-bytes.cjs OUTPUT_DIR indbrud tryghed ...
const fs = require("fs"), path = require("path");
const [site, ...queries] = process.argv.slice(2);
const api = require(path.resolve(site, "static/search.js"));
const PAGE = 20;
(async () => {
  for (const q of queries) {
    const files = new Map();
    const load = (p) => { const b = fs.readFileSync(p); files.set(path.relative(site, p), b.length); return Promise.resolve(JSON.parse(b)); };
    const index = new api.Index(path.resolve(site, "data/soeg") + "/", load);
    const res = await index.search(q, {});
    await index.docs(res.hits.slice(0, PAGE).map((h) => h[0]));
    const total = [...files.values()].reduce((a, b) => a + b, 0);
    console.log(`${q}: ${res.hits.length} hits, ${files.size} files, ${(total / 1024).toFixed(1)} KiB`);
    for (const [f, n] of [...files].sort((a, b) => b[1] - a[1])) console.log(`  ${(n / 1024).toFixed(1).padStart(7)} KiB  ${f}`);
  }
})();
