/**
 * The search dialog (markup in SiteSearch.astro), loaded on first use. Searches the page's language
 * with search-query.ts, shows the results with their best sections (change-log hits with their
 * project's name), lets the arrow keys walk them, and offers other ways to an answer when there are
 * none. A query that no page fully answers is reported to the form service (query text only).
 */
import type { Lang } from "../domain/schemas/common";
import { countPhrase, lookupFrom } from "../i18n/lookup";
import { noteSearch } from "./search-log";
import { findPages, loadPagefind, type Filters, type Pagefind, type PagefindResult, type PagefindResultData, type PagefindSubResult } from "./search-query";

/** Results shown at once (and added by "Show more"): each costs a small download, its fragment. */
const BATCH = 8;
const SECTIONS_PER_RESULT = 3;
/** Typing pauses this long before a search starts. */
const DEBOUNCE_MS = 150;

type Parts = {
  dialog: HTMLDialogElement;
  input: HTMLInputElement;
  summary: HTMLElement;
  results: HTMLOListElement;
  help: HTMLElement;
  more: HTMLButtonElement;
  filterBar: HTMLElement;
  selects: HTMLSelectElement[];
};

const ready = new WeakMap<HTMLElement, Parts>();

function element<T extends Element>(host: HTMLElement, selector: string): T {
  const found = host.querySelector<T>(selector);
  if (!found) throw new Error(`site-search has no ${selector}`);
  return found;
}

/** Pagefind's excerpts are text with `<mark>` around matches: rebuilt from text nodes, never as HTML. */
function excerptNodes(excerpt: string): Node[] {
  const parsed = new DOMParser().parseFromString(`<p>${excerpt}</p>`, "text/html").body.firstElementChild;
  return [...(parsed?.childNodes ?? [])].map((node) => {
    if (node.nodeName !== "MARK") return document.createTextNode(node.textContent ?? "");
    const mark = document.createElement("mark");
    mark.textContent = node.textContent;
    return mark;
  });
}

function link(href: string, text: string, className: string): HTMLAnchorElement {
  const anchor = document.createElement("a");
  anchor.href = href;
  anchor.className = className;
  anchor.textContent = text;
  return anchor;
}

function paragraph(className: string, nodes: (Node | string)[]): HTMLParagraphElement {
  const p = document.createElement("p");
  p.className = className;
  p.append(...nodes);
  return p;
}

/** The sections worth showing under a page: not the page's own top, the ones with most matches. */
function sectionsOf(data: PagefindResultData): PagefindSubResult[] {
  const sections = data.sub_results.filter((sub) => sub.url !== data.url && sub.url.includes("#"));
  const best = [...sections].sort((a, b) => (b.locations?.length ?? 0) - (a.locations?.length ?? 0)).slice(0, SECTIONS_PER_RESULT);
  return sections.filter((sub) => best.includes(sub));
}

function resultItem(data: PagefindResultData): HTMLLIElement {
  const item = document.createElement("li");
  item.className = "search-result";
  const title = paragraph("search-result__title", [link(data.url, data.meta.title ?? data.url, "search-result__link")]);
  const project = data.filters?.project?.[0];
  if (project) title.append(" ", Object.assign(document.createElement("span"), { className: "search-result__project", textContent: project }));
  item.append(title, paragraph("search-result__excerpt", excerptNodes(data.excerpt)));
  const sections = sectionsOf(data);
  if (sections.length > 0) {
    const list = document.createElement("ul");
    list.className = "search-result__sections";
    for (const sub of sections) {
      const entry = document.createElement("li");
      entry.append(link(sub.url, sub.title, "search-result__section"), paragraph("search-result__excerpt", excerptNodes(sub.excerpt)));
      list.append(entry);
    }
    item.append(list);
  }
  return item;
}

/** Fills the filter lists with the values the index has (a list with one value or none stays hidden). */
async function showFilters(engine: Pagefind, parts: Parts): Promise<void> {
  const available = await engine.filters();
  for (const select of parts.selects) {
    const values = Object.keys(available[select.dataset.filter ?? ""] ?? {}).sort((a, b) => a.localeCompare(b));
    for (const value of values) select.append(new Option(value, value));
    select.closest("label")!.hidden = values.length < 2;
  }
  parts.filterBar.hidden = parts.selects.every((select) => select.closest("label")!.hidden);
}

function chosenFilters(parts: Parts): Filters {
  return Object.fromEntries(parts.selects.filter((select) => select.value).map((select) => [select.dataset.filter!, [select.value]]));
}

