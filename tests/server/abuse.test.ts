/**
 * Abuse controls that must not turn against people (audit D-5, D-9, D-10, D-14, D-18): the hour's
 * budget is spent only by requests stored for sending, counters live in the spool (shared by every
 * process on it), confirmations are counted per mailbox, a form sent too fast or without a token
 * still reaches the team, and an idempotency key cannot silently swallow other content. Real
 * HTTP, a real SMTP server, the manual clock.
 */
import { once } from "node:events";
import { readdir, readFile } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FORM_TOKEN_PLACEHOLDERS, RECEIPT } from "../../src/domain/requests";
import { dictionaries } from "../../src/i18n";
import { createApp } from "../../server/app";
import { silentLogger } from "../../server/log";
import { SpoolUnavailableError } from "../../server/store";
import { observedFileSystem } from "./helpers/observed-fs";
import { IMAGES, PUBLIC_ORIGIN, VALID, startService, testContent, type Service } from "./helpers/service";
import { startSmtpSink, type SmtpSink } from "./helpers/smtp-sink";

type Accepted = { id: string };
type Refused = { error: string; issues?: { path: string; message: string }[] };

let sink: SmtpSink;
const running: Service[] = [];

beforeAll(async () => {
  sink = await startSmtpSink();
});
afterAll(async () => {
  await Promise.all(running.map((service) => service.stop()));
  await sink.close();
});

async function serviceWith(env: Record<string, string> = {}): Promise<Service> {
  const service = await startService({ smtpUrl: sink.url, env });
  running.push(service);
  return service;
}

const HOUR = 3_600_000;
const mailsFor = (id: string, kind: "team" | "client") => sink.received.filter((mail) => mail.messageId === `<${id}.${kind}@agency.example>`);
const entries = async (service: Service, folder: string) => readdir(path.join(service.config.spoolDir, folder));
const idOf = async (response: Response) => ((await response.json()) as Accepted).id;

