/** Structure every page must have: language, navigation, switch, meta tags, no JavaScript on content pages. */
import { describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { HTMLElement } from "node-html-parser";
import path from "node:path";
import { useTranslations } from "../../src/i18n";
import { loadServerContent } from "../../src/lib/content-files";
import { FIXTURE } from "../setup/sites";
import { FEEDBACK_ANCHOR, FEEDBACK_VOTE_PATH } from "../../src/domain/article-feedback";
import { DIST, htmlPages, page, readDist, urlOf, visibleText } from "./dist";

const localisedPages = htmlPages().filter((file) => /^(en|ru)\//.test(file));

describe("every page", () => {
  it("has the right <html lang> for its language folder", () => {
    for (const file of localisedPages) {
      expect(page(file).querySelector("html")?.getAttribute("lang"), file).toBe(file.slice(0, 2));
    }
  });

  it("has a title, a description and Open Graph tags", () => {
    for (const file of htmlPages()) {
      const root = page(file);
      expect(root.querySelector("title")?.textContent.trim(), file).toBeTruthy();
      expect(root.querySelector('meta[name="description"]')?.getAttribute("content"), file).toBeTruthy();
      for (const property of ["og:title", "og:description", "og:url", "og:locale", "og:site_name"]) {
        expect(root.querySelector(`meta[property="${property}"]`), `${file} ${property}`).not.toBeNull();
      }
    }
  });

  it("publishes in its footer the working hours, the shorter eve of a public holiday and the night that deadlines follow", () => {
    const { workingHours, nightHours, preHolidayShorteningMinutes } = loadServerContent(FIXTURE.content).settings;
    for (const file of localisedPages) {
      const lang = file.slice(0, 2) as "en" | "ru";
      const t = useTranslations(lang);
      const footer = page(file).querySelector(".site-footer")?.textContent.replace(/\s+/g, " ") ?? "";
      expect(footer, file).toContain(t("footer.hoursNote", { start: workingHours.start, end: workingHours.end }));
      expect(footer, file).toContain(t("footer.preHoliday", { minutes: preHolidayShorteningMinutes }));
      expect(footer, file).toContain(t("footer.nightNote", { start: nightHours.start, end: nightHours.end }));
    }
    // The same footer in both languages: the same parts, in the same order, with the company's legal details.
    const { legal } = loadServerContent(FIXTURE.content).settings;
    for (const lang of ["en", "ru"] as const) {
      const t = useTranslations(lang);
      const legalText = page(`${lang}/warranty/index.html`).querySelector(".site-footer__legal")?.textContent.replace(/\s+/g, " ") ?? "";
      for (const detail of [legal.name[lang], legal.address[lang], `${t("footer.legal.inn")}: ${legal.inn}`, `${t("footer.legal.ogrn")}: ${legal.ogrn}`]) {
        expect(legalText, lang).toContain(detail);
      }
    }
    const shape = (file: string) => page(file).querySelectorAll(".site-footer *").map((element) => element.tagName).join(" ");
    expect(shape("ru/warranty/index.html")).toBe(shape("en/warranty/index.html"));
  });

  it("names the night in the footer as the fixture's settings set it, in both languages", () => {
    expect(page("en/warranty/index.html").querySelector(".site-footer")?.textContent).toContain("At night, 22:00–08:00 Moscow time, first-response times are not counted.");
    expect(page("ru/warranty/index.html").querySelector(".site-footer")?.textContent).toContain("Ночью, с 22:00 до 08:00 по московскому времени, сроки первого ответа не отсчитываются.");
  });

  it("offers a language switch that lands on the same page in the other language", () => {
    for (const file of localisedPages.filter((f) => !f.includes("404"))) {
      const link = page(file).querySelector("a.lang-switch");
      const href = link?.getAttribute("href");
      const other = file.startsWith("en/") ? "ru" : "en";
      expect(href, file).toBe(urlOf(file).replace(/^\/(en|ru)\//, `/${other}/`));
      expect(link?.getAttribute("hreflang")).toBe(other);
    }
  });

  // The byte budget (≤ 10 KB gzipped before any interaction, static imports included) is in tests/quality/budgets.test.ts.
  it("loads only small module scripts of our own up front, never Pagefind itself, after the theme script", () => {
    for (const file of localisedPages) {
      const [theme, ...scripts] = page(file).querySelectorAll("script");
      // The theme script blocks in <head> on purpose (no async, defer or module): the page paints in the remembered scheme.
      expect(theme?.parentNode?.tagName, file).toBe("HEAD");
      expect(theme?.attributes, file).toEqual({ src: "/theme.js" });
      for (const script of scripts) {
        expect(script.getAttribute("type"), file).toBe("module");
        expect(script.getAttribute("src"), file).toMatch(/^\/_astro\/[\w.-]+\.js$/);
      }
    }
  });

  it("carries the agency's brand: its logo, named, in the header and its accent colour in the head", () => {
    const { settings } = loadServerContent(FIXTURE.content);
    for (const file of localisedPages) {
      const root = page(file);
      const logo = root.querySelector(".site-header .site-title img");
      expect(logo?.getAttribute("alt"), file).toBe(settings.agencyName[file.slice(0, 2) as "en" | "ru"]);
      expect(logo?.getAttribute("src"), file).toMatch(/^data:image\/svg\+xml,%3Csvg/);
      expect(root.querySelector("head style")?.textContent, file).toContain(`--color-accent:light-dark(${settings.brand.accentColor}, `);
    }
  });

  it("has navigation with every article and marks the current one", () => {
    const root = page("en/warranty/index.html");
    const links = root.querySelectorAll(".site-nav a").map((a) => a.getAttribute("href"));
    for (const slug of ["warranty", "development-warranty", "support", "prevention", "sla", "prices", "how-to-request"]) {
      expect(links).toContain(`/en/${slug}/`);
    }
    expect(root.querySelector('.site-nav a[aria-current="page"]')?.getAttribute("href")).toBe("/en/warranty/");
  });
});

describe("home page", () => {
  it.each(["en", "ru"])("opens (%s) with search and the four jobs, each a card one click from its form or page", (lang) => {
    const main = page(`${lang}/index.html`).querySelector("main")!;
    const [heading, search, jobs] = main.querySelector(".home")!.childNodes.filter((node): node is HTMLElement => node instanceof HTMLElement && node.tagName !== "SCRIPT");
    expect(heading?.tagName).toBe("H1");
    // Without JavaScript the search box leads to the questions and answers.
    const form = search?.querySelector("form.home-search");
    expect([form?.getAttribute("action"), form?.getAttribute("method"), form?.querySelector("input")?.getAttribute("name")]).toEqual([`/${lang}/faq/`, "get", "q"]);
    const cards = jobs?.querySelectorAll(".jobs > section.job") ?? [];
    expect(cards.map((card) => card.querySelector("a.button")?.getAttribute("href"))).toEqual([
      `/${lang}/request/incident/`,
      `/${lang}/request/support/`,
      `/${lang}/warranty/check/`,
      `/${lang}/projects/`,
    ]);
    for (const card of cards) expect(card.querySelector("h3")?.id).toBe(card.getAttribute("aria-labelledby"));
  });
});

describe("articles", () => {
  const articles = localisedPages.filter((file) => page(file).querySelector("article.article"));

  it("exist in both languages with the same slugs", () => {
    const en = articles.filter((f) => f.startsWith("en/")).map((f) => f.slice(3));
    const ru = articles.filter((f) => f.startsWith("ru/")).map((f) => f.slice(3));
    expect(en.length).toBeGreaterThanOrEqual(7);
    expect(ru).toEqual(en);
  });

  it("have a table of contents whose links match heading anchors, and a last-reviewed date", () => {
    for (const file of articles) {
      const root = page(file);
      const tocLinks = root.querySelectorAll(".toc a").map((a) => a.getAttribute("href")!);
      expect(tocLinks.length, file).toBeGreaterThan(1);
      for (const href of tocLinks) {
        const heading = root.getElementById(href.slice(1));
        expect(heading?.tagName, `${file} ${href}`).toMatch(/^H[23]$/);
        expect(heading?.querySelector(`a.heading-anchor[href="${href}"]`), `${file} ${href} anchor`).not.toBeNull();
      }
      expect(root.querySelector(".last-reviewed time")?.getAttribute("datetime"), file).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it("use the same section ids in both languages, so a switched link keeps its anchor", () => {
    for (const file of articles.filter((f) => f.startsWith("en/"))) {
      const ids = (f: string) => page(f).querySelectorAll("h2[id], h3[id]").map((h) => h.id).filter((id) => /^[a-z0-9-]+$/.test(id));
      expect(ids(file.replace(/^en\//, "ru/")), file).toEqual(ids(file));
    }
  });

  it("end with \"Was this page helpful?\": a plain form naming the article, its language and the two answers", () => {
    for (const file of articles) {
      const form = page(file).querySelector(`#${FEEDBACK_ANCHOR} form[method="post"][action="${FEEDBACK_VOTE_PATH}#${FEEDBACK_ANCHOR}"]`);
      expect(form, file).not.toBeNull();
      expect(form!.querySelector('input[name="article"]')?.getAttribute("value"), file).toBe(file.split("/")[1]);
      expect(form!.querySelector('input[name="lang"]')?.getAttribute("value"), file).toBe(file.slice(0, 2));
      expect(form!.querySelectorAll('button[name="helpful"]').map((button) => button.getAttribute("value")), file).toEqual(["yes", "no"]);
    }
  });

  it("say on the privacy page how many days article answers and comments are kept (the agency's setting)", () => {
    const days = loadServerContent(FIXTURE.content).settings.articleFeedbackRetentionDays;
    for (const [lang, phrase] of [["en", `after ${days} days`], ["ru", `через ${days} дней`]] as const) {
      const section = page(`${lang}/privacy/index.html`).getElementById("article-feedback")!.nextElementSibling!;
      expect(visibleText(section), lang).toContain(phrase);
    }
  });

  it("put the warranty checker one click away and offer to print", () => {
    for (const file of articles) {
      const root = page(file);
      expect(root.querySelector(".article__tools a.article__checker")?.getAttribute("href"), file).toBe(`/${file.slice(0, 2)}/warranty/check/`);
      expect(root.querySelector("print-button button[hidden]"), file).not.toBeNull(); // shown by its script
    }
  });

  it("link a print stylesheet that hides the navigation", () => {
    for (const file of articles) {
      const root = page(file);
      const css = [
        ...root.querySelectorAll("style").map((style) => style.textContent),
        ...root.querySelectorAll('link[rel="stylesheet"]').map((link) => readDist(link.getAttribute("href")!.slice(1))),
      ].join("\n");
      expect(css, file).toMatch(/@media print\s*\{[^}]*\.site-header[^}]*display:\s*none/);
    }
  });
});

describe("site files", () => {
  it("the root page sends visitors to their language", () => {
    const root = page("index.html");
    expect(root.querySelector('a[href="/en/"]')).not.toBeNull();
    expect(root.querySelector('a[href="/ru/"]')).not.toBeNull();
    expect(root.querySelector("script:not([src])")?.textContent).toMatch(/location\.replace/);
  });

  it("has 404 pages: a shared one and one per language", () => {
    expect(page("404.html").querySelector('section[lang="ru"] h2')).not.toBeNull();
    expect(page("ru/404/index.html").querySelector("h1")?.textContent).toMatch(/не найдена/);
    expect(page("en/404/index.html").querySelector('meta[name="robots"]')?.getAttribute("content")).toMatch(/noindex/);
  });

  it("has a sitemap with every public page in both languages and no 404s", () => {
    const sitemap = readDist("sitemap-0.xml");
    const locs = [...sitemap.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1]!).pathname);
    expect(locs).toContain("/en/warranty/");
    expect(locs).toContain("/ru/warranty/");
    expect(locs.some((loc) => loc.includes("404"))).toBe(false);
    expect(sitemap).toMatch(/hreflang="ru"/);
  });

  it("has robots.txt pointing at the sitemap", () => {
    expect(readDist("robots.txt")).toMatch(/Sitemap: https?:\/\/\S+\/sitemap-index\.xml/);
    expect(existsSync(path.join(DIST, "sitemap-index.xml"))).toBe(true);
  });
});
