/**
 * `POST /api/searches`: the site reports a search that no page fully answered (search-log.ts in
 * src/scripts). Hardened like the request API — per-client rate limit, same-origin check, JSON
 * only, a 1 KB body, a zod schema — and it keeps only what the privacy page says: the normalised
 * query, its language and a count per day, for `unansweredSearchRetentionDays` days. The client's
 * address is used for the rate limit alone (a keyed hash, in a window), never stored with the query.
 */
import express, { type Router } from "express";
import { z } from "zod";
import { LangSchema } from "../src/domain/schemas/common";
import { MAX_BODY_BYTES, SEARCHES_PATH, normaliseQuery, oldestKeptDay, searchDay } from "../src/domain/search-log";
import type { AppDeps } from "./app";
import { perClientLimit, sameOriginOnly } from "./guards";
import { HttpError } from "./http-errors";

/** Reports one client may send per window: a visitor trying several wordings, not a script. */
const REPORTS_PER_CLIENT = { limit: 30, windowMs: 10 * 60_000 };

export const UnansweredReportSchema = z
  .object({
    /** What the visitor typed; normalised and cut to MAX_QUERY_LENGTH before it is kept. */
    query: z.string().min(1).max(MAX_BODY_BYTES),
    /** The language of the index searched. */
    lang: LangSchema,
  })
  .strict();

export function searchLogRouter({ config, spool, clock, content }: Pick<AppDeps, "config" | "spool" | "clock" | "content">): Router {
  const router = express.Router();
  router.post(
    SEARCHES_PATH,
    perClientLimit(spool, clock, "searches", REPORTS_PER_CLIENT),
    sameOriginOnly(config.publicOrigin),
    (req, _res, next) => next(req.is("application/json") ? undefined : new HttpError("unsupported_media_type")),
    express.json({ limit: MAX_BODY_BYTES, strict: true }),
    async (req, res) => {
      const report = UnansweredReportSchema.safeParse(req.body);
      if (!report.success) throw new HttpError("validation");
      const query = normaliseQuery(report.data.query);
      const now = clock.now();
      if (query) await spool.countUnanswered({ day: searchDay(now), lang: report.data.lang, query }, oldestKeptDay(now, content.settings.unansweredSearchRetentionDays));
      res.set("Cache-Control", "no-store").status(204).end();
    },
  );
  return router;
}
