/**
 * The spool contract: what the API, the sender, the receipt pages and the operator's tool need from
 * wherever accepted requests are kept. Two stores keep it:
 *
 * - `FileSpool` (`spool.ts`): the embedded default, a folder on one machine, owned by one process
 *   at a time (a second one waits for the lock or refuses to start);
 * - `PostgresSpool` (`pg-spool.ts`): when `DATABASE_URL` is set, shared by any number of replicas.
 *
 * An entry lives in one folder at a time (the names come from the file store, where they are folders):
 *   queue       accepted, e-mails pending
 *   done        both e-mails handled; personal data deleted, receipt + state kept `requestStatusRetentionDays` (settings)
 *   dead        the team's e-mail failed for good or for too long; kept whole for the operator
 *   quarantine  honeypot hits and forged form signatures: answered like any request, never sent, purged after RETENTION_DAYS
 *   corrupt     unreadable entries; kept for inspection
 *
 * Both stores also keep the daily counts of searches that found no full answer (`searches/` folder,
 * `portal_unanswered_searches` table): query text, language, day and count only; and the articles'
 * "was this helpful?" answers (`feedback/` folder, `portal_article_votes` and `portal_article_comments`):
 * per article, language and day the yes/no counts, and the comments' masked text with their ticket ids;
 * and the clients' answers to "How did we do?" (`ratings/` folder, `portal_ratings` table): one per ticket.
 */
import { createHmac, randomBytes } from "node:crypto";
import { z } from "zod";
import type { FeedbackAnswer } from "../src/domain/article-feedback";
import { ATTACHMENTS, TICKET_ID_PATTERN, TICKET_PREFIX, TICKET_TYPES, type AttachmentMime, type TicketType } from "../src/domain/requests";
import { RATING, type DeliveryFacts, type Rating } from "../src/domain/request-status";
import { LangSchema, type Lang } from "../src/domain/schemas/common";
import { DEADLINE_KINDS, PROMISE_QUALIFIERS } from "../src/domain/schemas/promises";

export const FOLDERS = ["queue", "done", "dead", "quarantine", "corrupt"] as const;
export type Folder = (typeof FOLDERS)[number];
/** Folders whose entries answer an idempotent retry or a receipt lookup, in the order entries move through them. */
export const RECEIPT_FOLDERS: Folder[] = ["queue", "done", "dead", "quarantine"];

const ATTACHMENT_MIMES = Object.keys(ATTACHMENTS.types) as [AttachmentMime, ...AttachmentMime[]];

/** What the client is told, and all the sender needs besides the request: no personal data. */
export const ReceiptSchema = z.object({
  version: z.literal(1),
  id: z.string().regex(TICKET_ID_PATTERN),
  type: z.enum(TICKET_TYPES),
  lang: LangSchema,
  /** Project slug, for requests about a project. */
  project: z.string().optional(),
  /** ISO 8601, Moscow offset. */
  receivedAt: z.string().datetime({ offset: true }),
  /** The promised deadlines by kind, ISO 8601 with the Moscow offset. */
  deadlines: z.record(z.enum(DEADLINE_KINDS), z.string()),
  /** How the terms qualify some of them ("as a rule, in simple cases"); absent when none is (and in receipts written before). */
  qualifiers: z.record(z.enum(DEADLINE_KINDS), z.enum(PROMISE_QUALIFIERS)).optional(),
  /** Keyed SHA-256 of the request's normalised fields and attachments: a retry with the same key must match it (else 422). */
  contentHash: z.string().regex(/^[A-Za-z0-9_-]{43}$/).optional(),
  /** Set when the form carried no valid token ("missing" or "expired"): sent, with a warning in the team's e-mail. */
  formToken: z.enum(["missing", "expired"]).optional(),
});
export type Receipt = z.infer<typeof ReceiptSchema>;

