/** Dates and times as a reader of each language expects them, on pages and in e-mails alike; Moscow time throughout. */
import type { Lang } from "./schemas/common";

const LOCALE: Record<Lang, string> = { en: "en-GB", ru: "ru-RU" };

/** "14 March 2026" / "14 марта 2026 г." for a calendar date YYYY-MM-DD. */
export function formatDate(date: string, lang: Lang): string {
  return new Intl.DateTimeFormat(LOCALE[lang], { dateStyle: "long", timeZone: "UTC" }).format(new Date(`${date}T00:00:00Z`));
}

/**
 * "Thursday 14 March 2026, 18:00" / "четверг, 14 марта 2026 г., 18:00" for an ISO instant with an
 * offset, shown at that offset (the deadlines carry +03:00), whatever the reader's own time zone.
 */
export function formatDateTime(iso: string, lang: Lang): string {
  const match = /([+-])(\d{2}):(\d{2})$/.exec(iso);
  const offsetMinutes = match ? (match[1] === "-" ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) : 0;
  const shifted = new Date(Date.parse(iso) + offsetMinutes * 60_000);
  return new Intl.DateTimeFormat(LOCALE[lang], {
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone: "UTC",
  }).format(shifted);
}
