/** Every URL the site links to is built here, so a moved page is changed in one place. */
import { requestFormPath, takesProject, type RequestType } from "../domain/request-types";
import type { Lang } from "../domain/schemas/common";

export const paths = {
  home: (lang: Lang) => `/${lang}/`,
  article: (lang: Lang, slug: string, anchor?: string) => `/${lang}/${slug}/${anchor ? `#${anchor}` : ""}`,
  /**
   * A request form, optionally for a project: a private project's form lives under its capability
   * URL with the project fixed; a public one's is the shared form with `?project=`. A form without a
   * project field is the shared form either way.
   */
  request: (lang: Lang, type: RequestType, project?: ProjectRef) =>
    !project || !takesProject(type) ? requestFormPath(lang, type)
    : project.visibility === "private" ? `${projectBase(lang, project)}request/${type}/`
    : `${requestFormPath(lang, type)}?project=${encodeURIComponent(project.slug)}`,
  warrantyCheck: (lang: Lang) => `/${lang}/warranty/check/`,
  /** Every question the terms articles answer, each linked to its section (also where search leads without JavaScript). */
  faq: (lang: Lang) => `/${lang}/faq/`,
  /** Public projects and the all-projects feeds. */
  projects: (lang: Lang) => `/${lang}/projects/`,
  projectsFeed: (lang: Lang, format: FeedFormat) => `/${lang}/projects/${FEED_FILES[format]}`,
  /**
   * A project's pages. Public: /<lang>/projects/<slug>/…; private: /<lang>/p/<accessToken>/… (the
   * capability URL, kept out of the sitemap by astro.config.mjs).
   */
  project: (lang: Lang, ref: ProjectRef, page?: ProjectPage, anchor?: string) =>
    `${projectBase(lang, ref)}${page ? `${page}/` : ""}${anchor ? `#${anchor}` : ""}`,
  projectFeed: (lang: Lang, ref: ProjectRef, format: FeedFormat) => `${projectBase(lang, ref)}${FEED_FILES[format]}`,
};

/** What a project URL needs: the folder name, and for a private project its capability token. */
export type ProjectRef = { slug: string; visibility: "public" | "private"; accessToken?: string | undefined };
/** A project's sub-pages; the overview is the project's base URL. */
export type ProjectPage = "changes" | "prevention" | "sla";
export type FeedFormat = "atom" | "rss" | "json";
/** File name of each feed, under a project's base URL or /<lang>/projects/. */
export const FEED_FILES: Record<FeedFormat, string> = { atom: "atom.xml", rss: "rss.xml", json: "feed.json" };

function projectBase(lang: Lang, ref: ProjectRef): string {
  if (ref.visibility === "public") return `/${lang}/projects/${ref.slug}/`;
  if (!ref.accessToken) throw new Error(`private project ${ref.slug} has no accessToken`);
  return `/${lang}/p/${ref.accessToken}/`;
}

/** Language of a page from its URL path (`/ru/...` → ru). */
export function langFromPath(pathname: string): Lang {
  return pathname.startsWith("/ru/") || pathname === "/ru" ? "ru" : "en";
}

/** The same page in another language: swaps the language segment. */
export function switchLangPath(pathname: string, to: Lang): string {
  return pathname.replace(/^\/(en|ru)(?=\/|$)/, `/${to}`);
}
