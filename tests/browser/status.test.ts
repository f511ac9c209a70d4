/**
 * Issue 13 end to end in a real browser, against the real service and a real SMTP server: a
 * support request sent from the form is followed from the confirmation e-mail's link to its
 * resolution and rated, in both languages, with JavaScript on and off; the team gets the rating
 * and the project's SLA report shows it.
 */
import { describe, expect, it } from "vitest";
import { dictionaries } from "../../src/i18n";
import { portalAndBrowser } from "./harness";

/** Monday 23 November 2026, 10:00 Moscow time. */
const MONDAY_MORNING = Date.parse("2026-11-23T10:00:00+03:00");
const FILL_TIME_MS = 15_000;

const env = portalAndBrowser(MONDAY_MORNING);

describe.each([
  { lang: "en" as const, javaScript: true },
  { lang: "ru" as const, javaScript: false },
  { lang: "en" as const, javaScript: false },
  { lang: "ru" as const, javaScript: true },
])("a request in $lang, JavaScript $javaScript", ({ lang, javaScript }) => {
  const t = dictionaries[lang];

  it("is followed from its e-mail to its resolution and rated, and the SLA report counts the rating", async () => {
    const context = await env.browser().newContext({ javaScriptEnabled: javaScript });
    const page = await context.newPage();
    await page.goto(`${env.portal().origin}/${lang}/request/support/?project=fx-shop`);
    await page.selectOption("#field-project", "fx-shop");
    await page.fill("#field-wanted", "Export orders to CSV");
    await page.fill("#field-name", "Lena");
    // Each journey its own mailbox: an address gets only a few confirmations a day.
    await page.fill("#field-email", `lena.${lang}.${javaScript ? "js" : "nojs"}@client.example`);
    await page.check("#field-consent");
    env.portal().advance(FILL_TIME_MS);

    let id: string;
    if (javaScript) {
      const answer = page.waitForResponse((response) => response.url().endsWith("/api/requests"));
      await page.locator(".request-form__submit").click();
      id = ((await (await answer).json()) as { id: string }).id;
      // The page's own "sent" message links the status page too.
      const link = page.locator(".request-form__status a");
      await link.waitFor();
      expect(await link.getAttribute("href")).toMatch(new RegExp(`^/${lang}/request/status/\\?id=${id}&key=`));
    } else {
      await Promise.all([page.waitForURL(/\/request\/received\/\?id=S-/), page.locator(".request-form__submit").click()]);
      id = new URL(page.url()).searchParams.get("id")!;
      expect(await page.locator(`.request-receipt a[href^="/${lang}/request/status/"]`).count()).toBe(1);
    }

    await env.portal().deliver();
    const confirmation = env.portal().smtp.received.find((mail) => mail.messageId === `<${id}.client@agency.example>`)!;
    const link = new URL(/https?:\/\/\S+\/request\/status\/\?\S+/.exec(confirmation.parsed.text ?? "")![0]);
    expect(link.pathname).toBe(`/${lang}/request/status/`);

    const status = await page.goto(`${env.portal().origin}${link.pathname}${link.search}`);
    expect(status?.status()).toBe(200);
    expect(await page.getAttribute("html", "lang")).toBe(lang);
    expect(await page.locator("main h1").textContent()).toBe(t["status.title"]);
    const before = await page.locator(".request-status").innerText();
    expect(before).toContain(id);
    expect(before).toContain(t["status.state.delivered"]);
    expect(before).not.toContain("Lena");
    // The language switch keeps the request.
    expect(await page.locator("a.lang-switch").getAttribute("href")).toBe(`/${lang === "en" ? "ru" : "en"}/request/status/${link.search}`);

    // The team publishes the change-log entry naming the request; the service reads content at start,
    // as after the deploy that publishes it, so the test adds it the way that start would have found it.
    env.portal().content.resolutions.set(id, { ticket: id, project: "fx-shop", entry: "2026-11-05-platform-update", title: "CSV export of orders", date: "2026-11-23", hours: 1.5, lang: "en" });
    await page.reload();
    const done = await page.locator(".request-status").innerText();
    expect(done).toContain(t["status.state.resolved"]);
    expect(await page.locator(".request-status a", { hasText: "CSV export of orders" }).getAttribute("href")).toBe(`/${lang}/projects/fx-shop/changes/#2026-11-05-platform-update`);

    await page.check("#rating-4");
    await page.fill("#rating-comment", "Quick & <b>clean</b>");
    await Promise.all([page.waitForURL(/#rating$/), page.locator(`button[type="submit"]`, { hasText: t["status.rating.send"] }).click()]);
    expect(await page.locator(".request-status").innerText()).toContain(t["status.rating.thanks"].replace("{score}", "4"));
    expect(await page.locator(`form[action="/api/ratings"]`).count()).toBe(0);

    const rating = env.portal().smtp.received.find((mail) => mail.messageId === `<${id}.rating@agency.example>`)!;
    expect(rating.recipients.sort()).toEqual(["lead.shop@fixture.example", "shop-team@fixture.example"]);
    expect(rating.parsed.text).toContain("Quick & <b>clean</b>");

    await page.goto(`${env.portal().origin}/${lang}/projects/fx-shop/sla/`);
    const figures = await page.locator(`section[aria-labelledby="satisfaction"] table`).innerText();
    expect(figures).toMatch(/\t[1-4]\t/); // this one and those of the journeys before it, in the month's row
    await context.close();
  });
});
