/**
 * The API: `POST /api/requests` (DESIGN.md §4), `GET /api/health`, `GET /api/form-token`.
 *
 * A request passes, in order: rate limits → same-origin check → media type → free space →
 * body limits → schema (422) → project and attachment rules (422) → time trap → image sniffing
 * (415) → durable spool → 202 JSON, or 303 to the receipt page for a browser without JavaScript.
 */
import express, { type Request, type Response, type Router } from "express";
import {
  FORM_TOKEN_PATH,
  IDEMPOTENCY_KEY_PATTERN,
  MESSAGES,
  RECEIPT,
  REQUESTS_PATH,
  acceptsAttachments,
  issuesFromZod,
  parseRequest,
  requestFields,
  type ClientRequest,
  type RequestIssue,
} from "../src/domain/requests";
import type { ServerContent } from "../src/lib/content-files";
import { attachmentName, sniffImage } from "./attachments";
import type { Clock } from "./clock";
import type { Config } from "./config";
import type { Deadlines } from "./deadlines";
import type { FormTokens } from "./form-token";
import { ConfirmationBudget, freeSpaceCheck, rateLimits, sameOriginOnly, uploadSlots } from "./guards";
import { HttpError, prefersHtml } from "./http-errors";
import type { Logger } from "./log";
import type { Mailer } from "./mailer";
import { LARGEST_MULTIPART_BYTES, requestBodyParsers, type ParsedBody } from "./request-body";
import type { Attachment, Receipt, Spool } from "./spool";
import { translator } from "./text";

export type ApiDeps = {
  config: Config;
  clock: Clock;
  spool: Spool;
  mailer: Mailer;
  content: ServerContent;
  logger: Logger;
  deadlines: Deadlines;
  tokens: FormTokens;
};

export function apiRouter(deps: ApiDeps): Router {
  const { config, spool } = deps;
  const router = express.Router();
  const confirmations = new ConfirmationBudget(config.confirmationsPerAddressPerDay, deps.clock);

  router.post(
    REQUESTS_PATH,
    ...rateLimits(config),
    sameOriginOnly(config.publicOrigin),
    uploadSlots(config.uploadsInFlight),
    freeSpaceCheck(spool, LARGEST_MULTIPART_BYTES),
    ...requestBodyParsers(config.bodyLimitBytes),
    async (req, res) => {
      const receipt = await acceptRequest(deps, confirmations, req, res.locals.body as ParsedBody);
      respondAccepted(req, res, receipt);
    },
  );

  router.get("/api/health", async (_req, res) => {
    const [stats, room] = await Promise.all([spool.stats(), spool.hasRoomFor(LARGEST_MULTIPART_BYTES).catch(() => false)]);
    const status = !room ? "unavailable" : stats.dead > 0 || stats.corrupt > 0 ? "degraded" : "ok";
    res
      .status(room ? 200 : 503)
      .set("Cache-Control", "no-store")
      .json({
        status,
        ready: room,
        spool: {
          depth: stats.depth,
          oldestPendingSeconds: stats.oldestPendingMs === null ? null : Math.round(stats.oldestPendingMs / 1000),
          deadLetters: stats.dead,
          quarantined: stats.quarantined,
          corrupt: stats.corrupt,
        },
        mail: deps.mailer.info,
      });
  });

  router.get(FORM_TOKEN_PATH, (_req, res) => {
    res.set("Cache-Control", "no-store").json(deps.tokens.issue());
  });

  router.use("/api", (_req, _res, next) => next(new HttpError("not_found")));
  return router;
}

async function acceptRequest(deps: ApiDeps, confirmations: ConfirmationBudget, req: Request, body: ParsedBody): Promise<Receipt> {
  const parsed = parseRequest(body.fields);
  const lang = parsed.success ? parsed.data.lang : body.fields.lang === "ru" ? "ru" : "en";
  const t = translator(lang);
  if (!parsed.success) throw new HttpError("validation", { issues: issuesFromZod(parsed.error, t) });
  const request = parsed.data;

  const issues: RequestIssue[] = [];
  const projectSlug = "project" in request ? request.project : undefined;
  const project = projectSlug === undefined ? undefined : deps.content.projects.get(projectSlug);
  if (projectSlug !== undefined && !project) issues.push({ path: "project", message: t(MESSAGES.project) });
  if (body.files.length > 0 && !acceptsAttachments(request.type)) issues.push({ path: "attachments", message: t(MESSAGES.noAttachments) });
  if (issues.length > 0) throw new HttpError("validation", { issues });

  const trap = deps.tokens.trap(request);
  const attachments = body.files.map((file, index): Attachment => {
    const type = sniffImage(file.buffer);
    if (!type) throw new HttpError("unsupported_media_type");
    return { name: attachmentName(file.originalname, index, type), contentType: type, content: file.buffer };
  });

  const headerKey = req.get("idempotency-key");
  if (headerKey !== undefined && !IDEMPOTENCY_KEY_PATTERN.test(headerKey)) throw new HttpError("bad_request");
  const key = headerKey ?? request.idempotencyKey;
  const id = deps.spool.ticketId(request.type, key);
  const first = key ? await deps.spool.find(id) : undefined;
  if (first) {
    deps.logger.info("request.replayed", { id });
    return first;
  }

  const now = new Date(deps.clock.now());
  const confirmation = !trap && confirmations.take(request.email) ? "queued" : "suppressed";
  const { receipt, replayed } = await deps.spool.accept({
    receipt: {
      version: 1,
      id,
      type: request.type,
      lang,
      ...(projectSlug ? { project: projectSlug } : {}),
      receivedAt: deps.deadlines.format(now),
      deadlines: deps.deadlines.forRequest(request.type, now, project),
    },
    fields: clientFields(request),
    attachments,
    confirmation,
    quarantined: trap !== undefined,
  });
  deps.logger.info(trap ? "request.quarantined" : replayed ? "request.replayed" : "request.accepted", {
    id: receipt.id,
    type: receipt.type,
    attachments: attachments.length,
    reason: trap,
    confirmation: trap ? undefined : confirmation,
  });
  return receipt;
}

/** The client's own fields as strings, without the form's machinery (honeypot, token, key). */
function clientFields(request: ClientRequest): Record<string, string> {
  const values = request as unknown as Record<string, unknown>;
  return Object.fromEntries(
    requestFields(request.type)
      .filter((field) => values[field] !== undefined)
      .map((field) => [field, String(values[field])]),
  );
}

function respondAccepted(req: Request, res: Response, receipt: Receipt): void {
  res.set("Cache-Control", "no-store");
  if (prefersHtml(req)) {
    res.redirect(303, `${RECEIPT.path(receipt.lang)}?${RECEIPT.idParam}=${encodeURIComponent(receipt.id)}`);
    return;
  }
  res.status(202).json({ id: receipt.id, type: receipt.type, receivedAt: receipt.receivedAt, deadlines: receipt.deadlines });
}
