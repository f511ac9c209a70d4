/**
 * "Was this page helpful?" in a real browser against the real form service and a real SMTP server,
 * with JavaScript on (answered in place, the focus on what appeared, keyboard only, zero axe
 * violations in each step) and off (plain forms, the service answers with the article and the next step),
 * and the comment reaching the team as a feedback ticket, with no e-mail to anybody else.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { dictionaries } from "../../src/i18n";
import { axeViolations } from "../quality/axe";
import { TEST_NOW } from "../setup/sites";
import { portalAndBrowser } from "./harness";

const env = portalAndBrowser(TEST_NOW);

const focused = (page: Page) => page.evaluate(() => `${document.activeElement?.tagName.toLowerCase()}.${document.activeElement?.className.split(" ")[0] ?? ""}#${document.activeElement?.id ?? ""}`);
const feedbackOf = async (lang: string) => (await env.portal().spool.articleFeedback("2000-01-01", 10)).find((entry) => entry.lang === lang && entry.article === "warranty") ?? { yes: 0, no: 0, comments: [] };

/** The team's e-mail of a feedback ticket, after the sender ran; fails unless it is the only e-mail of that ticket. */
async function onlyTeamMailOf(id: string) {
  await env.portal().deliver();
  const mails = env.portal().smtp.received.filter((mail) => mail.raw.includes(`X-Form-Request-ID: ${id}`));
  expect(mails.map((mail) => mail.messageId)).toEqual([`<${id}.team@agency.example>`]);
  return mails[0]!;
}

describe("article feedback with JavaScript", () => {
  it("answers a no in place, asks what was missing with the focus in the field, and files the comment, by keyboard alone", async () => {
    const before = await feedbackOf("en");
    const page = await env.browser().newPage();
    await page.goto(`${env.portal().origin}/en/warranty/`);
    const section = page.locator("#feedback");
    await section.getByRole("button", { name: dictionaries.en["feedback.no"], exact: true }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => focused(page)).toBe("textarea.#feedback-comment");
    expect(page.url()).toBe(`${env.portal().origin}/en/warranty/`);
    expect(await axeViolations(page)).toEqual([]);

    env.portal().advance(15_000); // a person takes a while to write; so does the time trap
    await page.keyboard.type("Whether a claim sent on Saturday counts from Monday.");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await expect.poll(() => focused(page)).toBe("p.feedback__done#");
    const sent = await section.locator(".feedback__done").innerText();
    const id = /F-[0-9A-Z]{8}/.exec(sent)?.[0];
    expect(id, sent).toBeDefined();
    expect(await axeViolations(page)).toEqual([]);

    const team = await onlyTeamMailOf(id!);
    expect(team.parsed.text).toContain("Whether a claim sent on Saturday counts from Monday.");
    const after = await feedbackOf("en");
    expect(after.no - before.no).toBe(1);
    expect(after.comments.map((comment) => comment.id)).toContain(id);
    await page.close();
  });

  it("thanks for a yes in place, in the page's language", async () => {
    const before = await feedbackOf("ru");
    const page = await env.browser().newPage();
    await page.goto(`${env.portal().origin}/ru/warranty/`);
    await page.locator("#feedback").getByRole("button", { name: dictionaries.ru["feedback.yes"], exact: true }).click();
    await expect.poll(() => focused(page)).toBe("p.feedback__done#");
    expect(await page.locator("#feedback .feedback__done").innerText()).toBe(dictionaries.ru["feedback.thanks"]);
    expect((await feedbackOf("ru")).yes - before.yes).toBe(1);
    await page.close();
  });
});

describe("article feedback without JavaScript", () => {
  it("works as plain forms: the service answers with the article and the next step, then files the comment", async () => {
    const before = await feedbackOf("en");
    const context = await env.browser().newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${env.portal().origin}/en/warranty/`);
    await page.locator("#feedback").getByRole("button", { name: dictionaries.en["feedback.no"], exact: true }).click();
    await page.locator("#feedback textarea").waitFor();
    expect(await page.locator(".article__body").count()).toBe(1); // the article itself, not a bare page
    // (axe needs scripts in the page; these steps are the same templates checked with JavaScript above.)

    env.portal().advance(15_000);
    await page.fill("#feedback textarea", "Nothing about <b>hosting</b> moves & warranty.");
    await page.locator("#feedback").getByRole("button", { name: dictionaries.en["feedback.send"], exact: true }).click();
    const done = page.locator("#feedback .feedback__done");
    await done.waitFor();
    const id = /F-[0-9A-Z]{8}/.exec(await done.innerText())?.[0];
    expect(id).toBeDefined();

    const team = await onlyTeamMailOf(id!);
    expect(team.parsed.text).toContain("Nothing about <b>hosting</b> moves & warranty.");
    expect((await feedbackOf("en")).no - before.no).toBe(1);
    await context.close();
  });
});
