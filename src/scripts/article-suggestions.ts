/**
 * Help while writing a request: the knowledge-base articles that best match what the client is
 * typing. Loads Pagefind on first use only; the index searched is the page's language.
 */
import type { Lang } from "../domain/schemas/common";

export type ArticleSuggestion = {
  /** "Standard warranty — What the warranty does not cover". */
  title: string;
  /** Page URL, with the anchor of the best matching section. */
  url: string;
  /** Plain-text excerpt around the match. */
  excerpt: string;
};

type PagefindSubResult = { title: string; url: string; excerpt: string };
type PagefindResultData = { url: string; excerpt: string; meta: { title?: string }; sub_results: PagefindSubResult[] };
type PagefindResult = { id: string; score: number; data(): Promise<PagefindResultData> };
type Pagefind = { search(term: string): Promise<{ results: PagefindResult[] } | null> };

/** Pagefind matches pages that contain every word of a query, so a description is searched word by word. */
const MAX_WORDS = 8;
/** Shorter words are mostly prepositions and conjunctions in both languages. */
const MIN_WORD_LENGTH = 4;
/** Written by the build next to the site; not a module the bundler can see. */
const PAGEFIND_SCRIPT = "/pagefind/pagefind.js";

let pagefind: Promise<Pagefind> | undefined;

function loadPagefind(): Promise<Pagefind> {
  pagefind ??= import(/* @vite-ignore */ PAGEFIND_SCRIPT) as Promise<Pagefind>;
  return pagefind;
}

function plainText(html: string): string {
  return new DOMParser().parseFromString(html, "text/html").body.textContent?.trim() ?? "";
}

/** The distinct words of a description worth searching for, in the order written. */
export function significantWords(text: string): string[] {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return [...new Set(words.filter((word) => word.length >= MIN_WORD_LENGTH))].slice(0, MAX_WORDS);
}

/** Pages matching more of the words come first; among equals, Pagefind's own scores decide. */
async function rankPages(engine: Pagefind, words: string[]): Promise<PagefindResult[]> {
  const ranked = new Map<string, { result: PagefindResult; words: number; score: number }>();
  for (const response of await Promise.all(words.map((word) => engine.search(word)))) {
    for (const result of response?.results ?? []) {
      const entry = ranked.get(result.id) ?? { result, words: 0, score: 0 };
      entry.words += 1;
      entry.score += result.score;
      ranked.set(result.id, entry);
    }
  }
  return [...ranked.values()].sort((a, b) => b.words - a.words || b.score - a.score).map((entry) => entry.result);
}

export async function suggestArticles(text: string, lang: Lang, limit = 3): Promise<ArticleSuggestion[]> {
  if (document.documentElement.lang !== lang) {
    throw new Error(`suggestArticles searches the page's own index (${document.documentElement.lang}), not ${lang}`);
  }
  const words = significantWords(text);
  if (words.length === 0) return [];
  const results = await rankPages(await loadPagefind(), words);
  const pages = await Promise.all(results.slice(0, limit).map((result) => result.data()));
  return pages.map((page) => {
    const section = page.sub_results.find((sub) => sub.url.includes("#"));
    const pageTitle = page.meta.title ?? page.url;
    return {
      title: section && section.title !== pageTitle ? `${pageTitle} — ${section.title}` : pageTitle,
      url: section?.url ?? page.url,
      excerpt: plainText(section?.excerpt ?? page.excerpt),
    };
  });
}
