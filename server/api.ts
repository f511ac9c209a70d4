/**
 * The API: `POST /api/requests` (DESIGN.md §4) and `GET /api/form-token` (`health.ts` has `GET /api/health`).
 *
 * A request passes, in order: per-client rate limit → same-origin check → media type → free space →
 * body limits → schema (422) → project (a private one only with its token) and attachment rules (422) → image sniffing (415) →
 * idempotency key (400) → time trap (422 when sent too fast; bots quarantined) → replay (the first
 * receipt, or 422 when the same key brings other content) → the hour's sending budget (429) →
 * durable spool → 202 JSON, or 303 to the receipt page for a browser without JavaScript.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import express, { type Request, type Response, type Router } from "express";
import {
  FORM_ISSUE_PATH,
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
  type TranslateMessage,
} from "../src/domain/requests";
import type { Project } from "../src/domain/schemas/project";
import { attachmentName, sniffImage } from "./attachments";
import type { AppDeps } from "./app";
import type { Deadlines } from "./deadlines";
import type { FormTokens } from "./form-token";
import { ConfirmationBudget, SendingBudget, freeSpaceCheck, perClientLimit, sameOriginOnly, uploadSlots } from "./guards";
import { HttpError, prefersHtml } from "./http-errors";
import { LARGEST_MULTIPART_BYTES, requestBodyParsers, type ParsedBody } from "./request-body";
import { statusPath } from "./status-link";
import { errorCode, type Attachment, type Draft, type Receipt, type Spool } from "./store";
import { translator } from "./text";

export type ApiDeps = Omit<AppDeps, "delivery"> & { deadlines: Deadlines; tokens: FormTokens };

/** The counters a request about to be sent is checked against, shared through the spool. */
type Budgets = { sending: SendingBudget; confirmations: ConfirmationBudget };

/** Form tokens a client may fetch per request it may send: a page from a static host fetches one, an open tab one every 6 h. */
const FORM_TOKENS_PER_REQUEST = 4;

export function apiRouter(deps: ApiDeps): Router {
  const { config, spool, clock } = deps;
  const router = express.Router();
  const budgets: Budgets = {
    sending: new SendingBudget(spool, clock, config.rateLimitGlobalPerHour),
    confirmations: new ConfirmationBudget(spool, config.confirmationsPerAddressPerDay),
  };
  const perClient = { limit: config.rateLimitPerIp, windowMs: config.rateLimitWindowMs };

  router.post(
    REQUESTS_PATH,
    perClientLimit(spool, clock, "requests", perClient),
    sameOriginOnly(config.publicOrigin),
    uploadSlots(config.uploadsInFlight),
    freeSpaceCheck(spool, LARGEST_MULTIPART_BYTES),
    ...requestBodyParsers(config.bodyLimitBytes),
    async (req, res) => {
      const receipt = await acceptRequest(deps, budgets, req, res.locals.body as ParsedBody);
      respondAccepted(req, res, receipt, deps.spool.secret);
    },
  );

  router.get(FORM_TOKEN_PATH, perClientLimit(spool, clock, "form-tokens", { ...perClient, limit: perClient.limit * FORM_TOKENS_PER_REQUEST }), (_req, res) => {
    res.set("Cache-Control", "no-store").json(deps.tokens.issue());
  });

  router.use("/api", (_req, _res, next) => next(new HttpError("not_found")));
  return router;
}

