/**
 * "Was this helpful?" at the end of every terms article (src/domain/article-feedback.ts):
 *
 * - `POST /api/feedback` counts a yes or a no about an article (per article, language and day; nothing
 *   about who answered). JSON answers 204 for yes, 200 with a signed form token for no (the comment
 *   form the page then shows); a form sent without JavaScript gets the article back with the answer in
 *   its feedback section (thanks, and on no the signed comment form).
 * - `POST /api/feedback/comment` takes what the article was missing and stores it as a ticket of type
 *   `feedback`, e-mailed to the team through the spool and sender like any request. Nobody is asked
 *   for an address, so there is no confirmation (and no mailbox to bomb). The masked text is kept
 *   for `npm run spool -- feedback` for `articleFeedbackRetentionDays` days.
 *
 * Both pass the request API's guards: per-client rate limit, same-origin check, media type, size
 * limit, a strict schema, a known article; the comment also the form token (honeypot or forged
 * signature: answered alike, quarantined, never sent; too fast: 422), the idempotency key and the
 * hour's sending budget. The client's address is used for the rate limits alone.
 */
import express, { type Request, type Response, type Router } from "express";
import { z } from "zod";
import {
  FEEDBACK_ANCHOR,
  FEEDBACK_ANSWERS,
  FEEDBACK_COMMENT_PATH,
  FEEDBACK_NUMBER_PLACEHOLDER,
  FEEDBACK_VOTE_PATH,
  MAX_COMMENT_BYTES,
  MAX_KEPT_COMMENT_LENGTH,
  MAX_VOTE_BYTES,
  feedbackMarkers,
  type FeedbackState,
} from "../src/domain/article-feedback";
import { FORM_ISSUE_PATH, IDEMPOTENCY_KEY_PATTERN, MESSAGES, issuesFromZod, parseFeedbackComment } from "../src/domain/requests";
import { LangSchema, type Lang } from "../src/domain/schemas/common";
import { oldestKeptDay, searchDay, withoutContacts } from "../src/domain/search-log";
import { contentHashOf, replayOf, type ApiDeps } from "./api";
import { fillFormToken } from "./form-token";
import { SendingBudget, freeSpaceCheck, perClientLimit, sameOriginOnly } from "./guards";
import { standalonePage } from "./html";
import { HttpError, prefersHtml } from "./http-errors";
import { readBuiltPage } from "./pages";
import { fieldsOnlyParsers, type ParsedBody } from "./request-body";
import type { Receipt } from "./store";
import { escapeHtml, translator } from "./text";

/** Votes one client may send per window: a reader going through several articles, not a script. */
const VOTES_PER_CLIENT = { limit: 30, windowMs: 10 * 60_000 };

const VoteSchema = z
  .object({
    /** The article's slug. */
    article: z.string().max(64),
    /** The article's language. */
    lang: LangSchema,
    /** The answer to "Was this helpful?". */
    helpful: z.enum(FEEDBACK_ANSWERS),
    /** Honeypot: hidden from people, so any value marks a bot (answered alike, not counted). */
    website: z.string().max(200).default(""),
  })
  .strict();

