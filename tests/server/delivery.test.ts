/**
 * The sender against a real SMTP server that fails on demand, with a manual clock instead of
 * sleeping (research note T19–T23): retries, backoff, dead letters, max age, what is kept.
 */
import { once } from "node:events";
import { readdir, readFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import path from "node:path";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Sender, sweepRetention } from "../../server/sender";
import { VALID, startService, testContent, type Service } from "./helpers/service";
import { startSmtpSink, type SmtpSink } from "./helpers/smtp-sink";

let sink: SmtpSink;
let service: Service;

beforeEach(async () => {
  sink = await startSmtpSink();
  service = await startService({ smtpUrl: sink.url });
});
afterEach(async () => {
  await service.stop();
  await sink.close();
});

type Accepted = { id: string };
const accept = async (fields: Record<string, unknown> = VALID.warranty) => ((await (await service.post(fields)).json()) as Accepted).id;
const stateOf = async (id: string, folder = "queue") => JSON.parse(await readFile(path.join(service.config.spoolDir, folder, id, "state.json"), "utf8"));
const entries = (folder: string) => readdir(path.join(service.config.spoolDir, folder));
const mailsFor = (id: string, kind: "team" | "client") => sink.received.filter((mail) => mail.messageId === `<${id}.${kind}@agency.example>`);

