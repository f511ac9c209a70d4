/**
 * The sender loop: e-mails queued requests, `SENDER_CONCURRENCY` at a time, oldest first, each
 * entry claimed from the spool under a lease so no other sender (another replica) takes it meanwhile.
 * At-least-once: an attempt is recorded before it starts, the result after; a crash in between
 * re-sends on restart with the same Message-ID. Transient failures retry with capped exponential
 * backoff and full jitter; permanent ones, and transient ones past the maximum age, are final.
 * A request whose team e-mail failed for good goes to `dead/` and the operator is told; a refused
 * confirmation alone does not stop the request from completing (the team has it). Recipients a
 * server refused while accepting the others are retried alone.
 */
import { asciiDomain } from "../src/domain/schemas/common";
import type { ServerContent } from "../src/lib/content-files";
import type { Clock } from "./clock";
import type { Config } from "./config";
import type { Logger } from "./log";
import { composeDeadLetterNotice, composeMail, type MailMessage } from "./mail-content";
import { statusUrl } from "./status-link";
import { classifyMailError, type Mailer } from "./mailer";
import { FINAL_MAIL_STATES, MAIL_KINDS, errorCode, isCorruption, type EntryState, type LoadedRequest, type MailKind, type MailState, type PendingEntry, type Receipt, type Spool, type SweepRetention } from "./store";

type SenderConfig = Pick<
  Config,
  | "mailFrom"
  | "publicOrigin"
  | "mailTeam"
  | "operatorEmail"
  | "teamLang"
  | "retryBaseMs"
  | "retryCapMs"
  | "teamMaxAgeMs"
  | "confirmationMaxAgeMs"
  | "quarantineRetentionMs"
  | "senderConcurrency"
  | "smtpTimeoutMs"
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

/** Whether mail is going out, for `/api/health`: `failing` from the first failed attempt after a success. */
export type DeliveryStatus = { state: "ok" | "failing"; failingSince?: number; lastSuccessAt?: number; lastError?: string };

