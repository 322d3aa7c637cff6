// Search without the page: fold what the reader typed, ask Pagefind, show the page's own words.
// The search page (search.js) and the tests (tests/search_run.mjs) both use this module.

// The hidden element holding a page's folded words (see partials/search_folded.html).
export const FOLDED_ANCHOR = "search-folded";
// How Pagefind splits a page's content into the words its locations count.
const PAGEFIND_WORDS = /[\r\n\s]+/g;
const NOT_LETTERS = /[^\p{L}\p{N}]+/u;
const NOT_WORD = /[^\p{L}\p{N}]+/gu;
const MARKS = /\p{M}+/gu;
const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
// The filter naming the shard each result comes from (added when the shards are merged).
const SHARD = "shard";

/** Lowercase text and replace each letter of the table by its keyboard stand-in (қ → к). */
export function fold(text, table) {
  let folded = "";
  for (const letter of text.toLowerCase()) folded += table[letter] ?? letter;
  return folded;
}

function pieces(word) {
  return word.toLowerCase().split(NOT_LETTERS).filter(Boolean);
}

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** Return the page's own words and which of them matched; matches in the folded copy count for the
 *  real words they were folded from, so a reader never sees the folded spelling. */
export function matchedWords(data, table) {
  const words = data.content.split(PAGEFIND_WORDS);
  const anchor = (data.anchors ?? []).find((a) => a.id === FOLDED_ANCHOR);
  const own = anchor ? anchor.location : words.length;
  const marked = new Set();
  const folded = new Set();
  for (const location of data.locations ?? []) {
    if (location < own) marked.add(location);
    else if (location < words.length) pieces(words[location]).forEach((p) => folded.add(p));
  }
  if (folded.size > 0) {
    for (let i = 0; i < own; i += 1) {
      if (pieces(words[i]).some((p) => folded.has(fold(p, table)))) marked.add(i);
    }
  }
  return { words: words.slice(0, own), marked };
}

/** Return an HTML excerpt of the page's own words around the best cluster of matches, marked. */
export function excerpt(data, table, length = 30) {
  const { words, marked } = matchedWords(data, table);
  let start = 0;
  let best = -1;
  for (const position of [...marked].sort((a, b) => a - b)) {
    const from = Math.max(0, Math.min(position - 3, words.length - length));
    let count = 0;
    for (const m of marked) if (m >= from && m < from + length) count += 1;
    if (count > best) [start, best] = [from, count];
  }
  const end = Math.min(words.length, start + length);
  const shown = [];
  for (let i = start; i < end; i += 1) {
    const word = escapeHtml(words[i]);
    shown.push(marked.has(i) ? `<mark>${word}</mark>` : word);
  }
  return `${start > 0 ? "… " : ""}${shown.join(" ")}${end < words.length ? " …" : ""}`;
}

/** Open a language's search index: its shards (Pagefind bundles listed in shards.json, newest
 *  first) merged into one Pagefind, which ranks the results of all of them together.
 *  bundle: absolute URL of the language's folder, ending in "/"; baseUrl: the site's path.
 *  Returns what find() searches, or null when the language has nothing to search. */
export async function openIndex(bundle, baseUrl, load = (url) => import(url)) {
  // The list changes when a year is added: always ask the server whether it is still current.
  const response = await fetch(new URL("shards.json", bundle).href, { cache: "no-cache" });
  if (!response.ok) throw new Error(`search: no shard list at ${bundle} (${response.status})`);
  const names = (await response.json()).shards.map((name) => name.replace(/\/$/, ""));
  if (!names.length) return null;
  const [first, ...others] = names.map((name) => ({
    path: new URL(`${name}/`, bundle).href,
    // Every page of a shard carries the shard's name as a filter, so searches can be limited.
    mergeFilter: { [SHARD]: name },
  }));
  // The first shard's copy of Pagefind (script, worker, WebAssembly) serves all of them.
  const pagefind = await load(`${first.path}pagefind.js`);
  await pagefind.options({ basePath: first.path, baseUrl, mergeFilter: first.mergeFilter });
  await pagefind.init();
  await Promise.all(
    others.map((shard) => pagefind.mergeIndex(shard.path, { baseUrl, mergeFilter: shard.mergeFilter })),
  );
  return { pagefind, shards: names };
}

