import { describe, expect, it } from "vitest";
import { dictionaries, useTranslations } from "../../src/i18n";
import siteEn from "../../src/i18n/en.json";
import projectsEn from "../../src/i18n/projects.en.json";
import requestsEn from "../../src/i18n/requests.en.json";

const { en, ru } = dictionaries;

describe("UI strings", () => {
  it("never define a key in two files", () => {
    const files = [siteEn, projectsEn, requestsEn].map((file) => Object.keys(file));
    const all = files.flat();
    expect(all.filter((key, index) => all.indexOf(key) !== index)).toEqual([]);
  });

  it("have the same keys in both languages, none empty", () => {
    expect(Object.keys(ru).sort()).toEqual(Object.keys(en).sort());
    for (const [key, value] of [...Object.entries(en), ...Object.entries(ru)]) expect(value.trim(), key).not.toBe("");
  });

  it("use the same placeholders in both languages", () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(en) as (keyof typeof en)[]) expect(placeholders(ru[key]), key).toEqual(placeholders(en[key]));
  });

  it("fill placeholders", () => {
    expect(useTranslations("ru")("footer.hoursNote", { start: "09:00", end: "18:00" })).toMatch(/^Рабочее время 09:00–18:00 /);
  });
});