export function articleFeedbackRouter(deps: ApiDeps): Router {
  const { config, spool, clock, content, logger, tokens } = deps;
  const router = express.Router();
  const sending = new SendingBudget(spool, clock, config.rateLimitGlobalPerHour);
  const retentionFrom = (now: number) => oldestKeptDay(now, content.settings.articleFeedbackRetentionDays);
  const knownArticle = (lang: Lang, article: string) => content.articles[lang].has(article);

  router.post(
    FEEDBACK_VOTE_PATH,
    perClientLimit(spool, clock, "feedback-votes", VOTES_PER_CLIENT),
    sameOriginOnly(config.publicOrigin),
    ...fieldsOnlyParsers(MAX_VOTE_BYTES),
    async (req, res) => {
      const vote = VoteSchema.safeParse((res.locals.body as ParsedBody).fields);
      if (!vote.success || !knownArticle(vote.data.lang, vote.data.article)) throw new HttpError("validation");
      const { article, lang, helpful, website } = vote.data;
      const now = clock.now();
      if (website.trim() === "") await spool.countVote({ day: searchDay(now), lang, article, answer: helpful }, retentionFrom(now));
      else logger.info("feedback.vote-ignored", { reason: "honeypot" });
      res.set("Cache-Control", "no-store");
      if (prefersHtml(req)) return void (await sendArticle(res, { lang, article, state: helpful, fill: (html) => fillFormToken(html, tokens.issue()) }));
      if (helpful === "yes") return void res.status(204).end();
      res.json({ token: tokens.issue() });
    },
  );

  router.post(
    FEEDBACK_COMMENT_PATH,
    perClientLimit(spool, clock, "feedback-comments", { limit: config.rateLimitPerIp, windowMs: config.rateLimitWindowMs }),
    sameOriginOnly(config.publicOrigin),
    freeSpaceCheck(spool, MAX_COMMENT_BYTES),
    ...fieldsOnlyParsers(MAX_COMMENT_BYTES),
    async (req, res) => {
      const receipt = await acceptComment(req, (res.locals.body as ParsedBody).fields);
      res.set("Cache-Control", "no-store");
      if (prefersHtml(req)) {
        await sendArticle(res, { lang: receipt.lang, article: String((res.locals.body as ParsedBody).fields.article), state: "sent", fill: (html) => html.replaceAll(FEEDBACK_NUMBER_PLACEHOLDER, escapeHtml(receipt.id)) });
        return;
      }
      res.status(202).json({ id: receipt.id, type: receipt.type, receivedAt: receipt.receivedAt });
    },
  );

  async function acceptComment(req: Request, fields: Record<string, unknown>): Promise<Receipt> {
    const parsed = parseFeedbackComment(fields);
    const lang = parsed.success ? parsed.data.lang : fields.lang === "ru" ? "ru" : "en";
    const t = translator(lang);
    if (!parsed.success) throw new HttpError("validation", { issues: issuesFromZod(parsed.error, t) });
    const comment = parsed.data;
    if (!knownArticle(lang, comment.article)) throw new HttpError("validation", { issues: [{ path: "article", message: t(MESSAGES.invalid) }] });

    const headerKey = req.get("idempotency-key");
    if (headerKey !== undefined && !IDEMPOTENCY_KEY_PATTERN.test(headerKey)) throw new HttpError("bad_request");
    const key = headerKey ?? comment.idempotencyKey;
    const verdict = tokens.check(comment);
    if (verdict.kind === "too-fast") throw new HttpError("validation", { issues: [{ path: FORM_ISSUE_PATH, message: t(MESSAGES.tooFast) }] });
    const quarantined = verdict.kind === "bot";

    const stored = { article: comment.article, comment: comment.comment };
    const contentHash = contentHashOf(spool.secret, stored, []);
    const id = spool.ticketId("feedback", key);
    const first = key ? await spool.find(id) : undefined;
    if (first) return replayOf(deps, first, contentHash, t);

    if (!quarantined) await sending.take();
    const now = clock.now();
    let accepted: Awaited<ReturnType<typeof spool.accept>>;
    try {
      accepted = await spool.accept({
        receipt: {
          version: 1,
          id,
          type: "feedback",
          lang,
          receivedAt: deps.deadlines.format(new Date(now)),
          // Feedback promises nothing: no entry in promises.yaml, no deadline.
          deadlines: {},
          contentHash,
          ...(verdict.kind === "unsigned" ? { formToken: verdict.token } : {}),
        },
        fields: stored,
        attachments: [],
        // Nobody is asked for an address: there is no one to confirm to.
        confirmation: "suppressed",
        quarantined,
      });
    } catch (error) {
      if (!quarantined) await sending.giveBack();
      throw error;
    }
    if (accepted.replayed) {
      if (!quarantined) await sending.giveBack();
      return replayOf(deps, accepted.receipt, contentHash, t);
    }
    if (!quarantined) {
      const text = withoutContacts(comment.comment).slice(0, MAX_KEPT_COMMENT_LENGTH);
      await spool.keepComment({ id, receivedAt: accepted.receipt.receivedAt, lang, article: comment.article, text }, searchDay(now), retentionFrom(now));
    }
    logger.info(quarantined ? "request.quarantined" : "request.accepted", {
      id,
      type: "feedback",
      reason: quarantined ? verdict.reason : undefined,
      formToken: verdict.kind === "unsigned" ? verdict.token : undefined,
    });
    return accepted.receipt;
  }

  /**
   * The article again with `state`'s markup (filled by `fill`) in its feedback section, for a browser
   * without JavaScript; a plain page with a link back when the site's build has no such article.
   */
  async function sendArticle(res: Response, { lang, article, state, fill }: { lang: Lang; article: string; state: FeedbackState; fill: (html: string) => string }): Promise<void> {
    const articlePath = `/${lang}/${article}/`;
    const page = await readBuiltPage(config.distDir, articlePath);
    const slot = feedbackMarkers("slot");
    const part = feedbackMarkers(state);
    const slotStart = page?.indexOf(slot.start) ?? -1;
    const slotEnd = page?.indexOf(slot.end, slotStart) ?? -1;
    const partStart = page?.indexOf(part.start) ?? -1;
    const partEnd = page?.indexOf(part.end, partStart) ?? -1;
    if (page === undefined || slotStart < 0 || slotEnd < 0 || partStart < 0 || partEnd < 0) {
      const t = translator(lang);
      res.type("html").send(standalonePage({ lang, title: t("feedback.thanks"), body: `<p><a href="${escapeHtml(`${articlePath}#${FEEDBACK_ANCHOR}`)}">${escapeHtml(t("feedback.back"))}</a></p>` }));
      return;
    }
    const stateHtml = fill(page.slice(partStart + part.start.length, partEnd));
    res.type("html").send(`${page.slice(0, slotStart + slot.start.length)}${stateHtml}${page.slice(slotEnd)}`);
  }

  return router;
}
