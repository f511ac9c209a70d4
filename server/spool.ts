/**
 * The durable request spool: an accepted request is a directory of fsynced files, published by
 * one atomic rename (Maildir's tmp → new), so it either exists whole or not at all.
 *
 *   tmp/<random>/     being written; never read; cleared at start-up (this process is the only writer)
 *   queue/<id>/       accepted, e-mails pending: receipt.json, request.json, att-N.<ext>, state.json
 *   done/<id>/        both e-mails handled; personal data deleted, receipt + state kept RETENTION_DAYS
 *   dead/<id>/        an e-mail failed for good or for too long; kept whole for the operator
 *   quarantine/<id>/  honeypot / time-trap hits: answered like any request, never sent, purged after RETENTION_DAYS
 *   corrupt/<id>/     unreadable entries found at start-up or while sending; kept for inspection
 *
 * Ticket ids carry the idempotency key (HMAC of it), so a retried submit renames onto the
 * existing directory, fails with ENOTEMPTY, and is answered with the first receipt.
 */
import { createHash, createHmac, randomBytes } from "node:crypto";
import path from "node:path";
import { z } from "zod";
import {
  ATTACHMENTS,
  REQUEST_TYPES,
  TICKET_ID_PATTERN,
  TICKET_PREFIX,
  type AttachmentMime,
  type RequestType,
} from "../src/domain/requests";
import { LangSchema } from "../src/domain/schemas/common";
import type { Clock } from "./clock";
import { moveDurably, realFileSystem, replaceFileDurably, syncDirectory, writeNewFileDurably, type FileSystem } from "./durable-fs";
import type { Logger } from "./log";

const FOLDERS = ["tmp", "queue", "done", "dead", "quarantine", "corrupt"] as const;
type Folder = (typeof FOLDERS)[number];
/** Folders whose entries answer an idempotent retry or a receipt lookup, in the order entries move through them. */
const RECEIPT_FOLDERS: Folder[] = ["queue", "done", "dead", "quarantine"];
const FILE = { receipt: "receipt.json", request: "request.json", state: "state.json", secret: "form-secret" } as const;

const ATTACHMENT_MIMES = Object.keys(ATTACHMENTS.types) as [AttachmentMime, ...AttachmentMime[]];

/** What the client is told, and all the sender needs besides the request: no personal data. */
export const ReceiptSchema = z.object({
  version: z.literal(1),
  id: z.string().regex(TICKET_ID_PATTERN),
  type: z.enum(REQUEST_TYPES),
  lang: LangSchema,
  /** Project slug, for requests about a project. */
  project: z.string().optional(),
  /** ISO 8601, Moscow offset. */
  receivedAt: z.string().datetime({ offset: true }),
  deadlines: z
    .object({ firstResponse: z.string().optional(), processing: z.string().optional(), resolution: z.string().optional(), workStart: z.string().optional() })
    .strict(),
});
export type Receipt = z.infer<typeof ReceiptSchema>;

/** The client's request as submitted (personal data): deleted once both e-mails are handled. */
const StoredRequestSchema = z.object({
  version: z.literal(1),
  fields: z.record(z.string()),
  attachments: z.array(
    z.object({
      /** Generated file name inside the entry. */
      file: z.string().regex(/^att-\d+\.(png|jpg|webp)$/),
      /** Sanitised display name for the e-mail. */
      name: z.string(),
      contentType: z.enum(ATTACHMENT_MIMES),
      size: z.number().int().nonnegative(),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
    }),
  ),
});
export type StoredRequest = z.infer<typeof StoredRequestSchema>;

const MailStateSchema = z.object({
  status: z.enum(["queued", "sending", "sent", "suppressed", "dead"]),
  /** Attempts started (counted before each try, so a message that crashes the process still ends). */
  attempts: z.number().int().nonnegative(),
  /** Not before this time, ms since epoch. */
  nextAttemptAt: z.number(),
  /** Error code of the last failure (never the server's text: it may quote an address). */
  lastError: z.string().optional(),
});
export type MailState = z.infer<typeof MailStateSchema>;
export const MAIL_KINDS = ["team", "client"] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

