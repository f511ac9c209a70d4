/**
 * Request journeys in a real browser against the real form service and a real SMTP server:
 * a warranty claim with a screenshot with JavaScript on and off, deadlines shown before sending
 * equal to those the API promises, inline validation in the page's language (consent with its own
 * message, the focus on the error summary), the browser field and the project as the page loads,
 * and a private project's claim from its capability URL to the e-mails.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { deflateSync } from "node:zlib";
import { simpleParser, type AddressObject, type ParsedMail } from "mailparser";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatDateTime } from "../../src/domain/format";
import { DEADLINE_KINDS, type RequestDeadlines } from "../../src/domain/requests";
import type { RequestType } from "../../src/domain/request-types";
import { buildWorkCalendar, deadlineQualifiers, formatDeadline, requestDeadlines } from "../../src/domain/service-clock";
import { dictionaries } from "../../src/i18n";
import { loadServerContent } from "../../src/lib/content-files";
import { FIXTURE } from "../setup/sites";
import { launchBrowser } from "./harness";
import { startPortal, type Portal } from "./portal";

/** Friday 27 November 2026, 17:30 Moscow time: half an hour before the end of the working week. */
const FRIDAY_EVENING = Date.parse("2026-11-27T17:30:00+03:00");
const FILL_TIME_MS = 15_000;

let portal: Portal;
let browser: Browser;
const screenshot = path.join(tmpdir(), "portal-screenshot.png");

/** A real 2×2 PNG (so the server's content sniffing accepts it). */
function writePng(file: string): void {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.from([0, 0, 0, 2, 0, 0, 0, 2, 8, 2, 0, 0, 0]);
  const pixels = deflateSync(Buffer.from([0, 255, 0, 0, 255, 0, 0, 0, 255, 0, 0, 255, 0, 0]));
  writeFileSync(file, Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk("IHDR", header), chunk("IDAT", pixels), chunk("IEND", Buffer.alloc(0))]));
}

function crc32(data: Buffer): number {
  let crc = ~0;
  for (const byte of data) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit += 1) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

beforeAll(async () => {
  writePng(screenshot);
  portal = await startPortal(FRIDAY_EVENING, FIXTURE);
  browser = await launchBrowser({ now: FRIDAY_EVENING });
});

afterAll(async () => {
  await browser?.close();
  await portal?.stop();
});

async function fillWarrantyClaim(page: Page, name: string): Promise<void> {
  await page.selectOption("#field-project", "fx-shop");
  await page.fill("#field-pageUrl", "https://shop.northwind.example/cart");
  await page.fill("#field-happened", "The cart <b>total</b> is 1 kopeck lower & the invoice differs");
  await page.fill("#field-expected", "The same total as in the invoice");
  await page.setInputFiles("#field-attachments", screenshot);
  await page.fill("#field-name", name);
  await page.fill("#field-email", `${name.toLowerCase()}@client.example`);
  await page.check("#field-consent");
}

const addresses = (field: AddressObject | AddressObject[] | undefined) =>
  (Array.isArray(field) ? field : field ? [field] : []).flatMap((group) => group.value.map((entry) => entry.address));

/** The delivered team and client e-mails of a ticket, decoded, with the client's raw message. */
async function mailsOf(id: string): Promise<{ team: ParsedMail; client: ParsedMail; clientRaw: string; teamRecipients: string[] }> {
  const raw = portal.smtp.received.filter((mail) => mail.raw.includes(`X-Form-Request-ID: ${id}`));
  const parsed = await Promise.all(raw.map(async (mail) => ({ mail, parsed: await simpleParser(mail.raw) })));
  const team = parsed.find(({ mail }) => mail.messageId === `<${id}.team@agency.example>`);
  const client = parsed.find(({ mail }) => mail.messageId === `<${id}.client@agency.example>`);
  if (!team || !client) throw new Error(`expected a team and a client e-mail for ${id}, got ${raw.length}`);
  return { team: team.parsed, client: client.parsed, clientRaw: client.mail.raw, teamRecipients: team.mail.recipients.sort() };
}

const deadlineTexts = (deadlines: RequestDeadlines, lang: "en" | "ru") =>
  DEADLINE_KINDS.filter((kind) => deadlines[kind]).map((kind) => formatDateTime(deadlines[kind]!, lang));

