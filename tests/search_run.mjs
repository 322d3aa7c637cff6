// Run real Pagefind searches in Node against a built site, through the search page's own module.
// Usage: node tests/search_run.mjs SITE_DIR LANG QUERY...  → one JSON object on stdout:
// {"results": {query: [{url, title, published, excerpt}]}, "fetched": {file: bytes}}
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const [site, lang, ...queries] = process.argv.slice(2);
const fetched = {};

// In a browser Pagefind reads <html lang> to choose its index and fetches its files over HTTP;
// here the page is the built search page and the files come from the disk.
globalThis.document = {
  currentScript: null,
  querySelector: (selector) => (selector === "html" ? { getAttribute: () => lang } : null),
};
globalThis.fetch = async (input) => {
  const file = fileURLToPath(new URL(typeof input === "string" || input instanceof URL ? input : input.url));
  const body = await readFile(file);
  fetched[path.relative(site, file)] = body.length;
  return new Response(body);
};

const page = await readFile(path.join(site, lang, "search", "index.html"), "utf8");
const config = JSON.parse(page.match(/<script type="application\/json" id="search-config">([^]*?)<\/script>/)[1]);
const core = await import(pathToFileURL(path.join(site, "theme", "js", "search-core.js")).href);
const bundle = pathToFileURL(path.join(site, config.bundle)).href.replace(/\/?$/, "/");
const pagefind = await core.openIndex(bundle, "/");

const results = {};
for (const query of queries) {
  const found = await core.find(pagefind, query, config.fold);
  results[query] = await Promise.all(found.map((result) => core.describe(result, config.fold)));
}
process.stdout.write(JSON.stringify({ results, fetched }));
