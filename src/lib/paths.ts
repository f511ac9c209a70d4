/** Every URL the site links to is built here, so a moved page is changed in one place. */
import type { Lang } from "../domain/schemas/common";

export type RequestType = "warranty" | "support" | "prevention" | "extension" | "consultation" | "incident";

export const paths = {
  home: (lang: Lang) => `/${lang}/`,
  article: (lang: Lang, slug: string, anchor?: string) => `/${lang}/${slug}/${anchor ? `#${anchor}` : ""}`,
  /** Until the request forms land, every request type points at the channels in "How to send a request". */
  request: (lang: Lang, _type: RequestType, project?: string) =>
    `/${lang}/how-to-request/${project ? `?project=${encodeURIComponent(project)}` : ""}#channels`,
  warrantyCheck: (lang: Lang) => `/${lang}/warranty/check/`,
};

/** Language of a page from its URL path (`/ru/...` → ru). */
export function langFromPath(pathname: string): Lang {
  return pathname.startsWith("/ru/") || pathname === "/ru" ? "ru" : "en";
}

/** The same page in another language: swaps the language segment. */
export function switchLangPath(pathname: string, to: Lang): string {
  return pathname.replace(/^\/(en|ru)(?=\/|$)/, `/${to}`);
}