describe("deadline preview", () => {
  const content = loadServerContent(FIXTURE.content);
  const calendar = buildWorkCalendar(content.settings, content.calendars);
  /** What the service clock promises for this project, as the preview words it. */
  const expected = (type: RequestType, slug: string) => {
    const project = content.projects.get(slug)!;
    const terms = { program: project.warranty.program, slaReactionMinutes: project.sla?.reactionMinutes };
    const dates = requestDeadlines(type, new Date(FRIDAY_EVENING), calendar, content.promises, terms);
    // The fixture qualifies only the development warranty's start of work, and the preview must say so.
    const qualified = deadlineQualifiers(type, content.promises, terms);
    return DEADLINE_KINDS.filter((kind) => dates[kind]).map((kind) => `${formatDateTime(formatDeadline(dates[kind]!, calendar), "en")}${qualified[kind] ? " (as a rule, in simple cases)" : ""}`);
  };

  it.each([
    // The development programme promises a start of work, not the standard processing and fix times.
    { type: "warranty" as const, projects: ["fx-shop", "fx-clinic"] },
    // An SLA's reaction target shortens the first reaction to an outage.
    { type: "incident" as const, projects: ["fx-shop", "fx-clinic"] },
  ])("follows the chosen project's programme and SLA on the $type form", async ({ type, projects }) => {
    const page = await browser.newPage();
    await page.goto(`${portal.origin}/en/request/${type}/`);
    await page.locator("#field-project").focus(); // first interaction loads the enhancement
    const shown: string[][] = [];
    for (const slug of projects) {
      await page.selectOption("#field-project", slug);
      // The enhancement loads on first interaction: wait for its preview rather than read it before it is drawn.
      const preview = async () => (await page.locator(".deadline-preview__list li").allInnerTexts()).map((line) => line.replace(/^[^:]+: /, "").replace(/ Moscow time/, ""));
      await expect.poll(preview, { message: slug, timeout: 10_000 }).toEqual(expected(type, slug));
      shown.push(await preview());
    }
    expect(shown[0], "the two projects' promises differ").not.toEqual(shown[1]);
    await page.close();
  });
});

describe("warranty claim with JavaScript", () => {
  it("shows the deadlines before sending, sends once, and shows the ticket with the same deadlines", async () => {
    const page = await browser.newPage();
    await page.clock.setFixedTime(FRIDAY_EVENING);
    await page.goto(`${portal.origin}/en/request/warranty/`);
    await page.locator("#field-project").focus(); // first interaction loads the enhancement
    await fillWarrantyClaim(page, "Anna");
    portal.advance(FILL_TIME_MS); // a person takes a while to fill a form; so does the time trap
    await page.clock.setFixedTime(portal.now());
    await page.selectOption("#field-project", "fx-clinic");
    await page.selectOption("#field-project", "fx-shop"); // recomputes the preview at the new time
    const preview = await page.locator(".deadline-preview__list li").allInnerTexts();
    expect(preview.length).toBe(2);

    const answer = page.waitForResponse((response) => response.url().endsWith("/api/requests"));
    await page.locator(".request-form__submit").dblclick(); // a double click must not send twice
    const response = await answer;
    expect(response.status()).toBe(202);
    const body = (await response.json()) as { id: string; deadlines: RequestDeadlines };
    expect(body.id).toMatch(/^W-[0-9A-Z]{8}$/);
    expect(body.deadlines.processing).toBe("2026-11-27T18:00:00+03:00");
    const shown = deadlineTexts(body.deadlines, "en");
    expect(preview.map((line) => line.replace(/^[^:]+: /, "").replace(/ Moscow time$/, ""))).toEqual(shown);

    const done = page.locator(".request-form__done");
    await done.waitFor();
    expect(await done.locator("h2").textContent()).toContain(body.id);
    expect(await page.evaluate(() => document.activeElement?.classList.contains("request-form__done"))).toBe(true);
    expect((await portal.spool.stats()).depth).toBe(1); // one request despite the double click

    await portal.deliver();
    const { team, client, teamRecipients } = await mailsOf(body.id);
    expect(teamRecipients).toEqual(["lead.shop@fixture.example", "shop-team@fixture.example"]);
    expect(addresses(team.replyTo)).toEqual(["anna@client.example"]);
    expect(team.subject).toContain(body.id);
    expect(team.attachments.map((file) => file.contentType)).toEqual(["image/png"]);
    expect(team.text).toContain("The cart <b>total</b> is 1 kopeck lower & the invoice differs");
    expect(team.html).toContain("The cart &lt;b&gt;total&lt;/b&gt; is 1 kopeck lower &amp; the invoice differs");
    expect(addresses(client.to)).toEqual(["anna@client.example"]);
    expect(client.text).toContain(body.id);
    expect(client.text).toMatch(/2 December 2026.*17:30/); // the fixture promises a fix within 3 working days
    await page.close();
  });

  it("says so when the form went back within seconds, and the same form then goes through", async () => {
    const page = await browser.newPage();
    await page.clock.setFixedTime(portal.now());
    await page.goto(`${portal.origin}/ru/request/warranty/`);
    await page.locator("#field-project").focus();
    await fillWarrantyClaim(page, "Oleg");
    const tooFast = page.waitForResponse((response) => response.url().endsWith("/api/requests"));
    await page.locator(".request-form__submit").click();
    expect((await tooFast).status()).toBe(422);
    await expect.poll(() => page.locator(".request-form__summary").textContent()).toBe(dictionaries.ru["validation.tooFast"]);
    portal.advance(FILL_TIME_MS);
    const accepted = page.waitForResponse((response) => response.url().endsWith("/api/requests"));
    await page.locator(".request-form__submit").click();
    expect((await accepted).status()).toBe(202);
    await page.close();
  });

  it("validates inline in the page's language before anything is sent", async () => {
    const page = await browser.newPage();
    await page.goto(`${portal.origin}/ru/request/warranty/`);
    await page.locator("#field-email").focus();
    await page.fill("#field-email", "a@b, c@d");
    await page.locator("#field-name").focus();
    await expect.poll(() => page.locator("#field-email-error").textContent()).toMatch(/адрес/i);
    expect(await page.locator("#field-email").getAttribute("aria-invalid")).toBe("true");
    const before = (await portal.spool.stats()).depth;
    await page.locator(".request-form__submit").click();
    await expect.poll(() => page.locator(".request-form__summary").isVisible()).toBe(true);
    expect(await page.locator("#field-pageUrl-error").isVisible()).toBe(true);
    expect((await portal.spool.stats()).depth).toBe(before);
    await page.close();
  });
});

