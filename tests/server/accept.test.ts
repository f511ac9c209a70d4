/**
 * `POST /api/requests` against the real app and a real SMTP server: what is accepted, stored and
 * sent, and what is refused with which status (research note T1–T16, T18; DESIGN.md §4).
 */
import { readdir, readFile } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIELD_KIND, RECEIPT, REQUEST_TYPES, requestFields } from "../../src/domain/requests";
import { dictionaries } from "../../src/i18n";
import { IMAGES, PUBLIC_ORIGIN, VALID, startService, type Service } from "./helpers/service";
import { startSmtpSink, type ReceivedMail, type SmtpSink } from "./helpers/smtp-sink";

let sink: SmtpSink;
let service: Service;

beforeAll(async () => {
  sink = await startSmtpSink();
  service = await startService({ smtpUrl: sink.url });
});
afterAll(async () => {
  await service.stop();
  await sink.close();
});

const folder = (name: string) => readdir(path.join(service.config.spoolDir, name));
const counts = async () => ({ queue: (await folder("queue")).length, quarantine: (await folder("quarantine")).length, tmp: (await folder("tmp")).length });
const mailsFor = (id: string) => sink.received.filter((mail) => mail.messageId?.startsWith(`<${id}.`));
const mailOf = (id: string, kind: "team" | "client"): ReceivedMail => {
  const mail = sink.received.find((received) => received.messageId === `<${id}.${kind}@agency.example>`);
  if (!mail) throw new Error(`no ${kind} mail for ${id}`);
  return mail;
};
type Accepted = { id: string; type: string; receivedAt: string; deadlines: Record<string, string> };

/** Posts, expects `status`, and checks nothing was stored. */
async function refused(status: number, ...args: Parameters<Service["post"]>) {
  const before = await counts();
  const response = await service.post(...args);
  expect(response.status).toBe(status);
  expect(await counts()).toEqual(before);
  expect((await folder("tmp")).length).toBe(0);
  return response;
}

