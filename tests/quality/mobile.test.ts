/**
 * Phones: from 320 px wide up, no page scrolls sideways — every template in both languages, and
 * the search dialog with results. When one does, the test names the elements that stick out.
 */
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { siteAndBrowser } from "../browser/harness";
import { representativePages } from "./templates";

const env = siteAndBrowser();
const pages = representativePages().filter((entry) => entry.url !== "/");

/**
 * The page's width against the viewport's, and the outermost elements that stick out of the
 * viewport (not counting those inside a box that scrolls or clips them, such as a wide table's).
 */
function overflow(page: Page): Promise<{ scrollWidth: number; innerWidth: number; culprits: string[] }> {
  return page.evaluate(() => {
    const width = window.innerWidth;
    const describe = (element: Element) =>
      element.tagName.toLowerCase() + (element.id ? `#${element.id}` : "") + [...element.classList].map((name) => `.${name}`).join("");
    const clipped = (element: Element) => {
      for (let parent = element.parentElement; parent && parent !== document.body; parent = parent.parentElement) {
        if (getComputedStyle(parent).overflowX !== "visible") return true;
      }
      return false;
    };
    const culprits: string[] = [];
    for (const element of document.body.querySelectorAll("*")) {
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.right <= width + 0.5 || clipped(element)) continue;
      const parent = element.parentElement;
      if (parent && parent !== document.body && parent.getBoundingClientRect().right > width + 0.5) continue;
      culprits.push(`${describe(element)} (right edge at ${Math.round(box.right)} px)`);
    }
    return { scrollWidth: document.scrollingElement!.scrollWidth, innerWidth: width, culprits };
  });
}

/** Passes when nothing sticks out; otherwise fails naming the widths and the elements. */
async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const { scrollWidth, innerWidth, culprits } = await overflow(page);
  expect({ scrollsSideways: scrollWidth > innerWidth, scrollWidth, culprits }).toEqual({ scrollsSideways: false, scrollWidth, culprits: [] });
}

for (const width of [320, 390]) {
  describe(`${width} px wide`, () => {
    let context: BrowserContext;
    let page: Page;
    beforeAll(async () => {
      // Not `isMobile`: a phone browser zooms out a page that is too wide, which would hide the overflow.
      context = await env.browser().newContext({ viewport: { width, height: 740 }, hasTouch: true, deviceScaleFactor: 2 });
      page = await context.newPage();
    });
    afterAll(async () => {
      await context?.close();
    });

    it.each(pages)("$url ($template) does not scroll sideways", async ({ url }) => {
      await page.goto(`${env.site().origin}${url}`);
      await expectNoSidewaysScroll(page);
    });

    it.each(["en", "ru"])("the search dialog with results (%s) does not scroll sideways", async (lang) => {
      const fresh = await context.newPage();
      await fresh.goto(`${env.site().origin}/${lang}/`);
      await fresh.locator(".site-search__button").click();
      await fresh.locator(".search-dialog__input").fill(lang === "ru" ? "гарантия" : "warranty");
      await fresh.locator(".search-results a").first().waitFor();
      await expectNoSidewaysScroll(fresh);
      await fresh.close();
    });
  });
}
