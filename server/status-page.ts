/**
 * A request's private status page and its "How did we do?" answer (issue 13):
 *
 * - `GET /<lang>/request/status/?id=&key=`: type, project, time received, the promised deadlines
 *   with the time left, and the state computed by `requestState` (src/domain/request-status.ts)
 *   from the spool and the published change log; once done, the change-log entry and the rating
 *   form. A forged key, an unknown id or a receipt no longer kept: the site's 404, nothing more.
 * - `POST /api/ratings`: a plain form (no JavaScript needed), hardened like requests — per-client
 *   rate limit, same-origin check, form-encoded only, a 4 KB body, a zod schema — then the status
 *   key, a done request, and one answer per request (a second one: 409, nothing stored or sent).
 *   The answer is stored durably, then e-mailed to the project's team.
 */
import express, { type Request, type Response, type Router } from "express";
import { z } from "zod";
import { deadlineProgress, oldestKeptRatingDay, RATING, RATINGS_PATH, requestState, STATUS_PAGE, type Rating, type RequestState } from "../src/domain/request-status";
import { LangSchema, type Lang } from "../src/domain/schemas/common";
import { calendarDate } from "../src/domain/service-clock";
import { formatHours } from "../src/domain/pricing";
import { otherLang, useTranslations } from "../src/i18n";
import { paths } from "../src/lib/paths";
import { formatDate, formatDuration } from "../src/lib/project-format";
import type { AppDeps } from "./app";
import { perClientLimit, sameOriginOnly } from "./guards";
import { rowsHtml } from "./html";
import { HttpError, prefersHtml } from "./http-errors";
import { composeRatingMail } from "./mail-content";
import { hostedPage } from "./pages";
import { isStatusKey, statusKey, statusPath } from "./status-link";
import type { Progress } from "./store";
import { deadlineRows, escapeHtml, moscowTime, noDeadlineText, translator, type Row } from "./text";

type StatusDeps = Pick<AppDeps, "config" | "spool" | "clock" | "content" | "mailer" | "logger">;

/** Status pages one client may open per window: a person reloading, not a script trying keys. */
const PAGES_PER_CLIENT = { limit: 60, windowMs: 10 * 60_000 };
/** Ratings one client may send per window (one per request; a few requests at most). */
const RATINGS_PER_CLIENT = { limit: 10, windowMs: 10 * 60_000 };

const RatingFormSchema = z
  .object({
    /** The status page's language. */
    lang: LangSchema,
    /** Ticket id. */
    id: z.string().max(20),
    /** The status link's key. */
    key: z.string().max(64),
    /** "1"…"5". */
    rating: z.coerce.number().int().min(RATING.min).max(RATING.max),
    /** Optional words; empty means none. Control characters other than line breaks and tabs are dropped (PostgreSQL refuses NUL). */
    comment: z
      .string()
      .max(RATING.commentMaxLength)
      .default("")
      .transform((text) => text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g, "").trim()),
  })
  .strict();

