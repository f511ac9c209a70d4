/**
 * Hours and cost from a project's change log: per month, per basis, per kind. Pure and
 * framework-free; the change-log page, the project page and the SLA report all use it, so the
 * "current cost at any time" the support terms promise is computed in exactly one place.
 */
import type { ChangeKind, WorkBasis } from "./schemas/project-records";

/** Every basis, in the order pages list them. */
export const WORK_BASES: readonly WorkBasis[] = ["warranty", "support", "prevention", "sla"];

/**
 * Bases paid by the hour. Warranty work is at the agency's expense, prevention is covered by the
 * monthly plan fee and work under an SLA by the agreement; technical support is billed by time spent.
 */
export const BILLABLE_BASES: readonly WorkBasis[] = ["support"];

/** The fields of a change-log entry the figures need. */
export type WorkItem = { date: string; kind: ChangeKind; basis: WorkBasis; hours: number };

export type HoursSummary = {
  /** Hours per basis; every basis is present (0 when none). */
  byBasis: Record<WorkBasis, number>;
  /** Hours per kind of work; only kinds that occur. */
  byKind: Partial<Record<ChangeKind, number>>;
  totalHours: number;
  billableHours: number;
  /** The project's hourly rate the cost was computed with, roubles. */
  rate: number;
  /** billableHours × rate, roubles. */
  cost: number;
};

/** Sums hours (quarter hours, so exact in binary floating point) and prices the billable ones. */
export function summarizeHours(items: readonly WorkItem[], rate: number): HoursSummary {
  const byBasis = Object.fromEntries(WORK_BASES.map((basis) => [basis, 0])) as Record<WorkBasis, number>;
  const byKind: Partial<Record<ChangeKind, number>> = {};
  let totalHours = 0;
  let billableHours = 0;
  for (const item of items) {
    byBasis[item.basis] += item.hours;
    byKind[item.kind] = (byKind[item.kind] ?? 0) + item.hours;
    totalHours += item.hours;
    if (BILLABLE_BASES.includes(item.basis)) billableHours += item.hours;
  }
  return { byBasis, byKind, totalHours, billableHours, rate, cost: billableHours * rate };
}

/** "2026-11-03" → "2026-11". */
export function monthOf(date: string): string {
  return date.slice(0, 7);
}

/** "2026-11-03" or "2026-11" → "2026-Q4". */
export function quarterOf(date: string): string {
  return `${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;
}

/** Newest first; entries of the same day by id, so the order never depends on how files were read. */
export function newestFirst<T extends { date: string; id: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => (a.date === b.date ? a.id.localeCompare(b.id) : a.date < b.date ? 1 : -1));
}

export type MonthGroup<T> = { month: string; items: T[]; summary: HoursSummary };

/** Entries grouped by calendar month, newest month first, each month with its hours and cost. */
export function groupByMonth<T extends WorkItem & { id: string }>(items: readonly T[], rate: number): MonthGroup<T>[] {
  const groups = new Map<string, T[]>();
  for (const item of newestFirst(items)) {
    const month = monthOf(item.date);
    const list = groups.get(month);
    if (list) list.push(item);
    else groups.set(month, [item]);
  }
  return [...groups].map(([month, list]) => ({ month, items: list, summary: summarizeHours(list, rate) }));
}
