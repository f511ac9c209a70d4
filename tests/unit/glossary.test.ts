/**
 * One term per concept (src/i18n/glossary.<lang>.yaml): no forbidden variant in the UI strings
 * (site, project pages, forms and e-mails, whose texts all come from src/i18n/*.json) or in the
 * terms articles. The built pages are checked in tests/site/glossary.test.ts.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Lang } from "../../src/domain/schemas/common";
import { describeViolations, findViolations, readGlossary, variantPattern } from "../setup/glossary";

const LANGS: Lang[] = ["en", "ru"];
const I18N = "src/i18n";
const TERMS = "content/terms";

/** en.json, projects.en.json, requests.en.json… for `lang`. */
const stringFiles = (lang: Lang) => readdirSync(I18N).filter((file) => file === `${lang}.json` || file.endsWith(`.${lang}.json`));

/** An article's words as a reader meets them: no section-id comments, component attributes or link targets. */
function articleText(mdx: string): string {
  return mdx
    .replace(/\{\/\*[\s\S]*?\*\/\}/g, " ")
    // A question's section is an id, not text.
    .replace(/^\s*section: [a-z0-9-]+$/gm, " ")
    .replace(/<\/?[A-Za-z][^>]*>/g, " ")
    .replace(/\]\([^)]*\)/g, "] ");
}

describe("the glossary matcher", () => {
  it.each([
    ["ticket*", "Ticket number", true],
    ["ticket*", "two tickets", true],
    ["ticket*", "picketing", false],
    ["email*", "e-mail", false],
    ["email*", "Emailed", true],
    ["into work", "Taken into\u00a0work by", true],
    ["заявк* на доработку", "в заявке на доработку", true],
    ["заявк* на доработку", "заявка и доработка", false],
    ["ее", "продлить ее до года", true],
    ["ее", "продлить её до года", false],
    ["ее", "у нее", false],
    ["счет", "за свой счет", true],
    ["счет", "счета не оплачены", false],
    ["находок", "Находок ждут", true],
    ["находк*", "Находки", true],
  ])("%s in %s: %s", (variant, text, found) => {
    expect(variantPattern(variant).test(text)).toBe(found);
  });
});

describe.each(LANGS)("the %s glossary", (lang) => {
  const glossary = readGlossary(lang);

  it("never forbids one of its own terms", () => {
    const clashes = glossary.flatMap((entry) => findViolations(glossary, entry.term).map((v) => `"${entry.term}" is forbidden as "${v.variant}"`));
    expect(clashes).toEqual([]);
  });

  it.each(stringFiles(lang))(`is kept by ${I18N}/%s`, (file) => {
    const strings: Record<string, string> = JSON.parse(readFileSync(path.join(I18N, file), "utf8"));
    const problems = Object.entries(strings).flatMap(([key, value]) => describeViolations(`${I18N}/${file} ${key}`, findViolations(glossary, value)));
    expect(problems).toEqual([]);
  });

  it.each(readdirSync(path.join(TERMS, lang), { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith(".mdx")))(`is kept by ${TERMS}/${lang}/%s`, (file) => {
    const where = `${TERMS}/${lang}/${file}`;
    expect(describeViolations(where, findViolations(glossary, articleText(readFileSync(where, "utf8"))))).toEqual([]);
  });
});