export const StoredAttachmentSchema = z.object({
  /** Generated file name inside the entry. */
  file: z.string().regex(/^att-\d+\.(png|jpg|webp)$/),
  /** Sanitised display name for the e-mail. */
  name: z.string(),
  contentType: z.enum(ATTACHMENT_MIMES),
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

/** The client's request as submitted (personal data): deleted once both e-mails are handled. */
export const StoredRequestSchema = z.object({
  version: z.literal(1),
  fields: z.record(z.string()),
  attachments: z.array(StoredAttachmentSchema),
});
export type StoredRequest = z.infer<typeof StoredRequestSchema>;

export const MailStateSchema = z.object({
  status: z.enum(["queued", "sending", "sent", "suppressed", "dead"]),
  /** Attempts started (counted before each try, so a message that crashes the process still ends). */
  attempts: z.number().int().nonnegative(),
  /** Not before this time, ms since epoch. */
  nextAttemptAt: z.number(),
  /** Error code of the last failure (never the server's text: it may quote an address). */
  lastError: z.string().optional(),
  /** Recipients that still have to accept the message after a partly refused send; absent = all of them. */
  remaining: z.array(z.string()).optional(),
});
export type MailState = z.infer<typeof MailStateSchema>;
export const MAIL_KINDS = ["team", "client"] as const;
export type MailKind = (typeof MAIL_KINDS)[number];
/** A mail in one of these states needs nothing more. */
export const FINAL_MAIL_STATES = new Set<MailState["status"]>(["sent", "suppressed", "dead"]);

export const EntryStateSchema = z.object({
  version: z.literal(1),
  team: MailStateSchema,
  client: MailStateSchema,
  /** When both e-mails were handled, ms since epoch. */
  completedAt: z.number().optional(),
});
export type EntryState = z.infer<typeof EntryStateSchema>;

export type Attachment = { name: string; contentType: AttachmentMime; content: Buffer };
export type LoadedRequest = { fields: Record<string, string>; attachments: Attachment[] };

export type Draft = {
  receipt: Receipt;
  fields: Record<string, string>;
  attachments: Attachment[];
  /** "suppressed" when the address already had its confirmations for the day. */
  confirmation: "queued" | "suppressed";
  /** Honeypot or time-trap hit: stored apart and never sent. */
  quarantined: boolean;
};

export type PendingEntry = { receipt: Receipt; state: EntryState };
/** How long `sweep` keeps each kind: delivered receipts back status links (a content setting), quarantined requests hold personal data (RETENTION_DAYS). */
export type SweepRetention = { doneMs: number; quarantineMs: number };
export type SpoolStats = { depth: number; oldestPendingMs: number | null; dead: number; quarantined: number; corrupt: number };
/** Whether a request can be stored right now; `reason` is a short code for the log and the health check. */
export type Readiness = { ready: true } | { ready: false; reason: string };
/** One entry as the operator's list shows it: no personal data. */
export type EntrySummary = { id: string; folder: Folder; type?: TicketType | undefined; project?: string | undefined; receivedAt: string; state?: EntryState | undefined };
/** One entry whole, personal data included (only on the operator's explicit request). */
export type EntryDetail = EntrySummary & { receipt?: Receipt | undefined; request?: StoredRequest | undefined };

/** One count of searches no page fully answered: a normalised query, its language, its day (UTC); nothing about who searched. */
export type UnansweredSearch = { day: string; lang: Lang; query: string; count: number };
/** The same query's counts over several days, for the operator's list. */
export type UnansweredTotal = { lang: Lang; query: string; count: number; days: number; lastDay: string };

export const UnansweredDaySchema = z.array(z.object({ lang: LangSchema, query: z.string().min(1), count: z.number().int().positive() }));

/** A request as its status page sees it: receipt, folder and e-mail states; no personal data. */
export type Progress = { receipt: Receipt; folder: DeliveryFacts["folder"]; state?: EntryState | undefined };

/** A client's answer to "How did we do?" as both stores keep it. */
export const RatingSchema = z.object({
  /** The request's ticket id: one answer per request. */
  id: z.string().regex(TICKET_ID_PATTERN),
  /** Project slug; absent for a request about no project. */
  project: z.string().optional(),
  /** Day answered, YYYY-MM-DD Moscow time. */
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  /** 1–5. */
  score: z.number().int().min(RATING.min).max(RATING.max),
  /** The client's words, at most RATING.commentMaxLength characters; absent when none. */
  comment: z.string().max(RATING.commentMaxLength).optional(),
}) satisfies z.ZodType<Rating>;

/** Sums daily counts per language and query: most counted first, then the most recent, then by text. */
export function totalUnanswered(counts: UnansweredSearch[], limit: number): UnansweredTotal[] {
  const totals = new Map<string, UnansweredTotal>();
  for (const { day, lang, query, count } of counts) {
    const key = `${lang}\n${query}`;
    const total = totals.get(key) ?? { lang, query, count: 0, days: 0, lastDay: day };
    total.count += count;
    total.days += 1;
    if (day > total.lastDay) total.lastDay = day;
    totals.set(key, total);
  }
  return [...totals.values()].sort((a, b) => b.count - a.count || b.lastDay.localeCompare(a.lastDay) || a.query.localeCompare(b.query)).slice(0, limit);
}

/** One "was this helpful?" answer about an article, as counted: its day (UTC), language, article slug and answer. */
export type ArticleVote = { day: string; lang: Lang; article: string; answer: FeedbackAnswer };
/** One day's answers about one article in one language. */
export type ArticleVotes = { day: string; lang: Lang; article: string; yes: number; no: number };
/** What an article was missing, as kept for the operator: the comment's masked text and its ticket. */
export type ArticleComment = { id: string; receivedAt: string; lang: Lang; article: string; text: string };
/** An article's answers over several days, with its latest comments (newest first). */
export type ArticleFeedbackTotal = { lang: Lang; article: string; yes: number; no: number; comments: ArticleComment[] };

const ArticleSlugSchema = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/);
export const ArticleCommentSchema = z.object({ id: z.string().regex(TICKET_ID_PATTERN), receivedAt: z.string().datetime({ offset: true }), lang: LangSchema, article: ArticleSlugSchema, text: z.string() });
/** A day's file of the file store (`feedback/<day>.json`). */
export const FeedbackDaySchema = z.object({
  votes: z.array(z.object({ lang: LangSchema, article: ArticleSlugSchema, yes: z.number().int().nonnegative(), no: z.number().int().nonnegative() })),
  comments: z.array(ArticleCommentSchema),
});

/**
 * Sums daily answers per article and language, each with its `commentsPerArticle` latest comments:
 * the articles most often found unhelpful first, then the most answered, then by name.
 */
export function totalFeedback(votes: ArticleVotes[], comments: ArticleComment[], commentsPerArticle: number): ArticleFeedbackTotal[] {
  const totals = new Map<string, ArticleFeedbackTotal>();
  const totalOf = (lang: Lang, article: string) => {
    const key = `${lang}\n${article}`;
    const total = totals.get(key) ?? { lang, article, yes: 0, no: 0, comments: [] };
    totals.set(key, total);
    return total;
  };
  for (const { lang, article, yes, no } of votes) {
    const total = totalOf(lang, article);
    total.yes += yes;
    total.no += no;
  }
  for (const comment of [...comments].sort((a, b) => Date.parse(b.receivedAt) - Date.parse(a.receivedAt))) {
    const total = totalOf(comment.lang, comment.article);
    if (total.comments.length < commentsPerArticle) total.comments.push(comment);
  }
  return [...totals.values()].sort((a, b) => b.no - a.no || b.yes + b.no - (a.yes + a.no) || a.article.localeCompare(b.article) || a.lang.localeCompare(b.lang));
}

/** Any failure to store a request durably; the client gets 503 and tries again. */
export class SpoolUnavailableError extends Error {
  override name = "SpoolUnavailableError";
  constructor(readonly reason: string) {
    super(`the spool cannot store the request (${reason})`);
  }
}

export interface Spool {
  /** HMAC key for ticket ids and form signatures: the same for every process sharing the store. */
  readonly secret: string;
  /** What the store is, for the start-up line and the operator (never shown to anonymous callers). */
  readonly description: string;
  /** `W-7K3F9QXM`: derived from the idempotency key when there is one, random otherwise. */
  ticketId(type: TicketType, idempotencyKey?: string): string;
  /** The receipt of an accepted request (any state), or undefined. */
  find(id: string): Promise<Receipt | undefined>;
  /** Whether a request of up to `bytes` can be stored now (writable, space, inodes, connection); no side effects. */
  readiness(bytes: number): Promise<Readiness>;
  /**
   * Stores a request durably, or throws `SpoolUnavailableError` leaving nothing behind. A request
   * whose id already exists (a retry with the same idempotency key) returns the first receipt.
   */
  accept(draft: Draft): Promise<{ receipt: Receipt; replayed: boolean }>;
  /** Calls `listener(id)` whenever this process queues a request for sending. */
  onQueued(listener: (id: string) => void): () => void;
  /**
   * Up to `limit` queued entries with an e-mail due now (by the injected clock), oldest first, each
   * leased to the caller for `leaseMs`: no other sender gets them until the lease ends or is renewed
   * by `saveState`. Entries whose stored data cannot be read are moved to `corrupt`; a transient read
   * error (EMFILE, EIO, a lost connection) leaves them queued.
   */
  claimDue(limit: number, leaseMs: number): Promise<PendingEntry[]>;
  /** Ends the caller's lease on a queued entry, so the next pass may claim it as soon as it is due. */
  release(id: string): Promise<void>;
  /** The request's fields and attachments, checked against their recorded hashes. */
  loadRequest(id: string): Promise<LoadedRequest>;
  /** Records the state of a queued entry durably (and renews its lease). */
  saveState(id: string, state: EntryState): Promise<void>;
  /** Both e-mails handled and the team's delivered: delete the personal data, keep receipt and state. */
  complete(id: string, state: EntryState): Promise<void>;
  /** The team's e-mail failed for good: keep everything in `dead` for the operator. */
  bury(id: string, state: EntryState): Promise<void>;
  /** Moves an entry whose stored data is unreadable or does not match its hashes to `corrupt` (never deletes it). */
  markCorrupt(id: string, error: unknown): Promise<void>;
  /** Forget delivered receipts completed over `doneMs` ago and quarantined requests received over `quarantineMs` ago; returns how many. */
  sweep(retention: SweepRetention): Promise<number>;
  /** Numbers for `/api/health`, at a cost that does not grow with the queue. */
  stats(): Promise<SpoolStats>;
  /** Counts one event under `key` in a fixed window of `windowMs` (shared by every process on the store). */
  hit(key: string, windowMs: number): Promise<{ count: number; resetAt: number }>;
  /** Takes back one event counted by `hit` in the current window (a request the limit should not have counted). */
  unhit(key: string, windowMs: number): Promise<void>;

  /**
   * Counts one search no page fully answered (`query` already normalised), durably. Days before
   * `oldestKeptDay` are forgotten in the same step, so nothing outlives the published retention.
   */
  countUnanswered(search: Omit<UnansweredSearch, "count">, oldestKeptDay: string): Promise<void>;
  /** Counts from `sinceDay` (inclusive) on, summed per language and query, most counted first, at most `limit`. */
  unanswered(sinceDay: string, limit: number): Promise<UnansweredTotal[]>;

  /** Counts one answer about an article, durably; days before `oldestKeptDay` are forgotten in the same step (votes and comments). */
  countVote(vote: ArticleVote, oldestKeptDay: string): Promise<void>;
  /**
   * Keeps a comment's masked text for the operator under the day `day`, durably; the same ticket id kept
   * again (a retried post) changes nothing. Days before `oldestKeptDay` are forgotten in the same step.
   */
  keepComment(comment: ArticleComment, day: string, oldestKeptDay: string): Promise<void>;
  /** Answers and comments from `sinceDay` (inclusive) on, per article and language (see totalFeedback). */
  articleFeedback(sinceDay: string, commentsPerArticle: number): Promise<ArticleFeedbackTotal[]>;
  /** Where a request stands, for its status page: undefined for an unknown id, a corrupt entry or a swept receipt. */
  progress(id: string): Promise<Progress | undefined>;
  /**
   * Keeps a client's answer durably, unless the request has one already: then nothing is stored
   * and it returns false. Answers from days before `oldestKeptDay` are forgotten in the same step.
   */
  rate(rating: Rating, oldestKeptDay: string): Promise<boolean>;
  /** The answer given for a request, if any. */
  rating(id: string): Promise<Rating | undefined>;
  /** Answers from `sinceDay` (inclusive) on, oldest first: a project's, or all of them. */
  ratings(sinceDay: string, project?: string): Promise<Rating[]>;

  // The operator's tool (`npm run spool`).
  /** Entries of one folder, oldest first, without personal data. */
  list(folder: Folder, limit: number): Promise<EntrySummary[]>;
  /** One entry whole, personal data included. */
  show(id: string): Promise<EntryDetail | undefined>;
  /**
   * Sends an entry of `dead`, `quarantine` or `corrupt` again: back to `queue` with fresh e-mail states
   * (a corrupt one only if its data can be read). Returns false when there is no such entry.
   */
  retry(id: string): Promise<boolean>;
  /** Deletes one entry of `done`, `dead`, `quarantine` or `corrupt` (never a queued one). */
  purge(id: string): Promise<boolean>;

  /** Releases the store (the file lock, the connection pool). */
  close(): Promise<void>;
}

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** 40 bits as 8 base32 characters. */
function base32(bytes: Buffer): string {
  let bits = 0n;
  for (const byte of bytes.subarray(0, 5)) bits = (bits << 8n) | BigInt(byte);
  return Array.from({ length: 8 }, (_, index) => CROCKFORD[Number((bits >> BigInt(35 - index * 5)) & 31n)]).join("");
}

/** The ticket id scheme both stores use: an HMAC of the type and idempotency key, random without a key. */
export function ticketIdFor(secret: string, type: TicketType, idempotencyKey?: string): string {
  const bytes = idempotencyKey ? createHmac("sha256", secret).update(`ticket:${type}:${idempotencyKey}`).digest() : randomBytes(5);
  return `${TICKET_PREFIX[type]}-${base32(bytes)}`;
}

/** The e-mail states of a freshly accepted (or retried) request. */
export function initialState(now: number, confirmation: Draft["confirmation"]): EntryState {
  const mail = (status: MailState["status"]): MailState => ({ status, attempts: 0, nextAttemptAt: now });
  return { version: 1, team: mail("queued"), client: mail(confirmation) };
}

/**
 * The state of an entry the operator sends again: e-mails already sent (or suppressed) stay so; the
 * others start afresh, due `now`. A quarantined entry has no state yet: both e-mails are queued.
 */
export function retriedState(state: EntryState | undefined, now: number): EntryState {
  if (!state) return initialState(now, "queued");
  const again = (mail: MailState): MailState =>
    mail.status === "sent" || mail.status === "suppressed" ? mail : { status: "queued", attempts: 0, nextAttemptAt: now, ...(mail.remaining ? { remaining: mail.remaining } : {}) };
  return { version: 1, team: again(state.team), client: again(state.client) };
}

/**
 * When a queued entry next needs the sender (ms since epoch). An entry whose e-mails are all final is
 * due at once: a crash came between its last attempt and its move out of the queue, which the sender finishes.
 */
export function nextDueAt(state: EntryState): number {
  const due = MAIL_KINDS.filter((kind) => !FINAL_MAIL_STATES.has(state[kind].status)).map((kind) =>
    state[kind].status === "sending" ? 0 : state[kind].nextAttemptAt,
  );
  return due.length === 0 ? 0 : Math.max(0, Math.min(...due));
}

/** Whether any e-mail of the entry is still to be sent (so its request must be readable). */
export function hasUnsentMail(state: EntryState): boolean {
  return MAIL_KINDS.some((kind) => !FINAL_MAIL_STATES.has(state[kind].status));
}

/** Errors that say the data itself is bad (not the disk or the connection reading it). */
export function isCorruption(error: unknown): boolean {
  return error instanceof SyntaxError || error instanceof z.ZodError || error instanceof CorruptEntryError;
}

/** Stored data that cannot be used: a missing file of a published entry, an attachment not matching its hash. */
export class CorruptEntryError extends Error {
  override name = "CorruptEntryError";
}

export const errorCode = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code ?? "unknown";
