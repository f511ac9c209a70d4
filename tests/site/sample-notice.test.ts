/**
 * The fixture gives the phone and the night hours as sample values: every page of the built site, in
 * both languages and every template, says so in words, naming those two and nothing confirmed.
 * (A build with every value confirmed shows no notice: tests/content/content-check.test.ts.)
 */
import { describe, expect, it } from "vitest";
import type { Lang } from "../../src/domain/schemas/common";
import { dictionaries } from "../../src/i18n";
import { htmlPages, page, visibleText } from "./dist";

const SAMPLES = ["contacts.phone", "nightHours"];
const CONFIRMED = ["siteUrl", "contacts.whatsapp", "contacts.email", "links.componentDemo", "links.solutionDemo", "workingHours", "supportHourlyRate"];
const label = (lang: Lang, field: string) => dictionaries[lang][`sample.field.${field}` as keyof (typeof dictionaries)[Lang]];

/** The languages a page's notice must speak: its own, or both on the bilingual root. */
const noticeLangs = (file: string): Lang[] => (file === "index.html" ? ["en", "ru"] : [(/^(en|ru)\//.exec(file)?.[1] as Lang | undefined) ?? "en"]);

describe("the sample notice", () => {
  it("is on every page, in the page's language, as a labelled region ahead of the header", () => {
    for (const file of htmlPages()) {
      const root = page(file);
      const notices = root.querySelectorAll("section.sample-notice");
      expect(notices.map((notice) => notice.getAttribute("lang")), file).toEqual(noticeLangs(file));
      for (const notice of notices) {
        const lang = notice.getAttribute("lang") as Lang;
        const title = root.getElementById(notice.getAttribute("aria-labelledby") ?? "");
        expect(title?.textContent, file).toBe(dictionaries[lang]["sample.title"]);
        expect(notice.hasAttribute("hidden"), file).toBe(false);
      }
      expect(root.querySelector("body > section.sample-notice + header, body > section.sample-notice + section.sample-notice, body > section.sample-notice + main"), file).not.toBeNull();
    }
  });

  it("names exactly the values given as samples, in words", () => {
    for (const file of htmlPages()) {
      const notices = page(file).querySelectorAll("section.sample-notice");
      expect(notices.length, file).toBeGreaterThan(0);
      for (const notice of notices) {
        const lang = notice.getAttribute("lang") as Lang;
        const text = visibleText(notice);
        for (const field of SAMPLES) expect(text, `${file} ${field}`).toContain(label(lang, field));
        for (const field of CONFIRMED) expect(text, `${file} ${field}`).not.toContain(label(lang, field));
      }
    }
  });

  it("is echoed next to a sample value an article shows, and only there", () => {
    for (const lang of ["en", "ru"] as const) {
      const mark = dictionaries[lang]["sample.mark"];
      const howTo = page(`${lang}/how-to-request/index.html`);
      const marked = (selector: string) => howTo.querySelector(selector)?.nextElementSibling?.classList.contains("sample-mark");
      expect(marked('a.contact[href^="tel:"]'), lang).toBe(true);
      expect(howTo.querySelector("a.contact[href^=\"tel:\"] + .sample-mark")?.textContent.trim()).toBe(mark);
      expect(marked('a.contact[href^="mailto:"]'), lang).toBeFalsy();
      expect(visibleText(page(`${lang}/prices/index.html`).querySelector("main")!), lang).not.toContain(mark);
    }
  });
});
