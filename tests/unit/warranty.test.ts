import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ProductionCalendarSchema } from "../../src/domain/schemas/calendar";
import { buildWorkCalendar, CalendarMissingError } from "../../src/domain/service-clock";
import {
  assessClaim,
  type ClaimCause,
  type ProjectWarranty,
  eventTimingsFor,
  projectWarranty,
  voidingConditionsFor,
  warrantyStatus,
  type WarrantyStatus,
} from "../../src/domain/warranty";

const cal = buildWorkCalendar(
  {
    utcOffset: "+03:00",
    workingHours: { start: "09:00", end: "18:00" },
    nightHours: { start: "22:00", end: "08:00" },
    preHolidayShorteningMinutes: 60,
  },
  [2025, 2026, 2027].map((year) =>
    ProductionCalendarSchema.parse(
      parse(readFileSync(path.resolve(__dirname, `../fixtures/content/calendars/${year}.yaml`), "utf8")),
    ),
  ),
);

function project(completedOn: string, more: Partial<ProjectWarranty> = {}): ProjectWarranty {
  return { program: "standard", completedOn, extensions: [], events: [], ...more };
}
const bought = (...dates: string[]) => dates.map((purchasedOn) => ({ purchasedOn }));

// Debt cases on the real calendars. A debt falling due on Fri 25 Apr 2025: the working days after it
// are 28, 29, 30 Apr, (1–4 May off) 5, 6, 7, (8–11 May off) 12, 13, 14, 15 May — the 10th — and 16 May,
// the 11th. Across the New Year: due Wed 24 Dec 2025 → 25, 26, 29, 30 Dec, (31 Dec–11 Jan off) 12–16,
// 19 Jan — the 10th — and 20 Jan 2026, the 11th.
const springProject = (debt: ProjectWarranty["events"][number]) => project("2025-03-03", { events: [debt] });
const winterProject = (debt: ProjectWarranty["events"][number]) => project("2025-11-30", { events: [debt] });

