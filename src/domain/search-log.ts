/**
 * Searches that found no full answer, as the agency keeps them: the normalised query text, its
 * language and a count per day — nothing about who searched. Shared by the site's search script
 * (the path) and the form service (normalising, retention). No zod here: the browser imports it.
 * How long counts are kept is the agency's setting `unansweredSearchRetentionDays` (content/settings.yaml).
 */

/** Where the site reports such a search (`POST`, JSON `{ query, lang }`). */
export const SEARCHES_PATH = "/api/searches";
/** Longest query kept, in characters after normalising; longer ones are cut. */
export const MAX_QUERY_LENGTH = 100;
/** Longest body accepted, in bytes (a query, a language and JSON punctuation). */
export const MAX_BODY_BYTES = 1024;

/**
 * One spelling per query: lower case, ё as е, single spaces, no control characters; e-mail
 * addresses and long digit runs (phone, order or card numbers someone pastes) become placeholders,
 * so a stored query cannot point at a person. Empty when nothing is left.
 */
export function normaliseQuery(text: string): string {
  return withoutContacts(text.normalize("NFC").toLowerCase().replaceAll("ё", "е").replace(/[\p{Cc}\p{Cf}]/gu, " "))
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, MAX_QUERY_LENGTH)
    .trim();
}

/** `text` with e-mail addresses and long digit runs (phone, order or card numbers) replaced by `[email]` and `[number]`. */
export function withoutContacts(text: string): string {
  return text.replace(/\S+@\S+/g, "[email]").replace(/\+?\d[\d\s()-]{4,}\d/g, "[number]");
}

/** The calendar day (UTC) a search is counted under, `YYYY-MM-DD`. */
export function searchDay(now: number): string {
  return new Date(now).toISOString().slice(0, 10);
}

/** The oldest day still kept on `now`'s day, when counts are kept `retentionDays` days (settings: unansweredSearchRetentionDays). */
export function oldestKeptDay(now: number, retentionDays: number): string {
  return searchDay(now - (retentionDays - 1) * 86_400_000);
}
