/**
 * The SLA report (DESIGN §5): per project and per month or quarter, computed only from the
 * committed incidents, change log, prevention visits and the project's agreed targets. Pure and
 * framework-free; every instant is epoch milliseconds, every period is bounded in Moscow time
 * (the fixed offset from the settings).
 *
 * Definitions, so the page and the tests agree:
 * - An incident belongs to the period in which it *started*: failures, reaction, restore, severity,
 *   cause and reopened count it there. "Resolved" counts incidents *closed* in the period; "open at
 *   period end" those started before the period's end (or now) and not closed by then.
 * - Reaction time = first reaction − detected; restore time = restored − detected (the time the
 *   agency had to bring service back), as known now, even if that moment fell after the period's end.
 *   An incident still waiting for a reaction (or restoration) counts as a miss once the target has
 *   passed, and is left out until then.
 * - Downtime = the union of [started, restored or now) of incidents with `downtime: true`, clipped to
 *   the period, so overlapping outages are not counted twice and an outage that crosses midnight at
 *   the month's end is split between the months. Availability = 1 − downtime ÷ measured time, where
 *   measured time runs from the period's start to its end or to now, whichever is earlier.
 * - MTBF = (measured time − downtime) ÷ failures.
 * - Median: the middle value (mean of the two middle values for an even count); p90: nearest rank.
 * - Planned prevention visits: the plan's visits per month for every month of the period the plan
 *   covers, prorated by days (rounded) in a month it covers only in part; a finding counts as fixed
 *   when it was fixed at the visit or later linked to the change that fixed it.
 * - Cost: the billed support hours × the rate, plus the plan's monthly fee for each month of the
 *   period (up to now) the prevention agreement covers.
 */
import { feeCoversMonth, summarizeHours, type HoursSummary, type PreventionFee, type WorkItem } from "./work-log";

const MINUTE_MS = 60_000;

export type PeriodKind = "month" | "quarter";

export type Period = {
  kind: PeriodKind;
  /** "2026-11" or "2026-Q4". */
  key: string;
  /** First calendar day (YYYY-MM-DD). */
  from: string;
  /** First calendar day after the period (exclusive). */
  to: string;
  /** Epoch ms of `from` 00:00 Moscow time. */
  start: number;
  /** Epoch ms of `to` 00:00 Moscow time (exclusive). */
  end: number;
};

export type Severity = "critical" | "major" | "minor";
export const SEVERITIES: readonly Severity[] = ["critical", "major", "minor"];
export type Cause = "code" | "hosting" | "third-party" | "user-action" | "data" | "attack" | "unknown";
export const CAUSES: readonly Cause[] = ["code", "hosting", "third-party", "user-action", "data", "attack", "unknown"];

/** One incident with its instants as ISO strings with an offset (as the incident files hold them). */
export type SlaIncident = {
  started: string;
  detected: string;
  firstReaction?: string | undefined;
  restored?: string | undefined;
  closed?: string | undefined;
  severity: Severity;
  cause: Cause;
  downtime: boolean;
  reopened: number;
};

export type SlaTargets = { reactionMinutes: number; restoreHours: number; availabilityPercent: number };

export type SlaVisit = { date: string; findings: readonly { outcome: "fixed" | "proposed"; fixedBy?: string | undefined }[] };

export type SlaInput = {
  incidents: readonly SlaIncident[];
  work: readonly WorkItem[];
  visits: readonly SlaVisit[];
  /** Systemic prevention plan, if ordered: the days it covers and its visits a month. */
  plan?: { since: string; until?: string | undefined; visitsPerMonth: number } | undefined;
  /** Agreed targets, if an SLA is signed. */
  targets?: SlaTargets | undefined;
  /** Hourly rate, roubles. */
  rate: number;
  /** The prevention plan's monthly fee and the months it is charged for, if ordered. */
  fee?: PreventionFee | undefined;
  /** "Now": epoch ms the report is computed at. */
  asOf: number;
  /** Moscow's fixed offset, "+03:00". */
  utcOffset: string;
};

