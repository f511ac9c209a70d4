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

/** A prevention agreement as far as money goes: the months it covers and its monthly price. */
export type PreventionFee = {
  /** First day covered (the first of a month). */
  since: string;
  /** Last day covered (the last of a month); absent while the agreement runs. */
  until?: string | undefined;
  /** The plan's price per month, roubles (prices.yaml). */
  pricePerMonth: number;
};

/** Whether the agreement covers month "YYYY-MM". */
export function feeCoversMonth(fee: PreventionFee, month: string): boolean {
  return monthOf(fee.since) <= month && (fee.until === undefined || month <= monthOf(fee.until));
}

/** One month of a project: its entries, their hours, and what the month costs the client. */
export type MonthAccount<T> = {
  month: string;
  /** Newest first. */
  items: T[];
  summary: HoursSummary;
  /** The prevention plan's fee when the agreement covers the month; absent otherwise. */
  preventionFee?: number;
  /** Billed hours plus the prevention fee, roubles. */
  totalCost: number;
};

/** One month's cost: technical support hours × the rate, plus the prevention plan's monthly fee when the agreement covers the month. */
export function monthAccount<T extends WorkItem & { id: string }>(month: string, items: readonly T[], rate: number, fee?: PreventionFee): MonthAccount<T> {
  const summary = summarizeHours(items, rate);
  const preventionFee = fee && feeCoversMonth(fee, month) ? fee.pricePerMonth : undefined;
  return { month, items: newestFirst(items), summary, ...(preventionFee === undefined ? {} : { preventionFee }), totalCost: summary.cost + (preventionFee ?? 0) };
}

/** "2026-11" → "2026-12". */
function nextMonth(month: string): string {
  const next = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 1));
  return next.toISOString().slice(0, 7);
}

/**
 * The months a project's log lists, newest first, each with its cost: every month with an entry or a
 * prevention fee up to today, and today's month always, so a month without work yet says so.
 */
export function monthAccounts<T extends WorkItem & { id: string }>(items: readonly T[], options: { rate: number; fee?: PreventionFee | undefined; today: string }): MonthAccount<T>[] {
  const { rate, fee, today } = options;
  const current = monthOf(today);
  const byMonth = new Map<string, T[]>([[current, []]]);
  for (const item of items) {
    const month = monthOf(item.date);
    const list = byMonth.get(month);
    if (list) list.push(item);
    else byMonth.set(month, [item]);
  }
  if (fee) {
    const last = fee.until !== undefined && monthOf(fee.until) < current ? monthOf(fee.until) : current;
    for (let month = monthOf(fee.since); month <= last; month = nextMonth(month)) if (!byMonth.has(month)) byMonth.set(month, []);
  }
  return [...byMonth.keys()]
    .sort()
    .reverse()
    .map((month) => monthAccount(month, byMonth.get(month)!, rate, fee));
}
