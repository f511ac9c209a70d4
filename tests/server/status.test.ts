/**
 * Issue 13: a request's private status page and "How did we do?". The confirmation (received by a
 * real SMTP server) and the receipt page carry the link; the page says what the client sent and
 * what we promised, and the state computed from the spool and the fixture's change log; forged,
 * foreign and expired links answer 404 saying nothing; a done request takes one rating, stored and
 * e-mailed to the team (a second: 409, nothing stored or sent); the SLA report gets the figures.
 */
import { execFile } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { beforeEach, describe, expect, it } from "vitest";
import { RATINGS_PATH, SATISFACTION_SLOT, STATUS_PAGE } from "../../src/domain/request-status";
import { RECEIPT } from "../../src/domain/requests";
import { loadServerContent } from "../../src/lib/content-files";
import { dictionaries } from "../../src/i18n";
import { formatMonth } from "../../src/lib/project-format";
import { sweepRetention } from "../../server/sender";
import { statusKey } from "../../server/status-link";
import { FIXTURE } from "../setup/sites";
import { PUBLIC_ORIGIN, VALID } from "./helpers/service";
import { serviceWithSink } from "./helpers/service-with-sink";

/** The fixture's own projects and change log: fx-shop's 2026-11-05 entry names S-2HVN8C5R, fx-private's 2026-06-16 one S-7DLQ2M4K. */
const content = loadServerContent(FIXTURE.content);
const PRIVATE_TOKEN = content.projects.get("fx-private")!.accessToken!;
const running = serviceWithSink({ content });
const en = dictionaries.en;
const ru = dictionaries.ru;
const HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

beforeEach(() => {
  // Each test starts with fresh rate-limit windows.
  running.service.clock.advance(11 * 60_000);
});

const get = (urlPath: string) => fetch(`${running.service.url}${urlPath}`).then(async (response) => ({ status: response.status, body: await response.text() }));
const statusLinkOf = (id: string, lang = "en", key = statusKey(running.service.spool.secret, id)) => `/${lang}/request/status/?${new URLSearchParams({ id, key })}`;
const moscowDay = (ms: number) => new Date(ms + 3 * 3_600_000).toISOString().slice(0, 10);
const unescape = (href: string) => href.replaceAll("&amp;", "&");

/** A request as the spool holds it once accepted, with a chosen id (one the fixture's change log names, say). */
async function accepted(id: string, project: string, lang: "en" | "ru" = "en") {
  await running.service.spool.accept({
    receipt: { version: 1, id, type: "support", lang, project, receivedAt: "2026-11-23T10:00:00+03:00", deadlines: { firstResponse: "2026-11-23T12:00:00+03:00" } },
    fields: { name: "Anna", email: "anna@client.example", wanted: "Secret wish" },
    attachments: [],
    confirmation: "suppressed",
    quarantined: false,
  });
  await running.service.sender.runDue();
}

function rate(fields: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(`${running.service.url}${RATINGS_PATH}`, {
    method: "POST",
    redirect: "manual",
    body: new URLSearchParams(fields),
    headers: { "Sec-Fetch-Site": "same-origin", Accept: HTML, ...headers },
  });
}
const ratingOf = (id: string, score: string, comment = "") => ({ lang: "en", id, key: statusKey(running.service.spool.secret, id), rating: score, comment });

