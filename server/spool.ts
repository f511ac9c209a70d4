/**
 * The file spool, the embedded default store of the spool contract (`store.ts`): an accepted request
 * is a directory of fsynced files, published by one atomic rename (Maildir's tmp → new), so it either
 * exists whole or not at all. One process owns a spool folder at a time (`spool-lock.ts`); the
 * operator's tool reads it beside the owner and hands retried entries over through `incoming/`.
 *
 *   tmp/<random>/     being written; never read; cleared by the owner at start-up
 *   queue/<id>/       accepted, e-mails pending: receipt.json, request.json, att-N.<ext>, state.json
 *   incoming/<id>/    retried by the operator, with fresh e-mail states; the owner moves them to queue/
 *   done/ dead/ quarantine/ corrupt/   as the contract says (corrupt entries are `<id>-<random>`)
 *   searches/<YYYY-MM-DD>.json   that day's counts of unanswered searches (language, query, count)
 *   feedback/<YYYY-MM-DD>.json   that day's answers about articles (yes/no counts) and comments' masked text
 *   ratings/<id>.json            a client's answer to "How did we do?" (created exclusively: one per ticket)
 *
 * The owner keeps every queued entry's receipt and state in memory (read once at start-up, then
 * updated as it writes them), so sending and `/api/health` never re-read the queue.
 */
import { createHash, randomBytes } from "node:crypto";
import { constants as fsConstants } from "node:fs";
import path from "node:path";
import type { z } from "zod";
import type { Rating } from "../src/domain/request-status";
import { ATTACHMENTS, TICKET_ID_PATTERN, type TicketType } from "../src/domain/requests";
import type { Clock } from "./clock";
import { moveDurably, realFileSystem, replaceFileDurably, syncDirectory, writeNewFileDurably, type FileSystem } from "./durable-fs";
import type { Logger } from "./log";
import { acquireSpoolLock, type SpoolLock } from "./spool-lock";
import {
  CorruptEntryError,
  EntryStateSchema,
  FOLDERS,
  FeedbackDaySchema,
  MAIL_KINDS,
  RECEIPT_FOLDERS,
  ReceiptSchema,
  SpoolUnavailableError,
  StoredRequestSchema,
  RatingSchema,
  UnansweredDaySchema,
  errorCode,
  hasUnsentMail,
  initialState,
  isCorruption,
  nextDueAt,
  retriedState,
  ticketIdFor,
  totalFeedback,
  type ArticleComment,
  type ArticleFeedbackTotal,
  type ArticleVote,
  type Attachment,
  type Draft,
  type EntryDetail,
  type EntryState,
  type EntrySummary,
  type Folder,
  type LoadedRequest,
  type PendingEntry,
  type Progress,
  type Readiness,
  type Receipt,
  type Spool,
  type SpoolStats,
  type StoredRequest,
  type SweepRetention,
  type UnansweredSearch,
  type UnansweredTotal,
  totalUnanswered,
} from "./store";

const FILE = { receipt: "receipt.json", request: "request.json", state: "state.json", secret: "form-secret" } as const;
/** Below this many free inodes a request (a folder and several files) may not fit. */
const MIN_FREE_INODES = 64;
/** Counting dead/quarantine/corrupt reads three folders; health checks in a flood share one count a second. */
const FOLDER_COUNT_TTL_MS = 1000;
/** How often ended rate-limit windows are forgotten. */
const WINDOW_SWEEP_MS = 60_000;

/** Folder of the daily counts of unanswered searches. */
const SEARCHES = "searches";
/** Folder of the daily answers and comments about articles. */
const FEEDBACK = "feedback";
const DAY_FILE = /^(\d{4}-\d{2}-\d{2})\.json$/;
/** Folder of the clients' answers to "How did we do?", one file per ticket. */
const RATINGS = "ratings";

const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

export type FileSpoolOptions = {
  dir: string;
  secret?: string | undefined;
  clock: Clock;
  logger: Logger;
  fs?: FileSystem;
  /** How long to wait for another process to release the spool before refusing to start. */
  lockWaitMs?: number;
};

type Window = { start: number; ms: number; count: number };

