/**
 * Where a client's request stands, as its private status page says (issue 13). Pure: the state is
 * computed from what the spool holds (its folder and the team's e-mail) and what `content/` holds
 * (a published change-log entry naming the ticket), never recorded a second time. Shared by the
 * form service (status page, ratings) and the site (the SLA report's satisfaction slot).
 */
import type { Lang } from "./schemas/common";

/** Where the status page lives: `/<lang>/request/status/?id=<ticket>&key=<status key>` (served by the form service). */
export const STATUS_PAGE = {
  path: (lang: Lang) => `/${lang}/request/status/`,
  idParam: "id",
  keyParam: "key",
  /** Anchor of the rating form and its answer on the page. */
  ratingAnchor: "rating",
} as const;

/** `POST` a rating here (a plain form: `lang`, `id`, `key`, `rating`, `comment`). */
export const RATINGS_PATH = "/api/ratings";

/** The rating scale and the comment's limit. */
export const RATING = { min: 1, max: 5, commentMaxLength: 1000, maxBodyBytes: 4096 } as const;

/**
 * Markers around the satisfaction figures in a built SLA report: the form service replaces what
 * stands between them with the current figures when it serves the page.
 */
export const SATISFACTION_SLOT = { start: "<!--satisfaction-->", end: "<!--/satisfaction-->" } as const;

/** What the spool knows about a request's delivery (no personal data). */
export type DeliveryFacts = {
  /** The spool folder the entry is in. */
  folder: "queue" | "done" | "dead" | "quarantine";
  /** The team's e-mail, when the entry has a state yet (a quarantined one has none). */
  team?: { status: "queued" | "sending" | "sent" | "suppressed" | "dead"; lastError?: string | undefined } | undefined;
};

/** A published change-log entry naming the ticket. */
export type Resolution = {
  ticket: string;
  /** The project folder the entry is in. */
  project: string;
  /** The entry's file name without extension: its anchor on the project's change-log page. */
  entry: string;
  title: string;
  /** YYYY-MM-DD. */
  date: string;
  hours: number;
  /** The language the entry is written in. */
  lang: Lang;
};

/**
 * - `resolved`: a published change-log entry names the ticket;
 * - `delayed`: the team's e-mail failed (for good, or at least once and not yet delivered) — the
 *   client should know the team may not have it yet;
 * - `delivered`: the team has it;
 * - `waiting`: accepted, the team's e-mail not yet sent (a quarantined request reads the same, so
 *   the page tells a bot nothing).
 */
export type RequestState = { kind: "waiting" } | { kind: "delivered" } | { kind: "delayed" } | { kind: "resolved"; resolution: Resolution };

export function requestState(delivery: DeliveryFacts, resolution?: Resolution): RequestState {
  if (resolution) return { kind: "resolved", resolution };
  if (delivery.folder === "dead" || delivery.team?.status === "dead") return { kind: "delayed" };
  if (delivery.folder === "done" || delivery.team?.status === "sent") return { kind: "delivered" };
  if (delivery.team?.lastError !== undefined) return { kind: "delayed" };
  return { kind: "waiting" };
}

/** A promised deadline as the status page shows it: met (the request was resolved by then), minutes left, or passed. */
export type DeadlineProgress = { kind: "met" } | { kind: "left"; minutes: number } | { kind: "passed" };

/** How a deadline (ISO instant) stands at `now` (epoch ms); a resolved request's deadlines no longer run. */
export function deadlineProgress(deadline: string, now: number, state: RequestState): DeadlineProgress {
  if (state.kind === "resolved") return { kind: "met" };
  const minutes = Math.floor((Date.parse(deadline) - now) / 60_000);
  return minutes >= 0 ? { kind: "left", minutes } : { kind: "passed" };
}

/** One client's answer to "How did we do?" as kept (the comment goes to the team and is kept with it). */
export type Rating = {
  /** Ticket id: one answer per request. */
  id: string;
  /** Project slug, for the project's SLA report; absent for a request about no project. */
  project?: string | undefined;
  /** Day of the answer, YYYY-MM-DD Moscow time. */
  day: string;
  /** 1–5. */
  score: number;
  comment?: string | undefined;
};

/** Satisfaction in one month: how many answers and their average score. */
export type MonthSatisfaction = { month: string; count: number; average: number };

/** Answers per month (YYYY-MM of the day answered), newest month first. */
export function satisfactionByMonth(ratings: readonly Pick<Rating, "day" | "score">[]): MonthSatisfaction[] {
  const months = new Map<string, { count: number; sum: number }>();
  for (const { day, score } of ratings) {
    const month = day.slice(0, 7);
    const total = months.get(month) ?? { count: 0, sum: 0 };
    total.count += 1;
    total.sum += score;
    months.set(month, total);
  }
  return [...months]
    .sort(([a], [b]) => b.localeCompare(a))
    .map(([month, { count, sum }]) => ({ month, count, average: sum / count }));
}

/** The oldest day of answers still kept on `today` (YYYY-MM-DD), when they are kept `retentionDays` days (settings: ratingRetentionDays). */
export function oldestKeptRatingDay(today: string, retentionDays: number): string {
  return new Date(Date.parse(`${today}T00:00:00Z`) - (retentionDays - 1) * 86_400_000).toISOString().slice(0, 10);
}
