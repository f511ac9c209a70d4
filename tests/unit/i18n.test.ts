import { describe, expect, it } from "vitest";
import { dictionaries, useCounts, useTranslations } from "../../src/i18n";
import siteEn from "../../src/i18n/en.json";
import { fill, PLURAL_MARK, pluralCategory } from "../../src/i18n/lookup";
import projectsEn from "../../src/i18n/projects.en.json";
import requestsEn from "../../src/i18n/requests.en.json";

const { en, ru } = dictionaries;
const LOCALES = { en: "en-GB", ru: "ru-RU" } as const;

/** A key without its plural suffix: "count.visits#few" → "count.visits". */
const base = (key: string) => key.split(PLURAL_MARK)[0]!;
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("UI strings", () => {
  it("never define a key in two files", () => {
    const files = [siteEn, projectsEn, requestsEn].map((file) => Object.keys(file));
    const all = files.flat();
    expect(all.filter((key, index) => all.indexOf(key) !== index)).toEqual([]);
  });

  it("have the same keys in both languages (a phrase with a count by its name), none empty", () => {
    const names = (dictionary: Record<string, string>) => [...new Set(Object.keys(dictionary).map(base))].sort();
    expect(names(ru)).toEqual(names(en));
    for (const [key, value] of [...Object.entries(en), ...Object.entries(ru)]) expect(value.trim(), key).not.toBe("");
  });

  it.each(["en", "ru"] as const)("give every phrase with a count exactly the plural forms of %s", (lang) => {
    const dictionary: Record<string, string> = dictionaries[lang];
    const forms = new Map<string, string[]>();
    for (const key of Object.keys(dictionary).filter((key) => key.includes(PLURAL_MARK))) {
      forms.set(base(key), [...(forms.get(base(key)) ?? []), key.slice(base(key).length + 1)]);
    }
    const expected = new Intl.PluralRules(LOCALES[lang]).resolvedOptions().pluralCategories.slice().sort();
    expect(forms.size).toBeGreaterThan(0);
    for (const [name, found] of forms) expect(found.sort(), name).toEqual(expected);
  });

  it("use the same placeholders in both languages, in every plural form", () => {
    const reference = (key: string): string => (key in en ? en[key as keyof typeof en] : en[`${base(key)}${PLURAL_MARK}other` as keyof typeof en]);
    for (const [key, value] of [...Object.entries(en), ...Object.entries(ru)]) expect(placeholders(value), key).toEqual(placeholders(reference(key)));
  });

  it("fill placeholders", () => {
    expect(useTranslations("ru")("footer.hoursNote", { start: "09:00", end: "18:00" })).toMatch(/^Рабочее время 09:00–18:00 /);
  });

  it.each([
    ["Срок гарантии закончился {date}.", { date: "14 марта 2026 г." }, "Срок гарантии закончился 14 марта 2026 г."],
    ["Ended on {date}.", { date: "14 March 2026" }, "Ended on 14 March 2026."],
    ["{date}… {date}.", { date: "2026 г." }, "2026 г.… 2026 г."],
    ["Unknown {other}.", {}, "Unknown {other}."],
  ])("never doubles a full stop: %s", (template, params, expected) => {
    expect(fill(template, params)).toBe(expected);
  });
});

describe("counts", () => {
  const COUNTS = [0, 1, 2, 5, 11, 21, 22, 25];

  it.each([
    ["ru", ["many", "one", "few", "many", "many", "one", "few", "many"]],
    ["en", ["other", "one", "other", "other", "other", "other", "other", "other"]],
  ] as const)("take the plural form of %s", (lang, expected) => {
    expect(COUNTS.map((count) => pluralCategory(lang, count))).toEqual(expected);
  });

  it.each([
    ["ru", "count.visits", ["0 визитов", "1 визит", "2 визита", "5 визитов", "11 визитов", "21 визит", "22 визита", "25 визитов"]],
    ["en", "count.visits", ["0 visits", "1 visit", "2 visits", "5 visits", "11 visits", "21 visits", "22 visits", "25 visits"]],
    ["ru", "project.overview.failures", ["0 сбоев", "1 сбой", "2 сбоя", "5 сбоев", "11 сбоев", "21 сбой", "22 сбоя", "25 сбоев"]],
    ["en", "project.overview.failures", ["0 failures", "1 failure", "2 failures", "5 failures", "11 failures", "21 failures", "22 failures", "25 failures"]],
    ["ru", "project.incident.reopened", ["Открыт повторно 0 раз", "Открыт повторно 1 раз", "Открыт повторно 2 раза", "Открыт повторно 5 раз", "Открыт повторно 11 раз", "Открыт повторно 21 раз", "Открыт повторно 22 раза", "Открыт повторно 25 раз"]],
  ] as const)("read right in %s: %s", (lang, key, expected) => {
    const tc = useCounts(lang);
    expect(COUNTS.map((count) => tc(key, count))).toEqual(expected);
  });

  it("fill their other placeholders and write the count as the language does", () => {
    expect(useCounts("ru")("project.filter.count", 21, { shown: 3 })).toBe("Показано 3 из 21 записи");
    expect(useCounts("ru")("project.filter.count", 1500, { shown: 3 })).toBe("Показано 3 из 1\u00a0500 записей");
    expect(useCounts("en")("project.filter.count", 1, { shown: 1 })).toBe("Showing 1 of 1 entry");
  });

  it("make the phrases that used to read «{visits} визита» for any number", () => {
    const t = useTranslations("ru");
    const tc = useCounts("ru");
    expect(t("price.planHours", { hours: "1,5", visits: tc("count.visits", 4) })).toBe("1,5 ч × 4 визита в месяц");
    expect(t("price.planHours", { hours: "1,5", visits: tc("count.visits", 5) })).toBe("1,5 ч × 5 визитов в месяц");
    expect(useTranslations("en")("price.planHours", { hours: "1.5", visits: useCounts("en")("count.visits", 1) })).toBe("1.5 h × 1 visit a month");
  });
});
