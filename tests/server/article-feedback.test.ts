/**
 * "Was this page helpful?" (issue 13, part B): `POST /api/feedback` counts a yes or a no per article,
 * language and day; `POST /api/feedback/comment` turns what was missing into a `feedback` ticket that
 * the sender e-mails to the team (no confirmation: nobody gives an address), keeping the masked text
 * for `npm run spool -- feedback`. Without JavaScript both answer with the article page, the next step
 * in its feedback section. Hostile posts get DESIGN.md §4's codes with nothing stored or sent.
 * Real HTTP, a real file spool, a real SMTP server, the manual clock, a small built site.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FEEDBACK_COMMENT_PATH, FEEDBACK_NUMBER_PLACEHOLDER, FEEDBACK_VOTE_PATH, MAX_COMMENT_LENGTH, feedbackMarkers } from "../../src/domain/article-feedback";
import { FORM_TOKEN_PLACEHOLDERS } from "../../src/domain/requests";
import { serviceWithSink } from "./helpers/service-with-sink";
import { testContent } from "./helpers/service";

const DAY = 86_400_000;
const TEN_MINUTES = 10 * 60_000;
const dist = await mkdtemp(path.join(tmpdir(), "feedback-dist-"));
const running = serviceWithSink({ distDir: dist });

/** The markup of the built article's feedback section, as ArticleFeedback.astro lays it out. */
const marked = (state: "slot" | "yes" | "no" | "sent", html: string) => `${feedbackMarkers(state).start}${html}${feedbackMarkers(state).end}`;
const ARTICLE_PAGE = `<!doctype html><html lang="en"><body><main><h1>Standard warranty</h1>
<section id="feedback">${marked("slot", `<form method="post" action="${FEEDBACK_VOTE_PATH}#feedback"><button name="helpful" value="yes">Yes</button></form>`)}</section>
<template data-state="yes">${marked("yes", "<p>Thank you for your answer.</p>")}</template>
<template data-state="no">${marked(
  "no",
  `<form method="post" action="${FEEDBACK_COMMENT_PATH}#feedback"><input name="renderedAt" value="${FORM_TOKEN_PLACEHOLDERS.renderedAt}"><input name="formSignature" value="${FORM_TOKEN_PLACEHOLDERS.formSignature}"><input name="idempotencyKey" value="${FORM_TOKEN_PLACEHOLDERS.idempotencyKey}"><textarea name="comment"></textarea></form>`,
)}</template>
<template data-state="sent">${marked("sent", `<p>The team has your note as number ${FEEDBACK_NUMBER_PLACEHOLDER}.</p>`)}</template>
</main></body></html>`;

beforeAll(async () => {
  await mkdir(path.join(dist, "en", "warranty"), { recursive: true });
  await writeFile(path.join(dist, "en", "warranty", "index.html"), ARTICLE_PAGE);
});
afterAll(async () => {
  await rm(dist, { recursive: true, force: true });
});
// Each test starts a new rate-limit window (the service lives for the whole file).
beforeEach(() => running.service.clock.advance(TEN_MINUTES));

type PostOptions = { headers?: Record<string, string>; as?: "json" | "form" | "raw" };
function post(url: string, body: unknown, { headers = {}, as = "json" }: PostOptions = {}) {
  const encoded =
    as === "json" ? { body: JSON.stringify(body), type: "application/json" }
    : as === "form" ? { body: new URLSearchParams(body as Record<string, string>).toString(), type: "application/x-www-form-urlencoded" }
    : { body: body as string, type: "text/plain" };
  return fetch(`${running.service.url}${url}`, {
    method: "POST",
    body: encoded.body,
    headers: { "Sec-Fetch-Site": "same-origin", "Content-Type": encoded.type, Accept: as === "form" ? "text/html" : "application/json", ...headers },
  });
}
const vote = (fields: Record<string, string>, options?: PostOptions) => post(FEEDBACK_VOTE_PATH, { article: "warranty", lang: "en", ...fields }, options);