describe("screenshots by paste", () => {
  it("adds a pasted image to the attachments, even as the very first action on the page", async () => {
    const page = await browser.newPage();
    await page.goto(`${portal.origin}/en/request/support/`);
    const png = [...readFileSync(screenshot)];
    await page.evaluate((bytes) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(bytes)], "image.png", { type: "image/png" }));
      document.querySelector("#field-wanted")!.dispatchEvent(new ClipboardEvent("paste", { clipboardData: transfer, bubbles: true }));
    }, png);
    await expect.poll(() => page.locator(".attachments li").count()).toBe(1);
    expect(await page.locator("#field-attachments").evaluate((input) => [...(input as HTMLInputElement).files!].map((file) => file.name))).toEqual([
      expect.stringMatching(/^screenshot-\d+-1\.png$/),
    ]);
    await page.getByRole("button", { name: /Remove screenshot-/ }).click();
    expect(await page.locator(".attachments li").count()).toBe(0);
    await page.close();
  });
});

describe("warranty claim without JavaScript", () => {
  it("posts the plain form, lands on the receipt page, and the e-mails arrive", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${portal.origin}/ru/request/warranty/`);
    await fillWarrantyClaim(page, "Boris");
    portal.advance(FILL_TIME_MS);
    await Promise.all([page.waitForURL(/\/ru\/request\/received\/\?id=W-/), page.locator(".request-form__submit").click()]);
    const id = new URL(page.url()).searchParams.get("id")!;
    const receipt = await page.locator(".request-receipt").innerText();
    expect(receipt).toContain(id);
    expect(receipt).toMatch(/по московскому времени/);

    await portal.deliver();
    const { team, client } = await mailsOf(id);
    expect(addresses(team.replyTo)).toEqual(["boris@client.example"]);
    expect(team.attachments).toHaveLength(1);
    expect(team.text).toContain("https://shop.northwind.example/cart");
    expect(addresses(client.to)).toEqual(["boris@client.example"]);
    expect(client.subject).toContain(id);
    await context.close();
  });
});

describe("filling in", () => {
  it("tells an unticked consent box by its own message, and moves the focus to the error summary", async () => {
    const page = await browser.newPage();
    await page.goto(`${portal.origin}/en/request/warranty/`);
    await page.locator("#field-project").focus();
    await fillWarrantyClaim(page, "Vera");
    await page.uncheck("#field-consent");
    const before = (await portal.spool.stats()).depth;
    await page.locator(".request-form__submit").click();
    await expect.poll(() => page.locator("#field-consent-error").textContent()).toBe(dictionaries.en["field.consent.required"]);
    expect(await page.evaluate(() => document.activeElement?.className)).toBe("request-form__summary");
    // The summary names the problem and leads to the box.
    const link = page.locator(".request-form__summary a");
    expect(await link.count()).toBe(1);
    expect(await link.textContent()).toContain(dictionaries.en["field.consent.required"]);
    await link.click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("field-consent");
    expect((await portal.spool.stats()).depth).toBe(before);
    await page.close();
  });

  it("fills the browser field with a name and version a person reads, not the user-agent string", async () => {
    const agents = {
      "Chrome 131": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
      "Firefox 133": "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
    };
    for (const [expected, userAgent] of Object.entries(agents)) {
      const context = await browser.newContext({ userAgent });
      const page = await context.newPage();
      await page.goto(`${portal.origin}/ru/request/warranty/`);
      await page.locator("#field-project").focus(); // the enhancement fills it
      await expect.poll(() => page.inputValue("#field-browser")).toBe(expected);
      await context.close();
    }
  });

  it("has the project of a project page's link chosen as the page loads, before any interaction", async () => {
    const page = await browser.newPage();
    await page.goto(`${portal.origin}/en/request/incident/?project=fx-clinic`, { waitUntil: "domcontentloaded" });
    expect(await page.inputValue("#field-project")).toBe("fx-clinic");
    // Not the enhancement's doing: it loads only on the first interaction.
    expect(await page.locator("request-form").getAttribute("data-enhanced")).toBeNull();
    await page.close();
  });
});

describe("a private project's claim", () => {
  const [slug, hidden] = [...loadServerContent(FIXTURE.content).projects].find(([, project]) => project.visibility === "private")!;
  const base = `/en/p/${hidden.accessToken}/`;
  const secrets = [slug, hidden.name.en, hidden.name.ru];

  it("goes from the capability page's \"report a problem\" to its team, with JavaScript (202)", async () => {
    const page = await browser.newPage();
    await page.clock.setFixedTime(portal.now());
    await page.goto(`${portal.origin}${base}`);
    await Promise.all([page.waitForURL(`${portal.origin}${base}request/warranty/`), page.getByRole("link", { name: dictionaries.en["project.overview.reportProblem"] }).click()]);
    expect(await page.inputValue("#field-project")).toBe(slug);
    expect(await page.locator('#field-project option:not([value=""])').count()).toBe(1);
    await page.locator("#field-pageUrl").focus(); // first interaction loads the enhancement
    await page.fill("#field-pageUrl", "https://crm.atlas.example/orders");
    await page.fill("#field-happened", "Orders do not open");
    await page.fill("#field-expected", "Orders open");
    await page.fill("#field-name", "Lena");
    await page.fill("#field-email", "lena@client.example");
    await page.check("#field-consent");
    portal.advance(FILL_TIME_MS);
    await page.clock.setFixedTime(portal.now());
    const answer = page.waitForResponse((response) => response.url().endsWith("/api/requests"));
    await page.locator(".request-form__submit").click();
    const response = await answer;
    expect(response.status()).toBe(202);
    const { id } = (await response.json()) as { id: string };

    await portal.deliver();
    const { team, client, clientRaw, teamRecipients } = await mailsOf(id);
    expect(teamRecipients).toEqual(hidden.team);
    expect(team.text).toContain("Orders do not open");
    for (const part of [clientRaw, client.subject ?? "", client.text ?? "", client.html || ""]) {
      for (const secret of secrets) expect(part).not.toContain(secret);
    }
    await page.close();
  });

  it("goes through as a plain form without JavaScript (303 to the receipt)", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${portal.origin}${base.replace("/en/", "/ru/")}request/support/`);
    await page.fill("#field-wanted", "Export orders to CSV");
    await page.fill("#field-name", "Lena");
    await page.fill("#field-email", "lena@client.example");
    await page.check("#field-consent");
    portal.advance(FILL_TIME_MS);
    await Promise.all([page.waitForURL(/\/ru\/request\/received\/\?id=S-/), page.locator(".request-form__submit").click()]);
    const id = new URL(page.url()).searchParams.get("id")!;
    await portal.deliver();
    const { teamRecipients } = await mailsOf(id);
    expect(teamRecipients).toEqual(hidden.team);
    await context.close();
  });
});