describe("the status link", () => {
  it("is on the receipt page and in the confirmation, on the site's origin, and follows the request from waiting to the team", async () => {
    const response = await running.service.post({ ...VALID.support, project: "fx-shop" });
    const { id, statusUrl } = (await response.json()) as { id: string; statusUrl: string };
    expect(statusUrl).toBe(statusLinkOf(id)); // for the page's own "sent" message with JavaScript

    const receipt = await get(`${RECEIPT.path("en")}?${RECEIPT.idParam}=${id}`);
    const href = unescape(/href="(\/en\/request\/status\/\?[^"]+)"/.exec(receipt.body)?.[1] ?? "");
    expect(href).toBe(statusLinkOf(id));
    const waiting = await get(href);
    expect(waiting.status).toBe(200);
    expect(waiting.body).toContain(en["status.state.waiting"]);

    await running.service.sender.runDue();
    const confirmation = running.sink.received.find((mail) => mail.messageId === `<${id}.client@agency.example>`)!;
    const link = `${PUBLIC_ORIGIN}${statusLinkOf(id)}`;
    expect(confirmation.parsed.text).toContain(link);
    expect(confirmation.parsed.html).toContain(`href="${link.replaceAll("&", "&amp;")}"`);

    const page = await get(new URL(link).pathname + new URL(link).search);
    expect(page.status).toBe(200);
    for (const shown of [id, en["requestType.support"], "Northwind online shop", en["status.state.delivered"], "Monday, 23 November 2026"]) expect(page.body).toContain(shown);
    expect(page.body).toMatch(/\(\d+ (h|min)[^)]* left\)/);
    // What the client sent beyond type and project is not on the page.
    for (const personal of [VALID.support.name, VALID.support.email, VALID.support.wanted]) expect(page.body).not.toContain(personal);
    expect(page.body).not.toContain(`id="${STATUS_PAGE.ratingAnchor}"`);
  });

  it("shows the page in the request's language", async () => {
    const response = await running.service.post({ ...VALID.support, lang: "ru", project: "fx-shop" });
    const { id } = (await response.json()) as { id: string };
    await running.service.sender.runDue();
    const confirmation = running.sink.received.find((mail) => mail.messageId === `<${id}.client@agency.example>`)!;
    expect(confirmation.parsed.text).toContain(`${PUBLIC_ORIGIN}${statusLinkOf(id, "ru")}`);
    const page = await get(statusLinkOf(id, "ru"));
    expect(page.body).toContain(`<html lang="ru"`);
    expect(page.body).toContain(ru["status.state.delivered"]);
  });

  it("says so when the team's e-mail has failed: a delay the client should know about", async () => {
    running.sink.rejectRcpt = (address) => (address === "shop-team@fixture.example" ? 451 : undefined);
    try {
      const response = await running.service.post({ ...VALID.support, project: "fx-shop" });
      const { id } = (await response.json()) as { id: string };
      await running.service.sender.runDue();
      expect((await get(statusLinkOf(id))).body).toContain(en["status.state.delayed"]);
    } finally {
      running.sink.rejectRcpt = () => undefined;
    }
  });

  it("answers 404 revealing nothing to a forged key, another request's key, an unknown id or no key, and once the receipt is no longer kept", async () => {
    const response = await running.service.post({ ...VALID.extension, project: "fx-shop" });
    const { id } = (await response.json()) as { id: string };
    const other = "S-ZZZZZZZZ";
    const notFound = (await get("/en/no-such-page/")).body;
    for (const href of [
      statusLinkOf(id, "en", "A".repeat(43)),
      statusLinkOf(id, "en", statusKey(running.service.spool.secret, other)),
      statusLinkOf(other),
      `/en/request/status/?id=${id}`,
      `/en/request/status/?id=${id}&key=${statusKey("another secret", id)}`,
    ]) {
      const answer = await get(href);
      expect(answer.status, href).toBe(404);
      expect(answer.body, href).not.toContain(id);
      expect(answer.body, href).toBe(notFound);
    }
    expect((await get(statusLinkOf(id))).status).toBe(200);
    await running.service.sender.runDue();
    const retention = sweepRetention(content, running.service.config);
    running.service.clock.advance(retention.quarantineMs + 1);
    await running.service.spool.sweep(retention);
    expect((await get(statusLinkOf(id))).status, "past RETENTION_DAYS, within requestStatusRetentionDays").toBe(200);
    running.service.clock.advance(retention.doneMs);
    await running.service.spool.sweep(retention);
    expect((await get(statusLinkOf(id))).status).toBe(404);
  });
});

