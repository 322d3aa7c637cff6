// Search without the page: fold what the reader typed, ask Pagefind, show the page's own words.
// The search page (search.js) and the tests (tests/search_run.mjs) both use this module.

// The hidden element holding a page's folded words (see partials/search_folded.html).
export const FOLDED_ANCHOR = "search-folded";
// How Pagefind splits a page's content into the words its locations count.
const PAGEFIND_WORDS = /[\r\n\s]+/g;
const NOT_LETTERS = /[^\p{L}\p{N}]+/u;
const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

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

/** Search with Pagefind for what the reader typed; return Pagefind's results, best first. */
export async function find(pagefind, query, table) {
  const folded = fold(query, table).trim();
  if (!folded) return [];
  const response = await pagefind.search(folded);
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
