// The site's search page: Pagefind's JavaScript API behind a plain, accessible form.
// Everything shown is built with DOM methods and textContent; only Pagefind's <mark>
// highlighting is kept from its excerpts. Works when the site is served from a subpath.
const FILTERS = [
  ["nation", "Nation"],
  ["type", "Review type"],
  ["year", "Year published"],
  ["theme", "Theme"],
  ["outcome", "Outcome"],
];
const form = document.getElementById("cr-search");
const input = document.getElementById("cr-search-q");
const fieldset = document.getElementById("cr-search-filters");
const status = document.getElementById("cr-search-status");
const list = document.getElementById("cr-search-results");
let runs = 0;
const siteRoot = new URL("../", document.currentScript ? document.currentScript.src : import.meta.url);
const bundle = new URL("pagefind/", siteRoot);

function say(text) {
  status.textContent = text;
}

function excerptNodes(html) {
  // Keep the text and Pagefind's <mark> elements; drop anything else.
  const parsed = new DOMParser().parseFromString(`<p>${html}</p>`, "text/html").body.firstChild;
  const out = document.createDocumentFragment();
  for (const node of parsed.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      out.append(mark);
    } else {
      out.append(document.createTextNode(node.textContent));
    }
  }
  return out;
}

function chosenFilters() {
  const chosen = {};
  for (const [key] of FILTERS) {
    const select = document.getElementById(`cr-filter-${key}`);
    if (select && select.value) chosen[key] = select.value;
  }
  return chosen;
}

function buildFilters(available, params) {
  for (const [key, label] of FILTERS) {
    const values = Object.keys(available[key] || {});
    if (!values.length) continue;
    values.sort(key === "year" ? (a, b) => b.localeCompare(a) : (a, b) => a.localeCompare(b));
    const wrap = document.createElement("p");
    const lab = document.createElement("label");
    lab.htmlFor = `cr-filter-${key}`;
    lab.textContent = label;
    const select = document.createElement("select");
    select.id = `cr-filter-${key}`;
    select.name = key;
    const any = document.createElement("option");
    any.value = "";
    any.textContent = "Any";
    select.append(any);
    for (const value of values) {
      const option = document.createElement("option");
      option.value = value;
      option.textContent = `${value} (${available[key][value]})`;
      select.append(option);
    }
    select.value = params.get(key) || "";
    wrap.append(lab, select);
    fieldset.append(wrap);
  }
}

const PAGE = 10; // results fetched at a time: each one downloads a fragment of its page
let current = null;

function resultItem(data) {
  const item = document.createElement("li");
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title || data.url;
  const heading = document.createElement("p");
  heading.className = "cr-search-result-title";
  heading.append(link);
  const excerpt = document.createElement("p");
  excerpt.append(excerptNodes(data.excerpt || ""));
  item.append(heading, excerpt);
  return item;
}

async function showMore() {
  const { search, what } = current;
  const from = list.children.length;
  const batch = await Promise.all(search.results.slice(from, from + PAGE).map((r) => r.data()));
  list.append(...batch.map(resultItem));
  const count = search.results.length;
  const shown = list.children.length;
  more.hidden = shown >= count;
  if (!count) say(`No results${what}.`);
  else say(`${count} result${count === 1 ? "" : "s"}${what}${shown < count ? `, showing the first ${shown}` : ""}.`);
  list.dataset.runs = String(++runs); // lets tests wait for this search to finish
  return batch.length;
}

async function run(pagefind) {
  const term = input.value.trim();
  const filters = chosenFilters();
  const params = new URLSearchParams();
  if (term) params.set("q", term);
  for (const [key, value] of Object.entries(filters)) params.set(key, value);
  history.replaceState(null, "", `${location.pathname}${params.toString() ? "?" + params : ""}`);
  list.replaceChildren();
  more.hidden = true;
  if (!term && !Object.keys(filters).length) {
    say("Type some words, or choose a filter, to search.");
    return;
  }
  say("Searching…");
  const search = await pagefind.search(term || null, { filters });
  current = { search, what: term ? ` for “${term}”` : "" };
  await showMore();
}

const more = document.createElement("button");
more.type = "button";
more.className = "md-button";
more.textContent = "Show more results";
more.hidden = true;
list.after(more);
more.addEventListener("click", async () => {
  const first = list.children.length;
  if (await showMore()) list.children[first].querySelector("a").focus();
});

async function load() {
  try {
    const pagefind = await import(new URL("pagefind.js", bundle).href);
    await pagefind.options({ basePath: bundle.pathname, baseUrl: siteRoot.pathname });
    await pagefind.init();
    return pagefind;
  } catch (error) {
    say("Search is not available: the search index was not found. Browse the reviews instead.");
    return null;
  }
}

// The form is handled from the moment this script runs, so a search typed while the
// index is still loading waits for it instead of reloading the page (and losing focus).
const ready = load();
form.addEventListener("submit", (event) => {
  event.preventDefault();
  ready.then((pagefind) => pagefind && run(pagefind));
});
fieldset.addEventListener("change", () => ready.then((pagefind) => pagefind && run(pagefind)));

async function main() {
  const pagefind = await ready;
  if (!pagefind) return;
  const params = new URLSearchParams(location.search);
  if (!input.value) input.value = params.get("q") || "";
  buildFilters(await pagefind.filters(), params);
  if (input.value || [...params.keys()].some((k) => k !== "q")) run(pagefind);
}

main();
