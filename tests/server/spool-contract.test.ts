/**
 * The spool contract (`server/store.ts`), promise by promise, against both stores: the file spool
 * (one owning process) and the PostgreSQL spool on a real, throwaway PostgreSQL server. Time is a
 * manual clock, so leases, retries and windows end when a test says so. Then what only the shared
 * store promises: replicas claiming together, a dead replica's work picked up, a lost connection
 * never taken for corruption, an accepted request surviving a crash of the database.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Clock } from "../../server/clock";
import { createLogger, type Logger } from "../../server/log";
import { PostgresSpool } from "../../server/pg-spool";
import { FileSpool } from "../../server/spool";
import {
  SpoolUnavailableError,
  initialState,
  isCorruption,
  type Attachment,
  type Draft,
  type EntryState,
  type MailState,
  type PendingEntry,
  type Spool,
} from "../../server/store";
import { startPostgres, type PostgresServer } from "../setup/postgres";

const SECRET = "contract-test-secret-0123456789abcdef";
const LEASE = 60_000;
const DAY_MS = 86_400_000;
const EMAIL = "ivan.petrov@client.example";
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]);
const SCREENSHOT: Attachment = { name: "blank-catalogue.png", contentType: "image/png", content: PNG };

type ManualClock = Clock & { advance(ms: number): void; set(ms: number): void };
function manualClock(start = Date.parse("2026-11-23T10:00:00+03:00")): ManualClock {
  let now = start;
  return { now: () => now, advance: (ms) => (now += ms), set: (ms) => (now = ms) };
}

/** A logger keeping its lines, so a test can look for events and make sure no personal data is logged. */
function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return Object.assign(createLogger((line) => lines.push(line)), { lines });
}

let drafts = 0;
function draft(spool: Spool, clock: Clock, options: { key?: string; quarantined?: boolean; attachments?: Attachment[]; confirmation?: Draft["confirmation"] } = {}): Draft {
  drafts += 1;
  return {
    receipt: {
      version: 1,
      id: spool.ticketId("warranty", options.key),
      type: "warranty",
      lang: "en",
      project: "test-shop",
      receivedAt: new Date(clock.now()).toISOString(),
      deadlines: { processing: "2026-11-23T18:00:00+03:00", resolution: "2026-11-25T18:00:00+03:00" },
    },
    fields: { name: "Ivan Petrov", email: EMAIL, description: `The catalogue page is blank (${drafts})` },
    attachments: options.attachments ?? [],
    confirmation: options.confirmation ?? "queued",
    quarantined: options.quarantined ?? false,
  };
}

/** Accepts `count` requests one second apart (so their order is known); returns their ids, oldest first. */
async function acceptSome(spool: Spool, clock: ManualClock, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 0; index < count; index += 1) {
    ids.push((await spool.accept(draft(spool, clock))).receipt.id);
    clock.advance(1_000);
  }
  return ids;
}

const idsOf = (entries: PendingEntry[]) => entries.map((entry) => entry.receipt.id);
const mail = (status: MailState["status"], nextAttemptAt: number, attempts = 1): MailState => ({ status, attempts, nextAttemptAt });
const delivered = (at: number): EntryState => ({ version: 1, team: mail("sent", at), client: mail("sent", at), completedAt: at });

let postgres: PostgresServer;
const spoolDirs: string[] = [];
beforeAll(async () => {
  postgres = await startPostgres();
}, 120_000);
afterAll(async () => {
  await postgres?.stop();
  for (const dir of spoolDirs) await rm(dir, { recursive: true, force: true });
});

const STORES: { name: string; open(clock: Clock, logger: Logger): Promise<Spool> }[] = [
  {
    name: "PostgreSQL",
    open: async (clock, logger) => PostgresSpool.open({ url: await postgres.createDatabase(), secret: SECRET, clock, logger }),
  },
  {
    name: "file",
    open: async (clock, logger) => {
      const dir = await mkdtemp(path.join(tmpdir(), "portal-contract-"));
      spoolDirs.push(dir);
      return FileSpool.open({ dir, secret: SECRET, clock, logger });
    },
  },
];

