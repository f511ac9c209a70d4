/**
 * One term per concept on the built pages: no forbidden variant of the language's glossary
 * (src/i18n/glossary.<lang>.yaml) in what a reader sees or hears, whatever produced it (UI strings,
 * articles, project records). Text marked with another language (`lang="en"` on a Russian page) is
 * held to that language's glossary.
 */
import { describe, expect, it } from "vitest";
import type { HTMLElement, Node } from "node-html-parser";
import type { Lang } from "../../src/domain/schemas/common";
import { describeViolations, findViolations, readGlossary } from "../setup/glossary";
import { FIXTURE, SAMPLE, type TestSite } from "../setup/sites";
import { builtSite, urlOf } from "./dist";

const glossaries = { en: readGlossary("en"), ru: readGlossary("ru") };
/** Attributes whose text a reader sees or a screen reader speaks. */
const READ_ATTRIBUTES = ["aria-label", "title", "placeholder", "alt"];
/** Elements inside a line of text; any other element ends a phrase, so words of two blocks never make one. */
const INLINE = new Set(["A", "ABBR", "B", "BDI", "CODE", "EM", "I", "KBD", "LABEL", "MARK", "SMALL", "SPAN", "STRONG", "SUB", "SUP", "TIME"]);
const BREAK = " | ";
const ELEMENT = 1;
const TEXT = 3;

const isLang = (value: string | undefined): value is Lang => value === "en" || value === "ru";

/** The page's readable text by language: text nodes, read attributes and the meta description, phrases apart. */
function textByLanguage(root: HTMLElement): Record<Lang, string[]> {
  const texts: Record<Lang, string[]> = { en: [], ru: [] };
  const breakAll = () => Object.values(texts).forEach((list) => list.push(BREAK));
  const walk = (node: Node, lang: Lang | undefined) => {
    if (node.nodeType === TEXT) {
      if (lang) texts[lang].push(node.text);
      return;
    }
    if (node.nodeType !== ELEMENT) return;
    const element = node as HTMLElement;
    if (element.tagName === "SCRIPT" || element.tagName === "STYLE") return;
    const own = element.getAttribute("lang")?.slice(0, 2);
    const here = isLang(own) ? own : lang;
    if (here) {
      for (const name of READ_ATTRIBUTES) {
        const value = element.getAttribute(name);
        if (value) texts[here].push(BREAK, value, BREAK);
      }
      if (element.tagName === "META" && element.getAttribute("name") === "description") texts[here].push(BREAK, element.getAttribute("content") ?? "", BREAK);
    }
    const block = !INLINE.has(element.tagName);
    if (block) breakAll();
    for (const child of element.childNodes) walk(child, here);
    if (block) breakAll();
  };
  walk(root, undefined);
  return texts;
}

describe.each([FIXTURE, SAMPLE])("the glossary on the $name site", (site: TestSite) => {
  const { htmlPages, page } = builtSite(site);

  it("is kept by every page, in each page's languages", () => {
    const pages = htmlPages();
    expect(pages.length).toBeGreaterThan(10);
    const problems = pages.flatMap((file) => {
      const texts = textByLanguage(page(file));
      return (["en", "ru"] as const).flatMap((lang) => describeViolations(`${site.name} ${urlOf(file)} (${lang})`, findViolations(glossaries[lang], texts[lang].join(""))));
    });
    expect(problems).toEqual([]);
  });

  it("reads both languages' text from the pages", () => {
    const texts = textByLanguage(page("ru/index.html"));
    expect(texts.ru.join("")).toContain("Гарантия");
    expect(textByLanguage(page("en/index.html")).en.join("")).toContain("Warranty");
  });
});
