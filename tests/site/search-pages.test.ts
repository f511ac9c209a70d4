/**
 * The built fixture site's side of search (issue 12): the FAQ page in both languages lists every
 * question of every terms article with a link to a section that exists; each article carries its
 * questions in the section that answers them, weighted above body text; the FAQ page itself stays
 * out of the index; the privacy page says how long unanswered searches are kept, from the settings.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { describe, expect, it } from "vitest";
import { TermsArticleSchema } from "../../src/domain/schemas/terms";
import { loadServerContent } from "../../src/lib/content-files";
import { QUESTION_WEIGHT } from "../../src/markdown/rehype-section-questions";
import { FIXTURE } from "../setup/sites";
import { page, visibleText } from "./dist";

const LANGS = ["en", "ru"] as const;

function articles(lang: (typeof LANGS)[number]) {
  const dir = path.join(FIXTURE.content, "terms", lang);
  return readdirSync(dir).map((file) => {
    const frontMatter = /^---\n([\s\S]*?)\n---/.exec(readFileSync(path.join(dir, file), "utf8"))![1]!;
    return { slug: file.replace(/\.mdx?$/, ""), data: TermsArticleSchema.parse(parseYaml(frontMatter)) };
  });
}

describe.each(LANGS)("questions and answers (%s)", (lang) => {
  it("every article has questions, and the FAQ page links each to its section", () => {
    const faq = page(`${lang}/faq/index.html`);
    const links = faq.querySelectorAll(".faq__list a").map((a) => [a.textContent.trim(), a.getAttribute("href")]);
    const expected = articles(lang).flatMap(({ slug, data }) => {
      expect(data.questions.length, slug).toBeGreaterThanOrEqual(4);
      return data.questions.map(({ question, section }) => [question, `/${lang}/${slug}/#${section}`]);
    });
    expect(links.sort()).toEqual(expected.sort());
    for (const [, href] of links) {
      const [, slug, id] = /^\/\w+\/([\w-]+)\/#([\w-]+)$/.exec(href!)!;
      expect(page(`${lang}/${slug}/index.html`).getElementById(id!), href).not.toBeNull();
    }
    expect(faq.querySelector("[data-pagefind-body]")).toBeNull(); // the articles carry the questions in the index
  });

  it("each article carries its questions right after the heading of the section that answers them", () => {
    for (const { slug, data } of articles(lang)) {
      const root = page(`${lang}/${slug}/index.html`);
      for (const { question, section } of data.questions) {
        const carrier = root.getElementById(section)!.nextElementSibling;
        expect(carrier?.getAttribute("data-pagefind-weight"), `${slug}#${section}`).toBe(QUESTION_WEIGHT);
        expect(carrier!.querySelectorAll("[data-question]").map((span) => span.getAttribute("data-question")), `${slug}#${section}`).toContain(question);
      }
    }
  });

  it("the privacy page says unanswered searches are kept for the agency's number of days", () => {
    const days = loadServerContent(FIXTURE.content).settings.unansweredSearchRetentionDays;
    const section = visibleText(page(`${lang}/privacy/index.html`).querySelector("main")!);
    expect(section).toContain(lang === "en" ? `after ${days} days` : `через ${days} дней`);
  });
});