describe.each(STORES)("the $name spool", (store) => {
  let spool: Spool;
  let clock: ManualClock;
  let logger: ReturnType<typeof recordingLogger>;
  beforeEach(async () => {
    clock = manualClock();
    logger = recordingLogger();
    spool = await store.open(clock, logger);
  });
  afterEach(async () => {
    await spool.close();
    expect(logger.lines.join("\n")).not.toMatch(/ivan|petrov|catalogue/i); // ids, codes and counts only
  });

  it("stores a request and answers its receipt, fields and attachments", async () => {
    const queued: string[] = [];
    spool.onQueued((id) => queued.push(id));
    const request = draft(spool, clock, { attachments: [SCREENSHOT] });
    const { receipt, replayed } = await spool.accept(request);
    expect(replayed).toBe(false);
    expect(receipt).toEqual(request.receipt);
    expect(await spool.find(receipt.id)).toEqual(request.receipt);
    expect(await spool.loadRequest(receipt.id)).toEqual({ fields: request.fields, attachments: [SCREENSHOT] });
    expect(queued).toEqual([receipt.id]);
    expect(await spool.find(spool.ticketId("warranty", "never-sent"))).toBeUndefined();
  });

  it("answers a retry with the same idempotency key with the first receipt, storing one request", async () => {
    const queued: string[] = [];
    spool.onQueued((id) => queued.push(id));
    const first = draft(spool, clock, { key: "key-1" });
    await spool.accept(first);
    clock.advance(5_000);
    const retried = draft(spool, clock, { key: "key-1" });
    expect(retried.receipt.id).toBe(first.receipt.id);
    expect(await spool.accept(retried)).toEqual({ receipt: first.receipt, replayed: true });
    expect((await spool.loadRequest(first.receipt.id)).fields).toEqual(first.fields);
    expect((await spool.list("queue", 10)).map((entry) => entry.id)).toEqual([first.receipt.id]);
    expect(queued).toEqual([first.receipt.id]);
    expect(spool.ticketId("warranty", "key-2")).not.toBe(first.receipt.id);
  });

  it("answers a retry with the first receipt after the request was delivered or dead-lettered", async () => {
    const [deliveredId, buriedId] = await Promise.all(["key-done", "key-dead"].map(async (key) => (await spool.accept(draft(spool, clock, { key }))).receipt.id));
    await spool.claimDue(10, LEASE);
    await spool.complete(deliveredId!, delivered(clock.now()));
    await spool.bury(buriedId!, { version: 1, team: mail("dead", clock.now(), 9), client: mail("sent", clock.now()) });
    clock.advance(60_000);
    for (const key of ["key-done", "key-dead"]) expect((await spool.accept(draft(spool, clock, { key }))).replayed, key).toBe(true);
    expect(await spool.list("queue", 10)).toEqual([]);
  });

  it("answers a quarantined request like any other but never hands it to a sender", async () => {
    const queued: string[] = [];
    spool.onQueued((id) => queued.push(id));
    const { receipt } = await spool.accept(draft(spool, clock, { quarantined: true }));
    expect(await spool.find(receipt.id)).toEqual(receipt);
    clock.advance(3_600_000);
    expect(await spool.claimDue(10, LEASE)).toEqual([]);
    expect(queued).toEqual([]);
    expect((await spool.list("quarantine", 10)).map((entry) => entry.id)).toEqual([receipt.id]);
  });

  it("leases what it hands out: no one gets an entry again until its lease ends", async () => {
    const ids = await acceptSome(spool, clock, 3);
    const first = await spool.claimDue(2, LEASE);
    expect(idsOf(first)).toEqual(ids.slice(0, 2)); // oldest first
    expect(first[0]?.state).toEqual(initialState(Date.parse(first[0]!.receipt.receivedAt), "queued"));
    expect(idsOf(await spool.claimDue(10, LEASE))).toEqual([ids[2]]);
    expect(await spool.claimDue(10, LEASE)).toEqual([]);
    clock.advance(LEASE - 1);
    expect(await spool.claimDue(10, LEASE)).toEqual([]);
    clock.advance(1); // the claimer did not come back: its entries go to whoever asks next
    expect(idsOf(await spool.claimDue(10, LEASE))).toEqual(ids);
  });

  it("hands out the oldest request first, whichever e-mail fell due first", async () => {
    const [earlier, later] = await acceptSome(spool, clock, 2);
    await spool.claimDue(10, LEASE);
    const dueAt = (at: number): EntryState => ({ version: 1, team: mail("queued", at), client: mail("sent", at) });
    await spool.saveState(later!, dueAt(clock.now() + 3_000));
    await spool.saveState(earlier!, dueAt(clock.now() + 5_000));
    await Promise.all([spool.release(later!), spool.release(earlier!)]);
    clock.advance(10_000);
    expect(idsOf(await spool.claimDue(1, LEASE))).toEqual([earlier]);
  });

  it("gives a released entry to the next claim at once", async () => {
    const [id] = await acceptSome(spool, clock, 1);
    await spool.claimDue(10, LEASE);
    await spool.release(id!);
    expect(idsOf(await spool.claimDue(10, LEASE))).toEqual([id]);
  });

  it("records the state durably and renews the lease with it", async () => {
    const [id] = await acceptSome(spool, clock, 1);
    await spool.claimDue(10, LEASE);
    clock.advance(LEASE / 2);
    const state: EntryState = { version: 1, team: { ...mail("queued", clock.now()), lastError: "ECONNREFUSED" }, client: mail("sent", clock.now()) };
    await spool.saveState(id!, state);
    clock.advance(LEASE / 2); // the first lease has ended; the renewed one has not
    expect(await spool.claimDue(10, LEASE)).toEqual([]);
    clock.advance(LEASE / 2);
    expect((await spool.claimDue(10, LEASE)).map((entry) => entry.state)).toEqual([state]);
  });

  it("hands out an entry when an e-mail is due, and at once when an attempt's result was never recorded", async () => {
    const [id] = await acceptSome(spool, clock, 1);
    await spool.claimDue(10, LEASE);
    const retryAt = clock.now() + 10 * 60_000;
    await spool.saveState(id!, { version: 1, team: mail("queued", retryAt), client: mail("suppressed", clock.now(), 0) });
    await spool.release(id!);
    clock.advance(10 * 60_000 - 1);
    expect(await spool.claimDue(10, LEASE)).toEqual([]);
    clock.advance(1);
    expect(idsOf(await spool.claimDue(10, LEASE))).toEqual([id]);
    await spool.saveState(id!, { version: 1, team: mail("sending", clock.now() + 3_600_000, 2), client: mail("suppressed", clock.now(), 0) });
    await spool.release(id!);
    expect((await spool.claimDue(10, LEASE)).map((entry) => entry.state.team.status)).toEqual(["sending"]);
  });

  it("deletes the personal data of a delivered request and keeps its receipt", async () => {
    const { receipt } = await spool.accept(draft(spool, clock, { attachments: [SCREENSHOT] }));
    await spool.claimDue(10, LEASE);
    await spool.complete(receipt.id, delivered(clock.now()));
    const failure = await spool.loadRequest(receipt.id).then(() => undefined, (error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(isCorruption(failure)).toBe(false);
    expect(await spool.find(receipt.id)).toEqual(receipt);
    const shown = await spool.show(receipt.id);
    expect(shown).toMatchObject({ id: receipt.id, folder: "done", receipt });
    expect(shown?.request).toBeUndefined();
    expect(shown?.state?.team.status).toBe("sent");
    clock.advance(LEASE);
    expect(await spool.claimDue(10, LEASE)).toEqual([]);
    expect((await spool.list("done", 10)).map((entry) => entry.id)).toEqual([receipt.id]);
  });

  it("keeps a dead letter whole for the operator", async () => {
    const request = draft(spool, clock, { attachments: [SCREENSHOT] });
    await spool.accept(request);
    const id = request.receipt.id;
    await spool.claimDue(10, LEASE);
    await spool.bury(id, { version: 1, team: { ...mail("dead", clock.now(), 9), lastError: "EENVELOPE" }, client: mail("sent", clock.now()) });
    expect(logger.lines.some((line) => line.includes("spool.dead-letter") && line.includes(id))).toBe(true);
    expect(await spool.find(id)).toEqual(request.receipt);
    const shown = await spool.show(id);
    expect(shown).toMatchObject({ folder: "dead", type: "warranty", project: "test-shop", receivedAt: request.receipt.receivedAt });
    expect(shown?.request?.fields).toEqual(request.fields);
    expect(shown?.request?.attachments).toHaveLength(1);
    clock.advance(LEASE);
    expect(await spool.claimDue(10, LEASE)).toEqual([]);
  });

  it("lists a folder oldest first, without personal data, up to a limit", async () => {
    const ids = await acceptSome(spool, clock, 3);
    const listed = await spool.list("queue", 2);
    expect(listed.map((entry) => entry.id)).toEqual(ids.slice(0, 2));
    expect(listed[0]).toMatchObject({ folder: "queue", type: "warranty", project: "test-shop" });
    expect(JSON.stringify(listed)).not.toContain(EMAIL);
    expect(await spool.list("dead", 10)).toEqual([]);
    expect(await spool.show("W-00000000")).toBeUndefined();
  });

  it("sends a dead or quarantined entry again on the operator's retry: what was not delivered starts afresh", async () => {
    const [unconfirmed, confirmed] = await acceptSome(spool, clock, 2);
    await spool.claimDue(10, LEASE);
    const confirmation = mail("sent", clock.now());
    await spool.bury(unconfirmed!, { version: 1, team: mail("dead", clock.now(), 9), client: mail("queued", clock.now(), 3) });
    await spool.bury(confirmed!, { version: 1, team: mail("dead", clock.now(), 9), client: confirmation });
    const { receipt: quarantined } = await spool.accept(draft(spool, clock, { quarantined: true }));
    clock.advance(60_000);
    for (const id of [unconfirmed!, confirmed!, quarantined.id]) expect(await spool.retry(id), id).toBe(true);
    const fresh = mail("queued", clock.now(), 0);
    expect((await spool.claimDue(10, LEASE)).map((entry) => [entry.receipt.id, entry.state.team, entry.state.client])).toEqual([
      [unconfirmed, fresh, fresh],
      [confirmed, fresh, confirmation], // the client has it already: not sent twice
      [quarantined.id, fresh, fresh],
    ]);
    expect(await spool.retry(confirmed!)).toBe(false); // queued now: nothing to retry
    expect(await spool.retry("W-00000000")).toBe(false);
  });

  it("purges an entry of done, dead or quarantine, never a queued one", async () => {
    const [queued, toBury, toComplete] = await acceptSome(spool, clock, 3);
    const { receipt: quarantined } = await spool.accept(draft(spool, clock, { quarantined: true }));
    await spool.claimDue(10, LEASE);
    await spool.bury(toBury!, { version: 1, team: mail("dead", clock.now(), 9), client: mail("sent", clock.now()) });
    await spool.complete(toComplete!, delivered(clock.now()));
    expect(await spool.purge(queued!)).toBe(false);
    expect(await spool.find(queued!)).toBeDefined();
    for (const id of [toBury!, toComplete!, quarantined.id]) {
      expect(await spool.purge(id), id).toBe(true);
      expect(await spool.find(id), id).toBeUndefined();
      expect(await spool.show(id), id).toBeUndefined();
    }
    expect(await spool.purge("W-00000000")).toBe(false);
  });

  it("forgets quarantined requests after their retention and delivered receipts after theirs, keeping dead letters", async () => {
    const retention = { quarantineMs: 7 * DAY_MS, doneMs: 60 * DAY_MS };
    const [toComplete, toBury] = await acceptSome(spool, clock, 2);
    await spool.accept(draft(spool, clock, { quarantined: true }));
    await spool.claimDue(10, LEASE);
    await spool.complete(toComplete!, delivered(clock.now()));
    await spool.bury(toBury!, { version: 1, team: mail("dead", clock.now(), 9), client: mail("sent", clock.now()) });
    clock.advance(retention.quarantineMs);
    expect(await spool.sweep(retention)).toBe(0);
    clock.advance(1);
    expect(await spool.sweep(retention)).toBe(1);
    expect(await spool.list("quarantine", 10)).toEqual([]);
    expect((await spool.progress(toComplete!))?.folder, "a receipt outlives the quarantine's retention").toBe("done");
    clock.advance(retention.doneMs - retention.quarantineMs - 1);
    expect(await spool.sweep(retention)).toBe(0);
    clock.advance(1);
    expect(await spool.sweep(retention)).toBe(1);
    expect(await spool.find(toComplete!)).toBeUndefined();
    expect(await spool.find(toBury!)).toBeDefined();
  });

  it("counts the queue, its oldest request and the folders the operator must look at", async () => {
    expect(await spool.stats()).toEqual({ depth: 0, oldestPendingMs: null, dead: 0, quarantined: 0, corrupt: 0 });
    const [toBury, oldest] = await acceptSome(spool, clock, 3);
    await spool.accept(draft(spool, clock, { quarantined: true }));
    await spool.claimDue(1, LEASE);
    await spool.bury(toBury!, { version: 1, team: mail("dead", clock.now(), 9), client: mail("sent", clock.now()) });
    const oldestAt = Date.parse((await spool.find(oldest!))!.receivedAt);
    clock.advance(10_000); // past any per-second cache
    expect(await spool.stats()).toEqual({ depth: 2, oldestPendingMs: clock.now() - oldestAt, dead: 1, quarantined: 1, corrupt: 0 });
  });

  it("counts events per key in fixed windows, and takes one back", async () => {
    const window = 10 * 60_000;
    const first = await spool.hit("ip:192.0.2.1", window);
    expect(first.count).toBe(1);
    expect(first.resetAt).toBeGreaterThan(clock.now());
    clock.advance(1_000);
    expect(await spool.hit("ip:192.0.2.1", window)).toEqual({ count: 2, resetAt: first.resetAt });
    expect((await spool.hit("ip:192.0.2.2", window)).count).toBe(1);
    await spool.unhit("ip:192.0.2.1", window);
    expect((await spool.hit("ip:192.0.2.1", window)).count).toBe(2);
    clock.set(first.resetAt - 1);
    expect((await spool.hit("ip:192.0.2.1", window)).count).toBe(3);
    clock.set(first.resetAt);
    const next = await spool.hit("ip:192.0.2.1", window);
    expect(next.count).toBe(1);
    expect(next.resetAt).toBeGreaterThan(first.resetAt);
  });

  it("is ready to store a request", async () => {
    expect(await spool.readiness(1024 * 1024)).toEqual({ ready: true });
  });

  it("counts unanswered searches per day, language and query, and sums them, most asked first", async () => {
    const keepFrom = "2026-11-01";
    for (const [day, lang, query] of [
      ["2026-11-20", "ru", "сайт упал"],
      ["2026-11-20", "ru", "сайт упал"],
      ["2026-11-20", "en", "сайт упал"],
      ["2026-11-21", "ru", "сайт упал"],
      ["2026-11-21", "en", "refund policy"],
      ["2026-11-19", "en", "old question"],
    ] as const) {
      await spool.countUnanswered({ day, lang, query }, keepFrom);
    }
    expect(await spool.unanswered("2026-11-20", 10)).toEqual([
      { lang: "ru", query: "сайт упал", count: 3, days: 2, lastDay: "2026-11-21" },
      { lang: "en", query: "refund policy", count: 1, days: 1, lastDay: "2026-11-21" },
      { lang: "en", query: "сайт упал", count: 1, days: 1, lastDay: "2026-11-20" },
    ]);
    expect(await spool.unanswered("2026-11-01", 1)).toEqual([{ lang: "ru", query: "сайт упал", count: 3, days: 2, lastDay: "2026-11-21" }]);
  });

  it("forgets the counts of days past the retention as the next search is counted", async () => {
    await spool.countUnanswered({ day: "2026-08-01", lang: "en", query: "kept until it expires" }, "2026-08-01");
    await spool.countUnanswered({ day: "2026-08-02", lang: "en", query: "kept until it expires" }, "2026-08-01");
    expect((await spool.unanswered("2026-01-01", 10))[0]?.count).toBe(2);
    await spool.countUnanswered({ day: "2026-11-20", lang: "en", query: "a new day" }, "2026-08-02");
    expect(await spool.unanswered("2026-01-01", 10)).toEqual([
      { lang: "en", query: "a new day", count: 1, days: 1, lastDay: "2026-11-20" },
      { lang: "en", query: "kept until it expires", count: 1, days: 1, lastDay: "2026-08-02" },
    ]);
  });

  it("counts unanswered searches arriving at the same moment without losing one", async () => {
    await Promise.all(Array.from({ length: 20 }, () => spool.countUnanswered({ day: "2026-11-20", lang: "ru", query: "гарантия на хостинг" }, "2026-11-01")));
    expect(await spool.unanswered("2026-11-20", 10)).toEqual([{ lang: "ru", query: "гарантия на хостинг", count: 20, days: 1, lastDay: "2026-11-20" }]);
  });

  it("counts article answers per day, language and article, with the latest comments, least helpful first", async () => {
    const keepFrom = "2026-11-01";
    const votes: [string, "en" | "ru", string, "yes" | "no"][] = [
      ["2026-11-20", "en", "warranty", "yes"],
      ["2026-11-20", "en", "warranty", "no"],
      ["2026-11-21", "en", "warranty", "no"],
      ["2026-11-21", "ru", "warranty", "yes"],
      ["2026-11-21", "en", "prices", "yes"],
      ["2026-11-21", "en", "prices", "yes"],
      ["2026-11-22", "en", "prices", "yes"],
    ];
    for (const [day, lang, article, answer] of votes) await spool.countVote({ day, lang, article, answer }, keepFrom);
    const comment = (id: string, receivedAt: string, text: string) => ({ id, receivedAt, lang: "en" as const, article: "warranty", text });
    await spool.keepComment(comment("F-0000000A", "2026-11-20T10:00:00+03:00", "older"), "2026-11-20", keepFrom);
    await spool.keepComment(comment("F-0000000B", "2026-11-21T09:00:00+03:00", "newer"), "2026-11-21", keepFrom);
    await spool.keepComment(comment("F-0000000B", "2026-11-21T09:00:00+03:00", "newer"), "2026-11-21", keepFrom); // a retry
    expect(await spool.articleFeedback("2026-11-20", 5)).toEqual([
      { lang: "en", article: "warranty", yes: 1, no: 2, comments: [comment("F-0000000B", "2026-11-21T09:00:00+03:00", "newer"), comment("F-0000000A", "2026-11-20T10:00:00+03:00", "older")] },
      { lang: "en", article: "prices", yes: 3, no: 0, comments: [] },
      { lang: "ru", article: "warranty", yes: 1, no: 0, comments: [] },
    ]);
    expect((await spool.articleFeedback("2026-11-21", 1))[0]).toEqual({ lang: "en", article: "warranty", yes: 0, no: 1, comments: [comment("F-0000000B", "2026-11-21T09:00:00+03:00", "newer")] });
  });

  it("forgets article answers and comments of days past the retention as the next one is counted", async () => {
    await spool.countVote({ day: "2026-08-01", lang: "en", article: "sla", answer: "no" }, "2026-08-01");
    await spool.keepComment({ id: "F-0000000C", receivedAt: "2026-08-01T12:00:00+03:00", lang: "en", article: "sla", text: "old" }, "2026-08-01", "2026-08-01");
    expect((await spool.articleFeedback("2026-01-01", 5))[0]).toMatchObject({ no: 1, comments: [{ text: "old" }] });
    await spool.countVote({ day: "2026-11-20", lang: "en", article: "sla", answer: "yes" }, "2026-08-02");
    expect(await spool.articleFeedback("2026-01-01", 5)).toEqual([{ lang: "en", article: "sla", yes: 1, no: 0, comments: [] }]);
  });

  it("counts article answers arriving at the same moment without losing one", async () => {
    await Promise.all(Array.from({ length: 20 }, (_, index) => spool.countVote({ day: "2026-11-20", lang: "ru", article: "sla", answer: index % 2 ? "yes" : "no" }, "2026-11-01")));
    expect(await spool.articleFeedback("2026-11-20", 5)).toEqual([{ lang: "ru", article: "sla", yes: 10, no: 10, comments: [] }]);
  });

  it("stores a feedback ticket with no confirmation to send", async () => {
    const { receipt } = await spool.accept({ ...draft(spool, clock), receipt: { ...draft(spool, clock).receipt, id: spool.ticketId("feedback", "feedback-key-1"), type: "feedback" }, confirmation: "suppressed" });
    expect(receipt.id).toMatch(/^F-/);
    expect(await spool.find(receipt.id)).toMatchObject({ type: "feedback" });
    expect((await spool.claimDue(10, 60_000)).find((entry) => entry.receipt.id === receipt.id)?.state.client.status).toBe("suppressed");
  });

  it("tells a status page where a request stands, without personal data, until its receipt is forgotten", async () => {
    const { receipt } = await spool.accept(draft(spool, clock));
    expect(await spool.progress(receipt.id)).toEqual({ receipt, folder: "queue", state: expect.objectContaining({ team: expect.objectContaining({ status: "queued" }) }) });
    await spool.claimDue(10, LEASE);
    await spool.complete(receipt.id, delivered(clock.now()));
    const done = await spool.progress(receipt.id);
    expect(done).toMatchObject({ receipt, folder: "done", state: { team: { status: "sent" } } });
    expect(JSON.stringify(done)).not.toMatch(/ivan|petrov|catalogue/i);
    expect(await spool.progress(spool.ticketId("warranty", "never-sent"))).toBeUndefined();
    expect(await spool.progress("../queue")).toBeUndefined();
    const retention = { quarantineMs: 7 * DAY_MS, doneMs: 60 * DAY_MS };
    clock.advance(retention.doneMs);
    await spool.sweep(retention);
    expect(await spool.progress(receipt.id)).toBeDefined();
    clock.advance(1);
    await spool.sweep(retention);
    expect(await spool.progress(receipt.id)).toBeUndefined();
  });

  it("keeps one rating per request durably, refusing a second one, and forgets ratings past the retention", async () => {
    const rating = { id: "S-7K3F9QXM", project: "shop", day: "2026-11-20", score: 4, comment: "Quick <b>fix</b>" };
    expect(await spool.rate(rating, "2026-01-01")).toBe(true);
    expect(await spool.rate({ ...rating, score: 1, comment: "again" }, "2026-01-01")).toBe(false);
    expect(await spool.rating(rating.id)).toEqual(rating);
    expect(await spool.rate({ id: "W-7K3F9QXM", day: "2026-11-21", score: 5 }, "2026-01-01")).toBe(true);
    expect(await spool.rating("W-7K3F9QXM")).toEqual({ id: "W-7K3F9QXM", day: "2026-11-21", score: 5 });
    expect(await spool.rate({ id: "I-7K3F9QXM", project: "shop", day: "2026-12-01", score: 2 }, "2026-01-01")).toBe(true);
    expect(await spool.ratings("2026-01-01", "shop")).toEqual([rating, { id: "I-7K3F9QXM", project: "shop", day: "2026-12-01", score: 2 }]);
    expect(await spool.ratings("2026-11-21", "shop")).toEqual([{ id: "I-7K3F9QXM", project: "shop", day: "2026-12-01", score: 2 }]);
    expect(await spool.ratings("2026-01-01", "other")).toEqual([]);
    await spool.rate({ id: "C-7K3F9QXM", project: "shop", day: "2026-12-02", score: 3 }, "2026-11-21");
    expect(await spool.rating(rating.id)).toBeUndefined();
    expect((await spool.ratings("2000-01-01", "shop")).map(({ id }) => id)).toEqual(["I-7K3F9QXM", "C-7K3F9QXM"]);
    expect((await spool.ratings("2000-01-01")).map(({ id }) => id)).toEqual(["W-7K3F9QXM", "I-7K3F9QXM", "C-7K3F9QXM"]);
  });

  it("stores one of two ratings of the same request sent at the same moment", async () => {
    const answers = await Promise.all([1, 2, 3, 4, 5].map((score) => spool.rate({ id: "S-7K3F9QXM", day: "2026-11-20", score }, "2026-01-01")));
    expect(answers.filter(Boolean)).toHaveLength(1);
    expect((await spool.rating("S-7K3F9QXM"))?.score).toBe(answers.indexOf(true) + 1);
  });
});

describe("the PostgreSQL spool shared by replicas", () => {
  let url: string;
  let clock: ManualClock;
  let logger: ReturnType<typeof recordingLogger>;
  const opened: Spool[] = [];
  const replica = async (on = url): Promise<Spool> => {
    const spool = await PostgresSpool.open({ url: on, secret: SECRET, clock, logger });
    opened.push(spool);
    return spool;
  };
  /** A replica that stops without a word: its pool closes, its leases stay. */
  const gone = async (spool: Spool) => {
    opened.splice(opened.indexOf(spool), 1);
    await spool.close();
  };
  const sql = async (text: string, values: unknown[] = []) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return await client.query(text, values);
    } finally {
      await client.end();
    }
  };
  beforeEach(async () => {
    url = await postgres.createDatabase();
    clock = manualClock();
    logger = recordingLogger();
  });
  afterEach(async () => {
    for (const spool of opened.splice(0)) await spool.close();
    expect(logger.lines.join("\n")).not.toMatch(/ivan|petrov|catalogue/i);
  });

  it("prepares its tables once when replicas start together", async () => {
    const spools = await Promise.all(Array.from({ length: 4 }, () => replica()));
    expect(await spools[3]!.stats()).toMatchObject({ depth: 0 });
  });

  it("never hands one entry to two replicas claiming at the same time", async () => {
    const [a, b] = [await replica(), await replica()];
    const accepted = (await Promise.all(Array.from({ length: 200 }, (_, index) => (index % 2 ? a : b).accept(draft(a, clock))))).map((result) => result.receipt.id);
    const drain = async (spool: Spool) => {
      const claimed: string[] = [];
      for (let batch = await spool.claimDue(7, LEASE); batch.length > 0; batch = await spool.claimDue(7, LEASE)) claimed.push(...idsOf(batch));
      return claimed;
    };
    const claims = await Promise.all([a, a, a, b, b, b].map(drain));
    const all = claims.flat();
    expect(all.length).toBe(accepted.length);
    expect(new Set(all)).toEqual(new Set(accepted));
    expect(claims.slice(0, 3).flat().length, "replica A claimed some").toBeGreaterThan(0);
    expect(claims.slice(3).flat().length, "replica B claimed some").toBeGreaterThan(0);
  });

  it("skips an entry another replica is claiming instead of waiting for it", async () => {
    const spool = await replica();
    const ids = await acceptSome(spool, clock, 3);
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    try {
      await other.query("BEGIN");
      await other.query("SELECT id FROM portal_requests WHERE id = $1 FOR UPDATE", [ids[0]]);
      expect(idsOf(await spool.claimDue(10, LEASE))).toEqual(ids.slice(1));
      await other.query("ROLLBACK");
    } finally {
      await other.end();
    }
    expect(idsOf(await spool.claimDue(10, LEASE))).toEqual(ids.slice(0, 1));
  }, 10_000);

  it("gives a dead replica's work to another when its lease ends, with the state it recorded", async () => {
    const [a, b] = [await replica(), await replica()];
    const ids = await acceptSome(a, clock, 2);
    await a.claimDue(10, LEASE);
    const sending: EntryState = { version: 1, team: mail("sending", clock.now()), client: mail("queued", clock.now(), 0) };
    await a.saveState(ids[0]!, sending);
    await gone(a); // the replica is gone, holding both leases
    expect(await b.claimDue(10, LEASE)).toEqual([]);
    clock.advance(LEASE);
    const taken = await b.claimDue(10, LEASE);
    expect(idsOf(taken)).toEqual(ids);
    expect(taken[0]?.state).toEqual(sending);
  });

  it("stores one request when two replicas take a retry with the same key at once", async () => {
    const [a, b] = [await replica(), await replica()];
    const results = await Promise.all([a.accept(draft(a, clock, { key: "same" })), b.accept(draft(b, clock, { key: "same" }))]);
    expect(results.map((result) => result.replayed).sort()).toEqual([false, true]);
    expect(results[0]?.receipt).toEqual(results[1]?.receipt);
    expect(await a.list("queue", 10)).toHaveLength(1);
  });

  it("shares rate limits and confirmation budgets between replicas, storing no address", async () => {
    const [a, b] = [await replica(), await replica()];
    const window = 24 * 3_600_000;
    expect((await a.hit(`confirmations:${EMAIL}`, window)).count).toBe(1);
    expect((await b.hit(`confirmations:${EMAIL}`, window)).count).toBe(2);
    await b.unhit(`confirmations:${EMAIL}`, window);
    expect((await a.hit(`confirmations:${EMAIL}`, window)).count).toBe(2);
    const { rows } = await sql("SELECT key FROM portal_counters");
    expect(JSON.stringify(rows)).not.toContain("client.example");
  });

  it("counts the folders at most once a second per replica, however often it is asked", async () => {
    const [a, b] = [await replica(), await replica()];
    expect((await a.stats()).depth).toBe(0);
    await acceptSome(b, clock, 1); // moves the clock 1 s
    clock.advance(-1);
    expect((await a.stats()).depth).toBe(0);
    clock.advance(1);
    expect((await a.stats()).depth).toBe(1);
  });

  it("takes a lost connection for an outage, never for corruption, and carries on when it is back", async () => {
    const spool = await replica();
    const ids = await acceptSome(spool, clock, 2);
    await postgres.shutdown();
    try {
      await expect(spool.claimDue(10, LEASE)).rejects.toBeInstanceOf(SpoolUnavailableError);
      await expect(spool.accept(draft(spool, clock))).rejects.toBeInstanceOf(SpoolUnavailableError);
      const failure = await spool.loadRequest(ids[0]!).then(() => undefined, (error: unknown) => error);
      expect(failure).toBeInstanceOf(Error);
      expect(isCorruption(failure)).toBe(false);
      await expect(spool.saveState(ids[0]!, initialState(clock.now(), "queued"))).rejects.toBeInstanceOf(SpoolUnavailableError);
      clock.advance(1_000); // readiness is asked of the database at most once a second
      expect(await spool.readiness(1024)).toEqual({ ready: false, reason: "database" });
    } finally {
      await postgres.start();
    }
    clock.advance(1_000);
    expect(await spool.readiness(1024)).toEqual({ ready: true });
    expect(idsOf(await spool.claimDue(10, LEASE))).toEqual(ids);
    expect(await spool.list("corrupt", 10)).toEqual([]);
    expect(logger.lines.filter((line) => line.includes("spool.corrupt-entry"))).toEqual([]);
  });

  it("keeps every accepted request through a crash of the database, whatever the URL asks", async () => {
    // One crash per URL: a later synchronous commit would flush an earlier asynchronous one with it.
    for (const on of [url, `${url}?options=${encodeURIComponent("-c synchronous_commit=off")}`]) {
      const spool = await replica(on);
      const requests = Array.from({ length: 3 }, () => draft(spool, clock, { attachments: [SCREENSHOT] }));
      await postgres.holdWalWriter();
      for (const request of requests) await spool.accept(request);
      await postgres.crash();
      const restarted = await replica();
      for (const request of requests) {
        expect(await restarted.find(request.receipt.id), on).toEqual(request.receipt);
        expect(await restarted.loadRequest(request.receipt.id)).toEqual({ fields: request.fields, attachments: [SCREENSHOT] });
      }
    }
  });

  it("moves unreadable entries to corrupt, never sends them, and lets the same key store the request afresh", async () => {
    const spool = await replica();
    const bad = draft(spool, clock, { key: "bad" });
    await spool.accept(bad);
    const [good] = await acceptSome(spool, clock, 1);
    await sql(`UPDATE portal_requests SET state = '{"version": 1}' WHERE id = $1`, [bad.receipt.id]);
    expect(idsOf(await spool.claimDue(10, LEASE))).toEqual([good]);
    const corrupt = await spool.list("corrupt", 10);
    expect(corrupt.map((entry) => entry.id)).toEqual([expect.stringMatching(new RegExp(`^${bad.receipt.id}-[0-9a-f]{6}$`))]);
    expect(logger.lines.some((line) => line.includes("spool.corrupt-entry") && line.includes(bad.receipt.id))).toBe(true);
    expect(await spool.find(bad.receipt.id)).toBeUndefined();
    clock.advance(10_000);
    expect((await spool.stats()).corrupt).toBe(1);
    expect(await spool.show(bad.receipt.id)).toMatchObject({ folder: "corrupt", request: { fields: bad.fields } });
    // Its receipt and request are whole: the operator can send it again, under its own id.
    expect(await spool.retry(bad.receipt.id)).toBe(true);
    expect((await spool.claimDue(10, LEASE)).map((entry) => [entry.receipt.id, entry.state.team.status])).toEqual([[bad.receipt.id, "queued"]]);
  });

  it("stores a request again under a key whose first request turned out corrupt", async () => {
    const spool = await replica();
    const first = draft(spool, clock, { key: "again" });
    await spool.accept(first);
    await sql(`UPDATE portal_requests SET receipt = '{"id": 1}' WHERE id = $1`, [first.receipt.id]);
    expect(await spool.claimDue(10, LEASE)).toEqual([]);
    clock.advance(1_000);
    const second = draft(spool, clock, { key: "again" });
    expect(await spool.accept(second)).toEqual({ receipt: second.receipt, replayed: false });
    expect(idsOf(await spool.claimDue(10, LEASE))).toEqual([first.receipt.id]);
    const [corrupt] = await spool.list("corrupt", 10);
    await expect(spool.retry(corrupt!.id)).rejects.toSatisfy(isCorruption); // its receipt cannot be read
  });

  it("deletes a delivered request's attachments with its personal data", async () => {
    const spool = await replica();
    const { receipt } = await spool.accept(draft(spool, clock, { attachments: [SCREENSHOT, SCREENSHOT] }));
    await spool.claimDue(10, LEASE);
    await spool.complete(receipt.id, delivered(clock.now()));
    expect((await sql("SELECT request FROM portal_requests")).rows).toEqual([{ request: null }]);
    expect((await sql("SELECT count(*)::int AS files FROM portal_attachments")).rows).toEqual([{ files: 0 }]);
  });

  it("finds an attachment that does not match its hash", async () => {
    const spool = await replica();
    const { receipt } = await spool.accept(draft(spool, clock, { attachments: [SCREENSHOT] }));
    await sql("UPDATE portal_attachments SET content = $2 WHERE request_id = $1", [receipt.id, Buffer.from("not the screenshot")]);
    await expect(spool.loadRequest(receipt.id)).rejects.toSatisfy(isCorruption);
  });

  it("is not ready when the database takes no writes", async () => {
    const spool = await replica();
    expect(await spool.readiness(1024)).toEqual({ ready: true });
    const database = new URL(url).pathname.slice(1);
    await sql(`ALTER DATABASE ${database} SET default_transaction_read_only = on`);
    // The setting applies to new sessions: end the spool's, so its pool opens read-only ones.
    await sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", [database]);
    expect(await spool.readiness(1024)).toEqual({ ready: true }); // the answer of the last second
    clock.advance(1_000);
    expect(await spool.readiness(1024)).toEqual({ ready: false, reason: "database-read-only" });
  });

  it("needs the shared form secret, and never shows the database password", async () => {
    await expect(PostgresSpool.open({ url, secret: undefined, clock, logger })).rejects.toThrow(/FORM_SECRET/);
    const withPassword = new URL(url);
    withPassword.password = "s3cret-password";
    const spool = await replica(withPassword.toString());
    expect(spool.description).toContain(withPassword.host);
    expect(spool.description).not.toContain("s3cret-password");
  });
});