const POLL_MS = 1000;
const SWEEP_EVERY_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** Delivered receipts stay while their status links must work (the agency's setting); quarantined requests, with personal data, only RETENTION_DAYS. */
export function sweepRetention(content: ServerContent, config: Pick<Config, "quarantineRetentionMs">): SweepRetention {
  return { doneMs: content.settings.requestStatusRetentionDays * DAY_MS, quarantineMs: config.quarantineRetentionMs };
}

export class Sender {
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<void> | undefined;
  private stopping = false;
  private rerun = false;
  private lastSweep = Number.NEGATIVE_INFINITY;
  private unsubscribe: (() => void) | undefined;
  private delivery: DeliveryStatus = { state: "ok" };

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
        const removed = await this.deps.spool.sweep(sweepRetention(this.deps.content, this.deps.config));
        if (removed) this.deps.logger.info("spool.swept", { removed });
      }
      await this.runDue();
    } catch (error) {
      this.deps.logger.error("sender.pass-failed", { reason: error instanceof Error ? error.message : String(error) });
    }
  }

  /** Stops after the messages being sent now (if any); nothing queued is lost. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    this.unsubscribe?.();
    await this.pass;
  }

  status(): DeliveryStatus {
    return { ...this.delivery };
  }

  /** A claimed entry stays claimed for as long as delivering both its e-mails can take, with margin. */
  private get leaseMs(): number {
    return 10 * this.deps.config.smtpTimeoutMs;
  }

  /**
   * One pass over the queue: sends every e-mail that is due, `senderConcurrency` entries at once.
   * Each entry is tried at most once per pass: its lease keeps it from being claimed again until the
   * pass ends. Returns the number of attempts.
   */
  async runDue(): Promise<number> {
    let attempts = 0;
    const claimed: string[] = [];
    const worker = async () => {
      while (!this.stopping) {
        const [entry] = await this.deps.spool.claimDue(1, this.leaseMs);
        if (!entry) return;
        claimed.push(entry.receipt.id);
        try {
          attempts += await this.deliver(entry);
        } catch (error) {
          // A state that could not be written (disk full, database gone): the entry stays queued for a later pass.
          this.deps.logger.error("sender.delivery-failed", { id: entry.receipt.id, error: errorCode(error) });
        }
      }
    };
    // Every worker ends before any lease is released, so no entry is handed out while still being sent.
    const ended = await Promise.allSettled(Array.from({ length: this.deps.config.senderConcurrency }, worker));
    // A lease not released (a crash) simply runs out; another sender then takes the entry.
    await Promise.allSettled(claimed.map((id) => this.deps.spool.release(id)));
    const failed = ended.find((result) => result.status === "rejected");
    if (failed) throw failed.reason;
    return attempts;
  }

  private async deliver({ receipt, state }: PendingEntry): Promise<number> {
    const { spool, logger } = this.deps;
    let request: LoadedRequest | undefined;
    let attempts = 0;
    for (const kind of MAIL_KINDS) {
      const mail = state[kind];
      if (this.stopping || FINAL_MAIL_STATES.has(mail.status) || (mail.status !== "sending" && mail.nextAttemptAt > this.deps.clock.now())) continue;
      try {
        request ??= await spool.loadRequest(receipt.id);
      } catch (error) {
        if (isCorruption(error)) {
          await spool.markCorrupt(receipt.id, error);
          return attempts;
        }
        // Anything else (EMFILE, EIO, EACCES, a lost connection) is retried like a failed send: with
        // backoff, and dead-lettered (the operator told) once it has failed for longer than the maximum age.
        logger.warn("sender.read-failed", { id: receipt.id, error: errorCode(error) });
        for (const each of MAIL_KINDS) {
          if (!FINAL_MAIL_STATES.has(state[each].status)) state[each] = this.failed(each, receipt, { ...state[each], status: "queued" }, { permanent: false, code: errorCode(error) });
        }
        if (!MAIL_KINDS.every((each) => FINAL_MAIL_STATES.has(state[each].status))) await spool.saveState(receipt.id, state);
        break;
      }
      state[kind] = { ...mail, status: "sending", attempts: mail.attempts + 1 };
      await spool.saveState(receipt.id, state);
      state[kind] = await this.attempt(kind, { receipt, state }, request);
      attempts += 1;
      if (MAIL_KINDS.every((each) => FINAL_MAIL_STATES.has(state[each].status))) break;
      await spool.saveState(receipt.id, state);
    }
    await this.finishIfDone(receipt.id, state);
    return attempts;
  }

  private async attempt(kind: MailKind, { receipt, state }: PendingEntry, request: LoadedRequest): Promise<MailState> {
    const { mailer, content, config, clock, logger } = this.deps;
    const mail = state[kind];
    const message = composeMail(kind, receipt, request, content, config, { status: statusUrl(config.publicOrigin, this.deps.spool.secret, receipt) });
    // The server names refused recipients as the envelope does: domain lower-cased and in punycode.
    const remaining = mail.remaining?.map(envelopeAddress);
    const to = remaining ? message.to.filter(({ address }) => remaining.includes(envelopeAddress(address))) : message.to;
    if (to.length === 0) return { status: "sent", attempts: mail.attempts, nextAttemptAt: mail.nextAttemptAt }; // the refused ones left the configuration
    try {
      const { refused } = await mailer.send({ ...message, to });
      this.delivery = { state: "ok", lastSuccessAt: clock.now() };
      if (refused.length === 0) {
        logger.info("mail.sent", { id: receipt.id, kind, attempts: mail.attempts });
        return { status: "sent", attempts: mail.attempts, nextAttemptAt: mail.nextAttemptAt };
      }
      // The others have it; only the refused addresses are tried again.
      logger.warn("mail.partly-refused", { id: receipt.id, kind, attempts: mail.attempts, refused: refused.length, of: to.length });
      return this.failed(kind, receipt, { ...mail, remaining: refused }, { permanent: false, code: "PARTLY_REFUSED" });
    } catch (error) {
      const failure = classifyMailError(error);
      // A refused recipient is about that address, not about the mail server being down.
      if (!failure.code.startsWith("EENVELOPE")) this.delivery = { ...this.delivery, state: "failing", failingSince: this.delivery.failingSince ?? clock.now(), lastError: failure.code };
      return this.failed(kind, receipt, mail, failure);
    }
  }

  private failed(kind: MailKind, { id, receivedAt }: Receipt, mail: MailState, failure: { permanent: boolean; code: string }): MailState {
    const { config, clock, logger } = this.deps;
    const maxAge = kind === "team" ? config.teamMaxAgeMs : config.confirmationMaxAgeMs;
    const expired = clock.now() - Date.parse(receivedAt) >= maxAge;
    const logFields = { id, kind, attempts: mail.attempts, error: failure.code };
    if (failure.permanent || expired) {
      logger.error("mail.dead", { ...logFields, reason: failure.permanent ? "permanent" : "expired" });
      return { ...mail, status: "dead", lastError: failure.code };
    }
    const delay = this.backoff(mail.attempts);
    logger.warn("mail.retry", { ...logFields, delayMs: Math.round(delay) });
    return { ...mail, status: "queued", nextAttemptAt: clock.now() + delay, lastError: failure.code };
  }

  /** Full jitter: uniform in [0, min(cap, base × 2^(attempts−1))]. */
  backoff(attempts: number): number {
    const { retryBaseMs, retryCapMs } = this.deps.config;
    const ceiling = Math.min(retryCapMs, retryBaseMs * 2 ** Math.max(0, attempts - 1));
    return (this.deps.random ?? Math.random)() * ceiling;
  }

  private async finishIfDone(id: string, state: EntryState): Promise<void> {
    const { spool, logger, clock } = this.deps;
    if (!MAIL_KINDS.every((kind) => FINAL_MAIL_STATES.has(state[kind].status))) return;
    const finished = { ...state, completedAt: clock.now() };
    if (state.team.status === "dead") {
      await spool.bury(id, finished);
      await this.tellOperator(id, finished);
      return;
    }
    if (state.client.status === "dead") logger.warn("mail.confirmation-undeliverable", { id, error: state.client.lastError });
    await spool.complete(id, finished);
  }

  /** Best effort: the dead letter stays in the spool and in `/api/health` whether or not this arrives. */
  private async tellOperator(id: string, state: EntryState): Promise<void> {
    const receipt = await this.deps.spool.find(id);
    if (!receipt) return;
    const notice: MailMessage = composeDeadLetterNotice(receipt, state, this.deps.content, this.deps.config);
    try {
      await this.deps.mailer.send(notice);
      this.deps.logger.info("mail.operator-notified", { id });
    } catch (error) {
      this.deps.logger.error("mail.operator-notice-failed", { id, error: classifyMailError(error).code });
    }
  }
}

/** `Ops@Пример.РФ` → `Ops@xn--e1afmkfd.xn--p1ai`: how an SMTP envelope, and so a refusal, names an address. */
function envelopeAddress(address: string): string {
  const at = address.lastIndexOf("@");
  const domain = address.slice(at + 1);
  return `${address.slice(0, at)}@${asciiDomain(domain) ?? domain.toLowerCase()}`;
}
