/**
 * Abuse controls around `POST /api/requests`: rate limits (per client address, the hour's budget
 * of requests sent for everyone, confirmations per mailbox), the same-origin check, the cap on
 * uploads held in memory, and the free-space check before a body is read. Every counter lives in
 * the spool (`hit`/`unhit`), so all processes on one store share it; keys are keyed hashes, so the
 * store holds no client address or e-mail address.
 */
import { createHmac } from "node:crypto";
import type { RequestHandler } from "express";
import { ipKeyGenerator } from "express-rate-limit";
import { asciiDomain } from "../src/domain/schemas/common";
import type { Clock } from "./clock";
import { HttpError } from "./http-errors";
import type { Spool } from "./store";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Key of the hour's budget of requests sent, shared by everyone. */
const SENDING_KEY = "sending";

/** A counter key that does not reveal what it counts (an address) to whoever reads the store. */
function counterKey(spool: Spool, kind: string, subject: string): string {
  return `${kind}:${createHmac("sha256", spool.secret).update(`${kind}:${subject}`).digest("base64url")}`;
}

/** Seconds until `resetAt` by the service clock, for Retry-After (at least 1). */
function secondsUntil(resetAt: number, clock: Clock): number {
  return Math.max(1, Math.ceil((resetAt - clock.now()) / 1000));
}

/**
 * At most `limit` requests per client address (IPv6 per /56) per window, under the counter `kind`.
 * Every request counts, refused ones too: this is what stops one client hammering the service.
 * The client address is the peer unless `trust proxy` names the proxy, so a forged
 * X-Forwarded-For sent straight to the app changes nothing.
 */
export function perClientLimit(spool: Spool, clock: Clock, kind: string, { limit, windowMs }: { limit: number; windowMs: number }): RequestHandler {
  return async (req, _res, next) => {
    const { count, resetAt } = await spool.hit(counterKey(spool, kind, ipKeyGenerator(req.ip ?? "")), windowMs);
    next(count > limit ? new HttpError("rate_limited", { retryAfterSeconds: secondsUntil(resetAt, clock) }) : undefined);
  };
}

/**
 * Requests all clients together may have sent per hour (protects the mail quota). Only a request
 * about to be stored for sending is counted, after every check that could refuse it, and it is
 * given back when it is not stored after all: posts that send nothing (403, 413, 415, 422, a
 * replay, a quarantined bot) cannot spend the hour's budget and close the form for everyone.
 */
export class SendingBudget {
  constructor(
    private readonly spool: Spool,
    private readonly clock: Clock,
    private readonly perHour: number,
  ) {}

  /** Counts one request; 429 with Retry-After (counting nothing) when the hour's budget is spent. */
  async take(): Promise<void> {
    const { count, resetAt } = await this.spool.hit(SENDING_KEY, HOUR);
    if (count <= this.perHour) return;
    await this.spool.unhit(SENDING_KEY, HOUR);
    throw new HttpError("rate_limited", { retryAfterSeconds: secondsUntil(resetAt, this.clock) });
  }

  /** Takes back a request counted by `take` that was not stored. */
  giveBack(): Promise<void> {
    return this.spool.unhit(SENDING_KEY, HOUR);
  }
}

/**
 * Browsers say where a request comes from: `Sec-Fetch-Site` (modern ones), else `Origin` or
 * `Referer`. Anything but our own origin is another site using its visitors as a spam cannon.
 * Scripts can forge these headers, so this is a browser-abuse filter; rate limits and the time
 * trap handle scripts.
 */
export function sameOriginOnly(publicOrigin: string): RequestHandler {
  return (req, res, next) => {
    res.vary("Sec-Fetch-Site").vary("Origin");
    const site = req.get("sec-fetch-site");
    if (site !== undefined) return next(site === "same-origin" || site === "none" ? undefined : new HttpError("cross_site"));
    const origin = req.get("origin") ?? originOf(req.get("referer"));
    return next(origin === publicOrigin ? undefined : new HttpError("cross_site"));
  };
}

function originOf(url: string | undefined): string | undefined {
  try {
    return url ? new URL(url).origin : undefined;
  } catch {
    return undefined;
  }
}

/** At most `slots` multipart uploads buffered in memory at once; the rest get 503 + Retry-After. */
export function uploadSlots(slots: number): RequestHandler {
  let inUse = 0;
  return (req, res, next) => {
    if (!req.is("multipart/form-data")) return next();
    if (inUse >= slots) return next(new HttpError("unavailable", { retryAfterSeconds: 5 }));
    inUse += 1;
    res.once("close", () => (inUse -= 1));
    return next();
  };
}

/** Refuses before reading the body when the spool could not store the largest request (Postfix's queue_minfree). */
export function freeSpaceCheck(spool: Spool, largestRequestBytes: number): RequestHandler {
  return async (_req, _res, next) => {
    const { ready } = await spool.readiness(largestRequestBytes);
    next(ready ? undefined : new HttpError("unavailable", { retryAfterSeconds: 60 }));
  };
}

/**
 * The mailbox an address reaches, as far as a budget can tell: lower-case, without a `+tag`
 * (`Victim+1@Target.example` and `victim@target.example` are one inbox), the domain as it travels.
 */
function mailbox(address: string): string {
  const at = address.lastIndexOf("@");
  const domain = address.slice(at + 1);
  return `${address.slice(0, at).toLowerCase().replace(/\+.*$/, "")}@${asciiDomain(domain) ?? domain.toLowerCase()}`;
}

/**
 * Confirmations per mailbox per day: the confirmation goes to whatever address the form names,
 * so without a cap the form could bomb a victim's mailbox, and tags or case must not reset it.
 */
export class ConfirmationBudget {
  constructor(
    private readonly spool: Spool,
    private readonly perDay: number,
  ) {}

  /** Counts one confirmation to `address`; false when its mailbox already had the day's budget. */
  async take(address: string): Promise<boolean> {
    const { count } = await this.spool.hit(this.key(address), DAY);
    return count <= this.perDay;
  }

  /** Takes back a confirmation counted by `take` for a request that was not stored. */
  giveBack(address: string): Promise<void> {
    return this.spool.unhit(this.key(address), DAY);
  }

  private key(address: string): string {
    return counterKey(this.spool, "confirmation", mailbox(address));
  }
}
