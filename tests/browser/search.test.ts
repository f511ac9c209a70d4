/**
 * Search in a real browser against the built fixture index: loads on first use, answers the
 * questions clients type (search-questions.ts), finds by stemmed forms, filters, keyboard-only,
 * grammatical counts, help when nothing is found, and a link to the FAQ without JavaScript.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { recordTraffic, siteAndBrowser } from "./harness";
import { QUESTIONS } from "./search-questions";
import { FIXTURE } from "../setup/sites";

const env = siteAndBrowser();

async function openPage(path: string): Promise<Page> {
  const page = await env.browser().newPage();
  await page.goto(`${env.site().origin}${path}`);
  return page;
}

const INPUT = ".search-dialog__input";

/** Opens search with "/" (unless open) and types a query; resolves when its results are shown. */
async function search(page: Page, query: string): Promise<void> {
  const input = page.locator(INPUT);
  if (!(await input.isVisible())) await page.keyboard.press("/");
  await input.waitFor({ state: "visible" });
  await input.fill(query);
  // Every summary but "Searching…" names the query.
  await expect.poll(() => summary(page)).toContain(query);
}

/** The results summary ("3 results for …", "Nothing found for …"). */
async function summary(page: Page): Promise<string> {
  return ((await page.locator(".search-dialog__summary").textContent()) ?? "").trim();
}

const resultLinks = (page: Page) => page.locator(".search-results a").evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).pathname + (a as HTMLAnchorElement).hash));
/** The page of each result, best first (not its sections). */
const resultPages = (page: Page) => page.locator(".search-result__link").evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).pathname));

