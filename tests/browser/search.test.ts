/** Search in a real browser: loads on first use, finds by stemmed forms, filters, keyboard-only. */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { recordTraffic, siteAndBrowser } from "./harness";
import { FIXTURE } from "../setup/sites";

const env = siteAndBrowser();

async function openPage(path: string): Promise<Page> {
  const page = await env.browser().newPage();
  await page.goto(`${env.site().origin}${path}`);
  return page;
}

/** Opens search with "/" and types a query; resolves when results (or the empty message) settle. */
async function search(page: Page, query: string): Promise<void> {
  await page.keyboard.press("/");
  const input = page.locator("pagefind-input input");
  await input.waitFor({ state: "visible" });
  await input.fill(query);
  await expect.poll(() => summary(page)).toMatch(/\S/);
}

/** The results summary once searching has finished ("3 results for …", "No results for …"). */
async function summary(page: Page): Promise<string> {
  const text = (await page.locator("pagefind-summary").textContent()) ?? "";
  return /searching|поиск/i.test(text) ? "" : text.trim();
}

const resultLinks = (page: Page) => page.locator("pagefind-results a").evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).pathname + (a as HTMLAnchorElement).hash));

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
    await page.locator('pagefind-filter-dropdown[filter="section"] button').first().click();
    await page.getByRole("option", { name: /Prices/ }).click();
    await expect
      .poll(async () => {
        const after = await resultLinks(page);
        return after.length > 0 && after.every((link) => link.startsWith("/en/prices/"));
      })
      .toBe(true);
    await page.close();
  });

  it("says so when nothing matches, and shows nothing for an empty query", async () => {
    const page = await openPage("/en/");
    await search(page, "zzqxj");
    expect(await summary(page)).toMatch(/no results/i);
    await page.locator("pagefind-input input").fill("");
    await expect.poll(() => page.locator("pagefind-results a").count()).toBe(0);
    await page.close();
  });

  it("closes with Escape, gives focus back to the search button, and opens again at once", async () => {
    const page = await openPage("/en/");
    await search(page, "hosting");
    await page.keyboard.press("Escape");
    await page.locator("pagefind-modal dialog").waitFor({ state: "hidden" });
    await page.keyboard.press("/"); // without waiting for the dialog's close event to settle
    await page.locator("pagefind-input input").waitFor({ state: "visible" });
    await page.keyboard.press("Escape");
    await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains("site-search__button"))).toBe(true);
    await page.close();
  });

  it("works by keyboard alone: open, type, pick a section, land on it", async () => {
    const page = await openPage("/en/");
    await page.keyboard.press("Control+k");
    await page.waitForFunction(() => document.activeElement?.matches("pagefind-input input"));
    await page.keyboard.type("hosting");
    await page.locator("pagefind-results a").first().waitFor();
    await page.keyboard.press("ArrowDown"); // the best page
    await page.keyboard.press("ArrowDown"); // its best matching section
    const target = await page.evaluate(() => (document.activeElement as HTMLAnchorElement).getAttribute("href"));
    expect(target).toMatch(/^\/en\/warranty\/#[a-z-]+$/);
    await Promise.all([page.waitForURL(`**${target}`), page.keyboard.press("Enter")]);
    const hash = new URL(page.url()).hash.slice(1);
    expect(await page.locator(`[id="${hash}"]`).isVisible()).toBe(true);
    await page.close();
  });
});

describe("change logs in search", () => {
  it("finds a change-log entry and narrows by project and kind", async () => {
    const page = await openPage("/en/");
    await search(page, "catalogue");
    await expect.poll(() => resultLinks(page)).toContainEqual(expect.stringMatching(/^\/en\/projects\/fx-shop\/changes\//));
    await page.locator('pagefind-filter-dropdown[filter="kind"] button').first().click();
    await page.getByRole("option", { name: /Performance/ }).click();
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
