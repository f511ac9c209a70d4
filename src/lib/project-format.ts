/**
 * Periods, durations, shares — and dates, hours and roubles — as the project pages print them.
 * Creating an Intl formatter costs far more than using one (tens of microseconds against half of
 * one), and an SLA page prints about a thousand figures, so the formatters are made once and kept.
 * `formatDate`, `formatHours` and `formatRubles` print exactly what their namesakes in
 * src/domain/format.ts and src/domain/pricing.ts print (a unit test holds them to it).
 */
import type { Lang } from "../domain/schemas/common";
import type { Period } from "../domain/sla";
import type { Translate } from "../i18n";

const LOCALE: Record<Lang, string> = { en: "en-GB", ru: "ru-RU" };

const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(lang: Lang, digits: number): Intl.NumberFormat {
  const key = `${lang}:${digits}`;
  let format = numberFormats.get(key);
  if (!format) numberFormats.set(key, (format = new Intl.NumberFormat(LOCALE[lang], { maximumFractionDigits: digits })));
  return format;
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(lang: Lang, kind: "long" | "month" | "monthShort" | "dayShort"): Intl.DateTimeFormat {
  const key = `${lang}:${kind}`;
  let format = dateFormats.get(key);
  if (!format) {
    const options: Intl.DateTimeFormatOptions =
      kind === "long"
        ? { dateStyle: "long", timeZone: "UTC" }
        : kind === "dayShort"
          ? { day: "numeric", month: "short", timeZone: "UTC" }
          : { month: kind === "month" ? "long" : "short", year: "numeric", timeZone: "UTC" };
    dateFormats.set(key, (format = new Intl.DateTimeFormat(LOCALE[lang], options)));
  }
  return format;
}

/** "14 March 2026" / "14 марта 2026 г." for YYYY-MM-DD. */
export function formatDate(date: string, lang: Lang): string {
  return dateFormat(lang, "long").format(new Date(`${date}T00:00:00Z`));
}

/** "1.5" / "1,5". */
export function formatHours(hours: number, lang: Lang): string {
  return numberFormat(lang, 2).format(hours);
}

/** "15,000 ₽" / "15 000 ₽". */
export function formatRubles(amount: number, lang: Lang): string {
  return `${numberFormat(lang, 0).format(amount)}\u00a0₽`;
}

/** "November 2026" / "ноябрь 2026 г." for "2026-11". */
export function formatMonth(month: string, lang: Lang): string {
  const text = dateFormat(lang, "month").format(new Date(`${month}-01T00:00:00Z`));
  return text.charAt(0).toLocaleUpperCase(LOCALE[lang]) + text.slice(1);
}

/** "Nov 2026" / "нояб. 2026" for chart axes. */
export function formatMonthShort(month: string, lang: Lang): string {
  return dateFormat(lang, "monthShort").format(new Date(`${month}-01T00:00:00Z`)).replace(/\s*г\.$/, "");
}

/** "7 Sept" / "7 сент." for chart axes. */
export function formatDayShort(date: string, lang: Lang): string {
  return dateFormat(lang, "dayShort").format(new Date(`${date}T00:00:00Z`));
}

/** A month or quarter's name. */
export function formatPeriod(period: Period, t: Translate, lang: Lang): string {
  if (period.kind === "month") return formatMonth(period.key, lang);
  return t("project.period.quarter", { quarter: period.key.slice(6), year: period.key.slice(0, 4) });
}

/** Minutes as "1 h 25 min" / "1 ч 25 мин"; days for long ones. */
export function formatDuration(minutes: number, t: Translate): string {
  const rounded = Math.round(minutes);
  const days = Math.floor(rounded / 1440);
  const hours = Math.floor((rounded % 1440) / 60);
  const mins = rounded % 60;
  const parts: string[] = [];
  if (days > 0) parts.push(t("project.duration.days", { n: days }));
  if (hours > 0) parts.push(t("project.duration.hours", { n: hours }));
  if (mins > 0 || parts.length === 0) parts.push(t("project.duration.minutes", { n: mins }));
  return parts.join(" ");
}

/** "99.87 %" / "99,87 %" with up to `digits` decimals. */
export function formatPercent(value: number, lang: Lang, digits = 2): string {
  return `${numberFormat(lang, digits).format(value)}\u00a0%`;
}

/** A 0–1 share as a whole percentage. */
export function formatShare(share: number, lang: Lang): string {
  return formatPercent(share * 100, lang, 0);
}

/** A plain number in the reader's convention. */
export function formatNumber(value: number, lang: Lang, digits = 1): string {
  return numberFormat(lang, digits).format(value);
}
