/**
 * Dates, times and numbers as a reader of each language expects them, on pages and in e-mails
 * alike; Moscow time throughout. Creating an Intl formatter costs far more than using one, and an
 * SLA page prints about a thousand figures, so each formatter is made once and kept.
 */
import type { Lang } from "./schemas/common";

export const LOCALE: Record<Lang, string> = { en: "en-GB", ru: "ru-RU" };

const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** A number formatter for a language with at most `digits` decimals, made once. */
export function numberFormat(lang: Lang, digits: number): Intl.NumberFormat {
  const key = `${lang}:${digits}`;
  let format = numberFormats.get(key);
  if (!format) numberFormats.set(key, (format = new Intl.NumberFormat(LOCALE[lang], { maximumFractionDigits: digits })));
  return format;
}

/** A date formatter for a language and a set of options (always at UTC: callers shift the instant), made once. */
export function dateFormat(lang: Lang, options: Omit<Intl.DateTimeFormatOptions, "timeZone">): Intl.DateTimeFormat {
  const key = `${lang}:${JSON.stringify(options)}`;
  let format = dateFormats.get(key);
  if (!format) dateFormats.set(key, (format = new Intl.DateTimeFormat(LOCALE[lang], { ...options, timeZone: "UTC" })));
  return format;
}

/** "14 March 2026" / "14 марта 2026 г." for a calendar date YYYY-MM-DD. */
export function formatDate(date: string, lang: Lang): string {
  return dateFormat(lang, { dateStyle: "long" }).format(new Date(`${date}T00:00:00Z`));
}

/**
 * "Thursday 14 March 2026 at 18:00" / "четверг, 14 марта 2026 г. в 18:00" for an ISO instant with
 * an offset, shown at that offset (the deadlines carry +03:00), whatever the reader's own time zone.
 */
export function formatDateTime(iso: string, lang: Lang): string {
  const match = /([+-])(\d{2}):(\d{2})$/.exec(iso);
  const offsetMinutes = match ? (match[1] === "-" ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) : 0;
  const shifted = new Date(Date.parse(iso) + offsetMinutes * 60_000);
  return dateFormat(lang, { weekday: "long", day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit" }).format(shifted);
}

/**
 * A promised deadline as every page and e-mail shows it: "Friday 27 November 2026 at 18:00 Moscow
 * time", followed by the terms' qualifier ("as a rule, in simple cases") when they give one, so a
 * deadline the terms do not make unconditional never reads as one. `t` looks up `deadline.*` strings.
 */
export function deadlinePhrase(iso: string, lang: Lang, t: (key: string, params?: Record<string, string>) => string, qualifier?: string): string {
  const time = t("deadline.moscowTime", { time: formatDateTime(iso, lang) });
  return qualifier ? t("deadline.qualified", { time, qualifier: t(`deadline.qualifier.${qualifier}`) }) : time;
}