export class FileSpool implements Spool {
  private readonly listeners = new Set<(id: string) => void>();
  /** Queued entries in the order they were accepted (the first is the oldest). */
  private readonly queued = new Map<string, PendingEntry>();
  /** Claimed entries: until when, and for how long each renewal extends it. */
  private readonly leases = new Map<string, { until: number; ms: number }>();
  private readonly windows = new Map<string, Window>();
  private adopting: Promise<void> | undefined;
  /** Day files (searches, feedback) are read, changed and replaced one count at a time. */
  private dayWrites: Promise<unknown> = Promise.resolve();
  /** Answers to "How did we do?" are checked and written one at a time. */
  private ratingWrites: Promise<unknown> = Promise.resolve();
  /** Ratings already read, by file name (see allRatings). */
  private readonly ratingsRead = new Map<string, Rating>();
  private windowsSweptAt = Number.NEGATIVE_INFINITY;
  private folderCounts: { at: number; counts: Promise<Pick<SpoolStats, "dead" | "quarantined" | "corrupt">> } | undefined;

  private constructor(
    readonly root: string,
    readonly secret: string,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly fs: FileSystem,
    /** Absent for a reader beside the owner (the operator's tool), which may not accept or send. */
    private readonly lock: SpoolLock | undefined,
  ) {}

  get description(): string {
    return `the folder ${this.root}`;
  }

