/** The site navigation, computed once per build from the terms collection. */
import { getCollection } from "astro:content";
import type { Lang } from "../domain/schemas/common";
import { paths } from "./paths";

export type NavItem = { slug: string; label: string; href: string };

const articles = (await getCollection("terms")).sort((a, b) => a.data.order - b.data.order || a.id.localeCompare(b.id));

/** `ru/warranty` → { lang: "ru", slug: "warranty" }. */
export function splitTermsId(id: string): { lang: Lang; slug: string } {
  const [lang, ...rest] = id.split("/");
  return { lang: lang === "ru" ? "ru" : "en", slug: rest.join("/") };
}

export function termsArticles(lang: Lang) {
  return articles.filter((entry) => splitTermsId(entry.id).lang === lang);
}

export function navItems(lang: Lang): NavItem[] {
  return termsArticles(lang).filter((entry) => entry.data.nav).map((entry) => {
    const { slug } = splitTermsId(entry.id);
    return { slug, label: entry.data.navLabel ?? entry.data.title, href: paths.article(lang, slug) };
  });
}