export type DurationStats = {
  /** Incidents with a measured duration. */
  count: number;
  median?: number;
  p90?: number;
  max?: number;
  mean?: number;
  /** Incidents within the target (only with targets). */
  met: number;
  /** Incidents over the target, including those still waiting past it (only with targets). */
  missed: number;
  /** met ÷ (met + missed), 0–1; absent without targets or without any judged incident. */
  withinTarget?: number;
};

export type SlaMetrics = {
  period: Period;
  /** Minutes from the period's start to its end or to now. */
  measuredMinutes: number;
  failures: number;
  resolved: number;
  openAtEnd: number;
  /** Reaction time, minutes. */
  reaction: DurationStats;
  /** Restore time, minutes. */
  restore: DurationStats;
  downtimeMinutes: number;
  availabilityPercent: number;
  /** Mean time between failures, hours; absent when there was no failure. */
  mtbfHours?: number;
  bySeverity: Record<Severity, number>;
  byCause: Record<Cause, number>;
  /** Incidents reopened at least once. */
  reopened: number;
  hours: HoursSummary;
  /** The prevention fees of the period's months the agreement covers (up to now), and the total with the billed hours; roubles. */
  cost: { preventionFee: number; total: number };
  /** Share of the hours done under warranty, 0–1; absent with no hours. */
  warrantyShare?: number;
  /** Share of the hours billed, 0–1; absent with no hours. */
  billableShare?: number;
  prevention: { planned: number; done: number; findingsRaised: number; findingsFixed: number };
  /** Whether each target was met; absent without an agreement (or, for reaction and restore, with nothing to judge). */
  met: { reaction?: boolean; restore?: boolean; availability?: boolean };
};

// ---- Periods -------------------------------------------------------------------------------------