async function acceptRequest(deps: ApiDeps, budgets: Budgets, req: Request, body: ParsedBody): Promise<Receipt> {
  const parsed = parseRequest(body.fields);
  const lang = parsed.success ? parsed.data.lang : body.fields.lang === "ru" ? "ru" : "en";
  const t = translator(lang);
  if (!parsed.success) throw new HttpError("validation", { issues: issuesFromZod(parsed.error, t) });
  const request = parsed.data;

  const issues: RequestIssue[] = [];
  const projectSlug = "project" in request ? request.project : undefined;
  const project = projectSlug === undefined ? undefined : deps.content.projects.get(projectSlug);
  if (projectSlug !== undefined && !(project && mayName(project, "projectAccess" in request ? request.projectAccess : undefined))) {
    issues.push({ path: "project", message: t(MESSAGES.project) });
  }
  if (body.files.length > 0 && !acceptsAttachments(request.type)) issues.push({ path: "attachments", message: t(MESSAGES.noAttachments) });
  if (issues.length > 0) throw new HttpError("validation", { issues });

  const attachments = body.files.map((file, index): Attachment => {
    const type = sniffImage(file.buffer);
    if (!type) throw new HttpError("unsupported_media_type");
    return { name: attachmentName(file.originalname, index, type), contentType: type, content: file.buffer };
  });

  const headerKey = req.get("idempotency-key");
  if (headerKey !== undefined && !IDEMPOTENCY_KEY_PATTERN.test(headerKey)) throw new HttpError("bad_request");
  const key = headerKey ?? request.idempotencyKey;

  const verdict = deps.tokens.check(request);
  // Nothing is stored, so sending the same form again (same key) a moment later goes through.
  if (verdict.kind === "too-fast") throw new HttpError("validation", { issues: [{ path: FORM_ISSUE_PATH, message: t(MESSAGES.tooFast) }] });
  const quarantined = verdict.kind === "bot";

  const fields = clientFields(request);
  const contentHash = contentHashOf(deps.spool.secret, fields, attachments);
  const id = deps.spool.ticketId(request.type, key);
  const first = key ? await deps.spool.find(id) : undefined;
  if (first) return replayOf(deps, first, contentHash, t);

  const counted = quarantined ? undefined : await countForSending(budgets, request.email);
  const now = new Date(deps.clock.now());
  let stored: Awaited<ReturnType<Spool["accept"]>>;
  try {
    stored = await deps.spool.accept({
      receipt: {
        version: 1,
        id,
        type: request.type,
        lang,
        ...(projectSlug ? { project: projectSlug } : {}),
        receivedAt: deps.deadlines.format(now),
        ...deps.deadlines.forRequest(request.type, now, project),
        contentHash,
        ...(verdict.kind === "unsigned" ? { formToken: verdict.token } : {}),
      },
      fields,
      attachments,
      confirmation: counted?.confirmation ?? "suppressed",
      quarantined,
    });
  } catch (error) {
    await counted?.giveBack().catch((undo: unknown) => deps.logger.warn("budget.give-back-failed", { code: errorCode(undo) }));
    throw error;
  }
  if (stored.replayed) {
    await counted?.giveBack();
    return replayOf(deps, stored.receipt, contentHash, t);
  }
  deps.logger.info(quarantined ? "request.quarantined" : "request.accepted", {
    id: stored.receipt.id,
    type: stored.receipt.type,
    attachments: attachments.length,
    reason: quarantined ? verdict.reason : undefined,
    formToken: verdict.kind === "unsigned" ? verdict.token : undefined,
    confirmation: counted?.confirmation,
  });
  return stored.receipt;
}

/**
 * Whether a request may name this project: a public one without a token, a private one only with
 * its own capability token. Any other token, or none for a private project, is refused exactly as
 * an unknown slug is, so the form tells nobody which private slugs exist.
 */
function mayName(project: Project, access: string | undefined): boolean {
  if (access === undefined) return project.visibility === "public";
  // Only a private project has a token (the schema says so); a given token is never empty.
  const expected = Buffer.from(project.accessToken ?? "");
  const given = Buffer.from(access);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * Counts a request about to be stored for sending: against the hour's budget for everyone (429
 * when it is spent) and its mailbox's confirmations. `giveBack` undoes both if it is not stored.
 */
async function countForSending(budgets: Budgets, email: string): Promise<{ confirmation: Draft["confirmation"]; giveBack: () => Promise<void> }> {
  await budgets.sending.take();
  let confirmed: boolean;
  try {
    confirmed = await budgets.confirmations.take(email);
  } catch (error) {
    await budgets.sending.giveBack();
    throw error;
  }
  return {
    confirmation: confirmed ? "queued" : "suppressed",
    giveBack: async () => {
      await Promise.all([budgets.sending.giveBack(), budgets.confirmations.giveBack(email)]);
    },
  };
}

/**
 * What a retry must repeat to be the same request: the normalised fields and the attachments'
 * bytes. Keyed with the spool's secret: a plain hash of a short form kept in a receipt could be
 * guessed back to a name and an address.
 */
export function contentHashOf(secret: string, fields: Record<string, string>, attachments: Attachment[]): string {
  const files = attachments.map((attachment) => createHash("sha256").update(attachment.content).digest("hex"));
  return createHmac("sha256", secret).update(JSON.stringify([fields, files])).digest("base64url");
}

/** The first receipt of a retried key; 422 when the retry brings other content (the first would silently win). */
export function replayOf(deps: ApiDeps, first: Receipt, contentHash: string, t: TranslateMessage): Receipt {
  if (first.contentHash !== undefined && first.contentHash !== contentHash) {
    deps.logger.info("request.key-reused", { id: first.id });
    throw new HttpError("validation", { issues: [{ path: FORM_ISSUE_PATH, message: t(MESSAGES.keyReused) }] });
  }
  deps.logger.info("request.replayed", { id: first.id });
  return first;
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

function respondAccepted(req: Request, res: Response, receipt: Receipt, secret: string): void {
  res.set("Cache-Control", "no-store");
  if (prefersHtml(req)) {
    res.redirect(303, `${RECEIPT.path(receipt.lang)}?${RECEIPT.idParam}=${encodeURIComponent(receipt.id)}`);
    return;
  }
  res.status(202).json({ id: receipt.id, type: receipt.type, receivedAt: receipt.receivedAt, deadlines: receipt.deadlines, qualifiers: receipt.qualifiers ?? {}, statusUrl: statusPath(secret, receipt) });
}