describe("site search", () => {
  it("downloads nothing of Pagefind until search is opened", async () => {
    const page = await env.browser().newPage();
    const traffic = recordTraffic(page);
    await page.goto(`${env.site().origin}/en/warranty/`);
    await page.waitForLoadState("networkidle");
    expect(traffic.urls().filter((url) => url.startsWith("/pagefind/"))).toEqual([]);
    await search(page, "warranty");
    expect(traffic.urls().some((url) => url.startsWith("/pagefind/"))).toBe(true);
    await page.close();
  });

  it("finds the English article for an English query", async () => {
    const page = await openPage("/en/");
    await search(page, "hosting");
    await expect.poll(() => resultLinks(page)).toContainEqual(expect.stringMatching(/^\/en\/warranty\//));
    expect((await resultLinks(page)).every((link) => link.startsWith("/en/"))).toBe(true);
    await page.close();
  });

  // Neither query form appears verbatim in the articles (they say «гарантийный», «обслуживания»…).
  it.each([
    { query: "гарантийными", article: "/ru/warranty/" },
    { query: "обслуживании", article: "/ru/sla/" },
  ])("finds $article from the inflected Russian form «$query»", async ({ query, article }) => {
    const page = await openPage("/ru/");
    await search(page, query);
    await expect.poll(() => resultLinks(page)).toContainEqual(expect.stringMatching(new RegExp(`^${article}`)));
    expect((await resultLinks(page)).every((link) => link.startsWith("/ru/"))).toBe(true);
    await page.close();
  });

  it("narrows results with the section filter", async () => {
    const page = await openPage("/en/");
    await search(page, "prevention");
    await expect.poll(async () => (await resultLinks(page)).some((link) => !link.startsWith("/en/prices/"))).toBe(true);
    await page.locator('select[data-filter="section"]').selectOption("Prices");
    await expect
      .poll(async () => {
        const after = await resultLinks(page);
        return after.length > 0 && after.every((link) => link.startsWith("/en/prices/"));
      })
      .toBe(true);
    await page.close();
  });

  it("says so when nothing matches, offers the checker, the forms and WhatsApp, and shows nothing for an empty query", async () => {
    const page = await openPage("/en/");
    await search(page, "zzqxj");
    expect(await summary(page)).toBe("Nothing found for “zzqxj”.");
    const help = page.locator(".search-dialog__help");
    expect(await help.isVisible()).toBe(true);
    const helpLinks = await help.locator("a").evaluateAll((links) => links.map((a) => a.getAttribute("href")));
    expect(helpLinks).toEqual(expect.arrayContaining(["/en/warranty/check/", "/en/request/incident/", "/en/request/warranty/", "/en/faq/"]));
    expect(helpLinks.some((href) => href?.startsWith("https://wa.me/"))).toBe(true);
    await page.locator(INPUT).fill("");
    await expect.poll(() => help.isVisible()).toBe(false);
    expect(await summary(page)).toBe("");
    expect(await page.locator(".search-results a").count()).toBe(0);
    await page.close();
  });

  it("closes with Escape, gives focus back to the search button, and opens again at once", async () => {
    const page = await openPage("/en/");
    await search(page, "hosting");
    await page.keyboard.press("Escape");
    await page.locator(".search-dialog").waitFor({ state: "hidden" });
    await page.keyboard.press("/");
    await page.locator(INPUT).waitFor({ state: "visible" });
    await page.keyboard.press("Escape");
    await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains("site-search__button"))).toBe(true);
    await page.close();
  });

  it("works by keyboard alone: open, type, walk the results with the arrow keys both ways, land on a section", async () => {
    const page = await openPage("/en/");
    await page.keyboard.press("Control+k");
    await page.waitForFunction((input) => document.activeElement?.matches(input), INPUT);
    await page.keyboard.type("hosting");
    await expect.poll(() => summary(page)).toContain("hosting");
    const focused = () => page.evaluate(() => (document.activeElement as HTMLAnchorElement).getAttribute("href") ?? document.activeElement?.className);
    await page.keyboard.press("ArrowDown"); // the best page
    expect(await focused()).toBe("/en/warranty/");
    await page.keyboard.press("ArrowDown"); // its best matching section
    const target = await focused();
    expect(target).toMatch(/^\/en\/warranty\/#[a-z-]+$/);
    await page.keyboard.press("ArrowUp");
    await page.keyboard.press("ArrowUp"); // back in the input
    expect(await focused()).toBe("search-dialog__input");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    await Promise.all([page.waitForURL(`**${target}`), page.keyboard.press("Enter")]);
    const hash = new URL(page.url()).hash.slice(1);
    expect(await page.locator(`[id="${hash}"]`).isVisible()).toBe(true);
    await page.close();
  });

  it("shows results in batches: Show more adds the next ones and takes focus to the first of them", async () => {
    const page = await openPage("/ru/");
    await search(page, "сайт");
    const total = Number(/\d+/.exec(await summary(page))![0]);
    expect(total).toBeGreaterThan(8);
    expect(await page.locator(".search-result").count()).toBe(8);
    await page.locator(".search-dialog__more").click();
    await expect.poll(() => page.locator(".search-result").count()).toBe(Math.min(16, total));
    expect(await page.evaluate(() => document.activeElement?.closest(".search-result") === document.querySelectorAll(".search-result")[8])).toBe(true);
    await page.close();
  });

  it("counts results grammatically in both languages", async () => {
    const en = await openPage("/en/");
    await search(en, "staff"); // one fixture page says it
    expect(await summary(en)).toBe(`${await en.locator(".search-result").count()} result for “staff”`);
    await search(en, "warranty");
    expect(await summary(en)).toMatch(/^\d+ results for “warranty”$/);
    await en.close();
    const ru = await openPage("/ru/");
    for (const query of ["гарантия", "профилактика", "сайт", "zzqxj"]) {
      await search(ru, query);
      const text = await summary(ru);
      const count = Number(/найден[оа]? (\d+)/.exec(text)?.[1] ?? 0);
      const noun = count % 10 === 1 && count % 100 !== 11 ? "результат" : [2, 3, 4].includes(count % 10) && ![12, 13, 14].includes(count % 100) ? "результата" : "результатов";
      expect(text, query).toBe(count === 0 ? `По запросу «${query}» ничего не найдено.` : `По запросу «${query}» ${count % 10 === 1 && count % 100 !== 11 ? "найден" : "найдено"} ${count} ${noun}`);
    }
    await ru.close();
  });

  it("ranks a terms page above change logs, names a change log's project, shows no \"#\" and no glued table text", async () => {
    const page = await openPage("/ru/");
    await search(page, "часы профилактика");
    const pages = await resultPages(page);
    expect(pages[0]).toBe("/ru/prevention/");
    expect(pages.some((url) => url.includes("/projects/"))).toBe(true);
    const projectNames = await page.locator(".search-result:has(a[href*='/projects/']) .search-result__project").allTextContents();
    expect(projectNames.length).toBeGreaterThan(0);
    expect(projectNames.every((name) => /Нордвинд|Метро|фикстура/.test(name))).toBe(true);
    const texts = await page.locator(".search-result__excerpt, .search-result__section").allTextContents();
    expect(texts.join(" ")).toMatch(/Основание Часы/); // the hours table of a change log, once «ОснованиеЧасы»
    for (const text of texts) {
      expect(text).not.toMatch(/(^|\s)#(\s|$)/);
      expect(text).not.toMatch(/[а-яё][А-ЯЁ]/);
    }
    await page.close();
  });
});

describe("questions clients type", () => {
  it.each(["en", "ru"] as const)("are answered in the top three (%s, at least 40 questions)", async (lang) => {
    expect(QUESTIONS[lang].length).toBeGreaterThanOrEqual(40);
    const page = await openPage(`/${lang}/`);
    const misses: string[] = [];
    for (const { query, page: expected } of QUESTIONS[lang]) {
      await search(page, query);
      const top = (await resultPages(page)).slice(0, 3);
      if (!top.includes(expected)) misses.push(`«${query}» → ${top.join(", ") || "nothing"} (expected ${expected})`);
    }
    expect(misses).toEqual([]);
    await page.close();
  });

  it("falls back to the best partial matches when no page holds every word", async () => {
    const page = await openPage("/en/");
    await search(page, "warranty zzqxj");
    expect(await summary(page)).toBe("No page contains every word of “warranty zzqxj”. The closest matches:");
    expect((await resultPages(page))[0]).toBe("/en/warranty/");
    await page.close();
  });
});

describe("what was not found", () => {
  it("reports a search no page fully answers once typing stops, with the query and language only", async () => {
    const page = await openPage("/ru/");
    const reports: { body: unknown; cookie: string | undefined; contentType: string | undefined }[] = [];
    await page.route("**/api/searches", async (route) => {
      const request = route.request();
      reports.push({ body: request.postDataJSON(), cookie: request.headers()["cookie"], contentType: request.headers()["content-type"] });
      await route.fulfill({ status: 204 });
    });
    await page.context().addCookies([{ name: "visitor", value: "someone", url: env.site().origin }]);
    await search(page, "гарантия"); // answered: never reported
    await search(page, "гарантия на луну zzqxj"); // typed on, then left
    await search(page, "возврат денег zzqxj");
    await expect.poll(() => reports.length, { timeout: 10_000 }).toBe(1);
    await page.waitForTimeout(2_500); // nothing else is coming
    expect(reports).toEqual([{ body: { query: "возврат денег zzqxj", lang: "ru" }, cookie: undefined, contentType: "application/json" }]);
    await page.close();
  });
});

describe("without JavaScript", () => {
  it("the search button leads to the FAQ page, which links every question to its section", async () => {
    const context = await env.browser().newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${env.site().origin}/ru/warranty/`);
    await Promise.all([page.waitForURL("**/ru/faq/"), page.locator(".site-search__button").click()]);
    const links = await page.locator(".faq__list a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    expect(links).toContain("/ru/warranty/#period");
    await page.goto(`${env.site().origin}/ru/warranty/#period`);
    expect(await page.locator("#period").isVisible()).toBe(true);
    await context.close();
  });
});

describe("change logs in search", () => {
  it("finds a change-log entry and narrows by project and kind", async () => {
    const page = await openPage("/en/");
    await search(page, "catalogue");
    await expect.poll(() => resultLinks(page)).toContainEqual(expect.stringMatching(/^\/en\/projects\/fx-shop\/changes\//));
    await page.locator('select[data-filter="kind"]').selectOption("Performance");
    await expect
      .poll(async () => {
        const links = await resultLinks(page);
        return links.length > 0 && links.every((link) => link.startsWith("/en/projects/fx-shop/changes/"));
      })
      .toBe(true);
    await page.close();
  });
});

describe("private projects", () => {
  it("never reach the public index", async () => {
    // "Quokkaplex" appears only in the private sample project (content/projects/fx-private).
    const projects = (await import("../../src/lib/content-files")).loadServerContent(FIXTURE.content).projects;
    const holders = [...projects].filter(([, project]) => JSON.stringify(project).includes("Quokkaplex"));
    expect(holders.map(([slug, project]) => [slug, project.visibility])).toEqual([["fx-private", "private"]]);
    // Not vacuous: the private project's pages are built and do contain the word.
    const token = holders[0]![1].accessToken!;
    for (const lang of ["en", "ru"]) {
      expect(readFileSync(path.join(FIXTURE.dist, lang, "p", token, "changes", "index.html"), "utf8")).toContain("Quokkaplex");
    }

    for (const lang of ["en", "ru"]) {
      const page = await openPage(`/${lang}/`);
      // A string, so the test runner does not rewrite the browser's dynamic import.
      const found = await page.evaluate(`import("/pagefind/pagefind.js").then((pf) => pf.search("Quokkaplex")).then((r) => r.results.length)`);
      expect(found, lang).toBe(0);
      await page.close();
    }
  });
});
