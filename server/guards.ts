/**
 * Abuse controls in front of `POST /api/requests`: rate limits (per client address, global, and
 * per confirmation recipient), the same-origin check, the cap on uploads held in memory, and the
 * free-space check before a body is read.
 */
import { createHash } from "node:crypto";
import type { RequestHandler } from "express";
import { rateLimit, type RateLimitInfo } from "express-rate-limit";
import type { Clock } from "./clock";
import type { Config } from "./config";
import { HttpError } from "./http-errors";
import type { Spool } from "./spool";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function limiter(options: { windowMs: number; limit: number; keyGenerator?: () => string }): RequestHandler {
  return rateLimit({
    ...options,
    standardHeaders: "draft-8",
    legacyHeaders: false,
    handler: (req, _res, next) => {
      const info = (req as typeof req & { rateLimit?: RateLimitInfo }).rateLimit;
      const resetAt = info?.resetTime?.getTime() ?? Date.now() + options.windowMs;
      next(new HttpError("rate_limited", { retryAfterSeconds: Math.max(1, Math.ceil((resetAt - Date.now()) / 1000)) }));
    },
  });
}

/**
 * Per client address (IPv6 per /56) and for everyone together (protects the mail quota). The
 * client address is the peer unless `trust proxy` names the proxy, so a forged
 * X-Forwarded-For sent straight to the app changes nothing.
 */
export function rateLimits(config: Pick<Config, "rateLimitPerIp" | "rateLimitWindowMs" | "rateLimitGlobalPerHour">): RequestHandler[] {
  return [
    limiter({ windowMs: config.rateLimitWindowMs, limit: config.rateLimitPerIp }),
    limiter({ windowMs: HOUR, limit: config.rateLimitGlobalPerHour, keyGenerator: () => "everyone" }),
  ];
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

/** Refuses before reading the body when the spool's disk could not hold the largest request (Postfix's queue_minfree). */
export function freeSpaceCheck(spool: Spool, largestRequestBytes: number): RequestHandler {
  return async (_req, _res, next) => {
    const room = await spool.hasRoomFor(largestRequestBytes).catch(() => false);
    next(room ? undefined : new HttpError("unavailable", { retryAfterSeconds: 60 }));
  };
}

/**
 * Confirmations per recipient address per day: the confirmation goes to whatever address the
 * form names, so without a cap the form could bomb a victim's mailbox. Counts are kept in memory
 * under a hash of the address (a restart resets them, acceptable for one instance).
 */
export class ConfirmationBudget {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly perDay: number,
    private readonly clock: Clock,
  ) {}

  /** Counts one confirmation to `address`; false when it is over the day's budget. */
  take(address: string): boolean {
    const now = this.clock.now();
    const key = createHash("sha256").update(address.toLowerCase()).digest("base64url");
    let window = this.windows.get(key);
    if (!window || now - window.start >= DAY) {
      for (const [other, { start }] of this.windows) if (now - start >= DAY) this.windows.delete(other);
      window = { start: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count += 1;
    return window.count <= this.perDay;
  }
}
