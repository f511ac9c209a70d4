/**
 * SLA metrics (DESIGN §5) on a hand-made month of incidents, work and prevention visits. Every
 * expected figure below was worked out by hand from the fixture; the comments show the arithmetic.
 */
import { describe, expect, it } from "vitest";
import {
  dateAt,
  median,
  monthPeriod,
  percentile,
  periodsBetween,
  plannedVisitsInMonth,
  quarterPeriod,
  slaMetrics,
  type SlaIncident,
  type SlaInput,
} from "../../src/domain/sla";
import { quarterOf, type WorkItem } from "../../src/domain/work-log";

const MSK = "+03:00";
const t = (local: string) => `${local}:00+03:00`;

// Reaction = firstReaction − detected; restore = restored − detected; outage = started → restored.
const incidents: Record<string, SlaIncident> = {
  // Oct 31 23:00 → Nov 1 01:00 outage: 60 min in October, 60 min in November. Reaction 5, restore 115.
  E: { started: t("2026-10-31T23:00"), detected: t("2026-10-31T23:05"), firstReaction: t("2026-10-31T23:10"), restored: t("2026-11-01T01:00"), closed: t("2026-11-01T03:00"), severity: "major", cause: "data", downtime: true, reopened: 0 },
  // Outage 07:40–09:30 = 110 min. Reaction 13, restore 98.
  A: { started: t("2026-11-12T07:40"), detected: t("2026-11-12T07:52"), firstReaction: t("2026-11-12T08:05"), restored: t("2026-11-12T09:30"), closed: t("2026-11-12T12:00"), severity: "major", cause: "third-party", downtime: true, reopened: 0 },
  // No outage. Reaction 40 (late), restore 300 (late), reopened once.
  B: { started: t("2026-11-20T10:00"), detected: t("2026-11-20T10:10"), firstReaction: t("2026-11-20T10:50"), restored: t("2026-11-20T15:10"), closed: t("2026-11-20T16:00"), severity: "minor", cause: "code", downtime: false, reopened: 1 },
  // Outage 23:00–01:00 = 120 min. Reaction 20, restore 120.
  C: { started: t("2026-11-25T23:00"), detected: t("2026-11-25T23:00"), firstReaction: t("2026-11-25T23:20"), restored: t("2026-11-26T01:00"), closed: t("2026-11-26T02:00"), severity: "critical", cause: "hosting", downtime: true, reopened: 0 },
  // Outage 23:30–00:30 lies inside C's: adds no downtime. Reaction 5, restore 50.
  D: { started: t("2026-11-25T23:30"), detected: t("2026-11-25T23:40"), firstReaction: t("2026-11-25T23:45"), restored: t("2026-11-26T00:30"), closed: t("2026-11-26T00:45"), severity: "minor", cause: "hosting", downtime: true, reopened: 0 },
  // Still open: no reaction, no restore — a miss for both once the targets have passed.
  F: { started: t("2026-11-29T10:00"), detected: t("2026-11-29T10:00"), severity: "minor", cause: "unknown", downtime: false, reopened: 0 },
};

const work: (WorkItem & { id: string })[] = [
  { id: "a", date: "2026-10-31", kind: "content", basis: "support", hours: 2 },
  { id: "b", date: "2026-11-01", kind: "feature", basis: "support", hours: 3.5 },
  { id: "c", date: "2026-11-12", kind: "incident-fix", basis: "sla", hours: 1.75 },
  { id: "d", date: "2026-11-14", kind: "fix", basis: "warranty", hours: 1.25 },
  { id: "e", date: "2026-11-17", kind: "prevention-fix", basis: "prevention", hours: 0.5 },
  { id: "f", date: "2026-11-30", kind: "integration", basis: "support", hours: 6 },
  { id: "g", date: "2026-12-01", kind: "consultation", basis: "support", hours: 1 },
];

