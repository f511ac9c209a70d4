/** The project pages' cached formatters print exactly what the domain formatters print. */
import { describe, expect, it } from "vitest";
import { formatDate as domainDate } from "../../src/domain/format";
import { formatHours as domainHours, formatRubles as domainRubles } from "../../src/domain/pricing";
import { useTranslations } from "../../src/i18n";
import { formatDate, formatDuration, formatHours, formatMonth, formatPercent, formatRubles } from "../../src/lib/project-format";

describe("project formatters", () => {
  it.each(["en", "ru"] as const)("agree with the domain formatters in %s", (lang) => {
    for (const date of ["2026-01-01", "2026-11-23", "2027-02-28"]) expect(formatDate(date, lang)).toBe(domainDate(date, lang));
    for (const hours of [0, 0.25, 1.5, 13.75, 1234.5]) expect(formatHours(hours, lang)).toBe(domainHours(hours, lang));
    for (const amount of [0, 1400, 13_300, 1_234_567]) expect(formatRubles(amount, lang)).toBe(domainRubles(amount, lang));
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

  it("names months and percentages", () => {
    expect(formatMonth("2026-11", "en")).toBe("November 2026");
    expect(formatMonth("2026-11", "ru")).toMatch(/^Ноябрь 2026/);
    expect(formatPercent(99.785, "ru", 3)).toBe("99,785\u00a0%");
  });
});