  /**
   * Opens a spool as its owner: takes the folder's lock (waiting up to `lockWaitMs` for a process
   * that is stopping), clears `tmp/`, moves unreadable entries to `corrupt/`, requeues interrupted sends.
   */
  static async open({ dir, secret, clock, logger, fs = realFileSystem, lockWaitMs = 30_000 }: FileSpoolOptions): Promise<FileSpool> {
    const root = path.resolve(dir);
    await fs.mkdir(root, { recursive: true, mode: 0o700 });
    const lock = await acquireSpoolLock(root, { waitMs: lockWaitMs });
    try {
      await fs.rm(path.join(root, "tmp"), { recursive: true, force: true });
      for (const folder of [...FOLDERS, "tmp", "incoming", SEARCHES, FEEDBACK]) await fs.mkdir(path.join(root, folder), { recursive: true, mode: 0o700 });
      const spool = new FileSpool(root, secret ?? (await persistentSecret(fs, root)), clock, logger, fs, lock);
      await spool.recover();
      return spool;
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  /** Opens a spool beside its owner, for the operator's tool: reads, retries through `incoming/`, purges. */
  static async inspect({ dir, secret, clock, logger, fs = realFileSystem }: Omit<FileSpoolOptions, "lockWaitMs">): Promise<FileSpool> {
    const root = path.resolve(dir);
    await fs.stat(path.join(root, "queue"));
    const stored = secret ?? (await fs.readFile(path.join(root, FILE.secret), "utf8").then((text) => text.trim(), () => ""));
    return new FileSpool(root, stored, clock, logger, fs, undefined);
  }

  async close(): Promise<void> {
    await this.lock?.release();
  }

  private folder(folder: Folder | "tmp" | "incoming", id = ""): string {
    return path.join(this.root, folder, id);
  }

  private ownerOnly(): void {
    if (!this.lock) throw new Error("this spool was opened for inspection; only its owner accepts and sends");
  }

  ticketId(type: TicketType, idempotencyKey?: string): string {
    return ticketIdFor(this.secret, type, idempotencyKey);
  }

  async find(id: string): Promise<Receipt | undefined> {
    if (!TICKET_ID_PATTERN.test(id)) return undefined;
    const queued = this.queued.get(id);
    if (queued) return queued.receipt;
    for (const folder of RECEIPT_FOLDERS) {
      const receipt = await this.readJson(path.join(this.folder(folder, id), FILE.receipt), ReceiptSchema).catch(() => undefined);
      if (receipt) return receipt;
    }
    return undefined;
  }

  async progress(id: string): Promise<Progress | undefined> {
    if (!TICKET_ID_PATTERN.test(id)) return undefined;
    const queued = this.queued.get(id);
    if (queued) return { receipt: queued.receipt, folder: "queue", state: queued.state };
    for (const folder of RECEIPT_FOLDERS) {
      const dir = this.folder(folder, id);
      const receipt = await this.readJson(path.join(dir, FILE.receipt), ReceiptSchema).catch(() => undefined);
      if (receipt && folder !== "corrupt") return { receipt, folder, state: await this.readJson(path.join(dir, FILE.state), EntryStateSchema).catch(() => undefined) };
    }
    return undefined;
  }

  /** Writable (not read-only), room for `bytes` with margin (Postfix's queue_minfree idea), inodes left. */
  async readiness(bytes: number): Promise<Readiness> {
    try {
      await this.fs.access(this.folder("queue"), fsConstants.W_OK);
      const stats = await this.fs.statfs(this.root);
      if (stats.bavail * stats.bsize < 1.5 * bytes) return { ready: false, reason: "disk-full" };
      if (stats.ffree < MIN_FREE_INODES) return { ready: false, reason: "inodes-exhausted" };
      return { ready: true };
    } catch (error) {
      return { ready: false, reason: errorCode(error) === "EROFS" ? "read-only" : errorCode(error) };
    }
  }

  async accept(draft: Draft): Promise<{ receipt: Receipt; replayed: boolean }> {
    this.ownerOnly();
    const { receipt } = draft;
    // A retry of a request that has left the queue (delivered, dead, quarantined) gets the first receipt.
    const first = await this.find(receipt.id);
    if (first) return { receipt: first, replayed: true };
    const staging = this.folder("tmp", randomBytes(8).toString("hex"));
    const destination = draft.quarantined ? "quarantine" : "queue";
    const state = initialState(this.clock.now(), draft.confirmation);
    try {
      await this.fs.mkdir(staging, { mode: 0o700 });
      const attachments: StoredRequest["attachments"] = [];
      for (const [index, attachment] of draft.attachments.entries()) {
        const file = `att-${index + 1}.${ATTACHMENTS.types[attachment.contentType]}`;
        await writeNewFileDurably(this.fs, path.join(staging, file), attachment.content);
        attachments.push({ file, name: attachment.name, contentType: attachment.contentType, size: attachment.content.length, sha256: sha256(attachment.content) });
      }
      const request: StoredRequest = { version: 1, fields: draft.fields, attachments };
      await writeNewFileDurably(this.fs, path.join(staging, FILE.request), JSON.stringify(request));
      await writeNewFileDurably(this.fs, path.join(staging, FILE.receipt), JSON.stringify(receipt));
      if (!draft.quarantined) await writeNewFileDurably(this.fs, path.join(staging, FILE.state), JSON.stringify(state));
      await syncDirectory(this.fs, staging);
      await this.fs.rename(staging, this.folder(destination, receipt.id));
    } catch (error) {
      await this.fs.rm(staging, { recursive: true, force: true }).catch(() => {});
      const code = errorCode(error);
      if (code === "ENOTEMPTY" || code === "EEXIST") {
        const first = await this.find(receipt.id);
        if (first) return { receipt: first, replayed: true };
      }
      throw new SpoolUnavailableError(code);
    }
    try {
      await syncDirectory(this.fs, this.folder(destination));
    } catch (error) {
      // Published but maybe not durable: say 503; a retry with the same key collapses onto this entry.
      if (!draft.quarantined) this.queued.set(receipt.id, { receipt, state });
      throw new SpoolUnavailableError(errorCode(error));
    }
    if (!draft.quarantined) {
      this.queued.set(receipt.id, { receipt, state });
      for (const listener of this.listeners) listener(receipt.id);
    }
    return { receipt, replayed: false };
  }

  onQueued(listener: (id: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async claimDue(limit: number, leaseMs: number): Promise<PendingEntry[]> {
    this.ownerOnly();
    await this.adoptIncoming();
    const now = this.clock.now();
    const claimed: PendingEntry[] = [];
    for (const [id, entry] of this.queued) {
      if (claimed.length >= limit) break;
      const due = nextDueAt(entry.state);
      if (due > now || (this.leases.get(id)?.until ?? 0) > now) continue;
      this.leases.set(id, { until: now + leaseMs, ms: leaseMs });
      claimed.push(structuredClone(entry));
    }
    return claimed;
  }

  async release(id: string): Promise<void> {
    this.leases.delete(id);
  }

  async loadRequest(id: string): Promise<LoadedRequest> {
    const dir = this.folder("queue", id);
    const request = await this.readEntryFile(dir, FILE.request, StoredRequestSchema);
    const attachments: Attachment[] = [];
    for (const stored of request.attachments) {
      const content = await this.readEntryFile(dir, stored.file);
      if (content.length !== stored.size || sha256(content) !== stored.sha256) throw new CorruptEntryError(`attachment ${stored.file} does not match its hash`);
      attachments.push({ name: stored.name, contentType: stored.contentType, content });
    }
    return { fields: request.fields, attachments };
  }

  async saveState(id: string, state: EntryState): Promise<void> {
    await replaceFileDurably(this.fs, path.join(this.folder("queue", id), FILE.state), JSON.stringify(state));
    const entry = this.queued.get(id);
    if (entry) entry.state = structuredClone(state);
    const lease = this.leases.get(id);
    if (lease) lease.until = this.clock.now() + lease.ms;
  }

  async complete(id: string, state: EntryState): Promise<void> {
    await this.saveState(id, state);
    const dir = this.folder("queue", id);
    for (const name of await this.fs.readdir(dir)) {
      if (name === FILE.request || name.startsWith("att-")) await this.fs.rm(path.join(dir, name), { force: true });
    }
    await syncDirectory(this.fs, dir);
    await this.leave(id, this.folder("done", id));
  }

  async bury(id: string, state: EntryState): Promise<void> {
    await this.saveState(id, state);
    await this.leave(id, this.folder("dead", id));
    this.folderCounts = undefined;
    this.logger.error("spool.dead-letter", { id });
  }

  async markCorrupt(id: string, error: unknown): Promise<void> {
    await this.leave(id, this.folder("corrupt", `${id}-${randomBytes(3).toString("hex")}`)).catch(() => {});
    this.folderCounts = undefined;
    this.logger.error("spool.corrupt-entry", { id, reason: error instanceof Error ? error.name : errorCode(error) });
  }

  /** Moves a queued entry out of the queue, on disk and in memory. */
  private async leave(id: string, to: string): Promise<void> {
    await moveDurably(this.fs, this.folder("queue", id), to);
    this.queued.delete(id);
    this.leases.delete(id);
  }

  /** Start-up (R5, R7): index the queue, corrupt entries aside, interrupted sends back to the queue. */
  private async recover(): Promise<void> {
    const entries: PendingEntry[] = [];
    for (const id of await this.fs.readdir(this.folder("queue"))) {
      try {
        const dir = this.folder("queue", id);
        const entry = { receipt: await this.readEntryFile(dir, FILE.receipt, ReceiptSchema), state: await this.readEntryFile(dir, FILE.state, EntryStateSchema) };
        if (hasUnsentMail(entry.state)) await this.loadRequest(id);
        entries.push(entry);
      } catch (error) {
        // Only bad data is corruption; a read that failed for another reason stops the start-up, to be retried.
        if (!isCorruption(error)) throw error;
        await this.markCorrupt(id, error);
      }
    }
    entries.sort((a, b) => Date.parse(a.receipt.receivedAt) - Date.parse(b.receipt.receivedAt));
    for (const entry of entries) this.queued.set(entry.receipt.id, entry);
    for (const { receipt, state } of entries) {
      const interrupted = MAIL_KINDS.filter((kind) => state[kind].status === "sending");
      if (interrupted.length === 0) continue;
      for (const kind of interrupted) state[kind] = { ...state[kind], status: "queued", nextAttemptAt: this.clock.now() };
      await this.saveState(receipt.id, state);
      this.logger.warn("spool.requeued-interrupted", { id: receipt.id, mails: interrupted.join(",") });
    }
    await this.adoptIncoming();
  }

  /** Entries the operator retried join the queue (their state was reset by `retry`); one adoption at a time. */
  private adoptIncoming(): Promise<void> {
    this.adopting ??= this.adoptIncomingNow().finally(() => (this.adopting = undefined));
    return this.adopting;
  }

  private async adoptIncomingNow(): Promise<void> {
    for (const id of await this.fs.readdir(this.folder("incoming"))) {
      const dir = this.folder("incoming", id);
      try {
        const receipt = await this.readEntryFile(dir, FILE.receipt, ReceiptSchema);
        // Due by this process's clock, whatever the tool's clock said.
        const entry = { receipt, state: retriedState(await this.readEntryFile(dir, FILE.state, EntryStateSchema), this.clock.now()) };
        await replaceFileDurably(this.fs, path.join(dir, FILE.state), JSON.stringify(entry.state));
        await moveDurably(this.fs, dir, this.folder("queue", id));
        this.queued.set(id, entry);
        this.logger.info("spool.retried", { id });
      } catch (error) {
        // Unreadable, or its ticket is queued already: set aside rather than block the queue.
        const clash = ["EEXIST", "ENOTEMPTY"].includes(errorCode(error));
        if (!isCorruption(error) && !clash) throw error;
        await moveDurably(this.fs, dir, this.folder("corrupt", `${id}-${randomBytes(3).toString("hex")}`));
        this.logger.error("spool.retry-set-aside", { id, reason: clash ? "already-queued" : "unreadable" });
      }
    }
  }

  async sweep({ doneMs, quarantineMs }: SweepRetention): Promise<number> {
    const now = this.clock.now();
    let removed = 0;
    for (const [folder, cutoff] of [["done", now - doneMs], ["quarantine", now - quarantineMs]] as const) {
      for (const id of await this.fs.readdir(this.folder(folder))) {
        const dir = this.folder(folder, id);
        const since = folder === "done"
          ? (await this.readJson(path.join(dir, FILE.state), EntryStateSchema).catch(() => undefined))?.completedAt
          : Date.parse((await this.readJson(path.join(dir, FILE.receipt), ReceiptSchema).catch(() => undefined))?.receivedAt ?? "");
        if (since !== undefined && since < cutoff) {
          await this.fs.rm(dir, { recursive: true, force: true });
          removed += 1;
        }
      }
    }
    this.folderCounts = undefined;
    return removed;
  }

  async stats(): Promise<SpoolStats> {
    const now = this.clock.now();
    if (!this.folderCounts || now - this.folderCounts.at >= FOLDER_COUNT_TTL_MS || now < this.folderCounts.at) {
      const count = async (folder: Folder) => (await this.fs.readdir(this.folder(folder))).length;
      const counts = Promise.all([count("dead"), count("quarantine"), count("corrupt")]).then(([dead, quarantined, corrupt]) => ({ dead, quarantined, corrupt }));
      this.folderCounts = { at: now, counts };
      counts.catch(() => (this.folderCounts = undefined));
    }
    // The owner knows its queue; the operator's tool beside it reads the folder.
    const queue = this.lock ? undefined : await this.list("queue", Number.POSITIVE_INFINITY);
    const oldest = this.lock ? (this.queued.values().next().value as PendingEntry | undefined)?.receipt.receivedAt : queue?.[0]?.receivedAt;
    return {
      depth: queue?.length ?? this.queued.size,
      oldestPendingMs: oldest ? Math.max(0, now - Date.parse(oldest)) : null,
      ...(await this.folderCounts.counts),
    };
  }

  /** Fixed windows in memory: the owner is the only process taking requests on this spool. */
  async hit(key: string, windowMs: number): Promise<{ count: number; resetAt: number }> {
    const now = this.clock.now();
    if (now - this.windowsSweptAt >= WINDOW_SWEEP_MS || now < this.windowsSweptAt) {
      // Ended windows go once a minute, so counters for passing clients do not pile up.
      for (const [other, ended] of this.windows) if (now - ended.start >= ended.ms) this.windows.delete(other);
      this.windowsSweptAt = now;
    }
    let window = this.windows.get(key);
    if (!window || now - window.start >= windowMs || now < window.start) {
      window = { start: now, ms: windowMs, count: 0 };
      this.windows.set(key, window);
    }
    window.count += 1;
    return { count: window.count, resetAt: window.start + windowMs };
  }

  async unhit(key: string, windowMs: number): Promise<void> {
    const window = this.windows.get(key);
    if (window && this.clock.now() - window.start < windowMs && window.count > 0) window.count -= 1;
  }

  async countUnanswered(search: Omit<UnansweredSearch, "count">, oldestKeptDay: string): Promise<void> {
    await this.changeDayFile(SEARCHES, search.day, oldestKeptDay, UnansweredDaySchema, [], (counts) => {
      const known = counts.find((entry) => entry.lang === search.lang && entry.query === search.query);
      if (known) known.count += 1;
      else counts.push({ lang: search.lang, query: search.query, count: 1 });
      return counts;
    });
  }

  async unanswered(sinceDay: string, limit: number): Promise<UnansweredTotal[]> {
    const days = await this.readDayFiles(SEARCHES, sinceDay, UnansweredDaySchema);
    return totalUnanswered(days.flatMap(({ day, data }) => data.map((entry) => ({ ...entry, day }))), limit);
  }

  async countVote({ day, lang, article, answer }: ArticleVote, oldestKeptDay: string): Promise<void> {
    await this.changeDayFile(FEEDBACK, day, oldestKeptDay, FeedbackDaySchema, { votes: [], comments: [] }, (feedback) => {
      let votes = feedback.votes.find((entry) => entry.lang === lang && entry.article === article);
      if (!votes) feedback.votes.push((votes = { lang, article, yes: 0, no: 0 }));
      votes[answer] += 1;
      return feedback;
    });
  }

  async keepComment(comment: ArticleComment, day: string, oldestKeptDay: string): Promise<void> {
    await this.changeDayFile(FEEDBACK, day, oldestKeptDay, FeedbackDaySchema, { votes: [], comments: [] }, (feedback) => {
      if (!feedback.comments.some((kept) => kept.id === comment.id)) feedback.comments.push(comment);
      return feedback;
    });
  }

  async articleFeedback(sinceDay: string, commentsPerArticle: number): Promise<ArticleFeedbackTotal[]> {
    const days = await this.readDayFiles(FEEDBACK, sinceDay, FeedbackDaySchema);
    return totalFeedback(
      days.flatMap(({ day, data }) => data.votes.map((votes) => ({ ...votes, day }))),
      days.flatMap(({ data }) => data.comments),
      commentsPerArticle,
    );
  }

  /**
   * Reads, changes and durably replaces one day's file of `folder` (one change at a time), then
   * deletes the folder's days before `oldestKeptDay`, so nothing outlives the published retention.
   */
  private changeDayFile<S extends z.ZodTypeAny>(folder: string, day: string, oldestKeptDay: string, schema: S, empty: z.output<S>, change: (data: z.output<S>) => z.output<S>): Promise<void> {
    this.ownerOnly();
    const write = this.dayWrites.then(async () => {
      const file = path.join(this.root, folder, `${day}.json`);
      const data = (await this.exists(file)) ? await this.readJson(file, schema) : empty;
      await replaceFileDurably(this.fs, file, JSON.stringify(change(data)));
      const expired = (await this.days(folder)).filter((each) => each < oldestKeptDay);
      for (const each of expired) await this.fs.rm(path.join(this.root, folder, `${each}.json`), { force: true });
      if (expired.length > 0) await syncDirectory(this.fs, path.join(this.root, folder));
    });
    this.dayWrites = write.catch(() => undefined);
    return write;
  }

  /** The day files of `folder` from `sinceDay` on, parsed. */
  private async readDayFiles<S extends z.ZodTypeAny>(folder: string, sinceDay: string, schema: S): Promise<{ day: string; data: z.output<S> }[]> {
    const days = (await this.days(folder)).filter((day) => day >= sinceDay);
    return Promise.all(days.map(async (day) => ({ day, data: (await this.readJson(path.join(this.root, folder, `${day}.json`), schema)) as z.output<S> })));
  }

  /** Days with a file in `folder`, oldest first (none before the first count). */
  private async days(folder: string): Promise<string[]> {
    const names = await this.fs.readdir(path.join(this.root, folder)).catch((error: unknown) => {
      if (errorCode(error) === "ENOENT") return [] as string[];
      throw error;
    });
    return names.flatMap((name) => DAY_FILE.exec(name)?.[1] ?? []).sort();
  }

  async rate(rating: Rating, oldestKeptDay: string): Promise<boolean> {
    this.ownerOnly();
    const dir = path.join(this.root, RATINGS);
    // One answer at a time: the owner is the only writer, so "none yet, then write" cannot race, and
    // the write (temporary file, rename) leaves either no answer or a whole one after a crash.
    const write = this.ratingWrites.then(async () => {
      const file = path.join(dir, `${rating.id}.json`);
      if (await this.exists(file)) return false;
      await this.fs.mkdir(dir, { recursive: true, mode: 0o700 });
      const stored = RatingSchema.parse(rating);
      await replaceFileDurably(this.fs, file, JSON.stringify(stored));
      // Only the owner writes ratings, so what it read under this name before (since removed) is replaced here.
      this.ratingsRead.set(path.basename(file), stored);
      const expired = (await this.allRatings()).filter(({ day }) => day < oldestKeptDay);
      for (const { id } of expired) await this.fs.rm(path.join(dir, `${id}.json`), { force: true });
      if (expired.length > 0) await syncDirectory(this.fs, dir);
      return true;
    });
    this.ratingWrites = write.catch(() => undefined);
    return write;
  }

  async rating(id: string): Promise<Rating | undefined> {
    if (!TICKET_ID_PATTERN.test(id)) return undefined;
    return this.readJson(path.join(this.root, RATINGS, `${id}.json`), RatingSchema).catch((error: unknown) => {
      if (errorCode(error) === "ENOENT") return undefined;
      throw error;
    });
  }

  async ratings(sinceDay: string, project?: string): Promise<Rating[]> {
    return (await this.allRatings())
      .filter((rating) => rating.day >= sinceDay && (project === undefined || rating.project === project)).sort((a, b) => a.day.localeCompare(b.day) || a.id.localeCompare(b.id));
  }

  private async allRatings(): Promise<Rating[]> {
    const dir = path.join(this.root, RATINGS);
    const names = await this.fs.readdir(dir).catch((error: unknown) => {
      if (errorCode(error) === "ENOENT") return [] as string[];
      throw error;
    });
    const files = new Set(names.filter((name) => name.endsWith(".json")));
    // A rating never changes once written (one file per ticket, created whole), so each file is read
    // once, however many SLA pages are served; the listing still shows what another process wrote or removed.
    for (const name of this.ratingsRead.keys()) if (!files.has(name)) this.ratingsRead.delete(name);
    const unread = [...files].filter((name) => !this.ratingsRead.has(name));
    for (const [name, rating] of await Promise.all(unread.map(async (name) => [name, await this.readJson(path.join(dir, name), RatingSchema)] as const))) this.ratingsRead.set(name, rating);
    return [...files].map((name) => this.ratingsRead.get(name)!);
  }

  async list(folder: Folder, limit: number): Promise<EntrySummary[]> {
    const summaries: EntrySummary[] = [];
    for (const name of await this.fs.readdir(this.folder(folder))) {
      const dir = this.folder(folder, name);
      const receipt = await this.readJson(path.join(dir, FILE.receipt), ReceiptSchema).catch(() => undefined);
      const state = await this.readJson(path.join(dir, FILE.state), EntryStateSchema).catch(() => undefined);
      summaries.push({ id: name, folder, type: receipt?.type, project: receipt?.project, receivedAt: receipt?.receivedAt ?? "", state });
    }
    return summaries.sort((a, b) => a.receivedAt.localeCompare(b.receivedAt)).slice(0, limit);
  }

  async show(id: string): Promise<EntryDetail | undefined> {
    const found = await this.locate(id);
    if (!found) return undefined;
    const { folder, dir, name } = found;
    const receipt = await this.readJson(path.join(dir, FILE.receipt), ReceiptSchema).catch(() => undefined);
    return {
      id: name,
      folder,
      type: receipt?.type,
      project: receipt?.project,
      receivedAt: receipt?.receivedAt ?? "",
      receipt,
      state: await this.readJson(path.join(dir, FILE.state), EntryStateSchema).catch(() => undefined),
      request: await this.readJson(path.join(dir, FILE.request), StoredRequestSchema).catch(() => undefined),
    };
  }

  async retry(id: string): Promise<boolean> {
    const found = await this.locate(id);
    if (!found || !["dead", "quarantine", "corrupt"].includes(found.folder)) return false;
    const { dir } = found;
    const receipt = await this.readJson(path.join(dir, FILE.receipt), ReceiptSchema);
    // A corrupt copy whose client sent the request again (same key, same ticket) must not overwrite the newer one.
    for (const folder of [...RECEIPT_FOLDERS, "incoming"] as const) {
      const other = this.folder(folder, receipt.id);
      if (other !== dir && (await this.exists(other))) throw new Error(`${receipt.id} exists in ${folder}/ already (a newer copy of this request)`);
    }
    // Checks that the request itself is whole before it is sent again (a corrupt entry may not be).
    const request = await this.readJson(path.join(dir, FILE.request), StoredRequestSchema);
    for (const stored of request.attachments) {
      if (sha256(await this.fs.readFile(path.join(dir, stored.file))) !== stored.sha256) throw new CorruptEntryError(`attachment ${stored.file} does not match its hash`);
    }
    const state = await this.readJson(path.join(dir, FILE.state), EntryStateSchema).catch(() => undefined);
    await replaceFileDurably(this.fs, path.join(dir, FILE.state), JSON.stringify(retriedState(state, this.clock.now())));
    await moveDurably(this.fs, dir, this.folder("incoming", receipt.id));
    this.folderCounts = undefined;
    if (this.lock) await this.adoptIncoming();
    return true;
  }

  async purge(id: string): Promise<boolean> {
    const found = await this.locate(id);
    if (!found || found.folder === "queue") return false;
    await this.fs.rm(found.dir, { recursive: true, force: true });
    await syncDirectory(this.fs, this.folder(found.folder));
    this.folderCounts = undefined;
    return true;
  }

  /** Where an entry is: its id in any folder, or a corrupt copy named `<id>-<random>` (or by that full name). */
  private async locate(id: string): Promise<{ folder: Folder; dir: string; name: string } | undefined> {
    if (!/^[A-Z]-[0-9A-Z]{8}(-[0-9a-f]{6})?$/.test(id)) return undefined;
    for (const folder of FOLDERS) {
      const names = folder === "corrupt" ? (await this.fs.readdir(this.folder(folder))).filter((name) => name === id || name.startsWith(`${id}-`)) : [id];
      for (const name of names) {
        const dir = this.folder(folder, name);
        if (await this.exists(dir)) return { folder, dir, name };
      }
    }
    return undefined;
  }

  /** Reads a file of a published entry: a file missing from an entry whose folder exists is corruption. */
  private async readEntryFile(dir: string, name: string): Promise<Buffer>;
  private async readEntryFile<S extends z.ZodTypeAny>(dir: string, name: string, schema: S): Promise<z.output<S>>;
  private async readEntryFile(dir: string, name: string, schema?: z.ZodTypeAny): Promise<unknown> {
    try {
      return schema ? await this.readJson(path.join(dir, name), schema) : await this.fs.readFile(path.join(dir, name));
    } catch (error) {
      if (errorCode(error) === "ENOENT" && (await this.exists(dir))) throw new CorruptEntryError(`${name} is missing`);
      throw error;
    }
  }

  private async readJson<S extends z.ZodTypeAny>(file: string, schema: S): Promise<z.output<S>> {
    return schema.parse(JSON.parse(await this.fs.readFile(file, "utf8"))) as z.output<S>;
  }

  private async exists(file: string): Promise<boolean> {
    return this.fs.stat(file).then(
      () => true,
      () => false,
    );
  }
}

/** The form secret when none is configured: generated once and kept in the spool, so restarts keep it. */
async function persistentSecret(fs: FileSystem, root: string): Promise<string> {
  const file = path.join(root, FILE.secret);
  const read = async () => (await fs.readFile(file, "utf8")).trim();
  try {
    return await read();
  } catch (error) {
    if (errorCode(error) !== "ENOENT") throw error;
  }
  await writeNewFileDurably(fs, file, randomBytes(32).toString("base64url"));
  await syncDirectory(fs, root);
  return read();
}
