/**
 * `GET /api/health` (DESIGN.md §4): readiness, spool depth, oldest pending age, dead letters and the
 * state of mail delivery. Its cost does not grow with the queue (the spool answers from memory or a
 * one-second cache), it changes nothing, and it names no host, path or address: anyone may call it.
 *
 *   unavailable (503)  a request could not be stored now (read-only, disk or inodes full, database down)
 *   degraded    (200)  requests are stored but mail is failing, or something waits for the operator
 *   ok          (200)
 */
import express, { type Router } from "express";
import type { Clock } from "./clock";
import type { Mailer } from "./mailer";
import { LARGEST_MULTIPART_BYTES } from "./request-body";
import type { DeliveryStatus } from "./sender";
import type { Spool } from "./store";

export type HealthDeps = { spool: Spool; mailer: Mailer; clock: Clock; delivery?: { status(): DeliveryStatus } | undefined };

const seconds = (ms: number) => Math.max(0, Math.round(ms / 1000));

export function healthRouter({ spool, mailer, clock, delivery }: HealthDeps): Router {
  const router = express.Router();
  router.get("/api/health", async (_req, res) => {
    const [counted, stored] = await Promise.all([spool.stats().catch(() => undefined), spool.readiness(LARGEST_MULTIPART_BYTES)]);
    // A spool that cannot even be counted (EMFILE, EIO, a database that stalls) is not ready either.
    const readiness = counted ? stored : { ready: false as const, reason: "spool-unreadable" };
    const stats = counted ?? { depth: null, oldestPendingMs: null, dead: null, quarantined: null, corrupt: null };
    const sending = delivery?.status() ?? { state: "ok" };
    const now = clock.now();
    const status = !readiness.ready ? "unavailable" : sending.state === "failing" || stats.dead || stats.corrupt ? "degraded" : "ok";
    res
      .status(readiness.ready ? 200 : 503)
      .set("Cache-Control", "no-store")
      .json({
        status,
        ready: readiness.ready,
        ...(readiness.ready ? {} : { reason: readiness.reason }),
        spool: {
          depth: stats.depth,
          oldestPendingSeconds: stats.oldestPendingMs === null ? null : seconds(stats.oldestPendingMs),
          deadLetters: stats.dead,
          quarantined: stats.quarantined,
          corrupt: stats.corrupt,
        },
        mail: {
          transport: mailer.info.kind,
          state: sending.state,
          ...(sending.failingSince === undefined ? {} : { failingForSeconds: seconds(now - sending.failingSince), lastError: sending.lastError }),
          ...(sending.lastSuccessAt === undefined ? {} : { lastSuccessSecondsAgo: seconds(now - sending.lastSuccessAt) }),
        },
      });
  });
  return router;
}
