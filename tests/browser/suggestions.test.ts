/** Help while writing: matching articles appear as the client describes the problem. */
import { describe, expect, it } from "vitest";
import { siteAndBrowser } from "./harness";

const env = siteAndBrowser();

describe("article suggestions", () => {
  it.each([
    { lang: "en", text: "We moved the site to another hosting provider and the catalogue page is broken", expected: "/en/warranty/" },
    { lang: "ru", text: "Мы сами перенесли сайт на другой хостинг, и теперь страница каталога не открывается", expected: "/ru/warranty/" },
  ])("suggests $expected for a $lang description", async ({ lang, text, expected }) => {
    const page = await env.browser().newPage();
    await page.goto(`${env.site().origin}/${lang}/how-to-request/`);
    const box = page.locator("article-suggestions .suggestions__box");
    expect(await box.isHidden()).toBe(true);
    await page.locator("#self-help-text").pressSequentially(text.slice(0, 30));
    await page.locator("#self-help-text").fill(text);
    await box.waitFor({ state: "visible" });
    const links = await box.locator("a").evaluateAll((anchors) => anchors.map((a) => (a as HTMLAnchorElement).pathname + (a as HTMLAnchorElement).hash));
    expect(links.length).toBeGreaterThan(0);
    expect(links.length).toBeLessThanOrEqual(3);
    expect(links.some((link) => link.startsWith(expected))).toBe(true);
    expect(await box.locator("p").first().textContent()).toMatch(/\S/);
    await page.close();
  });

  it("shows nothing for text that matches no article", async () => {
    const page = await env.browser().newPage();
    await page.goto(`${env.site().origin}/en/how-to-request/`);
    await page.locator("#self-help-text").fill("zzqx qqzzx");
    await page.waitForTimeout(1200); // longer than the debounce, so an answer would have arrived
    expect(await page.locator("article-suggestions .suggestions__box").isHidden()).toBe(true);
    await page.close();
  });
});
