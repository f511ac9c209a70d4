/**
 * A project's SLA report with current satisfaction figures: the built page
 * (`/<lang>/projects/<slug>/sla/`, a private project's `/<lang>/p/<token>/sla/`) with its
 * satisfaction slot (src/components/project/Satisfaction.astro) filled from the ratings the spool
 * keeps — count and average per month. The rest of the page is the build's; nothing here needs
 * JavaScript. nginx passes these pages to the service (deploy/nginx/service-portal.conf).
 */
import express, { type NextFunction, type Response, type Router } from "express";
import { oldestKeptRatingDay, SATISFACTION_SLOT, satisfactionByMonth } from "../src/domain/request-status";
import { LangSchema, type Lang } from "../src/domain/schemas/common";
import { calendarDate } from "../src/domain/service-clock";
import { paths, type ProjectRef } from "../src/lib/paths";
import { formatMonth, formatNumber } from "../src/lib/project-format";
import type { AppDeps } from "./app";
import { privateProjectRef, readBuiltPage } from "./pages";
import { escapeHtml, translator } from "./text";

export function satisfactionRouter({ config, spool, clock, content }: Pick<AppDeps, "config" | "spool" | "clock" | "content">): Router {
  const router = express.Router();

  const serve = async (res: Response, next: NextFunction, lang: string, ref: ProjectRef | undefined) => {
    const parsed = LangSchema.safeParse(lang);
    if (!parsed.success || !ref) return next();
    const page = await readBuiltPage(config.distDir, paths.project(parsed.data, ref, "sla"));
    const start = page?.indexOf(SATISFACTION_SLOT.start) ?? -1;
    const end = page?.indexOf(SATISFACTION_SLOT.end, start) ?? -1;
    if (!page || start < 0 || end <= start) return next();
    const today = calendarDate(new Date(clock.now()), content.settings);
    const ratings = await spool.ratings(oldestKeptRatingDay(today, content.settings.ratingRetentionDays), ref.slug);
    const figures = satisfactionHtml(satisfactionByMonth(ratings), parsed.data);
    res.set("Cache-Control", "no-cache").type("html").send(`${page.slice(0, start)}${figures}${page.slice(end + SATISFACTION_SLOT.end.length)}`);
  };

  router.get("/:lang/projects/:slug/sla/", async (req, res, next) => {
    const project = content.projects.get(req.params.slug);
    await serve(res, next, req.params.lang, project?.visibility === "public" ? { slug: req.params.slug, visibility: "public" } : undefined);
  });

  // A private project's report, under its capability URL (only a known token names a page).
  router.get("/:lang/p/:token/sla/", async (req, res, next) => {
    await serve(res, next, req.params.lang, privateProjectRef(content, req.params.token));
  });
  return router;
}

function satisfactionHtml(months: ReturnType<typeof satisfactionByMonth>, lang: Lang): string {
  const t = translator(lang);
  if (months.length === 0) return `<p>${escapeHtml(t("status.satisfaction.none"))}</p>`;
  const head = ["status.satisfaction.month", "status.satisfaction.count", "status.satisfaction.average"].map((key) => `<th scope="col">${escapeHtml(t(key))}</th>`).join("");
  const rows = months
    .map(({ month, count, average }) => `<tr><th scope="row">${escapeHtml(formatMonth(month, lang))}</th><td>${count}</td><td>${escapeHtml(formatNumber(average, lang, 1))}</td></tr>`)
    .join("");
  return `<table class="satisfaction"><caption>${escapeHtml(t("status.satisfaction.title"))}</caption><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`;
}
