/**
 * Phones: from 320 px wide up, no page scrolls sideways — every template in both languages, and
 * the search dialog with results. When one does, the test names the elements that stick out.
 * And every table cell can be read: it lies within the screen, or inside a box that scrolls and
 * that a visitor can find and reach (see `unreachableCells`).
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

/**
 * Table cells whose text lies (partly) outside what the screen shows, with no visible way to bring
 * it in: not inside a box that scrolls sideways, takes keyboard focus (tabindex ≥ 0), has an
 * accessible name, lies itself within the screen, and shows that it scrolls — a scrollbar that takes
 * room, or edge shadows that move with the content (a background with `local` attachment, as
 * `.table-scroll` in global.css draws). Folded parts (<details>) are opened first.
 */
function unreachableCells(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    for (const details of document.querySelectorAll("details")) details.open = true;
    const width = window.innerWidth;
    const scroller = (cell: Element): HTMLElement | undefined => {
      for (let parent = cell.parentElement; parent && parent !== document.body; parent = parent.parentElement) {
        if (["auto", "scroll"].includes(getComputedStyle(parent).overflowX)) return parent;
      }
      return undefined;
    };
    const problem = (box: HTMLElement): string | undefined => {
      const style = getComputedStyle(box);
      const bar = box.offsetHeight - box.clientHeight - parseFloat(style.borderTopWidth) - parseFloat(style.borderBottomWidth);
      if (box.tabIndex < 0) return "its scrolling box takes no keyboard focus";
      if (!(box.getAttribute("aria-label")?.trim() || box.getAttribute("aria-labelledby"))) return "its scrolling box has no accessible name";
      if (box.getBoundingClientRect().right > width + 0.5) return "its scrolling box is itself off-screen";
      if (bar <= 0 && !style.backgroundAttachment.includes("local")) return "its scrolling box shows no sign that it scrolls";
      return undefined;
    };
    const found: string[] = [];
    for (const cell of document.querySelectorAll("td, th")) {
      const range = document.createRange();
      range.selectNodeContents(cell);
      const text = range.getBoundingClientRect();
      if (text.width === 0 || !cell.textContent?.trim()) continue;
      const box = scroller(cell);
      const visible = box ? box.getBoundingClientRect() : { left: 0, right: width };
      const shown = text.left >= Math.max(0, visible.left) - 0.5 && text.right <= Math.min(width, visible.right) + 0.5;
      if (shown) continue;
      const why = box ? problem(box) : "it is off-screen and nothing scrolls it";
      if (why) found.push(`"${cell.textContent.trim().slice(0, 40)}" (${cell.closest("table")?.className || "table"}): ${why}`);
    }
    return found;
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

    /** The address the tab shows as it loaded, until a check changes the page. */
    let loaded: string | undefined;
    /** Goes to `url` unless the tab shows it as loaded: a page's two checks share one load (the first only reads it). */
    async function show(url: string): Promise<void> {
      if (loaded === url) return;
      loaded = undefined;
      await page.goto(`${env.site().origin}${url}`);
      loaded = url;
    }

    describe.each(pages)("$url ($template)", ({ url }) => {
      it("does not scroll sideways", async () => {
        await show(url);
        await expectNoSidewaysScroll(page);
      });

      it("every table cell is on screen or in a box that shows it scrolls", async () => {
        await show(url);
        loaded = undefined; // it opens the folded parts
        expect(await unreachableCells(page)).toEqual([]);
      });
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
