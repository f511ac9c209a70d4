/**
 * The form service as an Express app, built from injected parts so tests run it on port 0 with a
 * temporary spool, a manual clock and a real SMTP server. `main.ts` is the only file that listens.
 */
import compression from "compression";
import express, { type Express } from "express";
import type { ServerContent } from "../src/lib/content-files";
import { apiRouter } from "./api";
import { articleFeedbackRouter } from "./article-feedback";
import type { Clock } from "./clock";
import type { Config } from "./config";
import { securityHeaders } from "./csp";
import { createDeadlines } from "./deadlines";
import { FormTokens } from "./form-token";
import { healthRouter } from "./health";
import { HttpError, errorHandler } from "./http-errors";
import type { Logger } from "./log";
import type { Mailer } from "./mailer";
import { pageRouter } from "./pages";
import { untrustedProxyWarning } from "./proxy-check";
import { satisfactionRouter } from "./satisfaction";
import { searchLogRouter } from "./search-log";
import { statusRouter } from "./status-page";
import type { DeliveryStatus } from "./sender";
import type { Spool } from "./store";

export type AppDeps = {
  config: Config;
  clock: Clock;
  spool: Spool;
  mailer: Mailer;
  content: ServerContent;
  logger: Logger;
  /** The sender's view of mail delivery, for `/api/health` (absent when nothing sends, as in some tests). */
  delivery?: { status(): DeliveryStatus };
};

export function createApp(deps: AppDeps): Express {
  const { config, clock, spool, content, logger } = deps;
  const tokens = new FormTokens(spool.secret, clock, { minFillMs: config.formMinFillMs, maxAgeMs: config.formMaxAgeMs });
  const deadlines = createDeadlines(content, logger);

  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", config.trustProxy);
  app.use(untrustedProxyWarning(config, logger));
  app.use(securityHeaders(config));
  // Pages, scripts, the search index and API answers all shrink several times over with gzip.
  app.use(compression());
  app.use(healthRouter(deps));
  app.use(searchLogRouter(deps));
  app.use(articleFeedbackRouter({ ...deps, deadlines, tokens }));
  app.use(statusRouter(deps));
  app.use(apiRouter({ ...deps, deadlines, tokens }));
  app.use(satisfactionRouter(deps));
  app.use(pageRouter({ distDir: config.distDir, spool, tokens, content }));
  app.use((_req, _res, next) => next(new HttpError("not_found")));
  app.use(errorHandler({ logger, distDir: config.distDir }));
  return app;
}