describe("warrantyStatus", () => {
  it.each<[string, ProjectWarranty, string, WarrantyStatus]>([
    // Base period: 3 calendar months, both ends covered.
    ["the completion day is covered", project("2025-01-15"), "2025-01-15", { state: "active", until: "2025-04-15" }],
    ["the end date itself is covered", project("2025-01-15"), "2025-04-15", { state: "active", until: "2025-04-15" }],
    ["the day after the end is expired", project("2025-01-15"), "2025-04-16", { state: "expired", until: "2025-04-15", reason: "expired" }],
    ["before completion the warranty has not started", project("2025-01-15"), "2025-01-14", { state: "expired", reason: "not-started" }],
    ["31 Mar + 3 months clamps to 30 Jun", project("2025-03-31"), "2025-06-30", { state: "active", until: "2025-06-30" }],
    ["30 Nov 2024 + 3 months clamps to 28 Feb", project("2024-11-30"), "2025-02-28", { state: "active", until: "2025-02-28" }],
    ["…and 1 Mar 2025 is expired", project("2024-11-30"), "2025-03-01", { state: "expired", until: "2025-02-28", reason: "expired" }],
    ["30 Nov 2023 + 3 months clamps to 29 Feb in a leap year", project("2023-11-30"), "2024-02-29", { state: "active", until: "2024-02-29" }],
    ["30 Nov 2025 + 3 months clamps to 28 Feb 2026", project("2025-11-30"), "2026-03-01", { state: "expired", until: "2026-02-28", reason: "expired" }],
    // Extensions: 1 year from purchase; the later end wins.
    ["an extension bought during the base period", project("2025-01-15", { extensions: bought("2025-03-01") }), "2025-12-01", { state: "active", until: "2026-03-01" }],
    ["an extension bought on 29 Feb ends on 28 Feb", project("2023-12-01", { extensions: bought("2024-02-29") }), "2025-02-28", { state: "active", until: "2025-02-28" }],
    ["…and 1 Mar 2025 is expired", project("2023-12-01", { extensions: bought("2024-02-29") }), "2025-03-01", { state: "expired", until: "2025-02-28", reason: "expired" }],
    ["an extension bought after expiry: the gap before it is expired", project("2025-01-15", { extensions: bought("2025-06-01") }), "2025-05-01", { state: "expired", until: "2025-04-15", reason: "expired" }],
    ["an extension bought after expiry covers from its purchase", project("2025-01-15", { extensions: bought("2025-06-01") }), "2025-06-01", { state: "active", until: "2026-06-01" }],
    ["…to the end of its year", project("2025-01-15", { extensions: bought("2025-06-01") }), "2026-06-02", { state: "expired", until: "2026-06-01", reason: "expired" }],
    ["an extension ending before the base period: the base end wins", project("2025-06-10", { extensions: bought("2024-08-01") }), "2025-08-15", { state: "active", until: "2025-09-10" }],
    ["two extensions: the later end wins", project("2025-01-15", { extensions: bought("2025-04-01", "2025-03-01") }), "2026-03-15", { state: "active", until: "2026-04-01" }],
    // Voiding events void from their date on.
    ["the day before a sale", project("2025-01-15", { events: [{ kind: "site-sold", on: "2025-02-10" }] }), "2025-02-09", { state: "active", until: "2025-04-15" }],
    ["from the day of a sale", project("2025-01-15", { events: [{ kind: "site-sold", on: "2025-02-10" }] }), "2025-02-10", { state: "void", voidedOn: "2025-02-10", reason: "site-sold" }],
    ["an event after the warranty ran out leaves it expired", project("2025-01-15", { events: [{ kind: "hosting-moved", on: "2025-05-01" }] }), "2025-05-02", { state: "expired", until: "2025-04-15", reason: "expired" }],
    // Only an event during a warranty period voids it (seed: "violated during the warranty period").
    ["an event before the warranty began does not void it", project("2025-01-15", { events: [{ kind: "code-changed", on: "2025-01-14" }] }), "2025-03-01", { state: "active", until: "2025-04-15" }],
    ["an event on the completion day voids it", project("2025-01-15", { events: [{ kind: "code-changed", on: "2025-01-15" }] }), "2025-03-01", { state: "void", voidedOn: "2025-01-15", reason: "code-changed" }],
    [
      "an event in the gap before an extension does not void the extension",
      project("2025-01-15", { extensions: bought("2025-06-01"), events: [{ kind: "hosting-moved", on: "2025-05-01" }] }),
      "2025-07-01",
      { state: "active", until: "2026-06-01" },
    ],
    [
      "an event during an extension voids it",
      project("2025-01-15", { extensions: bought("2025-06-01"), events: [{ kind: "hosting-moved", on: "2025-06-20" }] }),
      "2025-07-01",
      { state: "void", voidedOn: "2025-06-20", reason: "hosting-moved" },
    ],
    ["an unsettled debt whose 11th working day falls after the warranty ended does not void it", springProject({ kind: "debt", on: "2025-05-30" }), "2025-06-20", { state: "expired", until: "2025-06-03", reason: "expired" }],
    ["a void warranty stays void after its end date", project("2025-01-15", { events: [{ kind: "code-changed", on: "2025-03-01" }] }), "2025-06-01", { state: "void", voidedOn: "2025-03-01", reason: "code-changed" }],
    ["operating conditions do not apply to the standard warranty", project("2025-01-15", { events: [{ kind: "conditions-violated", on: "2025-02-01" }] }), "2025-03-01", { state: "active", until: "2025-04-15" }],
    [
      "several events: the earliest wins, whatever the order",
      project("2025-01-15", { events: [{ kind: "code-changed", on: "2025-03-01" }, { kind: "links-removed", on: "2025-02-20" }] }),
      "2025-03-05",
      { state: "void", voidedOn: "2025-02-20", reason: "links-removed" },
    ],
    [
      "a debt's effective date, not its due date, is what competes",
      project("2025-01-15", { events: [{ kind: "debt", on: "2025-02-03" }, { kind: "code-changed", on: "2025-02-12" }] }),
      "2025-02-20",
      { state: "void", voidedOn: "2025-02-12", reason: "code-changed" },
    ],
    [
      "an unsettled debt voids on the 11th working day (3 Feb → 18 Feb 2025), before a later event",
      project("2025-01-15", { events: [{ kind: "debt", on: "2025-02-03" }, { kind: "code-changed", on: "2025-02-20" }] }),
      "2025-02-25",
      { state: "void", voidedOn: "2025-02-18", reason: "debt" },
    ],
    // Debts: 10 working days of grace, counted on the production calendar.
    ["a debt settled on the 10th working day, across the May holidays", springProject({ kind: "debt", on: "2025-04-25", settledOn: "2025-05-15" }), "2025-05-20", { state: "active", until: "2025-06-03" }],
    ["a debt settled on the 11th working day", springProject({ kind: "debt", on: "2025-04-25", settledOn: "2025-05-16" }), "2025-05-20", { state: "void", voidedOn: "2025-05-16", reason: "debt" }],
    ["an unsettled debt on its 10th working day", springProject({ kind: "debt", on: "2025-04-25" }), "2025-05-15", { state: "active", until: "2025-06-03" }],
    ["an unsettled debt on its 11th working day", springProject({ kind: "debt", on: "2025-04-25" }), "2025-05-16", { state: "void", voidedOn: "2025-05-16", reason: "debt" }],
    ["a debt settled after the 11th working day", springProject({ kind: "debt", on: "2025-04-25", settledOn: "2025-05-17" }), "2025-05-30", { state: "void", voidedOn: "2025-05-16", reason: "debt" }],
    ["a debt settled on the weekend between the 10th and 11th working days", springProject({ kind: "debt", on: "2025-03-14", settledOn: "2025-03-29" }), "2025-04-01", { state: "active", until: "2025-06-03" }],
    ["a debt settled on the 10th working day, across the New Year", winterProject({ kind: "debt", on: "2025-12-24", settledOn: "2026-01-19" }), "2026-01-25", { state: "active", until: "2026-02-28" }],
    ["a debt settled on the 11th working day, across the New Year", winterProject({ kind: "debt", on: "2025-12-24", settledOn: "2026-01-20" }), "2026-01-25", { state: "void", voidedOn: "2026-01-20", reason: "debt" }],
    // Development program: no deadline, lost only by violating the operating conditions.
    ["development: unlimited years later", project("2020-01-01", { program: "development" }), "2030-05-05", { state: "unlimited" }],
    [
      "development: other events do not void it",
      project("2025-01-15", { program: "development", events: [{ kind: "site-sold", on: "2025-02-01" }, { kind: "debt", on: "2025-02-03" }] }),
      "2025-06-01",
      { state: "unlimited" },
    ],
    ["development: the day before the violation", project("2025-01-15", { program: "development", events: [{ kind: "conditions-violated", on: "2026-03-01" }] }), "2026-02-28", { state: "unlimited" }],
    [
      "development: from the violation on, no longer unconditional",
      project("2025-01-15", { program: "development", events: [{ kind: "conditions-violated", on: "2026-03-01" }] }),
      "2026-03-01",
      { state: "conditions-not-kept", since: "2026-03-01", reason: "conditions-violated" },
    ],
  ])("%s", (_label, warranty, on, expected) => {
    expect(warrantyStatus(warranty, on, cal)).toEqual(expected);
  });

  it("needs the calendar of the year a debt's grace period reaches", () => {
    const debtAtYearEnd = project("2027-12-01", { events: [{ kind: "debt", on: "2027-12-24" }] });
    expect(() => warrantyStatus(debtAtYearEnd, "2028-01-20", cal)).toThrow(CalendarMissingError);
    // Before the debt falls due it cannot matter, so the calendar is not consulted.
    expect(warrantyStatus(debtAtYearEnd, "2027-12-20", cal)).toEqual({ state: "active", until: "2028-03-01" });
  });

  it.each(["2025-02-30", "15.01.2025"])("rejects the malformed date %s", (on) => {
    expect(() => warrantyStatus(project("2025-01-15"), on, cal)).toThrow(RangeError);
  });
});