/** Lowercase, fold, drop accents (Pagefind ignores them: ё is е) and keep letters and digits only. */
function bare(word, table) {
  return fold(word.normalize("NFD").replace(MARKS, ""), table).replace(NOT_WORD, "");
}

function sharedPrefix(a, b) {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n += 1;
  return n;
}

/** Tell whether a page matched a word itself: a page word begins with the word, or with its stem
 *  (Russian is stemmed: парки finds парке). When its index has no word beginning with the word,
 *  Pagefind answers with the longest indexed word the query word begins with instead (о, в for
 *  оркестр, вода): those matches share only a short beginning. */
function matchedItself(data, word, table) {
  const words = data.content.split(PAGEFIND_WORDS);
  const need = Math.min(word.length, Math.max(3, Math.ceil(word.length / 2)));
  return (data.locations ?? []).some((at) => sharedPrefix(bare(words[at] ?? "", table), word) >= need);
}

/** Return the shards that hold a word (not only Pagefind's stand-in for it). */
async function shardsWith(index, word, table) {
  const counts = (await index.pagefind.search(word))?.filters?.[SHARD] ?? {};
  const tops = [];
  // One search at a time (concurrent searches of one Pagefind mix up their results); the pages
  // they found are then fetched together.
  for (const name of index.shards.filter((shard) => counts[shard] > 0)) {
    const top = (await index.pagefind.search(word, { filters: { [SHARD]: name } }))?.results?.[0];
    if (top) tops.push([name, top]);
  }
  const bareWord = bare(word, table);
  const held = await Promise.all(
    tops.map(async ([, top]) => matchedItself(await top.data(), bareWord, table)),
  );
  return tops.filter((_, i) => held[i]).map(([name]) => name);
}

/** Return the shards that hold every word of the query the site has anywhere (null: any shard).
 *  Each shard is a Pagefind index of its own, and an index answers without the words it lacks; one
 *  index of the whole site would do so only for the words it has nowhere. */
async function shardsWithEveryWord(index, words, table) {
  if (index.shards.length < 2) return null;
  const found = [];
  for (const word of words) found.push(await shardsWith(index, word, table));
  const known = found.filter((shards) => shards.length > 0);
  if (!known.length) return null;
  return known.reduce((common, shards) => common.filter((name) => shards.includes(name)));
}

/** Search the index openIndex() opened for what the reader typed; return Pagefind's results, best first. */
export function find(index, query, table) {
  if (!index) return Promise.resolve([]);
  // A reader typing on starts a search before the last one ended: they take turns.
  const results = (index.busy ?? Promise.resolve()).then(() => findNow(index, query, table));
  index.busy = results.catch(() => {});
  return results;
}

async function findNow(index, query, table) {
  const folded = fold(query, table).trim();
  if (!folded) return [];
  const words = [...new Set(folded.split(/\s+/).filter((word) => bare(word, table)))];
  const shards = await shardsWithEveryWord(index, words, table);
  if (shards && !shards.length) return [];
  const options = shards ? { filters: { [SHARD]: { any: shards } } } : {};
  const response = await index.pagefind.search(folded, options);
  return response?.results ?? [];
}

/** Load one result and describe it for display: URL, title, date line and excerpt (HTML). */
export async function describe(result, table) {
  const data = await result.data();
  return {
    url: data.url,
    title: data.meta?.title ?? data.url,
    published: data.meta?.published ?? "",
    excerpt: excerpt(data, table),
  };
}
