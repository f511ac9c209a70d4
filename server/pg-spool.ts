/**
 * The spool in PostgreSQL (`DATABASE_URL`): the contract of `store.ts`, shared by any number of replicas.
 *
 *   portal_requests     one row per request. `id` is the ticket id, an HMAC of the idempotency key with
 *                       the shared secret, so the primary key is the idempotency key's unique constraint.
 *                       `request` (personal data) is NULL once the request is delivered.
 *   portal_attachments  the request's files, deleted with its personal data.
 *   portal_counters     fixed-window counters of `hit`/`unhit` (rate limits, confirmation budgets).
 *   portal_ratings      clients' answers to "How did we do?", one per ticket (the primary key).
 *
 * Senders claim due rows with `FOR UPDATE SKIP LOCKED` and a lease (`lease_until`), so a replica that
 * dies holding work loses it when the lease ends. Times are ms since epoch from the injected clock,
 * never the database's `now()`, so tests drive them (replicas' clocks must agree to well within a lease).
 */
import { createHash, createHmac, randomBytes } from "node:crypto";
import pg from "pg";
import { z } from "zod";
import type { Rating } from "../src/domain/request-status";
import { ATTACHMENTS, TICKET_ID_PATTERN, TICKET_TYPES, type TicketType } from "../src/domain/requests";
import { LangSchema } from "../src/domain/schemas/common";
import type { Clock } from "./clock";
import type { Logger } from "./log";
import {
  CorruptEntryError,
  EntryStateSchema,
  FOLDERS,
  RECEIPT_FOLDERS,
  RatingSchema,
  ReceiptSchema,
  SpoolUnavailableError,
  StoredRequestSchema,
  errorCode,
  initialState,
  isCorruption,
  nextDueAt,
  retriedState,
  ticketIdFor,
  totalFeedback,
  ArticleCommentSchema,
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

export type PostgresSpoolOptions = { url: string; secret: string | undefined; clock: Clock; logger: Logger };

// Idempotent, and serialised by an advisory lock: replicas starting together would otherwise race
// in CREATE ... IF NOT EXISTS (a duplicate key in the catalogue).
const MIGRATION = `
SELECT pg_advisory_xact_lock(hashtext('service-portal spool schema'));
CREATE TABLE IF NOT EXISTS portal_requests (
  id text PRIMARY KEY,
  folder text NOT NULL CHECK (folder IN ('queue', 'done', 'dead', 'quarantine', 'corrupt')),
  type text NOT NULL,
  project text,
  received_at bigint NOT NULL,
  receipt jsonb NOT NULL,
  request jsonb,
  state jsonb,
  due_at bigint,
  lease_until bigint,
  lease_ms bigint,
  completed_at bigint
);
CREATE INDEX IF NOT EXISTS portal_requests_due ON portal_requests (due_at) WHERE folder = 'queue';
CREATE INDEX IF NOT EXISTS portal_requests_folder ON portal_requests (folder, received_at);
CREATE TABLE IF NOT EXISTS portal_attachments (
  request_id text NOT NULL REFERENCES portal_requests (id) ON DELETE CASCADE ON UPDATE CASCADE,
  n integer NOT NULL,
  content bytea NOT NULL,
  PRIMARY KEY (request_id, n)
);
CREATE TABLE IF NOT EXISTS portal_counters (
  key text NOT NULL,
  window_start bigint NOT NULL,
  reset_at bigint NOT NULL,
  count integer NOT NULL,
  PRIMARY KEY (key, window_start)
);
CREATE INDEX IF NOT EXISTS portal_counters_reset ON portal_counters (reset_at);
CREATE TABLE IF NOT EXISTS portal_unanswered_searches (
  day date NOT NULL,
  lang text NOT NULL CHECK (lang IN ('en', 'ru')),
  query text NOT NULL,
  count integer NOT NULL,
  PRIMARY KEY (day, lang, query)
);
CREATE TABLE IF NOT EXISTS portal_article_votes (
  day date NOT NULL,
  lang text NOT NULL CHECK (lang IN ('en', 'ru')),
  article text NOT NULL,
  yes integer NOT NULL DEFAULT 0,
  no integer NOT NULL DEFAULT 0,
  PRIMARY KEY (day, lang, article)
);
CREATE TABLE IF NOT EXISTS portal_article_comments (
  id text PRIMARY KEY,
  day date NOT NULL,
  received_at text NOT NULL,
  lang text NOT NULL CHECK (lang IN ('en', 'ru')),
  article text NOT NULL,
  text text NOT NULL
);
CREATE INDEX IF NOT EXISTS portal_article_comments_day ON portal_article_comments (day);
CREATE TABLE IF NOT EXISTS portal_ratings (
  id text PRIMARY KEY,
  project text,
  day date NOT NULL,
  score integer NOT NULL CHECK (score BETWEEN 1 AND 5),
  comment text
);
CREATE INDEX IF NOT EXISTS portal_ratings_project ON portal_ratings (project, day);
`;

// $1 now, $2 lease end, $3 limit, $4 lease length. The lease condition is checked again on the newest
// row version when a concurrent claim committed first, so two claimers never get the same row.
const CLAIM = `
WITH due AS (
  SELECT id FROM portal_requests
  WHERE folder = 'queue' AND due_at <= $1 AND (lease_until IS NULL OR lease_until <= $1)
  ORDER BY received_at
  LIMIT $3
  FOR UPDATE SKIP LOCKED
)
UPDATE portal_requests AS entry SET lease_until = $2, lease_ms = $4
FROM due WHERE entry.id = due.id
RETURNING entry.id, entry.received_at, entry.receipt, entry.state`;

const STATS_TTL_MS = 1_000;
const READINESS_TIMEOUT_MS = 2_000;

const ms = z.coerce.number(); // bigint columns arrive as strings
const ClaimedRowSchema = z.object({ id: z.string(), received_at: ms, receipt: z.unknown(), state: z.unknown() });
const SummaryRowSchema = z.object({
  id: z.string(),
  folder: z.enum(FOLDERS),
  type: z.enum(TICKET_TYPES),
  project: z.string().nullable(),
  received_at: ms,
  received_at_text: z.string().nullable(),
  state: z.unknown(),
});
const DetailRowSchema = SummaryRowSchema.extend({ receipt: z.unknown(), request: z.unknown() });
const VotesRowSchema = z.object({ day: z.string(), lang: LangSchema, article: z.string(), yes: z.number().int(), no: z.number().int() });
const UnansweredRowSchema = z.object({ day: z.string(), lang: LangSchema, query: z.string(), count: z.number().int() });
const RatingRowSchema = z.object({ id: z.string(), project: z.string().nullable(), day: z.string(), score: z.number().int(), comment: z.string().nullable() });
const ProgressRowSchema = z.object({ folder: z.enum(["queue", "done", "dead", "quarantine"]), receipt: z.unknown(), state: z.unknown() });
const RATING_COLUMNS = "id, project, to_char(day, 'YYYY-MM-DD') AS day, score, comment";
const StatsRowSchema = z.object({ folder: z.enum(FOLDERS), entries: z.number(), oldest: ms.nullable() });
const RequestRowSchema = z.object({ folder: z.enum(FOLDERS), request: z.unknown(), n: z.number().nullable(), content: z.instanceof(Buffer).nullable() });
const SUMMARY_COLUMNS = "id, folder, type, project, received_at, receipt->>'receivedAt' AS received_at_text, state";
/** The operator's entry `$1`: that id, or else a corrupt copy named `$1-<random>`. */
const LOCATE = "SELECT id FROM portal_requests WHERE id = $1 OR (folder = 'corrupt' AND starts_with(id, $1 || '-')) ORDER BY id = $1 DESC, id LIMIT 1";

type FolderCounts = { byFolder: Map<Folder, number>; oldestQueued: number | null };

/** A request the operation cannot apply to (not queued, already queued again): neither corruption nor an outage. */
class EntryError extends Error {
  override name = "EntryError";
  constructor(
    message: string,
    readonly code: "ENOENT" | "EEXIST",
  ) {
    super(message);
  }
}

/** Database and connection failures become `SpoolUnavailableError`; what the data itself says passes through. */
const storeError = (error: unknown) =>
  isCorruption(error) || error instanceof EntryError || error instanceof SpoolUnavailableError ? error : new SpoolUnavailableError(errorCode(error));

const failureCode = (error: unknown) => (error instanceof SpoolUnavailableError ? error.reason : errorCode(error));
const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");
const notQueued = (id: string) => new EntryError(`spool entry ${id} is not queued`, "ENOENT");

export class PostgresSpool implements Spool {
  readonly description: string;
  private readonly listeners = new Set<(id: string) => void>();
  private statsCache: { at: number; counts: Promise<FolderCounts> } | undefined;
  private readinessCache: { at: number; result: Promise<Readiness> } | undefined;

  private constructor(
    private readonly pool: pg.Pool,
    url: string,
    readonly secret: string,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.description = `PostgreSQL ${withoutPassword(url)}`;
  }

  /** Connects and creates the tables if missing; the secret is required (every replica must share it). */
  static async open({ url, secret, clock, logger }: PostgresSpoolOptions): Promise<PostgresSpool> {
    if (!secret) throw new Error("the PostgreSQL spool needs FORM_SECRET: every replica must sign forms and ticket ids with the same key");
    const pool = new pg.Pool({
      ...durableSessions(url),
      application_name: "service-portal",
      connectionTimeoutMillis: 5_000,
      // A stalled database fails the statement (503, the client retries) instead of holding the request open.
      statement_timeout: 30_000,
      keepAlive: true,
    });
    // An idle connection that breaks (a database restart) is dropped by the pool; unhandled, it would end the process.
    pool.on("error", (error) => logger.warn("spool.database-error", { code: errorCode(error) }));
    const spool = new PostgresSpool(pool, url, secret, clock, logger);
    try {
      await spool.transaction((client) => client.query(MIGRATION));
    } catch (error) {
      await pool.end();
      throw new Error(`${spool.description}: cannot create the spool's tables (${failureCode(error)})`, { cause: error });
    }
    return spool;
  }

  ticketId(type: TicketType, idempotencyKey?: string): string {
    return ticketIdFor(this.secret, type, idempotencyKey);
  }

  async find(id: string): Promise<Receipt | undefined> {
    if (!TICKET_ID_PATTERN.test(id)) return undefined;
    const { rows } = await this.query("SELECT receipt FROM portal_requests WHERE id = $1 AND folder = ANY($2)", [id, RECEIPT_FOLDERS]);
    return ReceiptSchema.safeParse(rows[0]?.receipt).data;
  }

  /** A cheap round trip (no writes): the database answers and accepts writes. */
  /** One database round trip a second at most, however many health checks and posts ask. */
  async readiness(): Promise<Readiness> {
    const now = this.clock.now();
    if (!this.readinessCache || now - this.readinessCache.at >= STATS_TTL_MS || now < this.readinessCache.at) this.readinessCache = { at: now, result: this.probe() };
    return this.readinessCache.result;
  }

  private async probe(): Promise<Readiness> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("timeout")), READINESS_TIMEOUT_MS);
    });
    try {
      const { rows } = await Promise.race([
        this.pool.query("SELECT pg_is_in_recovery() OR current_setting('transaction_read_only')::boolean AS read_only"),
        timeout,
      ]);
      return z.object({ read_only: z.boolean() }).parse(rows[0]).read_only ? { ready: false, reason: "database-read-only" } : { ready: true };
    } catch {
      return { ready: false, reason: "database" };
    } finally {
      clearTimeout(timer);
    }
  }

  async accept(draft: Draft): Promise<{ receipt: Receipt; replayed: boolean }> {
    const { receipt } = draft;
    const state = draft.quarantined ? null : initialState(this.clock.now(), draft.confirmation);
    const request: StoredRequest = {
      version: 1,
      fields: draft.fields,
      attachments: draft.attachments.map((attachment, index) => ({
        file: `att-${index + 1}.${ATTACHMENTS.types[attachment.contentType]}`,
        name: attachment.name,
        contentType: attachment.contentType,
        size: attachment.content.length,
        sha256: sha256(attachment.content),
      })),
    };
    const inserted = await this.transaction(async (client) => {
      const row = await client.query(
        `INSERT INTO portal_requests (id, folder, type, project, received_at, receipt, request, state, due_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING`,
        [
          receipt.id,
          draft.quarantined ? "quarantine" : "queue",
          receipt.type,
          receipt.project ?? null,
          Date.parse(receipt.receivedAt),
          JSON.stringify(receipt),
          JSON.stringify(request),
          state && JSON.stringify(state),
          state && nextDueAt(state),
        ],
      );
      if (row.rowCount === 0) return false;
      for (const [index, attachment] of draft.attachments.entries()) {
        await client.query("INSERT INTO portal_attachments (request_id, n, content) VALUES ($1, $2, $3)", [receipt.id, index + 1, attachment.content]);
      }
      return true;
    });
    if (!inserted) {
      const first = await this.find(receipt.id);
      if (first) return { receipt: first, replayed: true };
      throw new SpoolUnavailableError("EEXIST");
    }
    if (!draft.quarantined) for (const listener of this.listeners) listener(receipt.id);
    return { receipt, replayed: false };
  }

  onQueued(listener: (id: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async claimDue(limit: number, leaseMs: number): Promise<PendingEntry[]> {
    const now = this.clock.now();
    const { rows } = await this.query(CLAIM, [now, now + leaseMs, limit, leaseMs]);
    const claimed = rows.map((row) => ClaimedRowSchema.parse(row)).sort((a, b) => a.received_at - b.received_at);
    const entries: PendingEntry[] = [];
    for (const row of claimed) {
      try {
        const receipt = ReceiptSchema.parse(row.receipt);
        if (receipt.id !== row.id) throw new CorruptEntryError(`receipt of ${row.id} names ${receipt.id}`);
        entries.push({ receipt, state: EntryStateSchema.parse(row.state) });
      } catch (error) {
        // Not marked now (connection lost): it stays queued and leased, and is read again after the lease.
        await this.markCorrupt(row.id, error).catch((failure: unknown) => this.logger.warn("spool.unavailable", { id: row.id, code: failureCode(failure) }));
      }
    }
    return entries;
  }

  async release(id: string): Promise<void> {
    await this.query("UPDATE portal_requests SET lease_until = NULL WHERE id = $1 AND folder = 'queue'", [id]);
  }

  async loadRequest(id: string): Promise<LoadedRequest> {
    return readRequest(this.pool, id);
  }

  async saveState(id: string, state: EntryState): Promise<void> {
    const { rowCount } = await this.query(
      "UPDATE portal_requests SET state = $2, due_at = $3, lease_until = $4 + lease_ms WHERE id = $1 AND folder = 'queue'",
      [id, JSON.stringify(state), nextDueAt(state), this.clock.now()],
    );
    if (rowCount === 0) throw notQueued(id);
  }

  async complete(id: string, state: EntryState): Promise<void> {
    const completedAt = state.completedAt ?? this.clock.now();
    // One statement, so the personal data and the folder change commit together.
    const { rows } = await this.query(
      `WITH done AS (
         UPDATE portal_requests SET folder = 'done', request = NULL, state = $2, due_at = NULL, lease_until = NULL, completed_at = $3
         WHERE id = $1 AND folder = 'queue' RETURNING id
       ), gone AS (
         DELETE FROM portal_attachments WHERE request_id IN (SELECT id FROM done)
       )
       SELECT count(*)::int AS completed FROM done`,
      [id, JSON.stringify({ ...state, completedAt }), completedAt],
    );
    if (rows[0]?.completed !== 1) throw notQueued(id);
  }

  async bury(id: string, state: EntryState): Promise<void> {
    const { rowCount } = await this.query(
      "UPDATE portal_requests SET folder = 'dead', state = $2, due_at = NULL, lease_until = NULL WHERE id = $1 AND folder = 'queue'",
      [id, JSON.stringify(state)],
    );
    if (rowCount === 0) throw notQueued(id);
    this.logger.error("spool.dead-letter", { id });
  }

  /** Renamed `<id>-<random>` (as the file store does), so a retry with the same idempotency key stores the request afresh. */
  async markCorrupt(id: string, error: unknown): Promise<void> {
    await this.query("UPDATE portal_requests SET folder = 'corrupt', id = $2, due_at = NULL, lease_until = NULL WHERE id = $1 AND folder <> 'corrupt'", [
      id,
      `${id}-${randomBytes(3).toString("hex")}`,
    ]);
    this.logger.error("spool.corrupt-entry", { id, reason: error instanceof Error ? error.name : errorCode(error) });
  }

  async sweep({ doneMs, quarantineMs }: SweepRetention): Promise<number> {
    const now = this.clock.now();
    const { rows } = await this.query(
      `WITH swept AS (
         DELETE FROM portal_requests
         WHERE (folder = 'done' AND completed_at < $1) OR (folder = 'quarantine' AND received_at < $2) RETURNING 1
       ), expired AS (
         DELETE FROM portal_counters WHERE reset_at <= $3
       )
       SELECT count(*)::int AS removed FROM swept`,
      [now - doneMs, now - quarantineMs, now],
    );
    return z.number().parse(rows[0]?.removed);
  }

  /**
   * Counted at most once a second per process (failures too: a database in trouble is not asked
   * more often), however often `/api/health` is called; the oldest request's age is always current.
   */
  async stats(): Promise<SpoolStats> {
    const now = this.clock.now();
    if (!this.statsCache || now - this.statsCache.at >= STATS_TTL_MS || now < this.statsCache.at) this.statsCache = { at: now, counts: this.countFolders() };
    const { byFolder, oldestQueued } = await this.statsCache.counts;
    return {
      depth: byFolder.get("queue") ?? 0,
      oldestPendingMs: oldestQueued === null ? null : Math.max(0, now - oldestQueued),
      dead: byFolder.get("dead") ?? 0,
      quarantined: byFolder.get("quarantine") ?? 0,
      corrupt: byFolder.get("corrupt") ?? 0,
    };
  }

  private async countFolders(): Promise<FolderCounts> {
    const { rows } = await this.query(
      `SELECT folder, count(*)::int AS entries, min(received_at) AS oldest FROM portal_requests
       WHERE folder IN ('queue', 'dead', 'quarantine', 'corrupt') GROUP BY folder`,
    );
    const counted = rows.map((row) => StatsRowSchema.parse(row));
    return {
      byFolder: new Map(counted.map((row) => [row.folder, row.entries])),
      oldestQueued: counted.find((row) => row.folder === "queue")?.oldest ?? null,
    };
  }

  async hit(key: string, windowMs: number): Promise<{ count: number; resetAt: number }> {
    const { windowStart, resetAt } = windowOf(this.clock.now(), windowMs);
    const { rows } = await this.query(
      `INSERT INTO portal_counters (key, window_start, reset_at, count) VALUES ($1, $2, $3, 1)
       ON CONFLICT (key, window_start) DO UPDATE SET count = portal_counters.count + 1 RETURNING count`,
      [this.counterKey(key, windowMs), windowStart, resetAt],
    );
    return { count: z.number().parse(rows[0]?.count), resetAt };
  }

  async unhit(key: string, windowMs: number): Promise<void> {
    const { windowStart } = windowOf(this.clock.now(), windowMs);
    await this.query("UPDATE portal_counters SET count = count - 1 WHERE key = $1 AND window_start = $2 AND count > 0", [
      this.counterKey(key, windowMs),
      windowStart,
    ]);
  }

  async countUnanswered(search: Omit<UnansweredSearch, "count">, oldestKeptDay: string): Promise<void> {
    await this.query(
      `WITH counted AS (
         INSERT INTO portal_unanswered_searches (day, lang, query, count) VALUES ($1, $2, $3, 1)
         ON CONFLICT (day, lang, query) DO UPDATE SET count = portal_unanswered_searches.count + 1
       )
       DELETE FROM portal_unanswered_searches WHERE day < $4`,
      [search.day, search.lang, search.query, oldestKeptDay],
    );
  }

  async unanswered(sinceDay: string, limit: number): Promise<UnansweredTotal[]> {
    const { rows } = await this.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, lang, query, count FROM portal_unanswered_searches WHERE day >= $1`,
      [sinceDay],
    );
    return totalUnanswered(rows.map((row) => UnansweredRowSchema.parse(row)), limit);
  }

  async countVote({ day, lang, article, answer }: ArticleVote, oldestKeptDay: string): Promise<void> {
    // The answer picks one of two fixed column names, never text from the request.
    const column = answer === "yes" ? "yes" : "no";
    await this.query(
      `WITH counted AS (
         INSERT INTO portal_article_votes (day, lang, article, ${column}) VALUES ($1, $2, $3, 1)
         ON CONFLICT (day, lang, article) DO UPDATE SET ${column} = portal_article_votes.${column} + 1
       ), expired AS (
         DELETE FROM portal_article_comments WHERE day < $4
       )
       DELETE FROM portal_article_votes WHERE day < $4`,
      [day, lang, article, oldestKeptDay],
    );
  }

  async keepComment(comment: ArticleComment, day: string, oldestKeptDay: string): Promise<void> {
    await this.query(
      `WITH kept AS (
         INSERT INTO portal_article_comments (id, day, received_at, lang, article, text) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (id) DO NOTHING
       ), expired AS (
         DELETE FROM portal_article_votes WHERE day < $7
       )
       DELETE FROM portal_article_comments WHERE day < $7`,
      [comment.id, day, comment.receivedAt, comment.lang, comment.article, comment.text, oldestKeptDay],
    );
  }

  async articleFeedback(sinceDay: string, commentsPerArticle: number): Promise<ArticleFeedbackTotal[]> {
    const [votes, comments] = await Promise.all([
      this.query(`SELECT to_char(day, 'YYYY-MM-DD') AS day, lang, article, yes, no FROM portal_article_votes WHERE day >= $1`, [sinceDay]),
      this.query(`SELECT id, received_at AS "receivedAt", lang, article, text FROM portal_article_comments WHERE day >= $1`, [sinceDay]),
    ]);
    return totalFeedback(
      votes.rows.map((row) => VotesRowSchema.parse(row)),
      comments.rows.map((row) => ArticleCommentSchema.parse(row)),
      commentsPerArticle,
    );
  }

  async progress(id: string): Promise<Progress | undefined> {
    if (!TICKET_ID_PATTERN.test(id)) return undefined;
    const { rows } = await this.query("SELECT folder, receipt, state FROM portal_requests WHERE id = $1 AND folder = ANY($2)", [id, RECEIPT_FOLDERS]);
    if (rows.length === 0) return undefined;
    const row = ProgressRowSchema.parse(rows[0]);
    const receipt = ReceiptSchema.safeParse(row.receipt).data;
    return receipt && { receipt, folder: row.folder, state: EntryStateSchema.safeParse(row.state).data };
  }

  async rate(rating: Rating, oldestKeptDay: string): Promise<boolean> {
    const { id, project, day, score, comment } = RatingSchema.parse(rating);
    const { rows } = await this.query(
      `WITH stored AS (
         INSERT INTO portal_ratings (id, project, day, score, comment) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (id) DO NOTHING RETURNING 1
       ), expired AS (
         DELETE FROM portal_ratings WHERE day < $6
       )
       SELECT count(*)::int AS stored FROM stored`,
      [id, project ?? null, day, score, comment ?? null, oldestKeptDay],
    );
    return z.number().parse(rows[0]?.stored) === 1;
  }

  async rating(id: string): Promise<Rating | undefined> {
    if (!TICKET_ID_PATTERN.test(id)) return undefined;
    const { rows } = await this.query(`SELECT ${RATING_COLUMNS} FROM portal_ratings WHERE id = $1`, [id]);
    return rows.length === 0 ? undefined : ratingOf(RatingRowSchema.parse(rows[0]));
  }

  async ratings(sinceDay: string, project?: string): Promise<Rating[]> {
    const { rows } = await this.query(`SELECT ${RATING_COLUMNS} FROM portal_ratings WHERE day >= $1 AND ($2::text IS NULL OR project = $2) ORDER BY day, id`, [sinceDay, project ?? null]);
    return rows.map((row) => ratingOf(RatingRowSchema.parse(row)));
  }

  /** Keys can hold a client's address (the confirmation budget): only their HMAC is stored. */
  private counterKey(key: string, windowMs: number): string {
    return createHmac("sha256", this.secret).update(`counter:${windowMs}:${key}`).digest("base64url");
  }

  async list(folder: Folder, limit: number): Promise<EntrySummary[]> {
    const { rows } = await this.query(`SELECT ${SUMMARY_COLUMNS} FROM portal_requests WHERE folder = $1 ORDER BY received_at, id LIMIT $2`, [folder, limit]);
    return rows.map((row) => summary(SummaryRowSchema.parse(row)));
  }

  async show(id: string): Promise<EntryDetail | undefined> {
    const { rows } = await this.query(`SELECT ${SUMMARY_COLUMNS}, receipt, request FROM portal_requests WHERE id = (${LOCATE})`, [id]);
    if (rows.length === 0) return undefined;
    const row = DetailRowSchema.parse(rows[0]);
    return { ...summary(row), receipt: ReceiptSchema.safeParse(row.receipt).data, request: StoredRequestSchema.safeParse(row.request).data };
  }

  async retry(id: string): Promise<boolean> {
    const now = this.clock.now();
    const requeued = await this.transaction(async (client) => {
      const { rows } = await client.query(`SELECT id, receipt, state FROM portal_requests WHERE id = (${LOCATE}) AND folder IN ('dead', 'quarantine', 'corrupt') FOR UPDATE`, [id]);
      if (rows.length === 0) return undefined;
      const entry = z.object({ id: z.string(), receipt: z.unknown(), state: z.unknown() }).parse(rows[0]);
      const receipt = ReceiptSchema.parse(entry.receipt);
      await readRequest(client, entry.id, { anyFolder: true });
      if (receipt.id !== entry.id && ((await client.query("SELECT 1 FROM portal_requests WHERE id = $1", [receipt.id])).rowCount ?? 0) > 0) {
        throw new EntryError(`ticket ${receipt.id} was stored again after ${entry.id} was found corrupt`, "EEXIST");
      }
      // A corrupt entry's state may be what is unreadable: then it starts afresh like a quarantined one.
      const state = retriedState(EntryStateSchema.safeParse(entry.state).data, now);
      await client.query(
        "UPDATE portal_requests SET id = $2, folder = 'queue', state = $3, due_at = $4, lease_until = NULL, lease_ms = NULL WHERE id = $1",
        [entry.id, receipt.id, JSON.stringify(state), nextDueAt(state)],
      );
      return receipt.id;
    });
    if (!requeued) return false;
    for (const listener of this.listeners) listener(requeued);
    return true;
  }

  async purge(id: string): Promise<boolean> {
    const { rowCount } = await this.query(`DELETE FROM portal_requests WHERE id = (${LOCATE}) AND folder <> 'queue'`, [id]);
    return (rowCount ?? 0) > 0;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async query(text: string, values: unknown[] = []): Promise<pg.QueryResult> {
    try {
      return await this.pool.query(text, values);
    } catch (error) {
      throw storeError(error);
    }
  }

  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw storeError(error);
    }
    try {
      await client.query("BEGIN");
      const result = await work(client);
      await client.query("COMMIT");
      client.release();
      return result;
    } catch (error) {
      const broken = await client.query("ROLLBACK").then(
        () => false,
        () => true,
      );
      client.release(broken);
      throw storeError(error);
    }
  }
}

/**
 * The request's fields and attachments, checked against their recorded hashes. One statement, so
 * it never sees a request whose attachments `complete` deleted in between.
 */
async function readRequest(db: pg.Pool | pg.PoolClient, id: string, { anyFolder = false } = {}): Promise<LoadedRequest> {
  let rows: unknown[];
  try {
    ({ rows } = await db.query(
      `SELECT entry.folder, entry.request, file.n, file.content FROM portal_requests AS entry
       LEFT JOIN portal_attachments AS file ON file.request_id = entry.id WHERE entry.id = $1 ORDER BY file.n`,
      [id],
    ));
  } catch (error) {
    throw storeError(error);
  }
  const parsed = rows.map((row) => RequestRowSchema.parse(row));
  const first = parsed[0];
  if (!first || (!anyFolder && first.folder !== "queue")) throw notQueued(id);
  if (first.request === null) throw new CorruptEntryError(`spool entry ${id} has no request`);
  const request = StoredRequestSchema.parse(first.request);
  const attachments: Attachment[] = request.attachments.map((stored, index) => {
    const content = parsed.find((row) => row.n === index + 1)?.content;
    if (!content || content.length !== stored.size || sha256(content) !== stored.sha256) throw new CorruptEntryError(`attachment ${stored.file} of ${id} does not match its hash`);
    return { name: stored.name, contentType: stored.contentType, content };
  });
  return { fields: request.fields, attachments };
}

/** The fixed window holding `now`, in whole ms (the columns are bigint; a window may be a fraction of a minute). */
function windowOf(now: number, windowMs: number): { windowStart: number; resetAt: number } {
  const windowStart = Math.floor(Math.floor(now / windowMs) * windowMs);
  return { windowStart, resetAt: Math.floor(windowStart + windowMs) };
}

function summary(row: z.infer<typeof SummaryRowSchema>): EntrySummary {
  return {
    id: row.id,
    folder: row.folder,
    type: row.type,
    project: row.project ?? undefined,
    receivedAt: row.received_at_text ?? new Date(row.received_at).toISOString(),
    state: EntryStateSchema.safeParse(row.state).data,
  };
}

/**
 * Every session commits synchronously, whatever the server's default: a request is durable at COMMIT.
 * Options in the URL would replace the driver's, so they are merged with it.
 */
function durableSessions(url: string): { connectionString: string; options: string } {
  const durable = "-c synchronous_commit=on";
  const parsed = new URL(url);
  const given = parsed.searchParams.get("options");
  if (given === null) return { connectionString: url, options: durable };
  parsed.searchParams.delete("options");
  return { connectionString: parsed.toString(), options: `${given} ${durable}` };
}

/** The URL for logs and the operator: no password, in the authority or as a parameter. */
function withoutPassword(url: string): string {
  const parsed = new URL(url);
  parsed.password = "";
  parsed.searchParams.delete("password");
  return parsed.toString();
}

function ratingOf({ id, project, day, score, comment }: z.infer<typeof RatingRowSchema>): Rating {
  return { id, ...(project === null ? {} : { project }), day, score, ...(comment === null ? {} : { comment }) };
}