describe("assessClaim", () => {
  const active = project("2025-01-15");
  const sold = project("2025-01-15", { events: [{ kind: "site-sold", on: "2025-02-10" }] });
  const indebted = springProject({ kind: "debt", on: "2025-04-25" });
  const development = project("2025-01-15", { program: "development" });
  const violated = project("2025-01-15", { program: "development", events: [{ kind: "conditions-violated", on: "2025-03-01" }] });

  it.each<[string, ProjectWarranty, ClaimCause, string, ReturnType<typeof assessClaim>]>([
    ["a code defect under warranty", active, "code-defect", "2025-03-01", { route: "warranty", reason: "code-defect", clause: "covered" }],
    ["a spec mismatch under warranty", active, "spec-mismatch", "2025-04-15", { route: "warranty", reason: "spec-mismatch", clause: "covered" }],
    ["a user action", active, "user-action", "2025-03-01", { route: "support", reason: "user-action", clause: "user-errors" }],
    ["wrong data", active, "wrong-data", "2025-03-01", { route: "support", reason: "wrong-data", clause: "user-errors" }],
    ["third-party software", active, "third-party-software", "2025-03-01", { route: "support", reason: "third-party-software", clause: "not-covered" }],
    ["hosting", active, "hosting", "2025-03-01", { route: "support", reason: "hosting", clause: "not-covered" }],
    ["hacking", active, "hacking", "2025-03-01", { route: "support", reason: "hacking", clause: "not-covered" }],
    ["spelling or style", active, "spelling-style", "2025-03-01", { route: "support", reason: "spelling-style", clause: "not-covered" }],
    ["speed", active, "speed", "2025-03-01", { route: "support", reason: "speed", clause: "not-covered" }],
    ["a code defect after expiry", active, "code-defect", "2025-04-16", { route: "support", reason: "expired", clause: "period" }],
    ["an exclusion after expiry: expiry is the reason", active, "hosting", "2025-04-16", { route: "support", reason: "expired", clause: "period" }],
    ["a code defect before completion", active, "code-defect", "2025-01-10", { route: "support", reason: "not-started", clause: "period" }],
    ["a code defect after a sale", sold, "code-defect", "2025-02-10", { route: "support", reason: "site-sold", clause: "voiding" }],
    ["a code defect after an unpaid debt", indebted, "code-defect", "2025-05-16", { route: "support", reason: "debt", clause: "voiding" }],
    ["a code defect within the debt's grace", indebted, "code-defect", "2025-05-15", { route: "warranty", reason: "code-defect", clause: "covered" }],
    // Development (seed 001): fixed at our expense with no deadline; staff errors and conditions not kept may be billed after an audit.
    ["development: a code defect years later", development, "code-defect", "2029-09-09", { route: "warranty", reason: "code-defect", clause: "no-deadline" }],
    ["development: a spec mismatch", development, "spec-mismatch", "2026-02-02", { route: "warranty", reason: "spec-mismatch", clause: "no-deadline" }],
    ["development: a user action", development, "user-action", "2026-02-02", { route: "audit", reason: "user-action", clause: "audit" }],
    ["development: hosting", development, "hosting", "2026-02-02", { route: "support", reason: "hosting", clause: "not-covered" }],
    ["development: conditions violated", violated, "code-defect", "2025-03-01", { route: "audit", reason: "conditions-violated", clause: "audit" }],
    ["development: conditions violated, an exclusion stays support", violated, "speed", "2025-03-01", { route: "support", reason: "speed", clause: "not-covered" }],
  ])("%s", (_label, warranty, cause, on, expected) => {
    expect(assessClaim(warranty, { cause, on }, cal)).toEqual(expected);
  });
});

