/**
 * Keyboard only, on the real server: from the home page to the warranty article, search, open the
 * warranty claim form from the article, fill it and send it — no mouse — with a visible focus
 * indicator on everything that takes focus along the way.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { portalAndBrowser } from "../browser/harness";
import { TEST_NOW } from "../setup/sites";

const env = portalAndBrowser(TEST_NOW);

type Focus = { element: string; indicator: string | undefined; inView: boolean };

/**
 * What has focus, how its focus shows, and whether it is on screen. The indicator is an outline of
 * at least 2 px or a box shadow on the element itself, or on a close ancestor that draws it for the
 * element (as Pagefind's result cards do) — one that unfocused look-alikes beside it do not draw.
 */
function focused(page: Page): Promise<Focus> {
  return page.evaluate(() => {
    const element = document.activeElement;
    if (!element || element === document.body) return { element: "body", indicator: undefined, inView: false };
    const ring = (target: Element) => {
      const style = getComputedStyle(target);
      if (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2) return `outline ${style.outlineWidth} ${style.outlineStyle} ${style.outlineColor}`;
      return style.boxShadow !== "none" ? `box-shadow ${style.boxShadow}` : undefined;
    };
    let indicator = ring(element);
    for (let ancestor = element.parentElement, level = 0; !indicator && ancestor && level < 3; ancestor = ancestor.parentElement, level += 1) {
      const own = ring(ancestor);
      const peer = [...(ancestor.parentElement?.children ?? [])].find((sibling) => sibling !== ancestor && sibling.className === ancestor.className);
      if (own && (!peer || ring(peer) !== own)) indicator = `${own} on ${ancestor.tagName.toLowerCase()}.${ancestor.classList[0] ?? ""}`;
    }
    const box = element.getBoundingClientRect();
    const inView = box.bottom > 0 && box.right > 0 && box.top < window.innerHeight && box.left < window.innerWidth;
    const name = element.tagName.toLowerCase() + (element.id ? `#${element.id}` : "") + (element.getAttribute("href") ? `[href="${element.getAttribute("href")}"]` : "");
    return { element: name, indicator, inView };
  });
}

/** Every focus stop must show where it is. */
async function expectVisibleFocus(page: Page): Promise<Focus> {
  const focus = await focused(page);
  expect(focus, `focus on ${focus.element} is visible`).toMatchObject({ indicator: expect.any(String), inView: true });
  return focus;
}

/** Presses Tab until `matches` accepts the focused element, checking the focus indicator at every stop. */
async function tabTo(page: Page, matches: (focus: Focus) => boolean, limit = 120): Promise<Focus> {
  for (let step = 0; step < limit; step += 1) {
    await page.keyboard.press("Tab");
    const focus = await focused(page);
    if (focus.element === "body") continue; // past the last element, before wrapping to the first
    await expectVisibleFocus(page);
    if (matches(focus)) return focus;
  }
  throw new Error(`not reached with ${limit} presses of Tab`);
}

const ANSWERS: Record<string, string> = {
  "field-pageUrl": "https://shop.northwind.example/cart",
  "field-userLogin": "anna",
  "field-browser": "Firefox 140 on Windows 11",
  "field-happened": "The cart total is one kopeck lower than the invoice.",
  "field-expected": "The same total as in the invoice.",
  "field-name": "Anna",
  "field-email": "anna@client.example",
};

describe("keyboard-only journey", () => {
  it("home → warranty article → search → warranty claim form → sent, with visible focus at every step", async () => {
    const context = await env.browser().newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${env.portal().origin}/en/`);

    // The skip link comes first, then the warranty article from the navigation.
    expect((await tabTo(page, () => true)).element).toBe('a[href="#content"]');
    await tabTo(page, (focus) => focus.element === 'a[href="/en/warranty/"]');
    await Promise.all([page.waitForURL("**/en/warranty/"), page.keyboard.press("Enter")]);

    // Search: "/" opens it with the input focused; the arrow keys walk the results.
    await page.keyboard.press("/");
    await page.waitForFunction(() => document.activeElement?.matches(".search-dialog__input"));
    await expectVisibleFocus(page);
    await page.keyboard.type("warranty claim");
    await page.locator(".search-results a").first().waitFor();
    await page.keyboard.press("ArrowDown");
    const result = await expectVisibleFocus(page);
    expect(result.element).toMatch(/^a\[href="\/en\/[\w-]+\/(#[\w-]+)?"\]$/);
    const target = /href="([^"]+)"/.exec(result.element)![1]!;
    await Promise.all([page.waitForEvent("framenavigated"), page.keyboard.press("Enter")]);
    await page.waitForLoadState("load");
    expect(new URL(page.url()).pathname + new URL(page.url()).hash).toBe(target);

    // From where search landed, on to the article's warranty-claim link (the form, filled in for the project).
    if (!page.url().includes("/en/warranty/")) {
      await tabTo(page, (focus) => focus.element === 'a[href="/en/warranty/"]');
      await Promise.all([page.waitForURL("**/en/warranty/"), page.keyboard.press("Enter")]);
    }
    await tabTo(page, (focus) => focus.element.startsWith('a[href="/en/request/warranty/'));
    await Promise.all([page.waitForURL("**/en/request/warranty/**"), page.keyboard.press("Enter")]);

    // The form: Tab from field to field, type, choose the project by typing its name, tick consent, send.
    const filled: string[] = [];
    for (let field = 0; ; field += 1) {
      expect(field, "reached the send button").toBeLessThan(30);
      const focus = await tabTo(page, (stop) => /^(input|select|textarea|button)/.test(stop.element));
      const id = /#([\w-]+)/.exec(focus.element)?.[1] ?? "";
      if (id === "field-project") await page.keyboard.type("Northwind");
      else if (id === "field-consent") await page.keyboard.press("Space");
      else if (ANSWERS[id]) await page.keyboard.type(ANSWERS[id]);
      else if (focus.element.startsWith("button") && (await page.evaluate(() => document.activeElement?.matches(".request-form__submit")))) break;
      filled.push(id);
    }
    expect(filled).toEqual(expect.arrayContaining(["field-project", ...Object.keys(ANSWERS), "field-consent"]));
    expect(await page.locator("#field-project").inputValue()).toBe("fx-shop");
    expect(await page.locator("#field-consent").isChecked()).toBe(true);

    env.portal().advance(20_000); // a person takes a while to fill a form, and the form's time trap knows it
    const answer = page.waitForResponse((response) => response.url().endsWith("/api/requests"));
    await page.keyboard.press("Enter");
    expect((await answer).status()).toBe(202);

    // Focus moves to the confirmation, which shows it has focus.
    await page.locator(".request-form__done").waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains("request-form__done"))).toBe(true);
    expect(await page.locator(".request-form__done h2").textContent()).toMatch(/W-[0-9A-Z]{8}/);
    await expectVisibleFocus(page);
    await context.close();
  });
});
