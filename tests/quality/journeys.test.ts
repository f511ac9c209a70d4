/**
 * Real-browser journeys on the real server (the app that `npm start` runs, with the built site):
 * the language switch keeps the page and the section, the print view drops the site's chrome and
 * carries the agency's details, the colour theme follows the system or the switch, the home page's
 * search opens the site's search, an unknown address gets the 404 page of its language with status
 * 404, and the pages the server writes itself (a receipt, an error answer to a form posted without
 * JavaScript, a request's status page, an SLA report with the satisfaction figures filled in) pass
 * axe and the Nu Html Checker like the built ones.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dictionaries, useTranslations } from "../../src/i18n";
import { loadServerContent } from "../../src/lib/content-files";
import { paths } from "../../src/lib/paths";
import { statusKey } from "../../server/status-link";
import { launchBrowser } from "../browser/harness";
import { FIXTURE, TEST_NOW } from "../setup/sites";
import { startPortal, type Portal } from "../browser/portal";
import { axeViolations } from "./axe";
import { representativePages } from "./templates";
import { vnuErrors } from "./vnu";

let portal: Portal;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  portal = await startPortal(TEST_NOW, FIXTURE);
  browser = await launchBrowser({ now: TEST_NOW });
  context = await browser.newContext();
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await portal?.stop();
});

/** One tab for the whole file, as a visitor's: each journey starts by going to an address. */
async function open(path: string): Promise<Page> {
  await page.emulateMedia({ media: "screen" });
  await page.goto(`${portal.origin}${path}`);
  return page;
}

const other = (lang: string) => (lang === "en" ? "ru" : "en");

describe("language switch", () => {
  const localised = representativePages().filter((entry) => entry.lang && !entry.template.startsWith("404"));

  it.each(localised)("$url ($template) switches to the same page in the other language", async ({ url, lang }) => {
    await open(url);
    await Promise.all([page.waitForURL(`**${url.replace(/^\/(en|ru)\//, `/${other(lang!)}/`)}`), page.locator("a.lang-switch").click()]);
    expect(await page.getAttribute("html", "lang")).toBe(other(lang!));
  });

  it.each([
    { from: "/en/warranty/#voiding", to: "/ru/warranty/#voiding" },
    { from: "/ru/sla/#report", to: "/en/sla/#report" },
  ])("keeps the section: $from → $to, by keyboard", async ({ from, to }) => {
    await open(from);
    const id = from.split("#")[1]!;
    expect(await page.locator(`[id="${id}"]`).count(), `${from} has the section`).toBe(1);
    await page.locator("a.lang-switch").focus();
    await Promise.all([page.waitForURL(`**${to}`, { timeout: 10_000 }), page.keyboard.press("Enter")]);
    const heading = page.locator(`[id="${id}"]`);
    // The browser scrolled to the same section in the other language.
    await expect.poll(() => heading.evaluate((element) => Math.round(element.getBoundingClientRect().top))).toBeLessThan(200);
  });

  it("goes to the other language's home page from a 404", async () => {
    await open("/en/no-such-page/");
    await Promise.all([page.waitForURL("**/ru/"), page.locator("a.lang-switch").click()]);
  });
});

describe("print view", () => {
  const printed = representativePages().filter((entry) => entry.lang === "en" && entry.template !== "request received");
  const CHROME = [".skip-link", ".site-header", ".site-nav", "site-search", ".lang-switch", ".theme-switch", ".site-footer__links", ".article__tools", "nav"];

  it.each(printed)("$url ($template) prints the content without navigation, header, buttons or search, with the footer's contacts and legal details", async ({ url }) => {
    await open(url);
    await page.emulateMedia({ media: "print" });
    const shown = await page.evaluate((selectors) => {
      const rendered = (element: Element) => element.checkVisibility({ checkOpacity: false, checkVisibilityCSS: true });
      return {
        chrome: selectors.flatMap((selector) => [...document.querySelectorAll(selector)].filter(rendered).map(() => selector)),
        heading: [...document.querySelectorAll("main h1")].some(rendered),
        footer: [...document.querySelectorAll(".site-footer__contacts, .site-footer__legal")].filter(rendered).length,
      };
    }, CHROME);
    expect(shown).toEqual({ chrome: [], heading: true, footer: 2 });
  });

  it.each(["en", "ru"] as const)("a terms page on paper (%s) says whose it is, how to reach them, when it was reviewed and where it lives", async (lang) => {
    const { settings } = loadServerContent(FIXTURE.content);
    const t = useTranslations(lang);
    await open(`/${lang}/warranty/`);
    const onScreen = await page.locator("body").innerText();
    await page.emulateMedia({ media: "print" });
    const paper = (await page.locator("body").innerText()).replace(/\s+/g, " ");
    const reviewed = (await page.locator(".last-reviewed").innerText()).replace(/\s+/g, " ");
    for (const text of [
      settings.agencyName[lang],
      settings.legal.name[lang],
      settings.legal.address[lang],
      `${t("footer.legal.inn")}: ${settings.legal.inn}`,
      `${t("footer.legal.ogrn")}: ${settings.legal.ogrn}`,
      settings.contacts.email,
      settings.contacts.phone,
      reviewed,
      `${t("print.pageAddress")}: ${new URL(`/${lang}/warranty/`, settings.siteUrl).href}`,
    ]) {
      expect(paper, text).toContain(text);
    }
    // The page address is for paper only.
    expect(onScreen).not.toContain(t("print.pageAddress"));
    await expect.poll(() => page.locator(".print-masthead img").evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth > 0)).toBe(true);
  });

  it("a terms page's print button prints; without JavaScript the page says how to print instead", async () => {
    await open("/en/warranty/");
    await page.evaluate(() => {
      window.print = () => document.documentElement.setAttribute("data-printed", "");
    });
    await page.getByRole("button", { name: dictionaries.en["print.button"] }).click();
    expect(await page.getAttribute("html", "data-printed")).toBe("");
    expect(await page.locator(".print-button__hint").isVisible()).toBe(false);

    const noScript = await browser.newContext({ javaScriptEnabled: false });
    const plain = await noScript.newPage();
    await plain.goto(`${portal.origin}/en/warranty/`);
    expect(await plain.locator(".print-button__button").isVisible()).toBe(false);
    expect(await plain.locator(".print-button__hint").innerText()).toBe(dictionaries.en["article.print"]);
    await noScript.close();
  });
});