/** A signed comment as the page's form sends it (the token from a "no", the clock past the fill time). */
async function comment(fields: Record<string, string>, options?: PostOptions) {
  const answer = await vote({ helpful: "no" });
  const { token } = (await answer.json()) as { token: Record<string, string> };
  running.service.clock.advance(10_000);
  return post(FEEDBACK_COMMENT_PATH, { article: "warranty", lang: "en", ...token, ...fields }, options);
}

const feedback = () => running.service.spool.articleFeedback("2000-01-01", 10);
const mailsTo = (id: string) => running.sink.received.filter((mail) => mail.raw.includes(`X-Form-Request-ID: ${id}`));

describe("POST /api/feedback", () => {
  it("counts yes and no per article, language and day, and answers a no with a signed comment form", async () => {
    const before = await feedback();
    expect((await vote({ helpful: "yes" })).status).toBe(204);
    expect((await vote({ helpful: "yes", lang: "ru" })).status).toBe(204);
    const no = await vote({ helpful: "no" });
    expect(no.status).toBe(200);
    expect(await no.json()).toEqual({ token: { renderedAt: expect.stringMatching(/^\d+$/), formSignature: expect.any(String), idempotencyKey: expect.any(String) } });
    const count = (lang: string) => {
      const find = (list: typeof before) => list.find((entry) => entry.article === "warranty" && entry.lang === lang) ?? { yes: 0, no: 0 };
      return (after: typeof before) => ({ yes: find(after).yes - find(before).yes, no: find(after).no - find(before).no });
    };
    const after = await feedback();
    expect(count("en")(after)).toEqual({ yes: 1, no: 1 });
    expect(count("ru")(after)).toEqual({ yes: 1, no: 0 });
    const files = await readdir(path.join(running.service.config.spoolDir, "feedback"));
    expect(files).toEqual([expect.stringMatching(/^\d{4}-\d{2}-\d{2}\.json$/)]);
  });

  it("answers a form without JavaScript with the article, the step in its feedback section", async () => {
    const yes = await vote({ helpful: "yes" }, { as: "form" });
    expect(yes.status).toBe(200);
    const yesPage = await yes.text();
    const slotOf = (page: string) => page.slice(page.indexOf(feedbackMarkers("slot").start), page.indexOf(feedbackMarkers("slot").end));
    expect(slotOf(yesPage)).toContain("Thank you for your answer.");
    expect(yesPage).toContain("<h1>Standard warranty</h1>");

    const noPage = await (await vote({ helpful: "no" }, { as: "form" })).text();
    const form = slotOf(noPage);
    expect(form).toContain(`action="${FEEDBACK_COMMENT_PATH}#feedback"`);
    for (const placeholder of Object.values(FORM_TOKEN_PLACEHOLDERS)) expect(form).not.toContain(placeholder);
    const value = (name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(form)![1]!;
    running.service.clock.advance(20_000);
    const sent = await post(
      FEEDBACK_COMMENT_PATH,
      { article: "warranty", lang: "en", renderedAt: value("renderedAt"), formSignature: value("formSignature"), idempotencyKey: value("idempotencyKey"), website: "", comment: "How is a warranty claim sent at night?" },
      { as: "form" },
    );
    expect(sent.status).toBe(200);
    const [, id] = /number (F-[0-9A-Z]{8})\./.exec(slotOf(await sent.text())) ?? [];
    expect(id).toBeDefined();
    expect(await running.service.spool.find(id!)).toMatchObject({ type: "feedback", lang: "en", deadlines: {} });
  });

  it("keeps nothing about the visitor and ignores a bot's answer", async () => {
    const before = await feedback();
    expect((await vote({ helpful: "no", website: "https://spam.example" })).status).toBe(200);
    expect(await feedback()).toEqual(before);
    await vote({ helpful: "yes" }, { headers: { "X-Forwarded-For": "203.0.113.9", "User-Agent": "visitor-agent" } });
    const folder = path.join(running.service.config.spoolDir, "feedback");
    for (const file of await readdir(folder)) {
      expect(await readFile(path.join(folder, file), "utf8")).not.toMatch(/127\.0\.0\.1|203\.0\.113|visitor-agent/);
    }
  });

  it("refuses other sites, other media types, large bodies, unknown articles and anything but its fields, storing nothing", async () => {
    const before = await feedback();
    expect((await vote({ helpful: "yes" }, { headers: { "Sec-Fetch-Site": "cross-site" } })).status).toBe(403);
    expect((await post(FEEDBACK_VOTE_PATH, "article=warranty&lang=en&helpful=yes", { as: "raw" })).status).toBe(415);
    const multipart = new FormData();
    multipart.append("article", "warranty");
    const multipartStatus = await fetch(`${running.service.url}${FEEDBACK_VOTE_PATH}`, { method: "POST", body: multipart, headers: { "Sec-Fetch-Site": "same-origin" } });
    expect(multipartStatus.status).toBe(415);
    expect((await vote({ helpful: "yes", website: "x".repeat(2000) })).status).toBe(413);
    expect((await vote({ helpful: "maybe" })).status).toBe(422);
    expect((await vote({ helpful: "yes", article: "no-such-page" })).status).toBe(422);
    expect((await vote({ helpful: "yes", article: "../../etc/passwd" })).status).toBe(422);
    expect((await vote({ helpful: "yes", lang: "de" })).status).toBe(422);
    expect((await vote({ helpful: "yes", ip: "1.2.3.4" })).status).toBe(422);
    expect(await feedback()).toEqual(before);
  });

  it("limits how many answers one client sends", async () => {
    const statuses: number[] = [];
    for (let index = 0; index < 31; index += 1) statuses.push((await vote({ helpful: "yes" })).status);
    expect(statuses.slice(0, 30).every((status) => status === 204)).toBe(true);
    const refused = await vote({ helpful: "yes" });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});

describe("POST /api/feedback/comment", () => {
  it("files what was missing as a feedback ticket e-mailed to the team, with no confirmation and no Reply-To", async () => {
    const text = "Nothing on <script>alert(1)</script> night outages. Write to anna@client.example or +7 915 123-45-67.";
    const response = await comment({ comment: text });
    expect(response.status).toBe(202);
    const { id, type } = (await response.json()) as { id: string; type: string };
    expect(id).toMatch(/^F-[0-9A-Z]{8}$/);
    expect(type).toBe("feedback");
    await running.service.sender.runDue();
    const mails = mailsTo(id);
    expect(mails).toHaveLength(1);
    const [team] = mails;
    expect(team!.recipients).toEqual(["fallback-team@agency.example"]);
    expect(team!.parsed.subject).toContain(id);
    expect(team!.parsed.subject).toContain("warranty");
    expect(team!.parsed.replyTo).toBeUndefined();
    expect(team!.parsed.text).toContain(text);
    expect(team!.parsed.text).toContain("/en/warranty/");
    expect(team!.parsed.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(team!.parsed.html).not.toContain("<script>");

    const kept = (await feedback()).find((entry) => entry.article === "warranty" && entry.lang === "en")!.comments.find((entry) => entry.id === id);
    expect(kept?.text).toBe("Nothing on <script>alert(1)</script> night outages. Write to [email] or [number].");
    // Delivered: the spool's copy of the comment is gone, only the receipt stays.
    expect((await running.service.spool.show(id))?.request).toBeUndefined();
  });

  it("gives a retried comment (same key) the same number, one e-mail and one kept comment", async () => {
    const answer = await vote({ helpful: "no" });
    const { token } = (await answer.json()) as { token: Record<string, string> };
    running.service.clock.advance(10_000);
    const send = () => post(FEEDBACK_COMMENT_PATH, { article: "warranty", lang: "en", ...token, comment: "Prices for weekends." });
    const first = (await (await send()).json()) as { id: string };
    const second = (await (await send()).json()) as { id: string };
    expect(second.id).toBe(first.id);
    await running.service.sender.runDue();
    expect(mailsTo(first.id)).toHaveLength(1);
    const kept = (await feedback()).flatMap((entry) => entry.comments).filter((entry) => entry.id === first.id);
    expect(kept).toHaveLength(1);
  });

  it("quarantines a bot's comment (honeypot, forged signature): answered alike, never sent or kept", async () => {
    const honeypot = await comment({ comment: "Buy now", website: "https://spam.example" });
    const forged = await comment({ comment: "Buy now", formSignature: "A".repeat(43) });
    const ids = await Promise.all([honeypot, forged].map(async (response) => {
      expect(response.status).toBe(202);
      return ((await response.json()) as { id: string }).id;
    }));
    await running.service.sender.runDue();
    for (const id of ids) {
      expect(mailsTo(id)).toEqual([]);
      expect((await running.service.spool.list("quarantine", 1000)).map((entry) => entry.id)).toContain(id);
    }
    expect((await feedback()).flatMap((entry) => entry.comments).map((entry) => entry.text)).not.toContain("Buy now");
  });

  it("refuses forged, oversized, cross-site and invalid comments with nothing stored or sent", async () => {
    const stats = await running.service.spool.stats();
    const mails = running.sink.received.length;
    const before = await feedback();
    expect((await comment({ comment: "x" }, { headers: { "Sec-Fetch-Site": "cross-site" } })).status).toBe(403);
    expect((await comment({ comment: "x".repeat(40_000) })).status).toBe(413);
    expect((await comment({ comment: "x".repeat(MAX_COMMENT_LENGTH + 1) })).status).toBe(422);
    expect((await comment({ comment: "  " })).status).toBe(422);
    expect((await comment({ comment: "x", article: "no-such-page" })).status).toBe(422);
    expect((await comment({ comment: "x", email: "a@b.example" })).status).toBe(422);
    expect((await post(FEEDBACK_COMMENT_PATH, "comment=x", { as: "raw" })).status).toBe(415);
    expect((await comment({ comment: "x" }, { headers: { "Idempotency-Key": "bad key!" } })).status).toBe(400);
    // Sent back sooner than a person writes: asked to send again, nothing stored.
    const { token } = (await (await vote({ helpful: "no" })).json()) as { token: Record<string, string> };
    const tooFast = await post(FEEDBACK_COMMENT_PATH, { article: "warranty", lang: "en", ...token, comment: "x" });
    expect(tooFast.status).toBe(422);
    expect(await tooFast.json()).toMatchObject({ error: "validation", issues: [{ path: "form" }] });
    await running.service.sender.runDue();
    const after = await running.service.spool.stats();
    expect(after.depth + after.dead + after.quarantined).toBe(stats.depth + stats.dead + stats.quarantined);
    expect(running.sink.received.length).toBe(mails);
    expect((await feedback()).flatMap((entry) => entry.comments)).toEqual(before.flatMap((entry) => entry.comments));
  });

  it("is no request type of the request API: a feedback ticket is sent only from an article", async () => {
    const response = await running.service.post({ type: "feedback", name: "Ivan", email: "ivan@client.example", lang: "en", consent: true, article: "warranty", comment: "x" });
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ error: "validation", issues: [{ path: "type" }] });
  });
});

describe("retention and the operator's tool", () => {
  it("forgets votes and comments older than the agency's retention", async () => {
    const retention = testContent.settings.articleFeedbackRetentionDays;
    expect(retention).toBe(30); // the fixture's own value, not the default
    running.service.clock.advance(retention * DAY);
    await vote({ helpful: "yes" });
    expect(await feedback()).toEqual([{ lang: "en", article: "warranty", yes: 1, no: 0, comments: [] }]);
    expect(await readdir(path.join(running.service.config.spoolDir, "feedback"))).toHaveLength(1);
  });

  it("npm run spool -- feedback lists yes/no per article and the latest comments beside the running service", async () => {
    await vote({ helpful: "yes", lang: "ru" });
    const { id } = (await (await comment({ comment: "Сколько стоит\nвыезд?" })).json()) as { id: string };
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/spool.ts", "feedback", "--days", "3650"], {
      env: { PATH: process.env.PATH ?? "", SPOOL_DIR: running.service.config.spoolDir },
    });
    const lines = stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^\s+1\s+1 {2}en {2}warranty$/);
    expect(lines[1]).toMatch(new RegExp(`^\\s+${id} {2}\\d{4}-\\d{2}-\\d{2} {2}Сколько стоит выезд\\?$`));
    expect(lines[2]).toMatch(/^\s+1\s+0 {2}ru {2}warranty$/);
    expect(lines.at(-1)).toMatch(/^2 articles answered since \d{4}-\d{2}-\d{2}/);
  });
});
