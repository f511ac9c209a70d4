/** The warranty checker answers in the browser with the domain rules, and degrades to dated tables without JavaScript. */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { formatDate } from "../../src/domain/format";
import { calendarDate } from "../../src/domain/service-clock";
import { projectWarranty, warrantyStatus } from "../../src/domain/warranty";
import { loadServerContent } from "../../src/lib/content-files";
import { buildWorkCalendar } from "../../src/domain/service-clock";
import { siteAndBrowser } from "./harness";
import { FIXTURE, TEST_NOW } from "../setup/sites";

const env = siteAndBrowser();
const content = loadServerContent(FIXTURE.content);
const calendar = buildWorkCalendar(content.settings, content.calendars);


async function check(page: Page, answers: { project?: string; cause: string; conditions?: string[]; manual?: { completedOn: string; extension?: string } }) {
  await page.selectOption("#checker-project", answers.project ?? "");
  if (answers.manual) {
    await page.fill("#checker-completed", answers.manual.completedOn);
    if (answers.manual.extension) await page.fill("#checker-extension", answers.manual.extension);
  }
  await page.check(`input[name="cause"][value="${answers.cause}"]`);
  for (const condition of answers.conditions ?? []) await page.check(`input[name="condition"][value="${condition}"]`);
  await page.getByRole("button", { name: /^(Check|Проверить)$/ }).click();
  const result = page.locator(".checker__result");
  await result.waitFor({ state: "visible" });
  return {
    status: (await result.locator(".checker__status").textContent())!,
    route: (await result.locator(".checker__route").textContent())!,
    clause: await result.locator(".checker__clause").getAttribute("href"),
    action: await result.locator(".checker__action").getAttribute("href"),
  };
}

describe("warranty checker with JavaScript", () => {
  it("routes a code defect on an active project to warranty, with the clause and a pre-filled form", async () => {
    const page = await env.browser().newPage();
    await page.goto(`${env.site().origin}/en/warranty/check/`);
    const today = calendarDate(new Date(TEST_NOW), calendar);
    const expected = warrantyStatus(projectWarranty(content.projects.get("fx-shop")!), today, calendar);
    const answer = await check(page, { project: "fx-shop", cause: "code-defect" });
    expect(expected.state).toBe("active");
    expect(answer.status).toContain(formatDate(expected.until!, "en"));
    expect(answer.route).toMatch(/warranty work/);
    expect(answer.clause).toBe("/en/warranty/#covered");
    expect(answer.action).toMatch(/project=fx-shop/);
    expect(await page.evaluate(() => document.activeElement?.classList.contains("checker__result"))).toBe(true);
    await page.close();
  });

  it("routes an exclusion to support and a confirmed voiding condition to support, saying why", async () => {
    const page = await env.browser().newPage();
    await page.goto(`${env.site().origin}/ru/warranty/check/`);
    const speed = await check(page, { project: "fx-shop", cause: "speed" });
    expect(speed.route).toMatch(/техническая поддержка/);
    expect(speed.clause).toBe("/ru/warranty/#not-covered");
    const moved = await check(page, { project: "fx-shop", cause: "code-defect", conditions: ["hosting-moved"] });
    expect(moved.status).toMatch(/перестала действовать/);
    expect(moved.clause).toBe("/ru/warranty/#voiding");
    await page.close();
  });

  it("computes from entered dates when the project is not listed, and asks development questions for that programme", async () => {
    const page = await env.browser().newPage();
    await page.goto(`${env.site().origin}/en/warranty/check/`);
    const answer = await check(page, { cause: "code-defect", manual: { completedOn: "2025-01-10" } });
    expect(answer.status).toMatch(/period ended on 10 April 2025/);
    expect(answer.clause).toBe("/en/warranty/#period");
    await page.selectOption("#checker-project", "fx-clinic");
    expect(await page.locator('[data-condition="conditions-violated"]').isVisible()).toBe(true);
    expect(await page.locator('[data-condition="site-sold"]').isVisible()).toBe(false);
    await page.close();
  });
});

describe("warranty checker without JavaScript", () => {
  it("shows each public project's status as of the build and how each problem is handled", async () => {
    const context = await env.browser().newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${env.site().origin}/en/warranty/check/`);
    expect(await page.locator("form.checker").isVisible()).toBe(false);
    expect(await page.locator(".checker__as-of").textContent()).toMatch(/^As of \d{1,2} \w+ \d{4}$/);
    const row = await page.locator('tr[data-project="fx-shop"] td').textContent();
    expect(row).toMatch(/Covered by the warranty until/);
    expect(await page.locator('tr[data-project="fx-private"]').count()).toBe(0);
    expect(await page.locator('tr[data-cause="code-defect"] td').textContent()).toBe("Warranty");
    expect(await page.locator('tr[data-cause="hosting"] td').textContent()).toBe("Technical support");
    await context.close();
  });
});