const base: SlaInput = {
  incidents: Object.values(incidents),
  work,
  visits: [
    { date: "2026-11-17", findings: [{ outcome: "fixed", fixedBy: "e" }, { outcome: "proposed" }] },
    { date: "2026-11-24", findings: [{ outcome: "proposed", fixedBy: "f" }, { outcome: "proposed" }] },
    { date: "2026-12-01", findings: [] },
  ],
  plan: { since: "2026-11-16", visitsPerMonth: 4 },
  targets: { reactionMinutes: 30, restoreHours: 4, availabilityPercent: 99.5 },
  rate: 1400,
  asOf: Date.parse(t("2026-12-10T12:00")),
  utcOffset: MSK,
};

describe("periods in Moscow time", () => {
  it.each([
    { key: "2026-11", from: "2026-11-01", to: "2026-12-01", start: "2026-10-31T21:00:00.000Z" },
    { key: "2026-12", from: "2026-12-01", to: "2027-01-01", start: "2026-11-30T21:00:00.000Z" },
    { key: "2026-02", from: "2026-02-01", to: "2026-03-01", start: "2026-01-31T21:00:00.000Z" },
  ])("month $key runs from $from to $to", ({ key, from, to, start }) => {
    const period = monthPeriod(key, MSK);
    expect([period.from, period.to, new Date(period.start).toISOString()]).toEqual([from, to, start]);
  });

  it.each([
    { key: "2026-Q1", from: "2026-01-01", to: "2026-04-01" },
    { key: "2026-Q4", from: "2026-10-01", to: "2027-01-01" },
  ])("quarter $key runs from $from to $to", ({ key, from, to }) => {
    const period = quarterPeriod(key, MSK);
    expect([period.from, period.to]).toEqual([from, to]);
  });

  it("lists the periods between two dates, oldest first", () => {
    expect(periodsBetween("quarter", "2026-02-01", "2026-11-23", MSK).map((p) => p.key)).toEqual(["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]);
    expect(periodsBetween("month", "2026-09-15", "2026-11-01", MSK).map((p) => p.key)).toEqual(["2026-09", "2026-10", "2026-11"]);
    expect(quarterOf("2026-11-23")).toBe("2026-Q4");
  });

  it("takes the calendar date of an instant in Moscow", () => {
    expect(dateAt(Date.parse("2026-11-30T21:30:00Z"), MSK)).toBe("2026-12-01");
    expect(dateAt(Date.parse("2026-11-30T20:59:00Z"), MSK)).toBe("2026-11-30");
  });

  it("rejects malformed keys and periods that have not begun", () => {
    expect(() => monthPeriod("2026-13", MSK)).toThrow(RangeError);
    expect(() => quarterPeriod("2026-Q5", MSK)).toThrow(RangeError);
    expect(() => slaMetrics(base, monthPeriod("2027-01", MSK))).toThrow(/not begun/);
  });
});

describe("median and p90", () => {
  it.each([
    { values: [], median: undefined, p90: undefined },
    { values: [7], median: 7, p90: 7 },
    { values: [40, 5, 20, 13], median: 16.5, p90: 40 },
    { values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], median: 5.5, p90: 9 },
    { values: [3, 1, 2], median: 2, p90: 3 },
  ])("of $values", ({ values, median: m, p90 }) => {
    expect(median(values)).toBe(m);
    expect(percentile(values, 90)).toBe(p90);
  });
});

describe("planned prevention visits", () => {
  it.each([
    { since: "2026-11-01", perMonth: 4, month: "2026-11", planned: 4 },
    { since: "2026-10-01", perMonth: 2, month: "2026-11", planned: 2 },
    { since: "2026-12-02", perMonth: 4, month: "2026-11", planned: 0 },
    // 16–30 Nov: 15 of 30 days × 4 = 2.
    { since: "2026-11-16", perMonth: 4, month: "2026-11", planned: 2 },
    // 15–31 Jan: 17 of 31 days × 4 = 2.19 → 2.
    { since: "2026-01-15", perMonth: 4, month: "2026-01", planned: 2 },
    // 20–31 Oct: 12 of 31 days × 2 = 0.77 → 1.
    { since: "2026-10-20", perMonth: 2, month: "2026-10", planned: 1 },
    // An agreement that ended: none after its last month, all of it in that month.
    { since: "2026-06-01", until: "2026-08-31", perMonth: 2, month: "2026-08", planned: 2 },
    { since: "2026-06-01", until: "2026-08-31", perMonth: 2, month: "2026-09", planned: 0 },
  ])("$perMonth a month since $since: $planned in $month", ({ since, until, perMonth, month, planned }) => {
    expect(plannedVisitsInMonth({ since, until, visitsPerMonth: perMonth }, month)).toBe(planned);
  });
});

describe("SLA metrics for a closed month (November 2026, 30 days = 43,200 minutes)", () => {
  const m = slaMetrics(base, monthPeriod("2026-11", MSK));

  it.each([
    ["measuredMinutes", m.measuredMinutes, 43_200],
    // Started in November: A, B, C, D, F.
    ["failures", m.failures, 5],
    // Closed in November: E (started in October), A, B, C, D.
    ["resolved", m.resolved, 5],
    ["openAtEnd", m.openAtEnd, 1],
    // E's last 60 + A 110 + C∪D 120.
    ["downtimeMinutes", m.downtimeMinutes, 290],
    // (43,200 − 290) ÷ 43,200.
    ["availabilityPercent", m.availabilityPercent, (100 * 42_910) / 43_200],
    // 42,910 minutes ÷ 60 ÷ 5 failures.
    ["mtbfHours", m.mtbfHours, 42_910 / 300],
    ["reopened", m.reopened, 1],
  ])("%s", (_name, actual, expected) => {
    expect(actual).toBeCloseTo(expected as number, 9);
  });

  it("reaction time: reacted 13, 40, 20, 5 minutes; F never reacted", () => {
    expect(m.reaction).toEqual({ count: 4, median: 16.5, p90: 40, max: 40, mean: 19.5, met: 3, missed: 2, withinTarget: 0.6 });
  });

  it("restore time: 98, 300, 120, 50 minutes against 4 hours; F never restored", () => {
    expect(m.restore).toEqual({ count: 4, median: 109, p90: 300, max: 300, mean: 142, met: 3, missed: 2, withinTarget: 0.6 });
  });

  it("counts incidents by severity and cause", () => {
    expect(m.bySeverity).toEqual({ critical: 1, major: 1, minor: 3 });
    expect(m.byCause).toEqual({ code: 1, hosting: 2, "third-party": 1, "user-action": 0, data: 0, attack: 0, unknown: 1 });
  });

  it("sums hours by basis and kind, and prices the support hours at the project's rate", () => {
    // 1 Nov–30 Nov: b, c, d, e, f. Billable: 3.5 + 6 = 9.5 h × 1,400 ₽ = 13,300 ₽.
    expect(m.hours.byBasis).toEqual({ warranty: 1.25, support: 9.5, prevention: 0.5, sla: 1.75 });
    expect(m.hours.byKind).toEqual({ feature: 3.5, "incident-fix": 1.75, fix: 1.25, "prevention-fix": 0.5, integration: 6 });
    expect([m.hours.totalHours, m.hours.billableHours, m.hours.cost]).toEqual([13, 9.5, 13_300]);
    expect(m.warrantyShare).toBeCloseTo(1.25 / 13, 12);
    expect(m.billableShare).toBeCloseTo(9.5 / 13, 12);
  });

  it("compares prevention visits with the plan and counts findings fixed", () => {
    // Plan from 16 Nov: 2 planned; 2 visits; 4 findings, of which one fixed at once and one later.
    expect(m.prevention).toEqual({ planned: 2, done: 2, findingsRaised: 4, findingsFixed: 2 });
  });

  it("judges each target", () => {
    expect(m.met).toEqual({ availability: false, reaction: false, restore: false });
  });
});

describe("other periods", () => {
  it("October: the outage that crossed midnight counts only its October hour", () => {
    const m = slaMetrics(base, monthPeriod("2026-10", MSK));
    // 31 days = 44,640 minutes; E from 23:00 to midnight.
    expect([m.failures, m.resolved, m.openAtEnd, m.downtimeMinutes]).toEqual([1, 0, 1, 60]);
    expect(m.availabilityPercent).toBeCloseTo((100 * 44_580) / 44_640, 9);
    expect([m.reaction.median, m.restore.median]).toEqual([5, 115]);
    expect(m.met).toEqual({ availability: true, reaction: true, restore: true });
    expect([m.hours.billableHours, m.hours.cost, m.prevention.planned]).toEqual([2, 2_800, 0]);
  });

  it("the current month is measured up to now", () => {
    const m = slaMetrics(base, monthPeriod("2026-12", MSK));
    // 1 Dec 00:00 → 10 Dec 12:00 = 9.5 days = 13,680 minutes; no failure; F still open.
    expect([m.measuredMinutes, m.failures, m.downtimeMinutes, m.availabilityPercent, m.openAtEnd]).toEqual([13_680, 0, 0, 100, 1]);
    expect(m.mtbfHours).toBeUndefined();
    expect(m.met).toEqual({ availability: true });
    expect(m.prevention).toEqual({ planned: 4, done: 1, findingsRaised: 0, findingsFixed: 0 });
  });

  it("the current quarter sums its months", () => {
    const m = slaMetrics(base, quarterPeriod("2026-Q4", MSK));
    // 1 Oct → 10 Dec 12:00 = 70.5 days = 101,520 minutes; downtime 120 (E) + 110 (A) + 120 (C∪D).
    expect([m.measuredMinutes, m.failures, m.resolved, m.openAtEnd, m.downtimeMinutes]).toEqual([101_520, 6, 5, 1, 350]);
    expect(m.availabilityPercent).toBeCloseTo((100 * 101_170) / 101_520, 9);
    expect(m.met.availability).toBe(true);
    // 0 in October, 2 in November, 4 in December.
    expect(m.prevention.planned).toBe(6);
    expect([m.hours.totalHours, m.hours.billableHours, m.hours.cost]).toEqual([16, 12.5, 17_500]);
    expect(m.cost).toEqual({ preventionFee: 0, total: 17_500 });
  });

  it("the cost adds the prevention fee of each month the agreement covers, up to now", () => {
    // A plan from 1 November at 4,500 a month: November and the begun December in the quarter, none in October.
    const fee = { since: "2026-11-01", pricePerMonth: 4_500 };
    const quarter = slaMetrics({ ...base, fee }, quarterPeriod("2026-Q4", MSK));
    expect(quarter.cost).toEqual({ preventionFee: 9_000, total: 17_500 + 9_000 });
    const october = slaMetrics({ ...base, fee }, monthPeriod("2026-10", MSK));
    expect(october.cost).toEqual({ preventionFee: 0, total: 2_800 });
    // Ended with November: December owes no fee.
    const december = slaMetrics({ ...base, fee: { ...fee, until: "2026-11-30" } }, monthPeriod("2026-12", MSK));
    expect(december.cost.preventionFee).toBe(0);
  });

  it("an incident waiting for a reaction is not judged before its target passes", () => {
    const asOf = Date.parse(t("2026-11-29T10:20"));
    const m = slaMetrics({ ...base, incidents: [incidents.F!], asOf }, monthPeriod("2026-11", MSK));
    expect(m.reaction).toEqual({ count: 0, met: 0, missed: 0 });
    expect(m.met).toEqual({ availability: true });
    const later = slaMetrics({ ...base, incidents: [incidents.F!], asOf: asOf + 11 * 60_000 }, monthPeriod("2026-11", MSK));
    expect(later.reaction).toMatchObject({ missed: 1, withinTarget: 0 });
  });

  it("an ongoing outage counts up to now", () => {
    const down: SlaIncident = { ...incidents.F!, downtime: true };
    const m = slaMetrics({ ...base, incidents: [down], asOf: Date.parse(t("2026-11-29T11:30")) }, monthPeriod("2026-11", MSK));
    expect(m.downtimeMinutes).toBe(90);
  });

  it("without an agreement, nothing is judged against targets", () => {
    const m = slaMetrics({ ...base, targets: undefined, plan: undefined }, monthPeriod("2026-11", MSK));
    expect(m.met).toEqual({});
    expect(m.reaction.withinTarget).toBeUndefined();
    expect([m.reaction.met, m.reaction.missed, m.prevention.planned]).toEqual([0, 0, 0]);
  });
});
