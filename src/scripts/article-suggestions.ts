/**
 * Help while writing a request: the knowledge-base articles that best match what the client is
 * typing. Loads Pagefind on first use only; the index searched is the page's language.
 */
import type { Lang } from "../domain/schemas/common";
import { findPages, loadPagefind } from "./search-query";

export type ArticleSuggestion = {
  /** "Standard warranty — What the warranty does not cover". */
  title: string;
  /** Page URL, with the anchor of the best matching section. */
  url: string;
  /** Plain-text excerpt around the match. */
  excerpt: string;
};

function plainText(html: string): string {
  return new DOMParser().parseFromString(html, "text/html").body.textContent?.trim() ?? "";
}

export async function suggestArticles(text: string, lang: Lang, limit = 3): Promise<ArticleSuggestion[]> {
  if (document.documentElement.lang !== lang) {
    throw new Error(`suggestArticles searches the page's own index (${document.documentElement.lang}), not ${lang}`);
  }
  const { results } = await findPages(await loadPagefind(), text, lang);
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