export function statusRouter(deps: StatusDeps): Router {
  const { config, spool, clock } = deps;
  const router = express.Router();

  router.get("/:lang/request/status/", perClientLimit(spool, clock, "status", PAGES_PER_CLIENT), async (req, res, next) => {
    const lang = LangSchema.safeParse(req.params.lang);
    if (!lang.success) return next();
    const progress = await opened(deps, req.query[STATUS_PAGE.idParam], req.query[STATUS_PAGE.keyParam]);
    const html = await hostedPage(
      { distDir: config.distDir, content: deps.content },
      { lang: lang.data, title: translator(lang.data)("status.title"), fragment: await statusHtml(deps, progress, lang.data), otherLangHref: statusPath(spool.secret, { id: progress.receipt.id, lang: otherLang(lang.data) }) },
    );
    res.set("Cache-Control", "no-store").type("html").send(html);
  });

  router.post(
    RATINGS_PATH,
    perClientLimit(spool, clock, "ratings", RATINGS_PER_CLIENT),
    sameOriginOnly(config.publicOrigin),
    (req, _res, next) => next(req.is("application/x-www-form-urlencoded") ? undefined : new HttpError("unsupported_media_type")),
    express.urlencoded({ extended: false, limit: RATING.maxBodyBytes, parameterLimit: 10 }),
    async (req, res) => {
      const form = RatingFormSchema.safeParse(req.body);
      if (!form.success) throw new HttpError("validation");
      const { lang, id, key, rating: score, comment } = form.data;
      res.locals.lang = lang;
      const progress = await opened(deps, id, key);
      const t = translator(lang);
      if (!deps.content.resolutions.has(id)) throw new HttpError("validation", { issues: [{ path: "rating", message: t("status.rating.notYet") }] });
      const day = calendarDate(new Date(clock.now()), deps.content.settings);
      const rating: Rating = { id, ...(progress.receipt.project ? { project: progress.receipt.project } : {}), day, score, ...(comment ? { comment } : {}) };
      const stored = await spool.rate(rating, oldestKeptRatingDay(day, deps.content.settings.ratingRetentionDays));
      if (!stored) {
        deps.logger.info("rating.replayed", { id });
        return refuseSecondRating(deps, req, res, lang, progress);
      }
      deps.logger.info("rating.stored", { id, score });
      await mailTeam(deps, rating, progress);
      res.set("Cache-Control", "no-store");
      if (prefersHtml(req)) return res.redirect(303, `${statusPath(spool.secret, { id, lang })}#${STATUS_PAGE.ratingAnchor}`);
      res.status(201).json({ id, score });
    },
  );
  return router;
}

/** The request a status link opens; 404 (the site's page, nothing said) for a forged key or a receipt no longer kept. */
async function opened({ spool }: StatusDeps, id: unknown, key: unknown): Promise<Progress> {
  if (typeof id !== "string" || typeof key !== "string" || !isStatusKey(spool.secret, id, key)) throw new HttpError("not_found");
  const progress = await spool.progress(id);
  if (!progress) throw new HttpError("not_found");
  return progress;
}

async function statusHtml(deps: StatusDeps, { receipt, folder, state: entry }: Progress, lang: Lang): Promise<string> {
  const { content, spool, clock } = deps;
  const t = translator(lang);
  const state = requestState({ folder, team: entry?.team }, content.resolutions.get(receipt.id));
  const project = receipt.project ? content.projects.get(receipt.project) : undefined;
  const rows: Row[] = [
    { label: t("received.id"), value: receipt.id },
    { label: t("received.type"), value: t(`requestType.${receipt.type}`) },
    ...(project ? [{ label: t("status.project"), value: project.name[lang] }] : []),
    { label: t("received.receivedAt"), value: moscowTime(receipt.receivedAt, lang) },
    ...deadlineRows(receipt, lang, (at) => progressText(deadlineProgress(at, clock.now(), state), lang)),
    { label: t("status.state"), value: t(`status.state.${state.kind}`) },
  ];
  const hasDeadlines = Object.keys(receipt.deadlines).length > 0;
  return [
    `<section class="request-status">`,
    `<p>${escapeHtml(t("status.lead"))}</p>`,
    rowsHtml(rows),
    hasDeadlines ? "" : `<p>${escapeHtml(noDeadlineText(receipt, content, lang))}</p>`,
    state.kind === "resolved" ? resolutionHtml(deps, state, lang) : "",
    state.kind === "resolved" ? ratingHtml(await spool.rating(receipt.id), spool.secret, receipt.id, lang) : "",
    `<p><a href="${escapeHtml(content.settings.contacts.whatsapp)}">${escapeHtml(t("received.whatsapp"))}</a></p>`,
    `</section>`,
  ].join("");
}

function progressText(progress: ReturnType<typeof deadlineProgress>, lang: Lang): string {
  const t = translator(lang);
  if (progress.kind === "left") return t("status.deadline.left", { time: formatDuration(progress.minutes, useTranslations(lang)) });
  return t(`status.deadline.${progress.kind}`);
}