describe("accepting a request", () => {
  it("T1: stores a valid request durably, answers 202 with id and deadlines, then e-mails team and client", async () => {
    const response = await service.post(VALID.warranty);
    expect(response.status).toBe(202);
    const body = (await response.json()) as Accepted;
    expect(body.id).toMatch(/^W-[0-9A-Z]{8}$/);
    expect(body).toMatchObject({ type: "warranty", receivedAt: "2026-11-23T10:00:05+03:00" });
    expect(body.deadlines).toEqual({ processing: "2026-11-23T18:00:00+03:00", resolution: "2026-11-26T10:00:05+03:00" });
    const entry = path.join(service.config.spoolDir, "queue", body.id);
    expect((await readdir(entry)).sort()).toEqual(["receipt.json", "request.json", "state.json"]);
    expect(JSON.parse(await readFile(path.join(entry, "request.json"), "utf8")).fields).toMatchObject({ name: "Ivan Petrov", happened: VALID.warranty.happened });

    expect(await service.sender.runDue()).toBe(2);
    const [team, client] = [mailOf(body.id, "team"), mailOf(body.id, "client")];
    expect(team.recipients).toEqual(["test-shop-team@agency.example"]);
    expect(team.raw).toMatch(/^Reply-To: ivan@client\.example$/m); // no display name the client could dress up
    expect(team.raw).toMatch(new RegExp(`^X-Form-Request-ID: ${body.id}$`, "m"));
    expect(team.parsed.text).toContain("The cart is empty after login.");
    expect(client.recipients).toEqual(["ivan@client.example"]);
    expect(client.raw).toMatch(/^Auto-Submitted: auto-replied$/m);
    const confirmation = client.parsed.text ?? "";
    expect(confirmation).toContain(body.id);
    expect(confirmation).toContain("26 ноября 2026 г. в 10:00 по московскому времени");
    expect(confirmation).toContain("https://wa.me/");
    expect(confirmation).not.toContain("The cart is empty"); // no free text in the confirmation
  });

  it("accepts every type, urlencoded and JSON alike, with the deadlines of its type", async () => {
    // Prevention, extension and consultation: no published term promises a deadline (tests/server/promises.test.ts has the figures).
    const expected = { support: ["firstResponse"], prevention: [], extension: [], consultation: [], incident: ["firstResponse"] };
    for (const [type, kinds] of Object.entries(expected)) {
      const response = await service.post(VALID[type as keyof typeof expected], { as: "urlencoded" });
      expect(response.status, type).toBe(202);
      expect(Object.keys(((await response.json()) as Accepted).deadlines), type).toEqual(kinds);
    }
    const incident = (await (await service.post(VALID.incident)).json()) as Accepted;
    const minutes = (Date.parse(incident.deadlines.firstResponse!) - Date.parse(incident.receivedAt)) / 60_000;
    expect(minutes).toBe(30); // the project's SLA reaction target
  });

  it("T2: stores PNG, JPEG and WebP screenshots by their sniffed type and mails them to the team under safe names", async () => {
    const response = await service.post(VALID.warranty, {
      files: [
        { name: "cart.png", content: IMAGES.png },
        { name: "../../etc/photo.jpeg", content: IMAGES.jpeg },
        { name: 'shot"\r\nX-Evil: 1.webp', content: IMAGES.webp },
        { name: "..\\..\\windows\\evil.exe", content: IMAGES.png },
      ],
    });
    expect(response.status).toBe(202);
    const { id } = (await response.json()) as Accepted;
    const entry = path.join(service.config.spoolDir, "queue", id);
    expect((await readdir(entry)).filter((name) => name.startsWith("att-")).sort()).toEqual(["att-1.png", "att-2.jpg", "att-3.webp", "att-4.png"]);
    const stored = (JSON.parse(await readFile(path.join(entry, "request.json"), "utf8")) as { attachments: { name: string }[] }).attachments.map((attachment) => attachment.name);
    await service.sender.runDue();
    const team = mailOf(id, "team");
    const { attachments } = team.parsed;
    expect(attachments.map((attachment) => attachment.contentType)).toEqual(["image/png", "image/jpeg", "image/webp", "image/png"]);
    expect(attachments[0]?.content.equals(IMAGES.png)).toBe(true);
    const mailed = attachments.map((attachment) => attachment.filename);
    expect(mailed).toEqual(stored);
    expect(stored.slice(0, 2)).toEqual(["cart.png", "photo.jpg"]);
    expect(stored[3]).toBe("evil.png");
    for (const name of stored) expect(name).not.toMatch(/[/\\]|\.\./); // no path left to climb out with
    expect(team.raw).not.toMatch(/^X-Evil/m);
  });

  it("T3: refuses a bad e-mail with 422 and messages in the form's language", async () => {
    const response = await refused(422, { ...VALID.warranty, email: "a@b.example, c@d.example" });
    expect(await response.json()).toEqual({
      error: "validation",
      message: "Исправьте, пожалуйста, следующее и отправьте форму ещё раз:",
      issues: [{ path: "email", message: "Введите один адрес электронной почты, например name@example.com." }],
    });
  });

  it("T4, T5, T11: refuses over-long text, non-http URLs and line breaks in single-line fields", async () => {
    await refused(422, { ...VALID.warranty, happened: "x".repeat(20_000) });
    await refused(422, { ...VALID.warranty, pageUrl: "javascript:alert(1)" });
    await refused(422, { ...VALID.warranty, name: "Ivan\r\nBcc: victim@evil.example" }, { as: "urlencoded" });
  });

  it("refuses an unknown project and attachments on a form that takes none", async () => {
    const unknown = await refused(422, { ...VALID.warranty, project: "no-such-project" });
    expect(((await unknown.json()) as { issues: unknown[] }).issues).toEqual([{ path: "project", message: "Выберите ваш проект из списка." }]);
    await refused(422, VALID.consultation, { files: [{ name: "a.png", content: IMAGES.png }] });
  });

  it("T6: refuses a 6th file and a file over 5 MB (413), a disguised executable, SVG and non-WebP RIFF (415)", async () => {
    const six = Array.from({ length: 6 }, (_, index) => ({ name: `s${index}.png`, content: IMAGES.png }));
    await refused(413, VALID.warranty, { files: six });
    await refused(413, VALID.warranty, { files: [{ name: "big.png", content: Buffer.concat([IMAGES.png, Buffer.alloc(5 * 1024 * 1024)]) }] });
    await refused(415, VALID.warranty, { files: [{ name: "virus.png", type: "image/png", content: IMAGES.exe }] });
    await refused(415, VALID.warranty, { files: [{ name: "logo.svg", type: "image/svg+xml", content: IMAGES.svg }] });
    // RIFF is a container: only its WEBP form is an image.
    await refused(415, VALID.warranty, { files: [{ name: "voice.webp", type: "image/webp", content: IMAGES.wave }] });
    await refused(415, VALID.warranty, { files: [{ name: "clip.webp", type: "image/webp", content: IMAGES.avi }] });
  });

  it("T7: refuses other media types with 415", async () => {
    const before = await counts();
    const response = await fetch(`${service.url}/api/requests`, { method: "POST", headers: { "Sec-Fetch-Site": "same-origin", "Content-Type": "text/plain" }, body: "type=warranty" });
    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({ error: "unsupported_media_type" });
    expect(await counts()).toEqual(before);
  });

  it("T8: refuses nested and prototype field names with 400, polluting nothing", async () => {
    const raw = (body: string, contentType: string) =>
      fetch(`${service.url}/api/requests`, { method: "POST", headers: { "Sec-Fetch-Site": "same-origin", "Content-Type": contentType }, body });
    expect((await raw('{"__proto__":{"polluted":true},"type":"warranty"}', "application/json")).status).toBe(400);
    expect((await raw("__proto__%5Bpolluted%5D=1&type=warranty", "application/x-www-form-urlencoded")).status).toBe(400);
    expect((await service.post(VALID.warranty, { files: [{ name: "a.png", content: IMAGES.png }], extraFields: { "a[b]": "c" } })).status).toBe(400);
    expect((await service.post(VALID.warranty, { files: [{ name: "a.png", content: IMAGES.png }], extraFields: { "__proto__[polluted]": "yes" } })).status).toBe(400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("T9: answers 400 to broken multipart, survives an aborted upload, and never shows a stack trace", async () => {
    const post = (body: string, contentType: string) =>
      fetch(`${service.url}/api/requests`, { method: "POST", headers: { "Sec-Fetch-Site": "same-origin", "Content-Type": contentType }, body });
    const truncated = await post('--XYZ\r\nContent-Disposition: form-data; name="type"\r\n\r\nwarranty\r\n--XY', "multipart/form-data; boundary=XYZ");
    expect(truncated.status).toBe(400);
    expect((await post("whatever", "multipart/form-data")).status).toBe(400);
    const malformedJson = await post("{not json", "application/json");
    expect(malformedJson.status).toBe(400);
    expect(await malformedJson.text()).not.toMatch(/\bat .+:\d+:\d+/);

    await new Promise<void>((resolve) => {
      const url = new URL(`${service.url}/api/requests`);
      const request = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, method: "POST", headers: { "Sec-Fetch-Site": "same-origin", "Content-Type": "multipart/form-data; boundary=XYZ", "Content-Length": "100000" } });
      request.on("error", () => resolve());
      request.write('--XYZ\r\nContent-Disposition: form-data; name="attachments"; filename="a.png"\r\n\r\n', () => {
        request.destroy();
        resolve();
      });
    });
    expect((await service.post(VALID.extension)).status).toBe(202);
  });

  it("T10: stores markup raw, escapes it in the team's HTML part and keeps it verbatim in the text part", async () => {
    const markup = `<script>alert("x")</script> & <b>bold</b>`;
    const response = await service.post({ ...VALID.warranty, name: `Ivan ${markup}`, userLogin: markup, browser: markup, happened: markup, expected: markup });
    const { id } = (await response.json()) as Accepted;
    await service.sender.runDue();
    const team = mailOf(id, "team");
    const html = team.parsed.html || "";
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;");
    expect(team.parsed.text).toContain(markup);
  });

  it("keeps the client's words and URLs out of the confirmation, which goes to whatever address the form names", async () => {
    const ownWords = new Set<string>(["url", "text", "longText"]);
    for (const type of REQUEST_TYPES) {
      const fields: Record<string, unknown> = { ...VALID[type] };
      const planted: string[] = [];
      for (const field of requestFields(type).filter((field) => ownWords.has(FIELD_KIND[field]))) {
        const link = `https://evil.example/phish-${field}`;
        fields[field] = FIELD_KIND[field] === "url" ? link : field === "name" ? `Prize at evil.example` : `Prize waiting: ${link}`;
        if (field === "name") continue; // the team sees it as the name, not as a link
        planted.push(link);
      }
      const response = await service.post(fields);
      expect(response.status, type).toBe(202);
      const { id } = (await response.json()) as Accepted;
      await service.sender.runDue();
      const team = mailOf(id, "team").parsed.text ?? "";
      for (const link of planted) expect(team, `${type}: the team gets ${link}`).toContain(link);
      const client = mailOf(id, "client").parsed;
      // Headers included: not even the display name of To repeats what the client typed.
      expect(mailOf(id, "client").raw, type).not.toContain("evil.example");
      for (const part of [client.subject ?? "", client.text ?? "", client.html || ""]) expect(part, type).not.toContain("evil.example");
    }
  });

  it("T14: refuses cross-site posts with 403", async () => {
    await refused(403, VALID.extension, { headers: { "Sec-Fetch-Site": "cross-site" } });
    await refused(403, VALID.extension, { headers: { "Sec-Fetch-Site": "same-site" } });
    const fetchWithout = (headers: Record<string, string>) =>
      fetch(`${service.url}/api/requests`, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body: JSON.stringify(VALID.extension) });
    expect((await fetchWithout({ Origin: "https://evil.example" })).status).toBe(403);
    expect((await fetchWithout({})).status).toBe(403);
    expect((await fetchWithout({ Origin: "null" })).status).toBe(403);
    expect((await fetchWithout({ Origin: PUBLIC_ORIGIN })).status).toBe(202);
    expect((await fetchWithout({ Referer: `${PUBLIC_ORIGIN}/en/request/extension/` })).status).toBe(202);
  });

  it("T15: answers bots like people but quarantines them and sends nothing", async () => {
    const before = await counts();
    const logsBefore = service.logs.length;
    const token = await service.token();
    const bots = [
      service.post({ ...VALID.extension, website: "http://spam.example" }),
      service.post({ ...VALID.extension, website: "http://spam.example" }, { unsigned: true }),
      service.post({ ...VALID.extension, renderedAt: token.renderedAt, formSignature: "forged" }, { unsigned: true }),
      service.post({ ...VALID.extension, renderedAt: String(service.clock.now()), formSignature: token.formSignature }, { unsigned: true }),
    ];
    const responses = await Promise.all(bots);
    for (const response of responses) expect(response.status).toBe(202);
    const ids = await Promise.all(responses.map(async (response) => ((await response.json()) as Accepted).id));
    expect(await counts()).toEqual({ ...before, quarantine: before.quarantine + 4 });
    await service.sender.runDue();
    for (const id of ids) expect(mailsFor(id)).toEqual([]);
    expect(service.logs.slice(logsBefore).filter((line) => line.includes("request.quarantined")).map((line) => /reason="([^"]+)"/.exec(line)?.[1]).sort()).toEqual([
      "bad-signature",
      "bad-signature",
      "honeypot",
      "honeypot",
    ]);
  });

  it("T18: collapses retries with the same Idempotency-Key, sequential and concurrent, onto the first id", async () => {
    const first = (await (await service.post(VALID.support, { headers: { "Idempotency-Key": "key-sequential-0001" } })).json()) as Accepted;
    const again = (await (await service.post(VALID.support, { headers: { "Idempotency-Key": "key-sequential-0001" } })).json()) as Accepted;
    expect(again).toEqual(first);
    const hidden = (await (await service.post({ ...VALID.support, idempotencyKey: "key-sequential-0001" }, { as: "urlencoded" })).json()) as Accepted;
    expect(hidden.id).toBe(first.id);

    const before = await counts();
    const concurrent = await Promise.all(Array.from({ length: 12 }, () => service.post(VALID.support, { headers: { "Idempotency-Key": "key-concurrent-0002" } })));
    const ids = await Promise.all(concurrent.map(async (response) => ((await response.json()) as Accepted).id));
    expect(concurrent.every((response) => response.status === 202)).toBe(true);
    expect(new Set(ids).size).toBe(1);
    expect((await counts()).queue).toBe(before.queue + 1);
    await service.sender.runDue();
    expect(mailsFor(ids[0]!).filter((mail) => mail.messageId?.includes(".team@"))).toHaveLength(1);
    expect((await service.post(VALID.support, { headers: { "Idempotency-Key": "bad key!" } })).status).toBe(400);
  });
});