const EntryStateSchema = z.object({
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
export type SpoolStats = { depth: number; oldestPendingMs: number | null; dead: number; quarantined: number; corrupt: number };

/** Any failure to store a request durably; the client gets 503 and tries again. */
export class SpoolUnavailableError extends Error {
  override name = "SpoolUnavailableError";
  constructor(readonly reason: string) {
    super(`the spool cannot store the request (${reason})`);
  }
}

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** 40 bits as 8 base32 characters. */
function base32(bytes: Buffer): string {
  let bits = 0n;
  for (const byte of bytes.subarray(0, 5)) bits = (bits << 8n) | BigInt(byte);
  return Array.from({ length: 8 }, (_, index) => CROCKFORD[Number((bits >> BigInt(35 - index * 5)) & 31n)]).join("");
}

const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");
const errorCode = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code ?? "unknown";

export type SpoolOptions = { dir: string; secret?: string | undefined; clock: Clock; logger: Logger; fs?: FileSystem };

export class Spool {
  private readonly listeners = new Set<(id: string) => void>();

  private constructor(
    readonly root: string,
    /** HMAC key for ticket ids and form signatures. */
    readonly secret: string,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly fs: FileSystem,
  ) {}

  /** Opens (creating) a spool: clears `tmp/`, moves unreadable entries to `corrupt/`, requeues interrupted sends. */
  static async open({ dir, secret, clock, logger, fs = realFileSystem }: SpoolOptions): Promise<Spool> {
    const root = path.resolve(dir);
    await fs.rm(path.join(root, "tmp"), { recursive: true, force: true });
    for (const folder of FOLDERS) await fs.mkdir(path.join(root, folder), { recursive: true, mode: 0o700 });
    const spool = new Spool(root, secret ?? (await persistentSecret(fs, root)), clock, logger, fs);
    await spool.recover();
    return spool;
  }

  private folder(folder: Folder, id = ""): string {
    return path.join(this.root, folder, id);
  }

  /** `W-7K3F9QXM`: derived from the idempotency key when there is one, random otherwise. */
  ticketId(type: RequestType, idempotencyKey?: string): string {
    const bytes = idempotencyKey
      ? createHmac("sha256", this.secret).update(`ticket:${idempotencyKey}`).digest()
      : randomBytes(5);
    return `${TICKET_PREFIX[type]}-${base32(bytes)}`;
  }

  /** The receipt of an accepted request (any state), or undefined. */
  async find(id: string): Promise<Receipt | undefined> {
    if (!TICKET_ID_PATTERN.test(id)) return undefined;
    for (const folder of RECEIPT_FOLDERS) {
      const receipt = await this.readJson(path.join(this.folder(folder, id), FILE.receipt), ReceiptSchema).catch(() => undefined);
      if (receipt) return receipt;
    }
    return undefined;
  }

  /** True when there is room for a request of `bytes` with margin (Postfix's queue_minfree idea). */
  async hasRoomFor(bytes: number): Promise<boolean> {
    const stats = await this.fs.statfs(this.root);
    return stats.bavail * stats.bsize >= 1.5 * bytes;
  }

  /**
   * Stores a request durably, or throws `SpoolUnavailableError` leaving nothing behind. A request
   * whose id already exists (a retry with the same idempotency key) returns the first receipt.
   */
  async accept(draft: Draft): Promise<{ receipt: Receipt; replayed: boolean }> {
    const { receipt } = draft;
    const staging = this.folder("tmp", randomBytes(8).toString("hex"));
    const destination = draft.quarantined ? "quarantine" : "queue";
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
      if (!draft.quarantined) await writeNewFileDurably(this.fs, path.join(staging, FILE.state), JSON.stringify(this.initialState(draft.confirmation)));
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
      throw new SpoolUnavailableError(errorCode(error));
    }
    if (!draft.quarantined) for (const listener of this.listeners) listener(receipt.id);
    return { receipt, replayed: false };
  }

  private initialState(confirmation: Draft["confirmation"]): EntryState {
    const now = this.clock.now();
    const mail = (status: MailState["status"]): MailState => ({ status, attempts: 0, nextAttemptAt: now });
    return { version: 1, team: mail("queued"), client: mail(confirmation) };
  }

  /** Calls `listener(id)` whenever a request is queued for sending. */
  onQueued(listener: (id: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every queued entry with its state, oldest first; unreadable ones are moved to `corrupt/`. */
  async pending(): Promise<PendingEntry[]> {
    const entries: PendingEntry[] = [];
    for (const id of await this.fs.readdir(this.folder("queue"))) {
      const entry = await this.readPending(id);
      if (entry) entries.push(entry);
    }
    return entries.sort((a, b) => Date.parse(a.receipt.receivedAt) - Date.parse(b.receipt.receivedAt));
  }

  private async readPending(id: string): Promise<PendingEntry | undefined> {
    const dir = this.folder("queue", id);
    try {
      const receipt = await this.readJson(path.join(dir, FILE.receipt), ReceiptSchema);
      const state = await this.readJson(path.join(dir, FILE.state), EntryStateSchema);
      return { receipt, state };
    } catch (error) {
      // Gone meanwhile (another reader finished it) is not corruption.
      if (errorCode(error) === "ENOENT" && !(await this.exists(dir))) return undefined;
      await this.markCorrupt(id, error);
      return undefined;
    }
  }

  /** The request's fields and attachments, checked against their recorded hashes. */
  async loadRequest(id: string): Promise<LoadedRequest> {
    const dir = this.folder("queue", id);
    const request = await this.readJson(path.join(dir, FILE.request), StoredRequestSchema);
    const attachments: Attachment[] = [];
    for (const stored of request.attachments) {
      const content = await this.fs.readFile(path.join(dir, stored.file));
      if (content.length !== stored.size || sha256(content) !== stored.sha256) throw new Error(`attachment ${stored.file} does not match its hash`);
      attachments.push({ name: stored.name, contentType: stored.contentType, content });
    }
    return { fields: request.fields, attachments };
  }

  async saveState(id: string, state: EntryState): Promise<void> {
    await replaceFileDurably(this.fs, path.join(this.folder("queue", id), FILE.state), JSON.stringify(state));
  }

  /** Both e-mails handled: delete the personal data, keep the receipt for retries and the receipt page. */
  async complete(id: string): Promise<void> {
    const dir = this.folder("queue", id);
    for (const name of await this.fs.readdir(dir)) {
      if (name === FILE.request || name.startsWith("att-")) await this.fs.rm(path.join(dir, name), { force: true });
    }
    await syncDirectory(this.fs, dir);
    await moveDurably(this.fs, dir, this.folder("done", id));
  }

  /** An e-mail failed for good: keep everything in `dead/` for the operator. */
  async bury(id: string): Promise<void> {
    await moveDurably(this.fs, this.folder("queue", id), this.folder("dead", id));
    this.logger.error("spool.dead-letter", { id });
  }

  /** Moves an unreadable queue entry aside (never deletes it). */
  async markCorrupt(id: string, error: unknown): Promise<void> {
    await moveDurably(this.fs, this.folder("queue", id), this.folder("corrupt", `${id}-${randomBytes(3).toString("hex")}`)).catch(() => {});
    this.logger.error("spool.corrupt-entry", { id, reason: error instanceof Error ? error.name : errorCode(error) });
  }

  /** Start-up check of every queued entry (R5, R7): corrupt ones aside, interrupted sends back to the queue. */
  private async recover(): Promise<void> {
    for (const { receipt, state } of await this.pending()) {
      const interrupted = MAIL_KINDS.filter((kind) => state[kind].status === "sending");
      const unfinished = MAIL_KINDS.some((kind) => state[kind].status === "queued" || state[kind].status === "sending");
      if (unfinished) {
        try {
          await this.loadRequest(receipt.id);
        } catch (error) {
          await this.markCorrupt(receipt.id, error);
          continue;
        }
      }
      if (interrupted.length === 0) continue;
      for (const kind of interrupted) state[kind] = { ...state[kind], status: "queued", nextAttemptAt: this.clock.now() };
      await this.saveState(receipt.id, state);
      this.logger.warn("spool.requeued-interrupted", { id: receipt.id, mails: interrupted.join(",") });
    }
  }

  /** Janitor: forget delivered receipts and quarantined requests older than `retentionMs`. */
  async sweep(retentionMs: number): Promise<number> {
    const cutoff = this.clock.now() - retentionMs;
    let removed = 0;
    for (const folder of ["done", "quarantine"] as const) {
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
    return removed;
  }

  /** Numbers for `/api/health`. */
  async stats(): Promise<SpoolStats> {
    const pending = await this.pending();
    const oldest = pending[0];
    const count = async (folder: Folder) => (await this.fs.readdir(this.folder(folder))).length;
    return {
      depth: pending.length,
      oldestPendingMs: oldest ? Math.max(0, this.clock.now() - Date.parse(oldest.receipt.receivedAt)) : null,
      dead: await count("dead"),
      quarantined: await count("quarantine"),
      corrupt: await count("corrupt"),
    };
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
  try {
    await writeNewFileDurably(fs, file, randomBytes(32).toString("base64url"));
    await syncDirectory(fs, root);
  } catch (error) {
    if (errorCode(error) !== "EEXIST") throw error; // another process created it first: use theirs
  }
  return read();
}