/** The change-log entry that resolved the request, linked on the project's pages (a private project's capability pages only). */
function resolutionHtml({ content }: StatusDeps, { resolution }: Extract<RequestState, { kind: "resolved" }>, lang: Lang): string {
  const t = translator(lang);
  const project = content.projects.get(resolution.project);
  const href = project && paths.project(lang, { slug: resolution.project, visibility: project.visibility, accessToken: project.accessToken }, "changes", resolution.entry);
  const rows: Row[] = [
    { label: t("status.resolution.entry"), value: resolution.title, ...(href ? { href } : {}) },
    { label: t("status.resolution.date"), value: formatDate(resolution.date, lang) },
    { label: t("status.resolution.hours"), value: formatHours(resolution.hours, lang) },
  ];
  return `<h2>${escapeHtml(t("status.resolution"))}</h2>${rowsHtml(rows)}`;
}

/** "How did we do?": the form, or the answer already given. Works as a plain form post. */
function ratingHtml(given: Rating | undefined, secret: string, id: string, lang: Lang): string {
  const t = translator(lang);
  const heading = `<h2 id="${STATUS_PAGE.ratingAnchor}">${escapeHtml(t("status.rating.title"))}</h2>`;
  if (given) return `${heading}<p>${escapeHtml(t("status.rating.thanks", { score: String(given.score) }))}</p>`;
  const hidden = (name: string, value: string) => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
  const scores = Array.from({ length: RATING.max - RATING.min + 1 }, (_, index) => RATING.min + index);
  const options = scores
    .map((n) => `<div class="field field--check"><input type="radio" id="rating-${n}" name="rating" value="${n}" required><label for="rating-${n}">${escapeHtml(t("status.rating.option", { n: String(n) }))}</label></div>`)
    .join("");
  return [
    heading,
    `<form method="post" action="${RATINGS_PATH}">`,
    hidden("lang", lang),
    hidden("id", id),
    hidden("key", statusKey(secret, id)),
    `<fieldset><legend>${escapeHtml(t("status.rating.legend"))}</legend>${options}</fieldset>`,
    `<div class="field"><label for="rating-comment">${escapeHtml(t("status.rating.comment"))}</label><textarea id="rating-comment" name="comment" rows="4" maxlength="${RATING.commentMaxLength}"></textarea></div>`,
    `<p><button type="submit" class="button">${escapeHtml(t("status.rating.send"))}</button></p>`,
    `</form>`,
  ].join("");
}

/** 409: the request has its answer already; the status page shows it. Nothing is stored or sent. */
async function refuseSecondRating(deps: StatusDeps, req: Request, res: Response, lang: Lang, progress: Progress): Promise<void> {
  const t = translator(lang);
  res.status(409).set("Cache-Control", "no-store");
  if (!prefersHtml(req)) {
    res.json({ error: "already_rated", message: t("status.rating.alreadyRated") });
    return;
  }
  const fragment = `<p>${escapeHtml(t("status.rating.alreadyRated"))}</p><p><a href="${escapeHtml(statusPath(deps.spool.secret, { id: progress.receipt.id, lang }))}">${escapeHtml(t("status.link"))}</a></p>`;
  res.type("html").send(await hostedPage({ distDir: deps.config.distDir, content: deps.content }, { lang, title: t("status.rating.title"), fragment }));
}

/** The team learns of the answer by e-mail; the answer is stored already, so a failed e-mail is logged, not the client's problem. */
async function mailTeam(deps: StatusDeps, rating: Rating, { receipt }: Progress): Promise<void> {
  try {
    await deps.mailer.send(composeRatingMail(rating, receipt, deps.content, deps.config));
    deps.logger.info("mail.sent", { id: rating.id, kind: "rating" });
  } catch (error) {
    deps.logger.warn("rating.mail-failed", { id: rating.id, code: (error as NodeJS.ErrnoException | undefined)?.code ?? "unknown" });
  }
}