describe("logs", () => {
  it("carry ids and codes, never the client's name, address or words", () => {
    const log = service.logs.join("\n");
    expect(log).toContain("request.accepted");
    expect(log).not.toMatch(/@client\.example|Ivan|Petrov|cart is empty/i);
  });
});

describe("a form without JavaScript", () => {
  it("is redirected (303) to the receipt page, which shows the id and deadlines in its language", async () => {
    const response = await service.post(VALID.warranty, { as: "urlencoded", accept: "text/html,application/xhtml+xml,*/*;q=0.8", headers: { Origin: PUBLIC_ORIGIN } });
    expect(response.status).toBe(200); // fetch followed the 303
    expect(response.redirected).toBe(true);
    const location = new URL(response.url);
    expect(location.pathname).toBe(RECEIPT.path("ru"));
    const id = location.searchParams.get(RECEIPT.idParam)!;
    expect(id).toMatch(/^W-/);
    const page = await response.text();
    expect(page).toContain(`<html lang="ru">`);
    expect(page).toContain(id);
    expect(page).toMatch(/<dt>Решим до<\/dt><dd>четверг, 26 ноября 2026 г\. в \d\d:\d\d по московскому времени<\/dd>/);
  });

  it("gets the validation problems as a page in its language", async () => {
    const response = await service.post({ ...VALID.warranty, email: "nope" }, { as: "urlencoded", accept: "text/html" });
    expect(response.status).toBe(422);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    const page = await response.text();
    expect(page).toContain("<strong>Электронная почта</strong>: Введите один адрес");
    expect(page).toContain("кнопкой «Назад»");
  });

  it("sees a clear page for an unknown receipt", async () => {
    const response = await fetch(`${service.url}${RECEIPT.path("en")}?${RECEIPT.idParam}=W-00000000`);
    expect(response.status).toBe(404);
    expect(await response.text()).toContain("There is no request with this number.");
  });
});