describe("colour theme", () => {
  /** The page's background colour, as painted. */
  const background = (tab: Page) => tab.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const WHITE = "rgb(255, 255, 255)";
  const DARK = "rgb(13, 17, 23)"; // #0d1117, src/domain/colour.ts

  it("follows the system, and the switch's choice is remembered and applied before the page first paints", async () => {
    const dark = await browser.newContext({ colorScheme: "dark" });
    const tab = await dark.newPage();
    // What <html> says at the moment <body> first appears: before it, nothing of the page can paint.
    await tab.addInitScript(() => {
      const seen = new MutationObserver(() => {
        if (!document.body) return;
        document.documentElement.setAttribute("data-theme-at-body", document.documentElement.dataset.theme ?? "(unset)");
        seen.disconnect();
      });
      seen.observe(document, { childList: true, subtree: true });
    });
    await tab.goto(`${portal.origin}/en/`);
    expect(await background(tab)).toBe(DARK);
    const choice = tab.getByRole("combobox", { name: dictionaries.en["theme.label"] });
    expect(await choice.inputValue()).toBe("system");

    await choice.selectOption("light");
    expect(await background(tab)).toBe(WHITE);
    await tab.goto(`${portal.origin}/ru/warranty/`);
    expect(await tab.getAttribute("html", "data-theme-at-body")).toBe("light");
    expect(await background(tab)).toBe(WHITE);
    expect(await tab.getByRole("combobox", { name: dictionaries.ru["theme.label"] }).inputValue()).toBe("light");

    await tab.getByRole("combobox", { name: dictionaries.ru["theme.label"] }).selectOption("system");
    expect(await background(tab)).toBe(DARK);
    expect(await tab.evaluate(() => localStorage.getItem("theme"))).toBeNull();
    await dark.close();
  });

  it("without JavaScript follows the system and hides the switch", async () => {
    const noScript = await browser.newContext({ javaScriptEnabled: false, colorScheme: "dark" });
    const tab = await noScript.newPage();
    await tab.goto(`${portal.origin}/en/`);
    expect(await background(tab)).toBe(DARK);
    expect(await tab.locator(".theme-switch").isVisible()).toBe(false);
    await noScript.close();
  });
});

describe("home page search", () => {
  it("opens the site's search with what was typed", async () => {
    await open("/en/");
    await page.getByRole("searchbox", { name: dictionaries.en["home.search.label"] }).fill("warranty");
    await page.keyboard.press("Enter");
    const dialogInput = page.locator(".search-dialog__input");
    await dialogInput.waitFor({ state: "visible" });
    expect(await dialogInput.inputValue()).toBe("warranty");
    await page.locator(".search-results a").first().waitFor();
    expect(page.url()).toBe(`${portal.origin}/en/`);
    await page.keyboard.press("Escape");
  });

  it("without JavaScript leads to the questions and answers", async () => {
    const noScript = await browser.newContext({ javaScriptEnabled: false });
    const tab = await noScript.newPage();
    await tab.goto(`${portal.origin}/ru/`);
    await tab.getByRole("searchbox", { name: dictionaries.ru["home.search.label"] }).fill("гарантия");
    await Promise.all([tab.waitForURL("**/ru/faq/?q=*"), tab.keyboard.press("Enter")]);
    expect(await tab.locator("main h1").innerText()).toBe(dictionaries.ru["faq.title"]);
    await noScript.close();
  });
});