describe("a request done in the change log", () => {
  it("is shown done with the entry's title, date and hours, linked to the project's change log", async () => {
    await accepted("S-2HVN8C5R", "fx-shop");
    const page = await get(statusLinkOf("S-2HVN8C5R"));
    for (const shown of [en["status.state.resolved"], "Platform core updated to the autumn release", "5 November 2026", `href="/en/projects/fx-shop/changes/#2026-11-05-platform-update"`]) {
      expect(page.body).toContain(shown);
    }
    expect(page.body).toMatch(/<dt>Hours<\/dt><dd>3<\/dd>/);
    expect(page.body).toContain(`id="${STATUS_PAGE.ratingAnchor}"`);
    expect(page.body).toContain(`action="${RATINGS_PATH}"`);
  });

  it("links a private project's entry within its capability pages only", async () => {
    await accepted("S-7DLQ2M4K", "fx-private", "ru");
    const page = await get(statusLinkOf("S-7DLQ2M4K", "ru"));
    expect(page.body).toContain(`href="/ru/p/${PRIVATE_TOKEN}/changes/#2026-06-16-carrier-rating"`);
    expect(page.body).not.toContain("/projects/fx-private");
  });
});

describe("How did we do?", () => {
  it("takes one rating per done request, stores it, e-mails the team, and refuses a second one storing and sending nothing", async () => {
    const id = "S-2HVN8C5R";
    if (!(await running.service.spool.progress(id))) await accepted(id, "fx-shop");
    const hostile = "Great <b>work</b>\u0000\r\nBcc: victim@evil.example\r\nSubject: hi\u001b[0m ";
    const first = await rate(ratingOf(id, "5", hostile));
    expect(first.status).toBe(303);
    expect(first.headers.get("location")).toBe(`${statusLinkOf(id)}#${STATUS_PAGE.ratingAnchor}`);
    expect(await running.service.spool.rating(id)).toEqual({ id, project: "fx-shop", day: moscowDay(running.service.clock.now()), score: 5, comment: "Great <b>work</b>\r\nBcc: victim@evil.example\r\nSubject: hi[0m" });

    const mails = running.sink.received.filter((mail) => mail.messageId === `<${id}.rating@agency.example>`);
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail!.recipients).toEqual(content.projects.get("fx-shop")!.team);
    const headers = mail!.raw.slice(0, mail!.raw.indexOf("\r\n\r\n"));
    expect(headers).not.toMatch(/Great|victim|evil/);
    expect(mail!.parsed.subject).toContain("5");
    expect(mail!.parsed.text).toContain("Great <b>work</b>");
    expect(mail!.parsed.html).toContain("Great &lt;b&gt;work&lt;/b&gt;");
    expect(mail!.parsed.html).not.toContain("<b>work");

    const page = await get(statusLinkOf(id));
    expect(page.body).toContain(en["status.rating.thanks"].replace("{score}", "5"));
    expect(page.body).not.toContain(`action="${RATINGS_PATH}"`);

    const sent = running.sink.received.length;
    const second = await rate(ratingOf(id, "1", "changed my mind"));
    expect(second.status).toBe(409);
    expect(await second.text()).toContain(en["status.rating.alreadyRated"]);
    const again = await rate(ratingOf(id, "2"), { Accept: "application/json" });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: "already_rated" });
    expect((await running.service.spool.rating(id))?.score).toBe(5);
    await running.service.sender.runDue();
    expect(running.sink.received.length).toBe(sent);
  });

  it("refuses what is not a rating of a done request by its own link", async () => {
    const response = await running.service.post({ ...VALID.support, project: "fx-shop" });
    const { id } = (await response.json()) as { id: string };
    await accepted("S-7DLQ2M4K", "fx-private", "ru");
    const done = ratingOf("S-7DLQ2M4K", "4");
    const cases: [string, Response | Promise<Response>, number][] = [
      ["not done yet", rate(ratingOf(id, "4")), 422],
      ["forged key", rate({ ...done, key: "A".repeat(43) }), 404],
      ["score 6", rate({ ...done, rating: "6" }), 422],
      ["score 0", rate({ ...done, rating: "0" }), 422],
      ["unknown field", rate({ ...done, extra: "x" }), 422],
      ["comment over its limit", rate({ ...done, comment: "x".repeat(1001) }), 422],
      ["body over its limit", rate({ ...done, comment: "x".repeat(5000) }), 413],
      ["cross-site", rate(done, { "Sec-Fetch-Site": "cross-site" }), 403],
      ["JSON", fetch(`${running.service.url}${RATINGS_PATH}`, { method: "POST", body: JSON.stringify(done), headers: { "Content-Type": "application/json", "Sec-Fetch-Site": "same-origin" } }), 415],
    ];
    for (const [name, answer, status] of cases) expect((await answer).status, name).toBe(status);
    expect(await running.service.spool.rating(id)).toBeUndefined();
    expect(await running.service.spool.rating("S-7DLQ2M4K")).toBeUndefined();
  });

  it("limits how many ratings one client may send", async () => {
    const statuses = [];
    for (let i = 0; i < 12; i += 1) statuses.push((await rate({ ...ratingOf("S-ZZZZZZZZ", "3") })).status);
    expect(statuses.slice(0, 10).every((status) => status === 404)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
  });
});