describe("an unexpected failure", () => {
  it("answers 500 in the documented shape, as JSON or as a page, with no stack trace, path or error text", async () => {
    let failing = false;
    // A dependency that throws what nobody expected, carrying a path and a system message.
    const delivery = {
      status(): never {
        throw Object.assign(new Error(`EACCES: permission denied, scandir '${broken.dir}'`), { code: "EACCES" });
      },
    };
    const broken: Service = await startService({ smtpUrl: sink.url, delivery: { status: () => (failing ? delivery.status() : { state: "ok" }) } });
    try {
      failing = true; // /api/health asks the sender how delivery goes
      const json = await fetch(`${broken.url}/api/health`);
      expect(json.status).toBe(500);
      expect(json.headers.get("content-type")).toMatch(/^application\/json/);
      const jsonText = await json.text();
      expect(JSON.parse(jsonText)).toEqual({ error: "internal", message: dictionaries.en["apiError.internal"] });

      const page = await fetch(`${broken.url}/api/health`, { headers: { Accept: "text/html", "Accept-Language": "ru" } });
      expect(page.status).toBe(500);
      expect(page.headers.get("content-type")).toMatch(/^text\/html/);
      const html = await page.text();
      expect(html).toContain(dictionaries.ru["apiError.internal"]);

      for (const text of [jsonText, html]) {
        expect(text).not.toMatch(/\bat .+:\d+:\d+/);
        expect(text).not.toMatch(/EACCES|permission denied|scandir/);
        expect(text).not.toContain(broken.dir);
        expect(text).not.toContain(process.cwd());
      }
      expect(broken.logs.some((line) => line.includes("http.internal-error"))).toBe(true);
    } finally {
      failing = false;
      await broken.stop();
    }
  });
});

