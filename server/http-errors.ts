/**
 * The one error path. Every failure becomes an `HttpError`; the handler answers JSON for the API
 * (an HTML page when a browser posted a form without JavaScript) and the site's localised 404 or
 * a plain page elsewhere. Messages are in the client's language; never a stack trace.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import type { ErrorRequestHandler, Request, Response } from "express";
import multer from "multer";
import type { RequestIssue } from "../src/domain/requests";
import { LangSchema, type Lang } from "../src/domain/schemas/common";
import { standalonePage } from "./html";
import type { Logger } from "./log";
import { SpoolUnavailableError } from "./store";
import { escapeHtml, translator } from "./text";

const ERRORS = {
  validation: { status: 422, message: "apiError.validation" },
  bad_request: { status: 400, message: "apiError.badRequest" },
  cross_site: { status: 403, message: "apiError.crossSite" },
  not_found: { status: 404, message: "apiError.notFound" },
  too_large: { status: 413, message: "apiError.tooLarge" },
  unsupported_media_type: { status: 415, message: "apiError.unsupportedMedia" },
  rate_limited: { status: 429, message: "apiError.rateLimited" },
  internal: { status: 500, message: "apiError.internal" },
  unavailable: { status: 503, message: "apiError.unavailable" },
} as const;
export type ApiErrorCode = keyof typeof ERRORS;

export class HttpError extends Error {
  override name = "HttpError";
  readonly status: number;
  constructor(
    readonly code: ApiErrorCode,
    readonly details: { issues?: RequestIssue[]; retryAfterSeconds?: number } = {},
  ) {
    super(code);
    this.status = ERRORS[code].status;
  }
}

/** multer's limit codes that mean "too much" rather than "malformed". */
const MULTER_TOO_LARGE = new Set(["LIMIT_PART_COUNT", "LIMIT_FILE_SIZE", "LIMIT_FILE_COUNT", "LIMIT_FIELD_KEY", "LIMIT_FIELD_VALUE", "LIMIT_FIELD_COUNT"]);

/** Any thrown value as an HttpError; the unexpected ones are 500 (and logged). */
function toHttpError(error: unknown, logger: Logger): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof multer.MulterError) return new HttpError(MULTER_TOO_LARGE.has(error.code) ? "too_large" : "bad_request");
  if (error instanceof SpoolUnavailableError) {
    logger.error("spool.unavailable", { reason: error.reason });
    return new HttpError("unavailable", { retryAfterSeconds: 30 });
  }
  // body-parser and friends: client errors carry a 4xx status and `expose`.
  const { status, expose } = (error ?? {}) as { status?: number; expose?: boolean };
  if (expose && status && status >= 400 && status < 500) {
    return new HttpError(status === 413 ? "too_large" : status === 415 ? "unsupported_media_type" : "bad_request");
  }
  logger.error("http.internal-error", { name: error instanceof Error ? error.name : typeof error, reason: error instanceof Error ? error.message : undefined });
  return new HttpError("internal");
}

/** The client's language: the form's, else the page's path, else its Accept-Language (English by default). */
export function requestLang(req: Request, res: Response): Lang {
  const fromForm = LangSchema.safeParse(res.locals.lang);
  if (fromForm.success) return fromForm.data;
  const fromPath = /^\/(en|ru)(\/|$)/.exec(req.path)?.[1];
  if (fromPath) return fromPath as Lang;
  return req.acceptsLanguages("en", "ru") === "ru" ? "ru" : "en";
}

/** True for an HTML form post from a browser (no JavaScript), false for fetch, curl and tools. */
export function prefersHtml(req: Request): boolean {
  return req.accepts(["json", "html"]) === "html";
}

export function errorHandler({ logger, distDir }: { logger: Logger; distDir: string }): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const problem = toHttpError(error, logger);
    const lang = requestLang(req, res);
    const t = translator(lang);
    const retryAfter = problem.details.retryAfterSeconds;
    if (res.headersSent) return res.end();
    if (retryAfter !== undefined) res.set("Retry-After", String(retryAfter));
    res.status(problem.status).set("Cache-Control", "no-store");
    const message = t(ERRORS[problem.code].message, { minutes: Math.max(1, Math.ceil((retryAfter ?? 60) / 60)) });

    const isApi = req.path === "/api" || req.path.startsWith("/api/");
    if (isApi && !prefersHtml(req)) {
      return res.json({ error: problem.code, message, ...(problem.details.issues ? { issues: problem.details.issues } : {}) });
    }
    if (problem.code === "not_found") {
      const page = notFoundPage(distDir, req.path);
      if (page) return res.sendFile(page);
    }
    const issues = problem.details.issues?.map((issue) => `<li><strong>${escapeHtml(fieldLabel(issue.path, lang))}</strong>: ${escapeHtml(issue.message)}</li>`).join("") ?? "";
    const body = `<p>${escapeHtml(message)}</p>${issues ? `<ul>${issues}</ul><p>${escapeHtml(t("apiError.back"))}</p>` : ""}`;
    return res.type("html").send(standalonePage({ lang, title: isApi ? t("apiError.title") : message, body }));
  };
}

/** A field's label in the form's language (its name when it has none, e.g. an unknown field). */
function fieldLabel(field: string, lang: Lang): string {
  const key = `field.${field}.label`;
  const label = translator(lang)(key);
  return label === key ? field : label;
}

/** The built site's 404 for a path: `/ru/…` → the Russian one, `/en/…` → English, else the bilingual `/404.html`. */
function notFoundPage(distDir: string, urlPath: string): string | undefined {
  const lang = /^\/(en|ru)(\/|$)/.exec(urlPath)?.[1];
  const candidates = [...(lang ? [path.join(distDir, lang, "404", "index.html")] : []), path.join(distDir, "404.html")];
  return candidates.find((file) => existsSync(file));
}
