// The search page: load Pagefind when the reader starts, search as they type, list the results.
import { describe, find, openIndex } from "./search-core.js";

const config = JSON.parse(document.getElementById("search-config").textContent);
const form = document.querySelector("form.search");
const input = document.getElementById("search-query");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const more = document.getElementById("search-more");
const lang = document.documentElement.lang;
const plural = new Intl.PluralRules(lang);

let pagefind = null;
let current = { token: 0, results: [], shown: 0 };

function loadPagefind() {
  pagefind ??= openIndex(
    new URL(config.bundle, document.baseURI).href,
    new URL(config.baseUrl, document.baseURI).pathname,
  );
  return pagefind;
}

function countText(count) {
  const forms = config.results;
  const form = forms[plural.select(count)] ?? forms.other ?? Object.values(forms).at(-1);
  return form.replace("{n}", count.toLocaleString(lang));
}

function item(record) {
  const li = document.createElement("li");
  li.className = "search-result";
  const heading = document.createElement("h2");
  heading.className = "search-result__title";
  const link = document.createElement("a");
  link.href = record.url;
  link.textContent = record.title;
  heading.append(link);
  const meta = document.createElement("p");
  meta.className = "search-result__meta";
  meta.textContent = record.published;
  const text = document.createElement("p");
  text.className = "search-result__excerpt";
  text.innerHTML = record.excerpt; // built from escaped words and <mark> only
  li.append(heading, meta, text);
  return li;
}

async function showMore(token) {
  const batch = current.results.slice(current.shown, current.shown + config.perPage);
  const records = await Promise.all(batch.map((result) => describe(result, config.fold)));
  if (token !== current.token) return;
  list.append(...records.map(item));
  current.shown += batch.length;
  more.hidden = current.shown >= current.results.length;
}

async function run(query) {
  const token = current.token + 1;
  current = { token, results: [], shown: 0 };
  const url = new URL(location.href);
  url.searchParams.delete("q");
  if (query.trim()) url.searchParams.set("q", query);
  history.replaceState(null, "", url);
  list.replaceChildren();
  more.hidden = true;
  if (!query.trim()) {
    status.textContent = "";
    return;
  }
  status.textContent = config.searching;
  try {
    const results = await find(await loadPagefind(), query, config.fold);
    if (token !== current.token) return; // the reader has typed on
    current.results = results;
    status.textContent = results.length ? countText(results.length) : config.nothing;
    await showMore(token);
  } catch (error) {
    status.textContent = config.failed;
    console.error(error);
  }
}

let timer = 0;
input.addEventListener("input", () => {
  clearTimeout(timer);
  timer = setTimeout(() => run(input.value), 250);
});
input.addEventListener("focus", loadPagefind, { once: true });
form.addEventListener("submit", (event) => {
  event.preventDefault();
  clearTimeout(timer);
  run(input.value);
});
more.addEventListener("click", () => showMore(current.token));

const asked = new URLSearchParams(location.search).get("q");
if (asked) {
  input.value = asked;
  run(asked);
}
