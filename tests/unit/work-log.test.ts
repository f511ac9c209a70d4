/**
 * Hours and the month's cost: technical support hours × the rate, plus the prevention plan's monthly
 * fee for the months the agreement covers; the months a log lists, today's always among them. The
 * fee is the fixture price list's (tests/fixtures/content/prices.yaml); dates are pinned.
 */
import { describe, expect, it } from "vitest";
import { priceOf } from "../../src/domain/pricing";
import { feeCoversMonth, monthAccount, monthAccounts, summarizeHours, type PreventionFee, type WorkItem } from "../../src/domain/work-log";
import { loadServerContent } from "../../src/lib/content-files";
import { FIXTURE } from "../setup/sites";

const { prices } = loadServerContent(FIXTURE.content);
/** The fixture's twice-monthly plan: 5,100 ₽ a month. */
const PLAN_PRICE = priceOf(prices, "twice-monthly");
const RATE = 1500;

const work: (WorkItem & { id: string })[] = [
  { id: "a", date: "2026-09-30", kind: "content", basis: "support", hours: 2 },
  { id: "b", date: "2026-10-01", kind: "feature", basis: "support", hours: 3.5 },
  { id: "c", date: "2026-10-12", kind: "incident-fix", basis: "sla", hours: 1.75 },
  { id: "d", date: "2026-10-14", kind: "fix", basis: "warranty", hours: 1.25 },
  { id: "e", date: "2026-10-17", kind: "prevention-fix", basis: "prevention", hours: 0.5 },
  { id: "f", date: "2026-12-01", kind: "consultation", basis: "support", hours: 1 },
];

/** A plan from 1 October to 30 November 2026. */
const ended: PreventionFee = { since: "2026-10-01", until: "2026-11-30", pricePerMonth: PLAN_PRICE };
/** The same plan, still running. */
const running: PreventionFee = { since: "2026-10-01", pricePerMonth: PLAN_PRICE };

describe("hours", () => {
  it("bills only technical support", () => {
    const summary = summarizeHours(work.filter((w) => w.basis !== "support"), RATE);
    expect([summary.totalHours, summary.billableHours, summary.cost]).toEqual([3.5, 0, 0]);
  });
});

describe("a month's cost", () => {
  it("the fixture plan costs what prices.yaml says", () => {
    expect(PLAN_PRICE).toBe(5100);
  });

  it("is the support hours × the rate plus the plan fee in a month the agreement covers", () => {
    const october = monthAccount("2026-10", work.filter((w) => w.date.startsWith("2026-10")), RATE, running);
    // 3.5 support hours × 1,500 = 5,250; + 5,100 fee = 10,350. Warranty, SLA and prevention hours are not billed.
    expect([october.summary.billableHours, october.summary.cost, october.preventionFee, october.totalCost]).toEqual([3.5, 5_250, 5_100, 10_350]);
    expect(october.items.map((item) => item.id)).toEqual(["e", "d", "c", "b"]);
  });

  it("has no fee in a month before the agreement", () => {
    const september = monthAccount("2026-09", work.filter((w) => w.date.startsWith("2026-09")), RATE, running);
    expect(september.preventionFee).toBeUndefined();
    expect(september.totalCost).toBe(3_000);
  });

  it("has no fee in a month after the agreement ended", () => {
    const december = monthAccount("2026-12", work.filter((w) => w.date.startsWith("2026-12")), RATE, ended);
    expect(december.preventionFee).toBeUndefined();
    expect(december.totalCost).toBe(1_500);
    expect(feeCoversMonth(ended, "2026-11")).toBe(true);
    expect(feeCoversMonth(ended, "2026-12")).toBe(false);
  });

  it("is the fee alone in a covered month with no entries", () => {
    const november = monthAccount("2026-11", [], RATE, running);
    expect([november.items.length, november.summary.cost, november.preventionFee, november.totalCost]).toEqual([0, 0, 5_100, 5_100]);
  });

  it("is nothing in a month with neither entries nor an agreement", () => {
    const november = monthAccount("2026-11", [], RATE);
    expect([november.preventionFee, november.totalCost]).toEqual([undefined, 0]);
  });
});

describe("the months a log lists", () => {
  it("lists today's month even with no entry yet, and every month with entries or a fee, newest first", () => {
    // Today 2 December: December has an entry; November only the fee; no entry after the plan ended.
    const months = monthAccounts(work, { rate: RATE, fee: running, today: "2026-12-02" });
    expect(months.map((m) => [m.month, m.items.length, m.totalCost])).toEqual([
      ["2026-12", 1, 1_500 + 5_100],
      ["2026-11", 0, 5_100],
      ["2026-10", 4, 5_250 + 5_100],
      ["2026-09", 1, 3_000],
    ]);
  });

  it("lists an empty current month on its own, and no fee months after the agreement ended", () => {
    const months = monthAccounts(
      work.filter((w) => w.date < "2026-10-05"),
      { rate: RATE, fee: ended, today: "2027-02-02" },
    );
    // January 2027 and December have neither entries nor a fee: only today's month is listed of them.
    expect(months.map((m) => [m.month, m.items.length, m.totalCost])).toEqual([
      ["2027-02", 0, 0],
      ["2026-11", 0, 5_100],
      ["2026-10", 1, 5_250 + 5_100],
      ["2026-09", 1, 3_000],
    ]);
  });

  it("with nothing logged and no plan lists only today's month", () => {
    expect(monthAccounts([], { rate: RATE, today: "2026-12-02" }).map((m) => [m.month, m.totalCost])).toEqual([["2026-12", 0]]);
  });
});