/** Arrow keys: from the input down into the results, through every result and section link, and back up. */
function arrowKeys(parts: Parts): void {
  const links = () => [...parts.results.querySelectorAll<HTMLAnchorElement>("a")];
  parts.dialog.addEventListener("keydown", (event) => {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    const all = links();
    const at = all.indexOf(document.activeElement as HTMLAnchorElement);
    if (document.activeElement !== parts.input && at < 0) return;
    event.preventDefault();
    const next = event.key === "ArrowDown" ? (at < 0 ? 0 : Math.min(at + 1, all.length - 1)) : at - 1;
    (next < 0 || all.length === 0 ? parts.input : all[next]!).focus();
  });
}

function setUp(host: HTMLElement): Parts {
  const parts: Parts = {
    dialog: element(host, "dialog"),
    input: element(host, ".search-dialog__input"),
    summary: element(host, ".search-dialog__summary"),
    results: element(host, ".search-results"),
    help: element(host, ".search-dialog__help"),
    more: element(host, ".search-dialog__more"),
    filterBar: element(host, ".search-dialog__filters"),
    selects: [...host.querySelectorAll<HTMLSelectElement>("select[data-filter]")],
  };
  const lang = (host.dataset.lang === "ru" ? "ru" : "en") satisfies Lang;
  const strings: Record<string, string> = JSON.parse(host.dataset.strings ?? "{}");
  const t = lookupFrom(strings);
  let searchId = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pending: PagefindResult[] = [];

  /** Shows the next batch of results (in place of the old ones for a new search); focus goes to the first when asked for more. */
  const showMore = async (id: number, focus: boolean, replace = false) => {
    const batch = pending.slice(0, BATCH);
    pending = pending.slice(BATCH);
    const items = (await Promise.all(batch.map((result) => result.data()))).map(resultItem);
    if (id !== searchId) return;
    if (replace) parts.results.replaceChildren(...items);
    else parts.results.append(...items);
    parts.more.hidden = pending.length === 0;
    if (focus) items[0]?.querySelector("a")?.focus();
  };

  const run = async () => {
    const id = ++searchId;
    const term = parts.input.value.trim();
    if (!term) {
      noteSearch(term, lang, true);
      parts.summary.textContent = "";
      parts.results.replaceChildren();
      parts.help.hidden = parts.more.hidden = true;
      return;
    }
    parts.summary.textContent = t("search.searching");
    const engine = await loadPagefind();
    const found = await findPages(engine, term, lang, chosenFilters(parts));
    if (id !== searchId) return; // a newer search has started
    pending = found.results;
    await showMore(id, false, true);
    if (id !== searchId) return;
    parts.summary.textContent =
      found.match === "all" ? countPhrase(strings, lang, "search.found", found.results.length, { term }) : t(found.match === "some" ? "search.partial" : "search.none", { term });
    parts.help.hidden = found.match === "all";
    // With a filter set, "nothing here" says more about the filter than about the site.
    noteSearch(term, lang, found.match === "all" || Object.keys(chosenFilters(parts)).length > 0);
  };
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void run().catch(() => (parts.summary.textContent = t("search.unavailable"))), DEBOUNCE_MS);
  };

  parts.input.addEventListener("input", schedule);
  // In a search field Escape would only clear the text; here it closes search, as everywhere else in the dialog.
  parts.input.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    event.preventDefault();
    parts.dialog.close();
  });
  parts.more.addEventListener("click", () => void showMore(searchId, true));
  for (const select of parts.selects) select.addEventListener("change", schedule);
  element<HTMLButtonElement>(host, ".search-dialog__close").addEventListener("click", () => parts.dialog.close());
  // A click on the backdrop (outside the dialog's box) closes it, as Escape does.
  parts.dialog.addEventListener("click", (event) => {
    if (event.target === parts.dialog) parts.dialog.close();
  });
  parts.dialog.addEventListener("close", () => element<HTMLElement>(host, ".site-search__button").focus());
  arrowKeys(parts);
  // The index starts loading as the dialog opens, so the first search rarely waits for it.
  void loadPagefind()
    .then((engine) => showFilters(engine, parts))
    .catch(() => (parts.summary.textContent = t("search.unavailable")));
  return parts;
}

/** Opens the dialog; with `query` (typed elsewhere, e.g. the home page's search box) it searches for it at once. */
export function openSearch(host: HTMLElement, query?: string): void {
  let parts = ready.get(host);
  if (!parts) ready.set(host, (parts = setUp(host)));
  if (!parts.dialog.open) parts.dialog.showModal();
  parts.input.focus();
  if (query === undefined) {
    parts.input.select();
    return;
  }
  parts.input.value = query;
  parts.input.dispatchEvent(new Event("input"));
}
