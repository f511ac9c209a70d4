/**
 * Accessibility: zero axe-core violations at WCAG 2.2 AA on every page template in both languages,
 * on a desktop (light scheme) and a 390-px phone viewport (dark scheme), and in the interactive states a visitor reaches: search
 * open with results, a request form showing its validation errors, the warranty checker's answer.
 */
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { siteAndBrowser } from "../browser/harness";
import { axeViolations } from "./axe";
import { representativePages } from "./templates";

const env = siteAndBrowser();
const pages = representativePages();

/**
 * Both colour schemes at no extra cost: the desktop pass in the light scheme, the phone pass with
 * the system set to dark (every colour is a light-dark() pair of global.css, the same at any width).
 */
const VIEWPORTS = [
  { name: "desktop 1280 px, light scheme", options: { viewport: { width: 1280, height: 800 }, colorScheme: "light" as const } },
  { name: "phone 390 px, dark scheme", options: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, colorScheme: "dark" as const } },
];

/** Interactive states: each leaves the page in the state to check. */
const STATES: { name: string; path: (lang: string) => string; act: (page: Page) => Promise<void> }[] = [
  {
    name: "search open with results",
    path: (lang) => `/${lang}/`,
    act: async (page) => {
      await page.locator(".site-search__button").click();
      const input = page.locator(".search-dialog__input");
      await input.waitFor({ state: "visible" });
      await input.fill((await page.getAttribute("html", "lang")) === "ru" ? "гарантия" : "warranty");
      await page.locator(".search-results a").first().waitFor();
      await page.waitForLoadState("networkidle");
    },
  },
  {
    name: "search with a filter chosen",
    path: (lang) => `/${lang}/`,
    act: async (page) => {
      await page.keyboard.press("/");
      await page.locator(".search-dialog__input").fill((await page.getAttribute("html", "lang")) === "ru" ? "профилактика" : "prevention");
      await page.locator(".search-results a").first().waitFor();
      await page.locator('select[data-filter="section"]').selectOption({ index: 1 });
      await page.locator(".search-results a").first().waitFor();
    },
  },
  {
    name: "request form with validation errors",
    path: (lang) => `/${lang}/request/warranty/`,
    act: async (page) => {
      await page.locator("#field-email").focus(); // the first interaction loads the enhancement
      await page.fill("#field-email", "not an address");
      await page.locator(".request-form__submit").click();
      await page.locator(".request-form__summary").waitFor({ state: "visible" });
      await page.locator("#field-email-error").waitFor({ state: "visible" });
    },
  },
  {
    name: "warranty checker with an answer",
    path: (lang) => `/${lang}/warranty/check/`,
    act: async (page) => {
      await page.locator(".checker button[type=submit]").click();
      await page.locator(".checker__result").waitFor({ state: "visible" });
    },
  },
];

/** How many tabs of each viewport check pages side by side: as many as the pages vitest runs at once (maxConcurrency). */
const TABS = 2;

/**
 * Tabs reused from check to check, at most `size` open: a tab keeps axe-core compiled from one page
 * to the next, while in a new tab it is compiled again (a check then takes about twice as long).
 * Each check first goes to its address, so it starts from a new document.
 */
function tabs(context: () => BrowserContext, size: number) {
  const idle: Page[] = [];
  const waiting: ((tab: Page) => void)[] = [];
  let opened = 0;
  const take = async (): Promise<Page> => {
    const tab = idle.pop();
    if (tab) return tab;
    if (opened < size) {
      opened += 1;
      return context().newPage();
    }
    return new Promise((resolve) => waiting.push(resolve));
  };
  const give = (tab: Page) => {
    const next = waiting.shift();
    if (next) next(tab);
    else idle.push(tab);
  };
  return async (check: (tab: Page) => Promise<void>): Promise<void> => {
    const tab = await take();
    try {
      await check(tab);
    } finally {
      give(tab);
    }
  };
}

for (const { name, options } of VIEWPORTS) {
  describe(`axe at WCAG 2.2 AA, ${name}`, () => {
    let context: BrowserContext;
    beforeAll(async () => {
      context = await env.browser().newContext(options);
    });
    afterAll(async () => {
      await context?.close();
    });
    const inTab = tabs(() => context, TABS);

    it("checks every template", () => {
      expect(pages.length).toBeGreaterThanOrEqual(20);
    });

    // Pages side by side, each in a tab of its own while it is checked: axe's analysis is most of the
    // time, and a page waiting for the browser leaves the other core to the next one.
    it.concurrent.each(pages.filter((entry) => entry.url !== "/"))("$url ($template)", ({ url }) =>
      inTab(async (page) => {
        const response = await page.goto(`${env.site().origin}${url}`);
        expect(response?.status()).toBe(200);
        expect(await axeViolations(page)).toEqual([]);
      }),
    );

    it("/ (root language choice, as served before its script redirects)", async () => {
      // A tab of its own: its inline script replaces the page with /en/ at once, so this one serves the markup without it.
      const fresh = await context.newPage();
      await fresh.route(`${env.site().origin}/`, async (route) => {
        const response = await route.fetch();
        await route.fulfill({ response, body: (await response.text()).replace(/<script>[\s\S]*?<\/script>/, "") });
      });
      await fresh.goto(`${env.site().origin}/`);
      expect(fresh.url()).toBe(`${env.site().origin}/`);
      expect(await axeViolations(fresh)).toEqual([]);
      await fresh.close();
    });

    for (const state of STATES) {
      it.each(["en", "ru"])(`${state.name} (%s)`, (lang) =>
        inTab(async (page) => {
          await page.goto(`${env.site().origin}${state.path(lang)}`);
          await state.act(page);
          expect(await axeViolations(page)).toEqual([]);
        }),
      );
    }
  });
}
