/** Periods, durations and shares as the project pages print them; dates, hours and roubles come from the domain. */
import { dateFormat, LOCALE, numberFormat } from "../domain/format";
import type { Lang } from "../domain/schemas/common";
import type { Period } from "../domain/sla";
import type { Translate } from "../i18n";

export { formatDate } from "../domain/format";
export { formatHours, formatRubles } from "../domain/pricing";

/**
 * "November 2026" / "ноябрь 2026 г." for "2026-11", inside a sentence («Часы за ноябрь 2026 г.»).
 * Without a day, Intl gives the Russian month in the nominative, which is also its accusative.
 */
export function formatMonthInText(month: string, lang: Lang): string {
  return dateFormat(lang, { month: "long", year: "numeric" }).format(new Date(`${month}-01T00:00:00Z`));
}

/** "November 2026" / "Ноябрь 2026 г." for "2026-11", on its own: a heading or a table's row name. */
export function formatMonth(month: string, lang: Lang): string {
  const text = formatMonthInText(month, lang);
  return text.charAt(0).toLocaleUpperCase(LOCALE[lang]) + text.slice(1);
}

/** "Nov 2026" / "нояб. 2026" for chart axes. */
export function formatMonthShort(month: string, lang: Lang): string {
  return dateFormat(lang, { month: "short", year: "numeric" }).format(new Date(`${month}-01T00:00:00Z`)).replace(/\s*г\.$/, "");
}

/** "7 Sept" / "7 сент." for chart axes. */
export function formatDayShort(date: string, lang: Lang): string {
  return dateFormat(lang, { day: "numeric", month: "short" }).format(new Date(`${date}T00:00:00Z`));
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
