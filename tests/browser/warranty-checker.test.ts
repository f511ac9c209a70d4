/**
 * The warranty checker in the browser: asks when each voiding event happened and answers with the
 * domain rules, never dating what the client did not date, with nothing under the answer that
 * contradicts it; without JavaScript the same decision is laid out as tables, voiding conditions included.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { formatDate } from "../../src/domain/format";
import { buildWorkCalendar, calendarDate } from "../../src/domain/service-clock";
import { projectWarranty, warrantyStatus } from "../../src/domain/warranty";
import { loadServerContent } from "../../src/lib/content-files";
import { FIXTURE, TEST_NOW } from "../setup/sites";
import { siteAndBrowser } from "./harness";

const env = siteAndBrowser();
const content = loadServerContent(FIXTURE.content);
const calendar = buildWorkCalendar(content.settings, content.calendars);
const today = calendarDate(new Date(TEST_NOW), calendar);

type Answers = {
  project?: string;
  manual?: { program?: "standard" | "development"; completedOn: string; extension?: string };
  on?: string;
  cause: string;
  events?: Record<string, { timing: string; on?: string }>;
};

async function check(page: Page, answers: Answers) {
  await page.selectOption("#checker-project", answers.project ?? "");
  if (answers.manual) {
    await page.check(`input[name="program"][value="${answers.manual.program ?? "standard"}"]`);
    await page.fill("#checker-completed", answers.manual.completedOn);
    if (answers.manual.extension) await page.fill("#checker-extension", answers.manual.extension);
  }
  if (answers.on) await page.fill("#checker-date", answers.on);
  await page.check(`input[name="cause"][value="${answers.cause}"]`);
  for (const [kind, { timing, on }] of Object.entries(answers.events ?? {})) {
    await page.selectOption(`#checker-when-${kind}`, timing);
    if (on) await page.fill(`#checker-on-${kind}`, on);
  }
  await page.getByRole("button", { name: /^(Check|Проверить)$/ }).click();
  const result = page.locator(".checker__result");
  await result.waitFor({ state: "visible" });
  return {
    status: (await result.locator(".checker__status").textContent())!,
    route: (await result.locator(".checker__route").textContent())!,
    why: (await result.locator(".checker__why").textContent())!,
    clause: await result.locator(".checker__clause").getAttribute("href"),
    action: await result.locator(".checker__action").getAttribute("href"),
    /** Everything a reader sees on the page below the form. */
    visible: await page.locator("main").innerText(),
  };
}

async function open(lang: "en" | "ru") {
  const page = await env.browser().newPage();
  await page.goto(`${env.site().origin}/${lang}/warranty/check/`);
  return page;
}

describe("warranty checker with JavaScript", () => {
  it("routes a code defect on an active project to warranty, with the clause and a pre-filled form; the problem date defaults to today", async () => {
    const page = await open("en");
    expect(await page.inputValue("#checker-date")).toBe(today);
    const expected = warrantyStatus(projectWarranty(content.projects.get("fx-shop")!), today, calendar);
    const answer = await check(page, { project: "fx-shop", cause: "code-defect" });
    expect(expected.state).toBe("active");
    expect(answer.status).toBe(`Covered by the warranty until ${formatDate(expected.until!, "en")} inclusive.`);
    expect(answer.route).toMatch(/warranty work/);
    expect(answer.clause).toBe("/en/warranty/#covered");
    expect(answer.action).toBe("/en/request/warranty/?project=fx-shop");
    expect(await page.evaluate(() => document.activeElement?.classList.contains("checker__result"))).toBe(true);
    await page.close();
  });

  it("dates a hosting move by the client's date, not the problem's, and nothing under the answer says covered", async () => {
    const page = await open("en");
    const answer = await check(page, { project: "fx-shop", cause: "code-defect", events: { "hosting-moved": { timing: "on-date", on: "2026-11-02" } } });
    expect(answer.status).toBe("The warranty stopped applying on 2 November 2026: you moved the site to new hosting yourself.");
    expect(answer.route).toMatch(/technical support/);
    expect(answer.clause).toBe("/en/warranty/#voiding");
    expect(answer.action).toBe("/en/request/support/?project=fx-shop");
    expect(answer.visible).not.toContain(formatDate(today, "en"));
    expect(answer.visible).not.toContain("Covered by the warranty until");
    await page.close();
  });

  it("says what the answer depends on when the client does not know when it happened, and ignores a move after the problem", async () => {
    const page = await open("en");
    const unknown = await check(page, { project: "fx-shop", cause: "code-defect", events: { "hosting-moved": { timing: "unknown" } } });
    expect(unknown.status).toBe("The warranty period runs until 1 October 2027 inclusive.");
    expect(unknown.route).toMatch(/depends on when it happened/);
    expect(unknown.why).toContain("If you moved the site to new hosting yourself during the warranty period and before the problem appeared");
    expect(unknown.action).toBe("/en/request/warranty/?project=fx-shop");
    expect(unknown.visible).not.toContain("Covered by the warranty until");
    const after = await check(page, { project: "fx-shop", cause: "code-defect", events: { "hosting-moved": { timing: "after-problem" } } });
    expect(after.route).toMatch(/warranty work/);
    expect(after.why).toContain("after the problem appeared: that does not affect this problem");
    await page.close();
  });

  it("in Russian: an exclusion goes to support; an undated voiding before the problem states no date", async () => {
    const page = await open("ru");
    const speed = await check(page, { project: "fx-shop", cause: "speed" });
    expect(speed.route).toMatch(/техническая поддержка/);
    expect(speed.clause).toBe("/ru/warranty/#not-covered");
    const sold = await check(page, { project: "fx-shop", cause: "code-defect", events: { "site-sold": { timing: "before-problem" } } });
    expect(sold.status).toBe("Гарантия перестала действовать ещё до появления проблемы: вы продали сайт.");
    expect(sold.clause).toBe("/ru/warranty/#voiding");
    expect(sold.action).toBe("/ru/request/support/?project=fx-shop");
    await page.close();
  });

  it("states a recorded voiding with its recorded date", async () => {
    const page = await open("en");
    const answer = await check(page, { project: "fx-voided", cause: "code-defect" });
    expect(answer.status).toBe("The warranty stopped applying on 20 October 2026: you moved the site to new hosting yourself.");
    await page.close();
  });

  it("computes from entered dates when the project is not listed, and asks only the development programme's question and timings", async () => {
    const page = await open("en");
    const expired = await check(page, { cause: "code-defect", manual: { completedOn: "2025-01-10" } });
    expect(expired.status).toBe("The warranty period ended on 10 April 2025.");
    expect(expired.clause).toBe("/en/warranty/#period");
    await page.selectOption("#checker-project", "fx-clinic");
    expect(await page.locator('[data-condition="conditions-violated"]').isVisible()).toBe(true);
    expect(await page.locator('.checker__event[data-condition="site-sold"]').isVisible()).toBe(false);
    const offered = await page.locator("#checker-when-conditions-violated option:not([disabled])").evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value));
    expect(offered).toEqual(["", "on-date", "before-problem", "after-problem", "unknown"]);
    const billed = await check(page, { project: "fx-clinic", cause: "code-defect", events: { "conditions-violated": { timing: "unknown" } } });
    expect(billed.status).toMatch(/no time limit/);
    expect(billed.why).toContain("If the operating conditions we gave you were not kept before the problem appeared, the fix may be billed to you after an audit.");
    expect(billed.clause).toBe("/en/development-warranty/#audit");
    expect(billed.action).toBe("/en/request/warranty/?project=fx-clinic");
    await page.close();
  });
});