function offsetMinutes(utcOffset: string): number {
  const match = /^([+-])(\d{2}):(\d{2})$/.exec(utcOffset);
  if (!match) throw new RangeError(`"${utcOffset}" is not a UTC offset such as +03:00`);
  return (match[1] === "-" ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
}

/** Epoch ms of 00:00 of a calendar date at the offset. */
function midnight(date: string, utcOffset: string): number {
  return Date.parse(`${date}T00:00:00Z`) - offsetMinutes(utcOffset) * MINUTE_MS;
}

/** The calendar date (YYYY-MM-DD) of an instant at the offset. */
export function dateAt(instant: number, utcOffset: string): string {
  return new Date(instant + offsetMinutes(utcOffset) * MINUTE_MS).toISOString().slice(0, 10);
}

function monthStart(year: number, monthIndex: number): string {
  const normalized = new Date(Date.UTC(year, monthIndex, 1));
  return normalized.toISOString().slice(0, 10);
}

function makePeriod(kind: PeriodKind, key: string, from: string, to: string, utcOffset: string): Period {
  return { kind, key, from, to, start: midnight(from, utcOffset), end: midnight(to, utcOffset) };
}

/** "2026-11" → the month. */
export function monthPeriod(key: string, utcOffset: string): Period {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(key);
  if (!match) throw new RangeError(`"${key}" is not a month YYYY-MM`);
  const year = Number(match[1]);
  const month = Number(match[2]) - 1;
  return makePeriod("month", key, monthStart(year, month), monthStart(year, month + 1), utcOffset);
}

/** "2026-Q4" → the quarter. */
export function quarterPeriod(key: string, utcOffset: string): Period {
  const match = /^(\d{4})-Q([1-4])$/.exec(key);
  if (!match) throw new RangeError(`"${key}" is not a quarter YYYY-Qn`);
  const year = Number(match[1]);
  const first = (Number(match[2]) - 1) * 3;
  return makePeriod("quarter", key, monthStart(year, first), monthStart(year, first + 3), utcOffset);
}

/** The month or quarter containing a calendar date. */
export function periodOf(kind: PeriodKind, date: string, utcOffset: string): Period {
  if (kind === "month") return monthPeriod(date.slice(0, 7), utcOffset);
  return quarterPeriod(`${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`, utcOffset);
}

/** Every month or quarter from the one containing `fromDate` to the one containing `toDate`, oldest first. */
export function periodsBetween(kind: PeriodKind, fromDate: string, toDate: string, utcOffset: string): Period[] {
  const periods: Period[] = [];
  for (let period = periodOf(kind, fromDate, utcOffset); period.from <= toDate; period = periodOf(kind, period.to, utcOffset)) {
    periods.push(period);
  }
  return periods;
}

// ---- Statistics ----------------------------------------------------------------------------------

export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Nearest-rank percentile (p in 0–100). */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

function mean(values: readonly number[]): number | undefined {
  return values.length === 0 ? undefined : values.reduce((sum, value) => sum + value, 0) / values.length;
}

/**
 * Durations from `from` to `to` of each incident, in minutes, judged against a target. An incident
 * without `to` yet is a miss once `now − from` exceeds the target, and otherwise not judged.
 */
function durationStats(pairs: readonly { from: number; to?: number | undefined }[], targetMinutes: number | undefined, now: number): DurationStats {
  const values: number[] = [];
  let met = 0;
  let missed = 0;
  for (const { from, to } of pairs) {
    if (to !== undefined && to <= now) {
      const minutes = (to - from) / MINUTE_MS;
      values.push(minutes);
      if (targetMinutes !== undefined) {
        if (minutes <= targetMinutes) met += 1;
        else missed += 1;
      }
    } else if (targetMinutes !== undefined && (now - from) / MINUTE_MS > targetMinutes) {
      missed += 1;
    }
  }
  const stats: DurationStats = { count: values.length, met, missed };
  const m = median(values);
  if (m !== undefined) {
    stats.median = m;
    stats.p90 = percentile(values, 90)!;
    stats.max = Math.max(...values);
    stats.mean = mean(values)!;
  }
  if (targetMinutes !== undefined && met + missed > 0) stats.withinTarget = met / (met + missed);
  return stats;
}

/** Total length of the union of intervals, each clipped to [from, to). */
function unionLength(intervals: readonly [number, number][], from: number, to: number): number {
  const clipped = intervals
    .map(([a, b]) => [Math.max(a, from), Math.min(b, to)] as [number, number])
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  let total = 0;
  let currentStart = -Infinity;
  let currentEnd = -Infinity;
  for (const [a, b] of clipped) {
    if (a > currentEnd) {
      if (currentEnd > currentStart) total += currentEnd - currentStart;
      currentStart = a;
      currentEnd = b;
    } else if (b > currentEnd) {
      currentEnd = b;
    }
  }
  if (currentEnd > currentStart) total += currentEnd - currentStart;
  return total;
}

function daysInMonth(month: string): number {
  return new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).getUTCDate();
}

/** Visits the plan promises in one month "YYYY-MM": in proportion to the days of it the plan covers. */
export function plannedVisitsInMonth(plan: { since: string; until?: string | undefined; visitsPerMonth: number }, month: string): number {
  const first = `${month}-01`;
  const days = daysInMonth(month);
  const last = `${month}-${String(days).padStart(2, "0")}`;
  const from = plan.since > first ? plan.since : first;
  const to = plan.until !== undefined && plan.until < last ? plan.until : last;
  if (from > to) return 0;
  const activeDays = Number(to.slice(8, 10)) - Number(from.slice(8, 10)) + 1;
  return activeDays === days ? plan.visitsPerMonth : Math.round((plan.visitsPerMonth * activeDays) / days);
}

// ---- The report ----------------------------------------------------------------------------------

const at = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso));

