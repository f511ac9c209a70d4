/**
 * Build-time access to the single-file content (settings, prices, calendars, projects),
 * read once per build through the same loader and schemas the server uses.
 */
import type { Project } from "../domain/schemas/project";
import { buildWorkCalendar, calendarDate, type WorkCalendar } from "../domain/service-clock";
import { buildNow } from "./build-env";
import { DEFAULT_CONTENT_ROOT, loadServerContent, type ServerContent } from "./content-files";

let cached: ServerContent | undefined;

/** Settings, prices, calendars and projects, loaded once per build. */
export function getSiteData(): ServerContent {
  cached ??= loadServerContent(DEFAULT_CONTENT_ROOT);
  return cached;
}

let calendar: WorkCalendar | undefined;

/** The service clock's calendar: production calendars plus working and night hours. */
export function getWorkCalendar(): WorkCalendar {
  const { settings, calendars } = getSiteData();
  calendar ??= buildWorkCalendar(settings, calendars);
  return calendar;
}

/** "Today" in Moscow, and the instant the build computes "now"-dependent figures at (PORTAL_NOW, see build-env.ts). */
export function buildClock(): { now: number; today: string } {
  const now = buildNow();
  return { now, today: calendarDate(new Date(now), getWorkCalendar()) };
}

/** True while the settings or price-list field (dotted path, e.g. `contacts.email`) is a sample value. */
export function isSample(field: string): boolean {
  return getSiteData().sampleable.some((candidate) => candidate.sample && candidate.field === field);
}

/** Public projects, by name; private ones are reachable only by their capability URL. */
export function publicProjects(): [slug: string, project: Project][] {
  return projectsWith("public");
}

/** Private projects, by slug: only for the pages under their capability URLs. */
export function privateProjects(): [slug: string, project: Project][] {
  return projectsWith("private");
}

function projectsWith(visibility: Project["visibility"]): [slug: string, project: Project][] {
  return [...getSiteData().projects].filter(([, project]) => project.visibility === visibility).sort(([a], [b]) => a.localeCompare(b));
}