describe("the SLA report's satisfaction figures", () => {
  /** A built SLA page stands in for the site's: its slot is what the service fills. */
  async function builtSlaPage(urlPath: string) {
    const dir = path.join(running.service.config.distDir, urlPath);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, "index.html"), `<!doctype html><main><h2>Satisfaction</h2>${SATISFACTION_SLOT.start}<p>static</p>${SATISFACTION_SLOT.end}</main>`);
  }

  it("are filled in per month from the ratings kept, for public projects and under a private project's capability URL only", async () => {
    await builtSlaPage("/en/projects/fx-shop/sla/");
    await builtSlaPage(`/ru/p/${PRIVATE_TOKEN}/sla/`);
    if (!(await running.service.spool.rating("S-2HVN8C5R"))) {
      if (!(await running.service.spool.progress("S-2HVN8C5R"))) await accepted("S-2HVN8C5R", "fx-shop");
      expect((await rate(ratingOf("S-2HVN8C5R", "5"))).status).toBe(303);
    }
    const shop = await get("/en/projects/fx-shop/sla/");
    expect(shop.status).toBe(200);
    expect(shop.body).not.toContain(SATISFACTION_SLOT.start);
    expect(shop.body).not.toContain("<p>static</p>");
    const { day } = (await running.service.spool.rating("S-2HVN8C5R"))!;
    expect(shop.body).toContain(`<th scope="row">${formatMonth(day.slice(0, 7), "en")}</th><td>1</td><td>5</td>`);

    const hidden = await get(`/ru/p/${PRIVATE_TOKEN}/sla/`);
    expect(hidden.status).toBe(200);
    expect(hidden.body).toContain(ru["status.satisfaction.none"]);
    expect((await get("/ru/p/not-the-token/sla/")).status).toBe(404);
    expect((await get("/en/projects/fx-private/sla/")).status).toBe(404);
  });
});

describe("npm run spool -- ratings", () => {
  it("lists the answers beside the running service, each comment on one line", async () => {
    if (!(await running.service.spool.rating("S-2HVN8C5R"))) {
      if (!(await running.service.spool.progress("S-2HVN8C5R"))) await accepted("S-2HVN8C5R", "fx-shop");
      expect((await rate(ratingOf("S-2HVN8C5R", "5", "Line one\nline two"))).status).toBe(303);
    }
    const { day, comment } = (await running.service.spool.rating("S-2HVN8C5R"))!;
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/spool.ts", "ratings", "--days", "3650"], {
      env: { PATH: process.env.PATH ?? "", SPOOL_DIR: running.service.config.spoolDir },
    });
    const lines = stdout.trimEnd().split("\n");
    expect(lines).toContain(`${day}  S-2HVN8C5R  fx-shop  5/5  ${JSON.stringify(comment)}`);
    expect(lines.at(-1)).toMatch(/^1 rating since \d{4}-\d{2}-\d{2}/);
  });
});