describe("sending", () => {
  it("T19: keeps the request queued while SMTP is down and delivers it once when it is back", async () => {
    await sink.down();
    const id = await accept();
    expect(await service.sender.runDue()).toBe(2);
    const state = await stateOf(id);
    expect(state.team).toMatchObject({ status: "queued", attempts: 1 });
    expect(state.team.lastError).toMatch(/ECONNREFUSED/);
    expect(await service.sender.runDue()).toBe(0); // not due yet

    await sink.up();
    service.clock.advance(service.config.retryBaseMs);
    expect(await service.sender.runDue()).toBe(2);
    expect(mailsFor(id, "team")).toHaveLength(1);
    expect(mailsFor(id, "client")).toHaveLength(1);
    expect(await entries("done")).toEqual([id]);
  });

  it("T20: retries 451 with growing, capped delays and sends exactly once on 250", async () => {
    let refusals = 0;
    sink.rejectData = (mail) => (mail.messageId?.includes(".team@") && refusals++ < 3 ? 451 : undefined);
    const id = await accept();
    const delays: number[] = [];
    for (let round = 0; round < 10 && mailsFor(id, "team").length === 0; round += 1) {
      await service.sender.runDue();
      const state = await stateOf(id, (await entries("queue")).includes(id) ? "queue" : "done");
      if (state.team.status === "queued") {
        delays.push(state.team.nextAttemptAt - service.clock.now());
        service.clock.set(state.team.nextAttemptAt);
      }
    }
    expect(delays).toEqual([30_000, 60_000, 120_000]); // jitter fixed at its maximum by the harness
    expect(mailsFor(id, "team")).toHaveLength(1);
    expect((await stateOf(id, "done")).team).toMatchObject({ status: "sent", attempts: 4 });
  });

  it("has the attempt counted on disk before the SMTP transaction starts, so a message that kills the process still runs out of attempts", async () => {
    const id = await accept();
    const seen: { kind: string; status: string; attempts: number }[] = [];
    let refuseTeam = true;
    sink.rejectData = async (mail) => {
      const kind = mail.messageId?.includes(".team@") ? "team" : "client";
      const { status, attempts } = (await stateOf(id))[kind] as { status: string; attempts: number };
      seen.push({ kind, status, attempts });
      return kind === "team" && refuseTeam ? 451 : undefined;
    };
    await service.sender.runDue();
    refuseTeam = false;
    service.clock.set((await stateOf(id)).team.nextAttemptAt);
    await service.sender.runDue();
    expect(seen).toEqual([
      { kind: "team", status: "sending", attempts: 1 },
      { kind: "client", status: "sending", attempts: 1 },
      { kind: "team", status: "sending", attempts: 2 },
    ]);
    expect((await stateOf(id, "done")).team).toMatchObject({ status: "sent", attempts: 2 });
  });

  it("draws full-jitter delays within [0, min(cap, base × 2^(n−1))] (property)", () => {
    const { config } = service;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempts, random) => {
        const sender = new Sender({ spool: service.spool, mailer: service.mailer, content: testContent, config, clock: service.clock, logger: { info() {}, warn() {}, error() {} }, random: () => random });
        const delay = sender.backoff(attempts);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(Math.min(config.retryCapMs, config.retryBaseMs * 2 ** (attempts - 1)));
      }),
    );
  });

  it("T21: dead-letters a 550 at once, keeps the entry whole, never retries, reports it in /api/health", async () => {
    sink.rejectRcpt = (address) => (address === "test-shop-team@agency.example" ? 550 : undefined);
    const id = await accept();
    await service.sender.runDue();
    expect(await entries("dead")).toEqual([id]);
    const dead = await readdir(path.join(service.config.spoolDir, "dead", id));
    expect(dead.sort()).toEqual(["receipt.json", "request.json", "state.json"]);
    expect((await stateOf(id, "dead")).team).toMatchObject({ status: "dead", attempts: 1, lastError: "EENVELOPE 550" });
    service.clock.advance(24 * 3_600_000);
    expect(await service.sender.runDue()).toBe(0);
    expect(service.logs.some((line) => line.includes("mail.dead") && line.includes('reason="permanent"'))).toBe(true);

    const health = await (await fetch(`${service.url}/api/health`)).json();
    expect(health).toMatchObject({ status: "degraded", ready: true, spool: { depth: 0, deadLetters: 1 }, mail: { transport: "smtp" } });

    // The operator hears of it: id and error only, nothing the client wrote.
    const notices = sink.received.filter((mail) => mail.messageId === `<${id}.operator@agency.example>`);
    expect(notices).toHaveLength(1);
    expect(notices[0]!.recipients).toEqual(["fallback-team@agency.example"]);
    expect(notices[0]!.parsed.subject).toContain(id);
    expect(notices[0]!.parsed.text).toContain("EENVELOPE 550");
    for (const value of [VALID.warranty.name, VALID.warranty.email, VALID.warranty.happened, VALID.warranty.phone]) expect(notices[0]!.raw).not.toContain(value);
  });

  it("T22: gives up on a server that never greets after the timeout and keeps the request queued", async () => {
    const silent: Server = createServer(() => {});
    silent.listen(0, "127.0.0.1");
    await once(silent, "listening");
    const mute = await startService({ smtpUrl: `smtp://127.0.0.1:${(silent.address() as { port: number }).port}`, env: { SMTP_TIMEOUT_SECONDS: "0.2" } });
    try {
      const id = ((await (await mute.post(VALID.extension)).json()) as Accepted).id;
      await mute.sender.runDue();
      const state = JSON.parse(await readFile(path.join(mute.config.spoolDir, "queue", id, "state.json"), "utf8"));
      expect(state.team).toMatchObject({ status: "queued", attempts: 1 });
      expect(state.team.lastError).toMatch(/ETIMEDOUT/);
    } finally {
      await mute.stop();
      silent.close();
    }
  });

  it("T23: dead-letters transient failures once the request is older than the maximum age", async () => {
    await sink.down();
    const id = await accept();
    await service.sender.runDue();
    service.clock.advance(service.config.confirmationMaxAgeMs);
    await service.sender.runDue();
    expect((await stateOf(id)).client).toMatchObject({ status: "dead" });
    expect((await stateOf(id)).team).toMatchObject({ status: "queued" });
    service.clock.advance(service.config.teamMaxAgeMs);
    await service.sender.runDue();
    expect(await entries("dead")).toEqual([id]);
    expect(service.logs.filter((line) => line.includes("mail.dead") && line.includes('reason="expired"'))).toHaveLength(2);
  });

  it("keeps personal data only until both e-mails are handled, and the receipt for the status links' retention", async () => {
    const id = await accept();
    await service.sender.runDue();
    expect((await readdir(path.join(service.config.spoolDir, "done", id))).sort()).toEqual(["receipt.json", "state.json"]);
    expect((await fetch(`${service.url}/ru/request/received/?id=${id}`)).status).toBe(200);
    const retry = await service.post(VALID.warranty, { headers: { "Idempotency-Key": "same-key-after-done" } });
    const firstOfKey = ((await retry.json()) as Accepted).id;
    await service.sender.runDue();
    expect(((await (await service.post(VALID.warranty, { headers: { "Idempotency-Key": "same-key-after-done" } })).json()) as Accepted).id).toBe(firstOfKey);

    const retention = sweepRetention(testContent, service.config);
    expect(retention.doneMs).toBeGreaterThan(retention.quarantineMs);
    service.clock.advance(retention.quarantineMs + 1);
    expect(await service.spool.sweep(retention)).toBe(0);
    expect((await fetch(`${service.url}/ru/request/received/?id=${id}`)).status).toBe(200);
    service.clock.advance(retention.doneMs - retention.quarantineMs);
    expect(await service.spool.sweep(retention)).toBe(2);
    expect(await entries("done")).toEqual([]);
    expect((await fetch(`${service.url}/ru/request/received/?id=${id}`)).status).toBe(404);
  });

  it("reports queue depth and the age of the oldest pending request", async () => {
    await sink.down();
    await accept();
    service.clock.advance(90_000);
    await accept(VALID.support);
    const health = await (await fetch(`${service.url}/api/health`)).json();
    expect(health).toMatchObject({ status: "ok", spool: { depth: 2, oldestPendingSeconds: 95, deadLetters: 0, quarantined: 0, corrupt: 0 } });
  });
});

describe("the embedded mail default", () => {
  it("writes each message as one .eml file, and a re-send replaces it", async () => {
    const local = await startService();
    try {
      const id = ((await (await local.post(VALID.support)).json()) as Accepted).id;
      await local.sender.runDue();
      const mailDir = local.config.mailDir;
      expect((await readdir(mailDir)).sort()).toEqual([`${id}.client.eml`, `${id}.team.eml`]);
      const team = await readFile(path.join(mailDir, `${id}.team.eml`), "utf8");
      expect(team).toMatch(new RegExp(`^Message-ID: <${id}\\.team@agency\\.example>$`, "m"));
      expect(team).toMatch(/^To: test-shop-team@agency\.example$/m);
      const health = await (await fetch(`${local.url}/api/health`)).json();
      expect(health.mail).toEqual({ transport: "file", state: "ok", lastSuccessSecondsAgo: 0 });
      expect(JSON.stringify(health)).not.toContain(mailDir); // D-20: no paths or hosts for anonymous callers
    } finally {
      await local.stop();
    }
  });
});
