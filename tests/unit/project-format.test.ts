/** How the project pages print periods, durations, shares, dates, hours and roubles. */
import { describe, expect, it } from "vitest";
import { useTranslations } from "../../src/i18n";
import { formatDate, formatDuration, formatHours, formatMonth, formatMonthInText, formatMonthShort, formatPercent, formatRubles } from "../../src/lib/project-format";

describe("project formatters", () => {
  it.each([
    { lang: "en", date: "23 November 2026", hours: "13.75", rubles: "1,234,567\u00a0₽", month: "Nov 2026" },
    { lang: "ru", date: "23 ноября 2026 г.", hours: "13,75", rubles: "1\u00a0234\u00a0567\u00a0₽", month: "нояб. 2026" },
  ] as const)("prints dates, hours, roubles and short months in $lang", ({ lang, date, hours, rubles, month }) => {
    expect(formatDate("2026-11-23", lang)).toBe(date);
    expect(formatHours(13.75, lang)).toBe(hours);
    expect(formatRubles(1_234_567, lang).replace(/\u202f/g, "\u00a0")).toBe(rubles);
    expect(formatMonthShort("2026-11", lang)).toBe(month);
  });

  it.each([
    { minutes: 0, en: "0 min", ru: "0 мин" },
    { minutes: 13, en: "13 min", ru: "13 мин" },
    { minutes: 98, en: "1 h 38 min", ru: "1 ч 38 мин" },
    { minutes: 240, en: "4 h", ru: "4 ч" },
    { minutes: 1_500, en: "1 d 1 h", ru: "1 дн. 1 ч" },
  ])("prints $minutes minutes as «$en» / «$ru»", ({ minutes, en, ru }) => {
    expect(formatDuration(minutes, useTranslations("en"))).toBe(en);
    expect(formatDuration(minutes, useTranslations("ru"))).toBe(ru);
  });

  it("writes a month in lower case inside a Russian sentence, without a doubled full stop", () => {
    expect(formatMonthInText("2026-11", "ru")).toBe("ноябрь 2026 г.");
    expect(formatMonthInText("2026-11", "en")).toBe("November 2026");
    expect(useTranslations("ru")("project.hours.caption", { month: formatMonthInText("2026-11", "ru") })).toBe("Часы за ноябрь 2026 г.");
    expect(useTranslations("ru")("checker.status.expired", { date: formatDate("2026-03-14", "ru") })).toBe("Срок гарантии закончился 14 марта 2026 г.");
  });

  it("names months and percentages", () => {
    expect(formatMonth("2026-11", "en")).toBe("November 2026");
    expect(formatMonth("2026-11", "ru")).toMatch(/^Ноябрь 2026/);
    expect(formatPercent(99.785, "ru", 3)).toBe("99,785\u00a0%");
  });
});
