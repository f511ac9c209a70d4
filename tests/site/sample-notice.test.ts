/**
 * The fixture gives the phone, the night hours and how long unanswered searches are kept as sample
 * values: every page of the built site, in both languages and every template, says so in words, naming
 * those three and nothing confirmed; the articles mark each where they show it.
 * (A build with every value confirmed shows no notice: tests/content/content-check.test.ts.)
 */
import { describe, expect, it } from "vitest";
import type { Lang } from "../../src/domain/schemas/common";
import { dictionaries } from "../../src/i18n";
import { htmlPages, page, visibleText } from "./dist";

const SAMPLES = ["contacts.phone", "nightHours", "unansweredSearchRetentionDays"];
const CONFIRMED_RETENTIONS = ["articleFeedbackRetentionDays", "ratingRetentionDays", "requestStatusRetentionDays"];
const CONFIRMED = ["siteUrl", "contacts.whatsapp", "contacts.email", "links.componentDemo", "links.solutionDemo", "workingHours", ...CONFIRMED_RETENTIONS, "supportHourlyRate"];
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

  it("follows a retention period on the privacy page while that setting is a sample, and only then", () => {
    for (const lang of ["en", "ru"] as const) {
      const mark = dictionaries[lang]["sample.mark"];
      const privacy = page(`${lang}/privacy/index.html`);
      const markAfter = (setting: string) => privacy.querySelector(`.retention-days[data-retention="${setting}"] + .sample-mark`)?.textContent.trim();
      expect(markAfter("unansweredSearchRetentionDays"), lang).toBe(mark);
      expect(visibleText(privacy.querySelector("main")!), lang).toContain(lang === "en" ? `after 45 days ${mark}` : `через 45 дней ${mark}`);
      for (const setting of CONFIRMED_RETENTIONS) {
        expect(privacy.querySelector(`.retention-days[data-retention="${setting}"]`), `${lang} ${setting}`).not.toBeNull();
        expect(markAfter(setting), `${lang} ${setting}`).toBeUndefined();
      }
    }
  });
});