describe("abuse limits", () => {
  it("T12, T13: the 6th post from one address gets 429 + Retry-After, whatever X-Forwarded-For says", async () => {
    const limited = await startService({ smtpUrl: sink.url, env: { RATE_LIMIT_PER_IP: "5" } });
    try {
      const statuses: number[] = [];
      for (let index = 0; index < 7; index += 1) {
        const response = await limited.post(VALID.extension, { headers: { "X-Forwarded-For": `203.0.113.${index}` } });
        statuses.push(response.status);
        if (response.status === 429) {
          expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
          expect(((await response.json()) as { message: string }).message).toMatch(/^Too many requests\. Please try again in \d+ min\.$/);
        }
      }
      expect(statuses).toEqual([202, 202, 202, 202, 202, 429, 429]);
    } finally {
      await limited.stop();
    }
  });

  it("T16: stops confirmations to one address after the day's budget but still mails the team", async () => {
    const budget = await startService({ smtpUrl: sink.url, env: { CONFIRMATIONS_PER_ADDRESS_PER_DAY: "3" } });
    try {
      const ids: string[] = [];
      for (let index = 0; index < 4; index += 1) ids.push(((await (await budget.post(VALID.consultation)).json()) as Accepted).id);
      await budget.sender.runDue();
      const kinds = ids.map((id) => mailsFor(id).map((mail) => /\.(team|client)@/.exec(mail.messageId ?? "")?.[1]).sort().join("+"));
      expect(kinds).toEqual(["client+team", "client+team", "client+team", "team"]);
      budget.clock.advance(24 * 3_600_000);
      const nextDay = ((await (await budget.post(VALID.consultation)).json()) as Accepted).id;
      await budget.sender.runDue();
      expect(mailsFor(nextDay)).toHaveLength(2);
    } finally {
      await budget.stop();
    }
  });
});