describe("the checker's questions", () => {
  it("asks only the conditions and timings of each programme", () => {
    expect(voidingConditionsFor("standard")).toEqual(["debt", "hosting-moved", "code-changed", "links-removed", "site-sold"]);
    expect(voidingConditionsFor("development")).toEqual(["conditions-violated"]);
    expect(eventTimingsFor("standard")).toEqual(["on-date", "before-start", "before-problem", "after-problem", "after-end", "unknown"]);
    // The development warranty has no period to be before or after.
    expect(eventTimingsFor("development")).toEqual(["on-date", "before-problem", "after-problem", "unknown"]);
  });
});

describe("projectWarranty", () => {
  it("keeps the facts and drops internal notes", () => {
    const published = projectWarranty({
      warranty: { program: "standard", completedOn: "2026-05-20", extensions: [{ purchasedOn: "2026-06-01" }], events: [{ kind: "debt", on: "2026-06-01", settledOn: "2026-06-09", note: "late act" }] },
    });
    expect(published).toEqual({ program: "standard", completedOn: "2026-05-20", extensions: [{ purchasedOn: "2026-06-01" }], events: [{ kind: "debt", on: "2026-06-01", settledOn: "2026-06-09" }] });
    expect(JSON.stringify(published)).not.toContain("late act");
  });
});
