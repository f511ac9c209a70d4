/**
 * Tells the form service about a search that no page fully answered, so the agency learns what
 * clients look for and cannot find. Sends the query text and language only, once per query per
 * page view, after the visitor has stopped typing; never cookies. Fails silently: search works
 * without the service (a static host, the dev server).
 */
import type { Lang } from "../domain/schemas/common";
import { SEARCHES_PATH } from "../domain/search-log";

/** The visitor has stopped typing when nothing changed for this long. */
const SETTLE_MS = 2000;
const sent = new Set<string>();
let timer: ReturnType<typeof setTimeout> | undefined;

/** Called after every search: reports it once the visitor stops typing, if it stayed unanswered. */
export function noteSearch(query: string, lang: Lang, answered: boolean): void {
  clearTimeout(timer);
  if (answered) return;
  timer = setTimeout(() => {
    const key = `${lang}:${query.toLowerCase()}`;
    if (sent.has(key)) return;
    sent.add(key);
    void fetch(SEARCHES_PATH, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ query, lang }),
      credentials: "omit",
      keepalive: true,
    }).catch(() => {});
  }, SETTLE_MS);
}
