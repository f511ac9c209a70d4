/**
 * content/promises.yaml: its schema, and the deadlines the service clock computes from it per kind
 * of request (the fixture file, at pinned Moscow instants). A kind of request without a promise
 * gets no deadline.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { problemsFromZod } from "../../src/domain/content-problems";
import { ProductionCalendarSchema } from "../../src/domain/schemas/calendar";
import { PromiseListSchema, type PromiseList } from "../../src/domain/schemas/promises";
import { buildWorkCalendar, deadlineQualifiers, formatDeadline, requestDeadlines, type ProjectTerms } from "../../src/domain/service-clock";
import type { RequestType } from "../../src/domain/request-types";

const FIXTURE = path.resolve(__dirname, "../fixtures/content");
const fixturePromises: PromiseList = PromiseListSchema.parse(parse(readFileSync(path.join(FIXTURE, "promises.yaml"), "utf8")));
const calendar = buildWorkCalendar(
  { utcOffset: "+03:00", workingHours: { start: "09:00", end: "18:00" }, nightHours: { start: "22:00", end: "08:00" }, preHolidayShorteningMinutes: 60 },
  [2025, 2026, 2027].map((year) => ProductionCalendarSchema.parse(parse(readFileSync(path.join(FIXTURE, `calendars/${year}.yaml`), "utf8")))),
);

const msk = (local: string) => new Date(`${local.replace(" ", "T")}:00+03:00`);
const iso = (local: string) => `${local.replace(" ", "T")}:00+03:00`;
const deadlines = (type: RequestType, at: string, project?: ProjectTerms, list = fixturePromises) =>
  Object.fromEntries(Object.entries(requestDeadlines(type, msk(at), calendar, list, project)).map(([kind, date]) => [kind, formatDeadline(date, calendar)]));

const clause = { article: "warranty", section: "response-times" };
/** The zod problems of a promises file, as `field: reason`. */
const problems = (raw: unknown) => {
  const result = PromiseListSchema.safeParse(raw);
  return result.success ? [] : problemsFromZod("content/promises.yaml", result.error).map(({ field, reason }) => `${field}: ${reason}`);
};

describe("the promises schema", () => {
  it("defaults a kind of request left out to no promise", () => {
    expect(PromiseListSchema.parse({}).consultation).toEqual({ promises: [] });
    expect(fixturePromises.consultation.promises).toEqual([]);
  });

  it.each([
    ["a clock that counts, without an amount", { support: { promises: [{ deadline: "firstResponse", clock: "minutesOutsideNight", clause }] } }, "support.promises.0.amount: the minutesOutsideNight clock needs an amount"],
    ["an amount on a clock that does not count", { warranty: { promises: [{ deadline: "processing", clock: "sameWorkingDay", amount: 1, clause }] } }, "warranty.promises.0.amount: the sameWorkingDay clock takes no amount"],
    ["an SLA clock open to projects without an SLA", { incident: { promises: [{ deadline: "firstResponse", clock: "slaReaction", clause }] } }, "incident.promises.0.withSla: the slaReaction clock needs withSla: true"],
    ["an unknown clock", { support: { promises: [{ deadline: "firstResponse", clock: "soon", clause }] } }, "support.promises.0.clock: Invalid enum value"],
    ["an unknown kind of request", { repair: { promises: [] } }, ": Unrecognized key(s) in object: 'repair'"],
    ["a clause without its section", { support: { promises: [{ deadline: "firstResponse", clock: "minutesOutsideNight", amount: 5, clause: { article: "support" } }] } }, "support.promises.0.clause.section: Required"],
    ["a fractional amount", { warranty: { promises: [{ deadline: "resolution", clock: "workingDays", amount: 1.5, clause }] } }, "warranty.promises.0.amount: Expected integer"],
    [
      "the same deadline promised twice to the same projects",
      { warranty: { promises: [{ deadline: "processing", clock: "sameWorkingDay", clause }, { deadline: "processing", clock: "workingDays", amount: 1, program: "standard", clause }] } },
      "warranty.promises.1.deadline: promises processing a second time for the same projects as promises.0",
    ],
  ])("refuses %s", (_label, raw, expected) => {
    expect(problems(raw).some((line) => line.startsWith(expected)), problems(raw).join("\n")).toBe(true);
  });

  it("accepts the same deadline for projects that cannot be the same (with and without an SLA)", () => {
    expect(problems({ incident: fixturePromises.incident })).toEqual([]);
  });
});

describe("requestDeadlines from the fixture promises file", () => {
  it.each<[string, RequestType, string, ProjectTerms | undefined, Record<string, string>]>([
    ["standard warranty: the same working day, and 3 working days (the fixture's figure)", "warranty", "2026-11-20 12:00", { program: "standard" }, { processing: iso("2026-11-20 18:00"), resolution: iso("2026-11-25 12:00") }],
    ["warranty without a project: the standard programme", "warranty", "2026-11-20 19:00", undefined, { processing: iso("2026-11-23 18:00"), resolution: iso("2026-11-25 18:00") }],
    ["development warranty: only the start of work, the same working day", "warranty", "2026-11-20 12:00", { program: "development" }, { workStart: iso("2026-11-20 18:00") }],
    ["support: 90 minutes outside the night (the fixture's figure): an hour before 22:00, half an hour after 08:00", "support", "2026-11-20 21:00", {}, { firstResponse: iso("2026-11-21 08:30") }],
    ["outage with an SLA: its reaction target", "incident", "2026-11-20 12:00", { slaReactionMinutes: 30 }, { firstResponse: iso("2026-11-20 12:30") }],
    ["outage without an SLA: the support clause's figure", "incident", "2026-11-20 12:00", {}, { firstResponse: iso("2026-11-20 13:30") }],
    ["prevention: nothing promised", "prevention", "2026-11-20 12:00", {}, {}],
    ["extension: nothing promised", "extension", "2026-11-20 12:00", { program: "standard" }, {}],
    ["consultation: nothing promised", "consultation", "2026-11-20 12:00", {}, {}],
  ])("%s", (_label, type, at, project, expected) => {
    expect(deadlines(type, at, project)).toEqual(expected);
  });

  it("gives prevention, extension and consultation a deadline only once a promise for it exists", () => {
    const withPrevention = PromiseListSchema.parse({
      ...fixturePromises,
      prevention: { promises: [{ deadline: "processing", clock: "workingDays", amount: 1, clause: { article: "prevention", section: "checklist" } }] },
    });
    expect(deadlines("prevention", "2026-11-20 12:00", {}, withPrevention)).toEqual({ processing: iso("2026-11-23 12:00") });
    expect(deadlines("extension", "2026-11-20 12:00", {}, withPrevention)).toEqual({});
  });

  it("carries the development warranty's qualifier, and no other", () => {
    expect(deadlineQualifiers("warranty", fixturePromises, { program: "development" })).toEqual({ workStart: "asARuleInSimpleCases" });
    expect(deadlineQualifiers("warranty", fixturePromises, { program: "standard" })).toEqual({});
    expect(deadlineQualifiers("support", fixturePromises)).toEqual({});
  });
});
