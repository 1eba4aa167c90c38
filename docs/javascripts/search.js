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
const selected = document.getElementById("cr-search-selected");
const chosenList = document.getElementById("cr-search-chosen");
const clear = document.getElementById("cr-search-clear");
document.getElementById("cr-search-output").hidden = false;
let runs = 0;
const siteRoot = new URL("../", document.currentScript ? document.currentScript.src : import.meta.url);
const bundle = new URL("pagefind/", siteRoot);

// The live region changes once per search, when its results are shown, so a screen reader
// announces the count once (politely), not "Searching" and then the count.
function say(text) {
  if (status.textContent !== text) status.textContent = text;
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
    wrap.className = "cr-field";
    wrap.append(lab, select);
    fieldset.append(wrap);
  }
  // Like the MOJ filter's "Show filter" on small screens: the filters fold away above the
  // results on a phone unless one is chosen, and stay open on wide screens.
  const narrow = document.getElementById("cr-search-narrow");
  narrow.hidden = !fieldset.querySelector("select");
  narrow.open = matchMedia("(min-width: 50em)").matches || FILTERS.some(([key]) => params.get(key));
}

// The MOJ filter pattern's "Selected filters": each chosen filter can be removed on its
// own, and "Clear filters" removes them all, keeping the words searched for. Both are
// links to the search they lead to, handled here without reloading the page.
function showChosen(term, filters) {
  const keep = term ? `?q=${encodeURIComponent(term)}` : "";
  clear.href = `${location.pathname}${keep}`;
  chosenList.replaceChildren();
  for (const [key, label] of FILTERS) {
    if (!filters[key]) continue;
    const rest = new URLSearchParams();
    if (term) rest.set("q", term);
    for (const [other, value] of Object.entries(filters)) if (other !== key) rest.set(other, value);
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = `${location.pathname}${rest.toString() ? "?" + rest : ""}`;
    link.dataset.filter = key;
    const hidden = document.createElement("span");
    hidden.className = "cr-visually-hidden";
    hidden.textContent = "Remove this filter: ";
    link.append(hidden, `${label}: ${filters[key]}`);
    item.append(link);
    chosenList.append(item);
  }
  selected.hidden = !chosenList.children.length;
}

const PAGE = 10; // results fetched at a time: each one downloads a fragment of its page
let current = null;

const PASSAGES = 3; // passages shown under a result: its sections with the most matches

// The sections of a page that match, each with its own anchor ("Finding 3",
// "Recommendation 2", "Timeline"), from Pagefind's sub-results: the best few, in page order.
function passages(data) {
  const subs = (data.sub_results || []).filter((s) => s.url.includes("#") && s.title !== data.meta.title);
  const best = [...subs].sort((a, b) => (b.locations || []).length - (a.locations || []).length).slice(0, PASSAGES);
  return subs.filter((s) => best.includes(s));
}

function resultItem(data) {
  const item = document.createElement("li");
  item.className = "cr-search-result";
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title || data.url;
  const heading = document.createElement("h3");
  heading.className = "cr-search-result__title";
  heading.append(link);
  item.append(heading);
  const facts = [data.meta.type, data.meta.area, data.meta.year].filter(Boolean);
  if (facts.length) {
    const meta = document.createElement("p");
    meta.className = "cr-search-result__meta";
    meta.textContent = facts.join(" · ");
    item.append(meta);
  }
  const found = passages(data);
  if (!found.length) {
    const excerpt = document.createElement("p");
    excerpt.append(excerptNodes(data.excerpt || ""));
    item.append(excerpt);
    return item;
  }
  const sections = document.createElement("ul");
  sections.className = "cr-search-result__passages";
  for (const sub of found) {
    const entry = document.createElement("li");
    const to = document.createElement("a");
    to.href = sub.url;
    to.textContent = sub.title;
    const excerpt = document.createElement("span");
    excerpt.append(excerptNodes(sub.excerpt || ""));
    entry.append(to, ": ", excerpt);
    sections.append(entry);
  }
  item.append(sections);
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
  showChosen(term, filters);
  if (!term && !Object.keys(filters).length) {
    list.replaceChildren();
    more.hidden = true;
    say("Type some words, or choose a filter, to search.");
    list.dataset.runs = String(++runs);
    return;
  }
  list.setAttribute("aria-busy", "true");
  const search = await pagefind.search(term || null, { filters });
  list.replaceChildren();
  more.hidden = true;
  // The filters are part of what is announced, so narrowing the results is heard even
  // when the count stays the same.
  const narrowed = Object.values(filters);
  current = { search, what: `${term ? ` for “${term}”` : ""}${narrowed.length ? `, filtered by ${narrowed.join(", ")}` : ""}` };
  await showMore();
  list.removeAttribute("aria-busy");
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
clear.addEventListener("click", (event) => {
  event.preventDefault();
  for (const select of fieldset.querySelectorAll("select")) select.value = "";
  const first = fieldset.querySelector("select");
  if (first) first.focus(); // the link disappears with the last filter
  ready.then((pagefind) => pagefind && run(pagefind));
});
chosenList.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-filter]");
  if (!link) return;
  event.preventDefault();
  const select = document.getElementById(`cr-filter-${link.dataset.filter}`);
  select.value = "";
  select.focus();
  ready.then((pagefind) => pagefind && run(pagefind));
});

async function main() {
  const pagefind = await ready;
  if (!pagefind) return;
  const params = new URLSearchParams(location.search);
  if (!input.value) input.value = params.get("q") || "";
  buildFilters(await pagefind.filters(), params);
  if (input.value || [...params.keys()].some((k) => k !== "q")) run(pagefind);
}

main();