/** Every §5 metric for one period. Throws for a period that has not begun at `asOf`. */
export function slaMetrics(input: SlaInput, period: Period): SlaMetrics {
  const { asOf, targets, utcOffset } = input;
  if (asOf <= period.start) throw new RangeError(`period ${period.key} has not begun`);
  const measuredEnd = Math.min(period.end, asOf);
  const measuredMinutes = (measuredEnd - period.start) / MINUTE_MS;

  const started = input.incidents.filter((incident) => {
    const t = Date.parse(incident.started);
    return t >= period.start && t < measuredEnd;
  });

  const reaction = durationStats(
    started.map((incident) => ({ from: Date.parse(incident.detected), to: at(incident.firstReaction) })),
    targets?.reactionMinutes,
    asOf,
  );
  const restore = durationStats(
    started.map((incident) => ({ from: Date.parse(incident.detected), to: at(incident.restored) })),
    targets === undefined ? undefined : targets.restoreHours * 60,
    asOf,
  );

  const outages = input.incidents
    .filter((incident) => incident.downtime)
    .map((incident) => [Date.parse(incident.started), Math.min(at(incident.restored) ?? asOf, asOf)] as [number, number]);
  const downtimeMinutes = unionLength(outages, period.start, measuredEnd) / MINUTE_MS;
  const availabilityPercent = measuredMinutes > 0 ? (100 * (measuredMinutes - downtimeMinutes)) / measuredMinutes : 100;

  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const byCause = Object.fromEntries(CAUSES.map((c) => [c, 0])) as Record<Cause, number>;
  for (const incident of started) {
    bySeverity[incident.severity] += 1;
    byCause[incident.cause] += 1;
  }

  const resolved = input.incidents.filter((incident) => {
    const closed = at(incident.closed);
    return closed !== undefined && closed >= period.start && closed < measuredEnd;
  }).length;
  const openAtEnd = input.incidents.filter((incident) => {
    const closed = at(incident.closed);
    return Date.parse(incident.started) < measuredEnd && (closed === undefined || closed >= measuredEnd);
  }).length;

  const lastDay = dateAt(measuredEnd - 1, utcOffset);
  const inPeriod = (date: string) => date >= period.from && date <= lastDay;
  const hours = summarizeHours(input.work.filter((item) => inPeriod(item.date)), input.rate);
  const visits = input.visits.filter((visit) => inPeriod(visit.date));
  const findings = visits.flatMap((visit) => visit.findings);
  const months = periodsBetween("month", period.from, lastDay, utcOffset);
  const planned = input.plan ? months.reduce((sum, month) => sum + plannedVisitsInMonth(input.plan!, month.key), 0) : 0;
  const preventionFee = input.fee ? months.filter((month) => feeCoversMonth(input.fee!, month.key)).length * input.fee.pricePerMonth : 0;

  const metrics: SlaMetrics = {
    period,
    measuredMinutes,
    failures: started.length,
    resolved,
    openAtEnd,
    reaction,
    restore,
    downtimeMinutes,
    availabilityPercent,
    bySeverity,
    byCause,
    reopened: started.filter((incident) => incident.reopened > 0).length,
    hours,
    cost: { preventionFee, total: hours.cost + preventionFee },
    prevention: {
      planned,
      done: visits.length,
      findingsRaised: findings.length,
      findingsFixed: findings.filter((finding) => finding.outcome === "fixed" || finding.fixedBy !== undefined).length,
    },
    met: {},
  };
  if (started.length > 0) metrics.mtbfHours = (measuredMinutes - downtimeMinutes) / 60 / started.length;
  if (hours.totalHours > 0) {
    metrics.warrantyShare = hours.byBasis.warranty / hours.totalHours;
    metrics.billableShare = hours.billableHours / hours.totalHours;
  }
  if (targets) {
    metrics.met.availability = availabilityPercent >= targets.availabilityPercent;
    if (reaction.met + reaction.missed > 0) metrics.met.reaction = reaction.missed === 0;
    if (restore.met + restore.missed > 0) metrics.met.restore = restore.missed === 0;
  }
  return metrics;
}