describe("warranty checker without JavaScript", () => {
  it.each([
    {
      lang: "en",
      covered: /^Covered by the warranty until/,
      conditions: [
        "You were more than 10 working days late with a payment or documents (such as a signed act)",
        "You moved the site to new hosting yourself",
        "You changed the site's program code without agreeing it with us first",
        "You removed all links from your site to our site without agreeing it with us first",
        "You sold the site",
      ],
      rule: /only if it happens during the warranty period/,
      warranty: "Warranty",
      support: "Technical support",
    },
    {
      lang: "ru",
      covered: /^Гарантия действует по/,
      conditions: [
        "Вы задержали оплату или документы (например, подписанный акт) более чем на 10 рабочих дней",
        "Вы сами перенесли сайт на другой хостинг",
        "Вы изменили программный код сайта, не согласовав это с нами",
        "Вы без согласования с нами удалили с сайта все ссылки на наш сайт",
        "Вы продали сайт",
      ],
      rule: /только если это произошло в течение гарантийного срока/,
      warranty: "По гарантии",
      support: "Техническая поддержка",
    },
  ] as const)("lays out the whole decision as tables ($lang)", async ({ lang, covered, conditions, rule, warranty, support }) => {
    const context = await env.browser().newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${env.site().origin}/${lang}/warranty/check/`);
    expect(await page.locator("form.checker").isVisible()).toBe(false);
    expect(await page.locator(".checker__as-of").textContent()).toBe(lang === "en" ? `As of ${formatDate(today, lang)}` : `По состоянию на ${formatDate(today, lang)}`);
    expect(await page.locator('tr[data-project="fx-shop"] td').last().textContent()).toMatch(covered);
    expect(await page.locator(".checker__records-note").isVisible()).toBe(true);
    expect(await page.locator('tr[data-project="fx-private"]').count()).toBe(0);
    expect(await page.locator('tr[data-cause="code-defect"] td').allTextContents()).toEqual([warranty, warranty]);
    expect(await page.locator('tr[data-cause="hosting"] td').allTextContents()).toEqual([support, support]);
    expect(await page.locator('tr[data-cause="user-action"] td[data-program="development"]').textContent()).toMatch(lang === "en" ? /audit/ : /аудита/);
    expect(await page.locator(".checker__conditions li").allTextContents()).toEqual(conditions);
    expect(await page.locator(".checker__voiding-rule").textContent()).toMatch(rule);
    const hrefs = await page.locator(".checker__static a").evaluateAll((links) => links.map((link) => link.getAttribute("href")));
    expect(hrefs).toEqual([
      `/${lang}/warranty/#period`,
      `/${lang}/development-warranty/#no-deadline`,
      `/${lang}/warranty/#voiding`,
      `/${lang}/development-warranty/#audit`,
      `/${lang}/request/warranty/`,
      `/${lang}/request/support/`,
    ]);
    await context.close();
  });
});