/** A second app on the same spool, as another process on a shared store would be. */
async function secondProcess(service: Service): Promise<{ url: string; close(): void }> {
  const app = createApp({ config: service.config, clock: service.clock, spool: service.spool, mailer: service.mailer, content: testContent, logger: silentLogger });
  const server: Server = app.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

/** A signed JSON post to any process, as the helper's `post` does for the first one. */
async function postTo(url: string, service: Service, fields: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Response> {
  const { renderedAt, formSignature } = await service.token();
  return fetch(`${url}/api/requests`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json", "Sec-Fetch-Site": "same-origin", ...headers },
    body: JSON.stringify({ renderedAt, formSignature, ...fields }),
  });
}

describe("the hour's sending budget (D-5)", () => {
  it("is spent only by requests stored for sending, never by refused, replayed, quarantined or too-fast posts", async () => {
    const service = await serviceWith({ RATE_LIMIT_GLOBAL_PER_HOUR: "2" });
    const raw = (body: string, contentType: string) =>
      fetch(`${service.url}/api/requests`, { method: "POST", headers: { "Sec-Fetch-Site": "same-origin", "Content-Type": contentType }, body });
    for (let index = 0; index < 3; index += 1) {
      expect((await service.post(VALID.extension, { headers: { "Sec-Fetch-Site": "cross-site" } })).status).toBe(403);
      expect((await service.post({ ...VALID.extension, email: "not an address" })).status).toBe(422);
    }
    expect((await service.post(VALID.warranty, { files: [{ name: "a.png", content: IMAGES.exe }] })).status).toBe(415);
    expect((await raw("type=extension", "text/plain")).status).toBe(415);
    expect((await service.post(VALID.warranty, { files: Array.from({ length: 6 }, () => ({ name: "a.png", content: IMAGES.png })) })).status).toBe(413);
    expect((await raw("{not json", "application/json")).status).toBe(400);
    expect((await service.post({ ...VALID.extension, website: "http://spam.example" })).status).toBe(202); // quarantined
    const fresh = await fetch(`${service.url}/api/form-token`).then((response) => response.json() as Promise<{ renderedAt: string; formSignature: string }>);
    expect((await service.post({ ...VALID.extension, ...fresh }, { unsigned: true })).status).toBe(422); // too fast

    const first = await service.post(VALID.extension, { headers: { "Idempotency-Key": "budget-key-0001" } });
    expect(first.status).toBe(202);
    const replay = await service.post(VALID.extension, { headers: { "Idempotency-Key": "budget-key-0001" } });
    expect(await idOf(replay)).toBe(await idOf(first));
    expect((await service.post(VALID.consultation)).status).toBe(202);

    service.clock.advance(10 * 60_000);
    const spent = await service.post(VALID.support);
    expect(spent.status).toBe(429);
    const retryAfter = Number(spent.headers.get("retry-after"));
    // The window opened with the first stored request; the clock has moved on 10 min and a few seconds since.
    expect(retryAfter).toBeGreaterThan(45 * 60);
    expect(retryAfter).toBeLessThanOrEqual(50 * 60);
    expect(((await spent.json()) as { message: string }).message).toMatch(/^Too many requests\. Please try again in \d+ min\.$/);

    service.clock.advance(retryAfter * 1000);
    expect((await service.post(VALID.support)).status).toBe(202);
    await service.sender.runDue();
  });

  it("takes back the count of a request the spool could not store (503)", async () => {
    let diskFull = false;
    const fs = observedFileSystem((call) => {
      if (diskFull && call.op === "open" && call.path.includes(`${path.sep}tmp${path.sep}`)) throw Object.assign(new Error("ENOSPC: no space left on device"), { code: "ENOSPC" });
    });
    const service = await startService({ smtpUrl: sink.url, fs, env: { RATE_LIMIT_GLOBAL_PER_HOUR: "1" } });
    running.push(service);
    diskFull = true;
    expect((await service.post(VALID.extension)).status).toBe(503);
    diskFull = false;
    expect((await service.post(VALID.extension)).status).toBe(202);
    expect((await service.post(VALID.extension)).status).toBe(429);
  });

  it("keeps no count for a post it refused with 429, so a failed store in flight frees the budget", async () => {
    const service = await serviceWith({ RATE_LIMIT_GLOBAL_PER_HOUR: "1" });
    const spool = service.spool as { accept: Service["spool"]["accept"] };
    const accept = spool.accept.bind(service.spool);
    let reached!: () => void;
    let fail!: () => void;
    const atTheSpool = new Promise<void>((resolve) => (reached = resolve));
    const diskFull = new Promise<void>((resolve) => (fail = resolve));
    spool.accept = async () => {
      reached();
      await diskFull;
      throw new SpoolUnavailableError("ENOSPC");
    };
    const storing = service.post(VALID.extension); // holds the hour's only slot while the store fails slowly
    await atTheSpool;
    expect((await service.post(VALID.consultation)).status).toBe(429);
    fail();
    expect((await storing).status).toBe(503);
    spool.accept = accept;
    expect((await service.post(VALID.consultation)).status).toBe(202);
  });

  it("is one budget for every process on the spool", async () => {
    const service = await serviceWith({ RATE_LIMIT_GLOBAL_PER_HOUR: "1" });
    const other = await secondProcess(service);
    try {
      expect((await postTo(service.url, service, VALID.extension)).status).toBe(202);
      const spent = await postTo(other.url, service, VALID.consultation);
      expect(spent.status).toBe(429);
      expect(Number(spent.headers.get("retry-after"))).toBeGreaterThan(59 * 60);
    } finally {
      other.close();
    }
  });

  it("leaves the per-client limit counting every post, refused ones too, across processes", async () => {
    const service = await serviceWith({ RATE_LIMIT_PER_IP: "3" });
    const other = await secondProcess(service);
    try {
      expect((await postTo(service.url, service, VALID.extension)).status).toBe(202);
      expect((await postTo(other.url, service, VALID.extension, { "Sec-Fetch-Site": "cross-site" })).status).toBe(403);
      expect((await postTo(service.url, service, { ...VALID.extension, email: "not an address" })).status).toBe(422);
      const limited = await postTo(other.url, service, VALID.consultation);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(Number(limited.headers.get("retry-after"))).toBeLessThanOrEqual(10 * 60);
    } finally {
      other.close();
    }
  });
});

describe("the confirmation budget (D-14)", () => {
  it("counts per mailbox: +tags, letter case and both spellings of an IDN reach one inbox", async () => {
    const service = await serviceWith({ CONFIRMATIONS_PER_ADDRESS_PER_DAY: "2" });
    const confirmed = async (emails: string[]) => {
      const ids: string[] = [];
      for (const email of emails) {
        const response = await service.post({ ...VALID.consultation, email });
        expect(response.status, email).toBe(202);
        ids.push(await idOf(response));
      }
      await service.sender.runDue();
      for (const id of ids) expect(mailsFor(id, "team")).toHaveLength(1); // the team always gets the request
      return ids.map((id) => mailsFor(id, "client").length);
    };
    expect(await confirmed(["victim+1@target.example", "Victim+2@TARGET.example", "victim@target.example", "VICTIM+3@target.example"])).toEqual([1, 1, 0, 0]);
    expect(await confirmed(["ivan@пример.рф", "ivan+x@xn--e1afmkfd.xn--p1ai", "Ivan@ПРИМЕР.РФ"])).toEqual([1, 1, 0]);
    expect(await confirmed(["victim@other.example"])).toEqual([1]); // another mailbox has its own budget
  });
});

describe("the time trap with people (D-10)", () => {
  it("asks a form sent too fast to be sent again, stores nothing, and sends the retry with the same key", async () => {
    const service = await serviceWith();
    const token = await fetch(`${service.url}/api/form-token`).then((response) => response.json() as Promise<{ renderedAt: string; formSignature: string; idempotencyKey: string }>);
    const form = { ...VALID.warranty, ...token }; // Russian form, filled by autofill and sent at once
    const tooFast = await service.post(form, { unsigned: true });
    expect(tooFast.status).toBe(422);
    expect(await tooFast.json()).toMatchObject({ error: "validation", issues: [{ path: "form", message: dictionaries.ru["validation.tooFast"] }] });
    for (const folder of ["queue", "quarantine"]) expect(await entries(service, folder)).toEqual([]);

    const page = await service.post(form, { unsigned: true, as: "urlencoded", accept: "text/html", headers: { Origin: PUBLIC_ORIGIN } });
    expect(page.status).toBe(422);
    expect(await page.text()).toContain(`<strong>Форма</strong>: ${dictionaries.ru["validation.tooFast"]}`);

    service.clock.advance(4_000);
    const retry = await service.post(form, { unsigned: true });
    expect(retry.status).toBe(202);
    const id = await idOf(retry);
    await service.sender.runDue();
    expect(mailsFor(id, "team")).toHaveLength(1);
    expect(mailsFor(id, "client")).toHaveLength(1);
    expect(await entries(service, "quarantine")).toEqual([]);
  });

  it("sends a form whose token expired (a tab left open for days), flagged for the team", async () => {
    const service = await serviceWith();
    const token = await fetch(`${service.url}/api/form-token`).then((response) => response.json() as Promise<{ renderedAt: string; formSignature: string }>);
    service.clock.advance(3 * 24 * HOUR);
    const response = await service.post({ ...VALID.consultation, ...token }, { unsigned: true });
    expect(response.status).toBe(202);
    const id = await idOf(response);
    await service.sender.runDue();
    const [team] = mailsFor(id, "team");
    expect(team?.parsed.text).toContain(dictionaries.ru["mail.team.formToken.expired"]);
    expect(mailsFor(id, "client")).toHaveLength(1);
    expect(service.logs.some((line) => line.includes("request.accepted") && line.includes(`id="${id}"`) && line.includes('formToken="expired"'))).toBe(true);
  });

  it("limits form tokens per client address, with Retry-After", async () => {
    const service = await serviceWith({ RATE_LIMIT_PER_IP: "2" });
    const statuses: number[] = [];
    let retryAfter = 0;
    for (let index = 0; index < 10; index += 1) {
      const response = await fetch(`${service.url}/api/form-token`);
      statuses.push(response.status);
      if (response.status === 429) retryAfter = Number(response.headers.get("retry-after"));
    }
    expect(statuses).toEqual([...Array<number>(8).fill(200), 429, 429]);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(10 * 60);
    service.clock.advance(retryAfter * 1000);
    expect((await fetch(`${service.url}/api/form-token`)).status).toBe(200);
  });
});

describe("a form page served without its token (D-9)", () => {
  const unfilled = { ...FORM_TOKEN_PLACEHOLDERS };

  it("is delivered from a browser without JavaScript, placeholders and all, with a warning for the team", async () => {
    const service = await serviceWith();
    const response = await service.post({ ...VALID.warranty, ...unfilled }, { unsigned: true, as: "urlencoded", accept: "text/html", headers: { Origin: PUBLIC_ORIGIN } });
    expect(response.status).toBe(200); // fetch followed the 303 to the receipt page
    const location = new URL(response.url);
    expect(location.pathname).toBe(RECEIPT.path("ru"));
    const id = location.searchParams.get(RECEIPT.idParam)!;
    await service.sender.runDue();
    const [team] = mailsFor(id, "team");
    const warning = dictionaries.ru["mail.team.formToken.missing"];
    expect(team?.parsed.text?.startsWith(warning)).toBe(true);
    expect(team?.parsed.html).toContain(warning);
    expect(team?.parsed.text).toContain(VALID.warranty.happened);
    expect(mailsFor(id, "client")).toHaveLength(1);
    expect(await entries(service, "quarantine")).toEqual([]);

    const json = await service.post({ ...VALID.consultation, ...unfilled }, { unsigned: true });
    expect(json.status).toBe(202);
    await service.sender.runDue();
    expect(mailsFor(await idOf(json), "team")[0]?.parsed.text).toContain(warning);
  });

  it("still quarantines a filled honeypot, and a signed form carries no warning", async () => {
    const service = await serviceWith();
    const bot = await service.post({ ...VALID.extension, ...unfilled, website: "http://spam.example" }, { unsigned: true });
    expect(bot.status).toBe(202);
    expect(await entries(service, "quarantine")).toEqual([await idOf(bot)]);
    const signed = await service.post(VALID.extension);
    const id = await idOf(signed);
    await service.sender.runDue();
    const text = mailsFor(id, "team")[0]?.parsed.text ?? "";
    expect(text).toContain(dictionaries.ru["mail.team.intro"]);
    for (const reason of ["missing", "expired"] as const) expect(text).not.toContain(dictionaries.ru[`mail.team.formToken.${reason}`]);
  });
});

describe("an idempotency key (D-18)", () => {
  it("brings back the first receipt for the same content and answers 422, in the form's language, for other content", async () => {
    const service = await serviceWith();
    const post = (fields: Record<string, unknown>, key: string, files?: { name: string; content: Buffer }[]) =>
      service.post(fields, { headers: { "Idempotency-Key": key }, ...(files ? { files } : {}) });
    const first = await post(VALID.support, "d18-key-english");
    expect(first.status).toBe(202);
    const id = await idOf(first);
    const changed = await post({ ...VALID.support, wanted: "Something else entirely." }, "d18-key-english");
    expect(changed.status).toBe(422);
    expect((await changed.json()) as Refused).toEqual({
      error: "validation",
      message: dictionaries.en["apiError.validation"],
      issues: [{ path: "form", message: dictionaries.en["validation.keyReused"] }],
    });
    // The same content normalised the same way (surrounding spaces, CRLF) is the same request.
    const again = await post({ ...VALID.support, wanted: `  ${VALID.support.wanted}\r\n` }, "d18-key-english");
    expect(await idOf(again)).toBe(id);

    const screenshot = [{ name: "cart.png", content: IMAGES.png }];
    expect((await post(VALID.warranty, "d18-key-russian", screenshot)).status).toBe(202);
    const otherFile = await post(VALID.warranty, "d18-key-russian", [{ name: "cart.png", content: IMAGES.jpeg }]);
    expect(otherFile.status).toBe(422);
    expect(((await otherFile.json()) as Refused).issues).toEqual([{ path: "form", message: dictionaries.ru["validation.keyReused"] }]);
    expect((await post(VALID.warranty, "d18-key-russian", screenshot)).status).toBe(202);

    expect(await entries(service, "queue")).toHaveLength(2);
    const receipt = await readFile(path.join(service.config.spoolDir, "queue", id, "receipt.json"), "utf8");
    expect(JSON.parse(receipt)).toMatchObject({ id, contentHash: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    expect(receipt).not.toMatch(/Anna|anna@client|CSV export/); // the receipt keeps no personal data
    await service.sender.runDue();
    expect(mailsFor(id, "team")).toHaveLength(1);
    expect(mailsFor(id, "team")[0]?.parsed.text).toContain(VALID.support.wanted);
  });
});
