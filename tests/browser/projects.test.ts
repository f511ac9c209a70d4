/**
 * The JavaScript-enhanced parts of the project pages in a real browser: the warranty status is
 * recomputed for today by the domain rules (with the dated build-time status as the no-JS fallback),
 * and the change-log filter works with JavaScript (address, empty months, count) and without it (CSS).
 */
import type { BrowserContext, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { formatDate } from "../../src/domain/format";
import { buildWorkCalendar, calendarDate } from "../../src/domain/service-clock";
import { projectWarranty, warrantyStatus } from "../../src/domain/warranty";
import { loadServerContent } from "../../src/lib/content-files";
import { siteAndBrowser } from "./harness";
import { FIXTURE, TEST_NOW } from "../setup/sites";

const env = siteAndBrowser();
const content = loadServerContent(FIXTURE.content);
const calendar = buildWorkCalendar(content.settings, content.calendars);
const shop = projectWarranty(content.projects.get("fx-shop")!);

async function open(path: string, options: { javaScript?: boolean; now?: Date } = {}): Promise<{ page: Page; context: BrowserContext }> {
  const context = await env.browser().newContext({ javaScriptEnabled: options.javaScript ?? true });
  const page = await context.newPage();
  if (options.now) await page.clock.setFixedTime(options.now);
  await page.goto(`${env.site().origin}${path}`);
  return { page, context };
}

const visibleKinds = (page: Page) =>
  page.locator(".change").evaluateAll((entries) => entries.filter((e) => (e as HTMLElement).offsetParent !== null).map((e) => (e as HTMLElement).dataset.kind + "/" + (e as HTMLElement).dataset.basis));

describe("warranty status on the project page", () => {
  it("is recomputed in the browser for the visitor's today", async () => {
    // A year after the build: the extension bought on 1 October 2026 has run out.
    const later = new Date("2027-10-05T09:00:00+03:00");
    const expected = warrantyStatus(shop, "2027-10-05", calendar);
    expect(expected).toMatchObject({ state: "expired", until: "2027-10-01" });
    const { page, context } = await open("/en/projects/fx-shop/", { now: later });
    const status = page.locator("warranty-status");
    await expect.poll(() => status.locator(".warranty-status__when").textContent()).toBe("Today, 5 October 2027:");
    expect(await status.locator(".warranty-status__text").textContent()).toBe(`The warranty period ended on ${formatDate("2027-10-01", "en")}.`);
    expect(await status.locator(".warranty-status__text").getAttribute("data-state")).toBe("expired");
    await context.close();
  });

  it("shows the dated build-time status without JavaScript", async () => {
    const { page, context } = await open("/ru/projects/fx-shop/", { javaScript: false });
    const today = calendarDate(new Date(TEST_NOW), calendar);
    const status = warrantyStatus(shop, today, calendar);
    expect(await page.locator(".warranty-status__when").textContent()).toBe(`На ${formatDate(today, "ru")}:`);
    expect(await page.locator(".warranty-status__text").getAttribute("data-state")).toBe(status.state);
    await context.close();
  });
});

describe("change-log filter", () => {
  it("filters by kind and basis, hides empty months, announces the count and keeps the choice in the address", async () => {
    const { page, context } = await open("/en/projects/fx-shop/changes/");
    const all = await visibleKinds(page);
    expect(all.length).toBeGreaterThan(5);
    await page.locator('select[name="kind"]').selectOption("fix");
    await expect.poll(() => visibleKinds(page)).toEqual(all.filter((k) => k.startsWith("fix/")));
    expect(new URL(page.url()).searchParams.get("kind")).toBe("fix");
    const fixes = all.filter((k) => k.startsWith("fix/")).length;
    expect(await page.locator(".changelog__count").textContent()).toBe(`Showing ${fixes} of ${all.length} entries`);
    // November has no fix: its month disappears.
    expect(await page.locator('.changelog__month[data-month="2026-11"]').isVisible()).toBe(false);

    await page.locator('select[name="kind"]').selectOption("");
    await page.locator('select[name="basis"]').selectOption("warranty");
    await expect.poll(() => visibleKinds(page)).toEqual(all.filter((k) => k.endsWith("/warranty")));
    expect(new URL(page.url()).search).toBe("?basis=warranty");
    await context.close();
  });

  it("applies a filter given in the address", async () => {
    const { page, context } = await open("/ru/projects/fx-clinic/changes/?kind=incident-fix&basis=sla");
    await expect.poll(async () => (await visibleKinds(page)).length).toBeGreaterThan(0);
    expect((await visibleKinds(page)).every((k) => k === "incident-fix/sla")).toBe(true);
    expect(await page.locator('select[name="kind"]').inputValue()).toBe("incident-fix");
    await context.close();
  });

  it("works without JavaScript, through CSS alone", async () => {
    const { page, context } = await open("/en/projects/fx-clinic/changes/", { javaScript: false });
    const all = await visibleKinds(page);
    await page.locator('select[name="basis"]').selectOption("support");
    await expect.poll(() => visibleKinds(page)).toEqual(all.filter((k) => k.endsWith("/support")));
    await page.locator('select[name="kind"]').selectOption("integration");
    await expect.poll(() => visibleKinds(page)).toEqual(all.filter((k) => k === "integration/support"));
    await context.close();
  });
});
