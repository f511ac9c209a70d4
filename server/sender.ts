/**
 * The sender loop: e-mails queued requests, one message at a time, oldest first.
 * At-least-once: an attempt is recorded before it starts, the result after; a crash in between
 * re-sends on restart with the same Message-ID. Transient failures retry with capped
 * exponential backoff and full jitter; permanent ones, and transient ones past the maximum age,
 * go to `dead/`. Once both e-mails are handled the personal data is deleted (`Spool.complete`).
 */
import type { ServerContent } from "../src/lib/content-files";
import type { Clock } from "./clock";
import type { Config } from "./config";
import type { Logger } from "./log";
import { composeMail } from "./mail-content";
import { classifyMailError, type Mailer } from "./mailer";
import { MAIL_KINDS, type EntryState, type LoadedRequest, type MailKind, type MailState, type PendingEntry, type Spool } from "./spool";

type SenderConfig = Pick<
  Config,
  "mailFrom" | "mailTeam" | "teamLang" | "retryBaseMs" | "retryCapMs" | "teamMaxAgeMs" | "confirmationMaxAgeMs" | "retentionMs"
>;

export type SenderDeps = {
  spool: Spool;
  mailer: Mailer;
  content: ServerContent;
  config: SenderConfig;
  clock: Clock;
  logger: Logger;
  /** Source of jitter; tests may fix it. */
  random?: () => number;
};

const POLL_MS = 1000;
const SWEEP_EVERY_MS = 3_600_000;
const FINAL = new Set<MailState["status"]>(["sent", "suppressed", "dead"]);

export class Sender {
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<void> | undefined;
  private stopping = false;
  private rerun = false;
  private lastSweep = Number.NEGATIVE_INFINITY;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly deps: SenderDeps) {}

  /** Runs the loop: every second, and at once when a request is queued. */
  start(): void {
    this.unsubscribe = this.deps.spool.onQueued(() => this.wake());
    this.wake();
  }

  private wake(): void {
    if (this.stopping) return;
    if (this.pass) {
      this.rerun = true;
      return;
    }
    clearTimeout(this.timer);
    this.pass = this.loopOnce().finally(() => {
      this.pass = undefined;
      if (this.stopping) return;
      if (this.rerun) {
        this.rerun = false;
        this.wake();
      } else {
        this.timer = setTimeout(() => this.wake(), POLL_MS);
      }
    });
  }

  private async loopOnce(): Promise<void> {
    try {
      if (this.deps.clock.now() - this.lastSweep >= SWEEP_EVERY_MS) {
        this.lastSweep = this.deps.clock.now();
        const removed = await this.deps.spool.sweep(this.deps.config.retentionMs);
        if (removed) this.deps.logger.info("spool.swept", { removed });
      }
      await this.runDue();
    } catch (error) {
      this.deps.logger.error("sender.pass-failed", { reason: error instanceof Error ? error.message : String(error) });
    }
  }

  /** Stops after the message being sent now (if any); nothing queued is lost. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    this.unsubscribe?.();
    await this.pass;
  }

  /** One pass over the queue: sends every e-mail that is due. Returns the number of attempts. */
  async runDue(): Promise<number> {
    let attempts = 0;
    for (const entry of await this.deps.spool.pending()) {
      if (this.stopping) break;
      attempts += await this.deliver(entry);
    }
    return attempts;
  }

  private isDue(mail: MailState): boolean {
    const now = this.deps.clock.now();
    // Passes never overlap, so "sending" seen here is an attempt whose outcome was never recorded
    // (its state write failed): send again, as after a crash.
    if (mail.status === "sending") return true;
    // A schedule further ahead than the longest backoff means the clock went back: treat as due.
    return mail.status === "queued" && (mail.nextAttemptAt <= now || mail.nextAttemptAt > now + this.deps.config.retryCapMs);
  }

  private async deliver({ receipt, state }: PendingEntry): Promise<number> {
    const { spool } = this.deps;
    let request: LoadedRequest | undefined;
    let attempts = 0;
    for (const kind of MAIL_KINDS) {
      if (this.stopping || !this.isDue(state[kind])) continue;
      try {
        request ??= await spool.loadRequest(receipt.id);
      } catch (error) {
        await spool.markCorrupt(receipt.id, error);
        return attempts;
      }
      state[kind] = { ...state[kind], status: "sending", attempts: state[kind].attempts + 1 };
      await spool.saveState(receipt.id, state);
      state[kind] = await this.attempt(kind, { receipt, state }, request);
      await spool.saveState(receipt.id, state);
      attempts += 1;
    }
    await this.finishIfDone(receipt.id, state);
    return attempts;
  }

  private async attempt(kind: MailKind, { receipt, state }: PendingEntry, request: LoadedRequest): Promise<MailState> {
    const { mailer, content, config, clock, logger } = this.deps;
    const mail = state[kind];
    try {
      await mailer.send(composeMail(kind, receipt, request, content, config));
      logger.info("mail.sent", { id: receipt.id, kind, attempts: mail.attempts });
      return { status: "sent", attempts: mail.attempts, nextAttemptAt: mail.nextAttemptAt };
    } catch (error) {
      const failure = classifyMailError(error);
      const maxAge = kind === "team" ? config.teamMaxAgeMs : config.confirmationMaxAgeMs;
      const expired = clock.now() - Date.parse(receipt.receivedAt) >= maxAge;
      if (failure.permanent || expired) {
        logger.error("mail.dead", { id: receipt.id, kind, attempts: mail.attempts, error: failure.code, reason: failure.permanent ? "permanent" : "expired" });
        return { status: "dead", attempts: mail.attempts, nextAttemptAt: mail.nextAttemptAt, lastError: failure.code };
      }
      const delay = this.backoff(mail.attempts);
      logger.warn("mail.retry", { id: receipt.id, kind, attempts: mail.attempts, error: failure.code, delayMs: Math.round(delay) });
      return { status: "queued", attempts: mail.attempts, nextAttemptAt: clock.now() + delay, lastError: failure.code };
    }
  }

  /** Full jitter: uniform in [0, min(cap, base × 2^(attempts−1))]. */
  backoff(attempts: number): number {
    const { retryBaseMs, retryCapMs } = this.deps.config;
    const ceiling = Math.min(retryCapMs, retryBaseMs * 2 ** Math.max(0, attempts - 1));
    return (this.deps.random ?? Math.random)() * ceiling;
  }

  private async finishIfDone(id: string, state: EntryState): Promise<void> {
    if (!MAIL_KINDS.every((kind) => FINAL.has(state[kind].status))) return;
    if (MAIL_KINDS.some((kind) => state[kind].status === "dead")) {
      await this.deps.spool.bury(id);
      return;
    }
    await this.deps.spool.saveState(id, { ...state, completedAt: this.deps.clock.now() });
    await this.deps.spool.complete(id);
  }
}