describe("404 pages from the real server", () => {
  it.each([
    { path: "/en/no-such-page/", lang: "en" as const },
    { path: "/ru/нет-такой-страницы/", lang: "ru" as const },
    { path: "/ru/request/no-such-form/", lang: "ru" as const },
    { path: "/en/projects/no-such-project/sla/", lang: "en" as const },
  ])("$path answers 404 with the page in $lang, styled", async ({ path, lang }) => {
    const response = await page.goto(`${portal.origin}${encodeURI(path)}`);
    expect(response?.status()).toBe(404);
    expect(await page.getAttribute("html", "lang")).toBe(lang);
    expect((await page.locator("main h1").textContent())?.trim()).toBe(dictionaries[lang]["notFound.title"]);
    expect(await page.locator("main a[href]").last().getAttribute("href")).toBe(`/${lang}/`);
    // Its styles and scripts load from any depth (absolute asset paths).
    expect(await page.locator(".site-header").evaluate((element) => getComputedStyle(element).borderBottomStyle)).toBe("solid");
  });

  it("an unknown address outside both languages gets the bilingual 404", async () => {
    const response = await page.goto(`${portal.origin}/no-such-page`);
    expect(response?.status()).toBe(404);
    expect(await page.locator("main h1").textContent()).toContain(dictionaries.en["notFound.title"]);
    expect(await page.locator('main [lang="ru"] h2').textContent()).toContain(dictionaries.ru["notFound.title"]);
  });
});

describe("pages the server writes", () => {
  /** Sends the consultation form with JavaScript off, as a browser without it would; returns the answer page. */
  async function postWithoutJavaScript(lang: "en" | "ru", name: string): Promise<{ status: number; url: string; html: string }> {
    const noScript = await browser.newContext({ javaScriptEnabled: false });
    const form = await noScript.newPage();
    await form.goto(`${portal.origin}/${lang}/request/consultation/`);
    await form.fill("#field-question", "Can you add online payment to our shop?");
    await form.fill("#field-name", name);
    await form.fill("#field-email", "anna@client.example");
    await form.check("#field-consent");
    portal.advance(20_000);
    const [answer] = await Promise.all([form.waitForResponse((response) => response.request().isNavigationRequest() && response.status() !== 303), form.locator(".request-form__submit").click()]);
    const result = { status: answer.status(), url: answer.url(), html: await answer.text() };
    await noScript.close();
    return result;
  }

  /** A page the server writes, as a browser gets it. */
  async function serverPage(urlPath: string): Promise<{ status: number; html: string }> {
    const response = await fetch(`${portal.origin}${urlPath}`);
    expect(response.status, urlPath).toBe(200);
    return { status: response.status, html: await response.text() };
  }

  it("a receipt, a refused form, request status pages and an SLA report with its satisfaction figures pass axe and the Nu Html Checker, in both languages", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "server-pages-"));
    try {
      const files: string[] = [];
      for (const lang of ["en", "ru"] as const) {
        const receipt = await postWithoutJavaScript(lang, "Anna");
        expect(receipt.status).toBe(200);
        expect(receipt.url).toMatch(new RegExp(`/${lang}/request/received/\\?id=C-`));
        const refused = await postWithoutJavaScript(lang, "   "); // the browser lets it through; the service does not
        expect(refused.status).toBe(422);
        const statusHref = /href="(\/[a-z]{2}\/request\/status\/\?[^"]+)"/.exec(receipt.html)![1]!.replaceAll("&amp;", "&");
        const waiting = await serverPage(statusHref);
        // A request the fixture's change log names (fx-shop's S-2HVN8C5R, fx-private's S-7DLQ2M4K): done, with the rating form.
        const [id, project] = lang === "en" ? ["S-2HVN8C5R", "fx-shop"] : ["S-7DLQ2M4K", "fx-private"];
        await portal.spool.accept({
          receipt: { version: 1, id, type: "support", lang, project, receivedAt: "2026-11-20T12:00:00+03:00", deadlines: {} },
          fields: { name: "Anna", email: "anna@client.example" },
          attachments: [],
          confirmation: "suppressed",
          quarantined: false,
        });
        const key = statusKey(portal.spool.secret, id);
        const resolved = await serverPage(`/${lang}/request/status/?${new URLSearchParams({ id, key })}`);
        expect(resolved.html).toContain('action="/api/ratings"');
        const rated = await fetch(`${portal.origin}/api/ratings`, {
          method: "POST",
          redirect: "manual",
          headers: { "Sec-Fetch-Site": "same-origin", Accept: "text/html" },
          body: new URLSearchParams({ lang, id, key, rating: "5", comment: "" }),
        });
        expect(rated.status).toBe(303);
        const { visibility, accessToken } = portal.content.projects.get(project)!;
        const sla = await serverPage(paths.project(lang, { slug: project, visibility, accessToken }, "sla"));
        expect(sla.html).toContain('<table class="satisfaction">');
        for (const [kind, answer] of [["receipt", receipt], ["refused", refused], ["status", waiting], ["status resolved", resolved], ["SLA report", sla]] as const) {
          await page.route(`${portal.origin}/__server-page`, (route) => route.fulfill({ contentType: "text/html", body: answer.html }));
          await page.goto(`${portal.origin}/__server-page`);
          expect(await axeViolations(page), `${lang} ${kind}`).toEqual([]);
          await page.unroute(`${portal.origin}/__server-page`);
          files.push(path.join(dir, `${lang}-${kind}.html`));
          await writeFile(files.at(-1)!, answer.html);
        }
      }
      expect(vnuErrors(files, dir)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
