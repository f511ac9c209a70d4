/**
 * Every project with its change log, prevention visits and incidents, read ONCE per build (one
 * `getCollection` per collection, at module level) and grouped by project. Pages take what they
 * need from here; only the page showing an entry renders its body.
 */
import { getCollection, type CollectionEntry } from "astro:content";
import type { Lang } from "../domain/schemas/common";
import type { PreventionPlan } from "../domain/schemas/prices";
import type { Project } from "../domain/schemas/project";
import { dateAt, periodsBetween, type Period, type PeriodKind, type SlaInput } from "../domain/sla";
import { monthAccounts, type MonthAccount, type PreventionFee, type WorkItem } from "../domain/work-log";
import { supportRateFor } from "../domain/pricing";
import type { ProjectRef } from "./paths";
import { getSiteData } from "./site-data";

export type ChangeEntry = CollectionEntry<"changelog">;
export type VisitEntry = CollectionEntry<"prevention">;
export type IncidentEntry = CollectionEntry<"incidents">;

export type ProjectView = {
  slug: string;
  project: Project;
  /** What URLs need; for a private project, its capability token. */
  ref: ProjectRef;
  /** Hourly support rate: the project's own, else the price list's. */
  rate: number;
  /** The prevention plan from the price list, if the project has one. */
  plan?: PreventionPlan | undefined;
  /** Newest first. */
  changes: ChangeEntry[];
  /** Newest first. */
  visits: VisitEntry[];
  /** Newest first (by start). */
  incidents: IncidentEntry[];
};

/** `northwind-shop/changelog/2026-10-06-dealer-price-export` → `northwind-shop`. */
export const projectOf = (id: string) => id.split("/")[0]!;
/** `northwind-shop/changelog/2026-10-06-dealer-price-export` → `2026-10-06-dealer-price-export`: the entry's anchor. */
export const stemOf = (id: string) => id.split("/").at(-1)!;

function byProject<T extends { id: string }>(entries: T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const entry of entries) {
    const slug = projectOf(entry.id);
    const list = map.get(slug);
    if (list) list.push(entry);
    else map.set(slug, [entry]);
  }
  return map;
}

/** Newest first; same-day entries by id, so the order never depends on how files were read. */
function byDateNewestFirst<T extends { id: string; data: { date: string } }>(entries: T[]): T[] {
  return entries.sort((a, b) => (a.data.date === b.data.date ? a.id.localeCompare(b.id) : a.data.date < b.data.date ? 1 : -1));
}

const [changelog, prevention, incidents] = await Promise.all([getCollection("changelog"), getCollection("prevention"), getCollection("incidents")]);
const changesBySlug = byProject(changelog);
const visitsBySlug = byProject(prevention);
const incidentsBySlug = byProject(incidents);

const { projects, prices } = getSiteData();
const views: ProjectView[] = [...projects]
  .sort(([a], [b]) => a.localeCompare(b))
  .map(([slug, project]) => ({
    slug,
    project,
    ref: { slug, visibility: project.visibility, accessToken: project.accessToken },
    rate: supportRateFor(project, prices),
    plan: project.prevention ? prices.preventionPlans.find((plan) => plan.id === project.prevention!.plan) : undefined,
    changes: byDateNewestFirst(changesBySlug.get(slug) ?? []),
    visits: byDateNewestFirst(visitsBySlug.get(slug) ?? []),
    incidents: (incidentsBySlug.get(slug) ?? []).sort((a, b) => Date.parse(b.data.started) - Date.parse(a.data.started) || a.id.localeCompare(b.id)),
  }));

/** Every project, private ones included: only for pages under the project's own URL. */
export function allProjectViews(): ProjectView[] {
  return views;
}

/** Public projects, by slug: the only ones listed, fed to the all-projects feed and indexed. */
export function publicProjectViews(): ProjectView[] {
  return views.filter((view) => view.project.visibility === "public");
}

/** Private projects: published only under /<lang>/p/<accessToken>/. */
export function privateProjectViews(): ProjectView[] {
  return views.filter((view) => view.project.visibility === "private");
}

/** The fields the hours, cost and SLA figures need. */
export function workItems(view: ProjectView): (WorkItem & { id: string })[] {
  return view.changes.map((entry) => ({ id: stemOf(entry.id), date: entry.data.date, kind: entry.data.kind, basis: entry.data.basis, hours: entry.data.hours }));
}

/** The project's prevention agreement as the month's cost needs it; undefined without one. */
export function preventionFee(view: ProjectView): PreventionFee | undefined {
  const { prevention } = view.project;
  return prevention && view.plan ? { since: prevention.since, until: prevention.until, pricePerMonth: view.plan.pricePerMonth } : undefined;
}

/** The months of a project's change log, newest first, each with its entries and cost (see monthAccounts). */
export function workMonths(view: ProjectView, today: string): MonthAccount<WorkItem & { id: string }>[] {
  return monthAccounts(workItems(view), { rate: view.rate, fee: preventionFee(view), today });
}

/** Input of the pure SLA computation for one project. */
export function slaInput(view: ProjectView, asOf: number): SlaInput {
  const { project } = view;
  return {
    incidents: view.incidents.map((entry) => entry.data),
    work: workItems(view),
    visits: view.visits.map((entry) => entry.data),
    plan: project.prevention && view.plan ? { since: project.prevention.since, until: project.prevention.until, visitsPerMonth: view.plan.visitsPerMonth } : undefined,
    targets: project.sla,
    rate: view.rate,
    fee: preventionFee(view),
    asOf,
    utcOffset: getSiteData().settings.utcOffset,
  };
}

/** How many recent periods the report shows. */
const REPORT_LENGTH: Record<PeriodKind, number> = { month: 12, quarter: 8 };

/**
 * The periods an SLA report covers, newest first: from the agreement's start (without an agreement,
 * from the first recorded work, visit or incident) to today, at most a year of months and two of quarters.
 */
export function reportPeriods(view: ProjectView, kind: PeriodKind, today: string): Period[] {
  const { utcOffset } = getSiteData().settings;
  const firsts = [
    view.project.sla?.since,
    view.changes.at(-1)?.data.date,
    view.visits.at(-1)?.data.date,
    view.incidents.at(-1) ? dateAt(Date.parse(view.incidents.at(-1)!.data.started), utcOffset) : undefined,
  ].filter((date): date is string => date !== undefined && date <= today);
  const from = view.project.sla?.since ?? firsts.sort()[0];
  if (from === undefined || from > today) return [];
  return periodsBetween(kind, from, today, utcOffset).reverse().slice(0, REPORT_LENGTH[kind]);
}

/** A project's name in a language. */
export function projectName(view: ProjectView, lang: Lang): string {
  return view.project.name[lang];
}
