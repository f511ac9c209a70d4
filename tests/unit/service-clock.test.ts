import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ProductionCalendarSchema } from "../../src/domain/schemas/calendar";
import { PromiseListSchema, type PromiseList } from "../../src/domain/schemas/promises";
import {
  addWorkingDays,
  buildWorkCalendar,
  CalendarMissingError,
  endOfWorkingDay,
  formatDeadline,
  isWorkingDay,
  nthWorkingDayAfter,
  requestDeadlines,
  workingMinutesOn,
  type ProjectTerms,
  type RequestDeadlines,
  type RequestType,
  type WorkCalendar,
} from "../../src/domain/service-clock";

// The real site: 09:00–18:00 (17:00 on a shortened day), night 22:00–08:00, with the committed
// production calendars.
const SITE_HOURS = {
  utcOffset: "+03:00",
  workingHours: { start: "09:00", end: "18:00" },
  nightHours: { start: "22:00", end: "08:00" },
  preHolidayShorteningMinutes: 60,
} as const;
const calendarFiles = [2025, 2026, 2027].map((year) =>
  ProductionCalendarSchema.parse(parse(readFileSync(path.resolve(__dirname, `../fixtures/content/calendars/${year}.yaml`), "utf8"))),
);
const real = buildWorkCalendar(SITE_HOURS, calendarFiles);

// A tiny calendar where the arithmetic is easy to follow: a 2-hour working day, a night that does
// not wrap midnight, one holiday (Wed 2 Jan 2030) after a day shortened by half an hour, and one
// working Saturday (5 Jan 2030). No `years`, so it covers every year.
const tiny: WorkCalendar = {
  utcOffset: "+03:00",
  workingHours: { start: "10:00", end: "12:00" },
  nightHours: { start: "00:00", end: "06:00" },
  preHolidayShorteningMinutes: 30,
  holidays: ["2030-01-02"],
  workingWeekends: ["2030-01-05"],
  shortenedDays: ["2030-01-01"],
};
// The real calendars with other shortenings: an hour and a half, and none.
const longer = buildWorkCalendar({ ...SITE_HOURS, preHolidayShorteningMinutes: 90 }, calendarFiles);
const none = buildWorkCalendar({ ...SITE_HOURS, preHolidayShorteningMinutes: 0 }, calendarFiles);

// The promises of the agency's terms (seed 000 and 001), written out here so the clock's edge cases
// read against the figures the terms publish: warranty taken up the same working day and fixed in 2
// working days; development warranty started the same working day, as a rule; support (and an
// outage without an SLA) answered within 2 hours outside the night; an outage with an SLA within its
// reaction target. Prevention, extension and consultation: nothing promised.
const clause = { article: "terms", section: "clause" };
const SEED: PromiseList = PromiseListSchema.parse({
  warranty: {
    promises: [
      { deadline: "processing", clock: "sameWorkingDay", program: "standard", clause },
      { deadline: "resolution", clock: "workingDays", amount: 2, program: "standard", clause },
      { deadline: "workStart", clock: "sameWorkingDay", qualifier: "asARuleInSimpleCases", program: "development", clause },
    ],
  },
  support: { promises: [{ deadline: "firstResponse", clock: "minutesOutsideNight", amount: 120, clause }] },
  incident: {
    promises: [
      { deadline: "firstResponse", clock: "slaReaction", withSla: true, clause },
      { deadline: "firstResponse", clock: "minutesOutsideNight", amount: 120, withSla: false, clause },
    ],
  },
});

/** A Moscow wall-clock time, "2025-03-14 17:00". */
const msk = (local: string) => new Date(`${local.replace(" ", "T")}:00+03:00`);
/** The expected ISO string for a Moscow wall-clock time. */
const iso = (local: string) => `${local.replace(" ", "T")}:00+03:00`;

function formatted(deadlines: RequestDeadlines, cal: WorkCalendar): Record<string, string> {
  return Object.fromEntries(Object.entries(deadlines).map(([key, date]) => [key, formatDeadline(date, cal)]));
}

type Case = [label: string, type: RequestType, submitted: string, expected: Record<string, string>, options?: { program?: "standard" | "development"; sla?: number; cal?: WorkCalendar }];

describe("requestDeadlines", () => {
  it.each<Case>([
    // Standard warranty: processed the same working day, resolved by the same time 2 working days later.
    ["warranty, Wednesday midday", "warranty", "2025-03-12 12:00", { processing: iso("2025-03-12 18:00"), resolution: iso("2025-03-14 12:00") }],
    ["warranty, Friday an hour before closing", "warranty", "2025-03-14 17:00", { processing: iso("2025-03-14 18:00"), resolution: iso("2025-03-18 17:00") }],
    ["warranty, the minute before closing", "warranty", "2025-03-14 17:59", { processing: iso("2025-03-14 18:00"), resolution: iso("2025-03-18 17:59") }],
    ["warranty, exactly at closing is outside hours", "warranty", "2025-03-14 18:00", { processing: iso("2025-03-17 18:00"), resolution: iso("2025-03-18 18:00") }],
    ["warranty, Friday evening", "warranty", "2025-03-14 20:30", { processing: iso("2025-03-17 18:00"), resolution: iso("2025-03-18 18:00") }],
    ["warranty, Sunday", "warranty", "2025-03-16 12:00", { processing: iso("2025-03-17 18:00"), resolution: iso("2025-03-18 18:00") }],
    ["warranty, exactly at opening is inside hours", "warranty", "2025-03-17 09:00", { processing: iso("2025-03-17 18:00"), resolution: iso("2025-03-18 18:00") }],
    ["warranty, the minute before opening", "warranty", "2025-03-17 08:59", { processing: iso("2025-03-17 18:00"), resolution: iso("2025-03-18 18:00") }],
    ["warranty, the minute after opening: the last minute spills into Wednesday", "warranty", "2025-03-17 09:01", { processing: iso("2025-03-17 18:00"), resolution: iso("2025-03-19 09:01") }],
    ["warranty, on a working Saturday (shortened: 4 November follows)", "warranty", "2025-11-01 10:00", { processing: iso("2025-11-01 17:00"), resolution: iso("2025-11-06 10:00") }],
    ["warranty, Friday before a working Saturday", "warranty", "2025-10-31 17:00", { processing: iso("2025-10-31 18:00"), resolution: iso("2025-11-05 17:00") }],
    ["warranty, spanning the 12–13 June holidays from a shortened day", "warranty", "2025-06-11 15:00", { processing: iso("2025-06-11 17:00"), resolution: iso("2025-06-17 15:00") }],
    ["warranty, before the May holidays", "warranty", "2025-05-07 19:00", { processing: iso("2025-05-12 18:00"), resolution: iso("2025-05-13 18:00") }],
    ["warranty, during the New Year holidays", "warranty", "2026-01-02 11:00", { processing: iso("2026-01-12 18:00"), resolution: iso("2026-01-13 18:00") }],
    ["warranty, 30 Dec across the year boundary", "warranty", "2025-12-30 16:00", { processing: iso("2025-12-30 18:00"), resolution: iso("2026-01-13 16:00") }],
    ["warranty, on 31 Dec (a day off)", "warranty", "2025-12-31 10:00", { processing: iso("2026-01-12 18:00"), resolution: iso("2026-01-13 18:00") }],
    ["warranty, 2026 Victory Day moved to Monday 11 May", "warranty", "2026-05-08 14:00", { processing: iso("2026-05-08 17:00"), resolution: iso("2026-05-13 14:00") }],
    // Shortened pre-holiday days: working time ends an hour early (the setting), so do deadlines on them.
    ["shortened day: the same day ends at 17:00", "warranty", "2025-03-07 12:00", { processing: iso("2025-03-07 17:00"), resolution: iso("2025-03-11 12:00") }],
    ["shortened day: the minute before its early closing", "warranty", "2025-03-07 16:59", { processing: iso("2025-03-07 17:00"), resolution: iso("2025-03-11 16:59") }],
    ["shortened day: exactly at its early closing is outside hours", "warranty", "2025-03-07 17:00", { processing: iso("2025-03-10 18:00"), resolution: iso("2025-03-11 18:00") }],
    ["shortened day: after its early closing, before the usual one", "warranty", "2025-03-07 17:30", { processing: iso("2025-03-10 18:00"), resolution: iso("2025-03-11 18:00") }],
    ["resolution landing on a shortened day before its closing", "warranty", "2025-04-28 10:00", { processing: iso("2025-04-28 18:00"), resolution: iso("2025-04-30 10:00") }],
    ["resolution landing on a shortened day after its closing ends at 17:00", "warranty", "2025-04-28 17:30", { processing: iso("2025-04-28 18:00"), resolution: iso("2025-04-30 17:00") }],
    ["resolution counted from an opening ends at a shortened day's closing", "warranty", "2025-04-29 08:00", { processing: iso("2025-04-29 18:00"), resolution: iso("2025-04-30 17:00") }],
    ["resolution across a shortened day keeps its time of day", "warranty", "2025-06-10 17:30", { processing: iso("2025-06-10 18:00"), resolution: iso("2025-06-16 17:30") }],
    ["resolution across a shortened working Saturday", "warranty", "2025-10-31 17:30", { processing: iso("2025-10-31 18:00"), resolution: iso("2025-11-05 17:30") }],
    ["development warranty on a shortened day", "warranty", "2026-04-30 10:00", { workStart: iso("2026-04-30 17:00") }, { program: "development" }],
    ["the shortening is a setting: 90 minutes", "warranty", "2025-03-07 16:40", { processing: iso("2025-03-10 18:00"), resolution: iso("2025-03-11 18:00") }, { cal: longer }],
    ["the shortening is a setting: none", "warranty", "2025-04-28 17:30", { processing: iso("2025-04-28 18:00"), resolution: iso("2025-04-30 17:30") }, { cal: none }],
    // Development warranty: work starts the same working day; no resolution deadline.
    ["development warranty, midday", "warranty", "2025-03-12 12:00", { workStart: iso("2025-03-12 18:00") }, { program: "development" }],
    ["development warranty, Friday evening", "warranty", "2025-03-14 20:30", { workStart: iso("2025-03-17 18:00") }, { program: "development" }],
    ["development warranty, New Year holidays", "warranty", "2025-12-31 10:00", { workStart: iso("2026-01-12 18:00") }, { program: "development" }],
    // Support: 2 hours, counted only outside night hours (22:00–08:00), any day of the week.
    ["support, midday", "support", "2025-03-12 12:00", { firstResponse: iso("2025-03-12 14:00") }],
    ["support, ends exactly when night starts", "support", "2025-03-12 20:00", { firstResponse: iso("2025-03-12 22:00") }],
    ["support, an hour before night", "support", "2025-03-12 21:00", { firstResponse: iso("2025-03-13 09:00") }],
    ["support, exactly at night start", "support", "2025-03-12 22:00", { firstResponse: iso("2025-03-13 10:00") }],
    ["support, before midnight", "support", "2025-03-12 23:30", { firstResponse: iso("2025-03-13 10:00") }],
    ["support, after midnight", "support", "2025-03-13 03:00", { firstResponse: iso("2025-03-13 10:00") }],
    ["support, the minute before night ends", "support", "2025-03-13 07:59", { firstResponse: iso("2025-03-13 10:00") }],
    ["support, exactly at night end", "support", "2025-03-13 08:00", { firstResponse: iso("2025-03-13 10:00") }],
    ["support, Sunday evening", "support", "2025-03-16 21:30", { firstResponse: iso("2025-03-17 09:30") }],
    ["support, on a holiday the clock still runs", "support", "2026-01-01 12:00", { firstResponse: iso("2026-01-01 14:00") }],
    ["support, New Year's Eve across the year boundary", "support", "2025-12-31 21:00", { firstResponse: iso("2026-01-01 09:00") }],
    // Incident: the project's SLA reaction target on the support clock, else the support rule.
    ["incident with a 60-minute SLA", "incident", "2025-03-12 12:00", { firstResponse: iso("2025-03-12 13:00") }, { sla: 60 }],
    ["incident with a 30-minute SLA, into the night", "incident", "2025-03-12 21:50", { firstResponse: iso("2025-03-13 08:20") }, { sla: 30 }],
    ["incident with a 240-minute SLA, across midnight", "incident", "2025-03-12 21:00", { firstResponse: iso("2025-03-13 11:00") }, { sla: 240 }],
    ["incident without an SLA uses the support rule", "incident", "2025-03-12 21:00", { firstResponse: iso("2025-03-13 09:00") }],
    // Prevention, extension, consultation: the same-day rule.
    // No published term sets a deadline for these: none, whatever the moment.
    ["prevention, at closing: nothing promised", "prevention", "2025-03-14 18:00", {}],
    ["extension, on a (shortened) working Saturday: nothing promised", "extension", "2025-11-01 09:00", {}],
    ["consultation, before the May holidays: nothing promised", "consultation", "2025-05-07 19:00", {}],
    // The tiny calendar: a 2-hour day, so 2 working days = 4 hours.
    ["tiny: warranty across a holiday from a shortened day", "warranty", "2030-01-01 11:00", { processing: iso("2030-01-01 11:30"), resolution: iso("2030-01-04 11:00") }, { cal: tiny }],
    ["tiny: after the shortened day's closing", "warranty", "2030-01-01 11:45", { processing: iso("2030-01-03 12:00"), resolution: iso("2030-01-04 12:00") }, { cal: tiny }],
    ["tiny: warranty through a working Saturday", "warranty", "2030-01-04 11:30", { processing: iso("2030-01-04 12:00"), resolution: iso("2030-01-07 11:30") }, { cal: tiny }],
    ["tiny: support across a night that starts at midnight", "support", "2030-01-01 23:00", { firstResponse: iso("2030-01-02 07:00") }, { cal: tiny }],
  ])("%s", (_label, type, submitted, expected, options = {}) => {
    const cal = options.cal ?? real;
    const project: ProjectTerms = { program: options.program, slaReactionMinutes: options.sla };
    expect(formatted(requestDeadlines(type, msk(submitted), cal, SEED, project), cal)).toEqual(expected);
  });

  it.each([
    ["a submission in a year without a calendar", "warranty", "2028-02-01 12:00", 2028],
    ["a resolution that runs into a year without a calendar", "warranty", "2027-12-31 17:00", 2028],
    ["same-day processing pushed into a year without a calendar", "warranty", "2027-12-31 19:00", 2028],
    ["a submission before the first calendar", "warranty", "2024-12-28 12:00", 2024],
  ] as const)("throws CalendarMissingError for %s", (_label, type, submitted, year) => {
    const call = () => requestDeadlines(type, msk(submitted), real, SEED);
    expect(call).toThrow(CalendarMissingError);
    expect(call).toThrow(new RegExp(`${year}`));
  });

  it("runs the support clock in a year without a calendar: it never looks at holidays", () => {
    expect(formatDeadline(requestDeadlines("support", msk("2028-06-01 12:00"), real, SEED).firstResponse!, real)).toBe(iso("2028-06-01 14:00"));
  });

  it.each<RequestType>(["warranty", "support"])("rejects an invalid submission time (%s)", (type) => {
    expect(() => requestDeadlines(type, new Date("not a date"), real, SEED)).toThrow(RangeError);
  });

  it.each([0, -5, Number.NaN])("rejects an SLA reaction target of %s minutes", (minutes) => {
    expect(() => requestDeadlines("incident", msk("2025-03-12 12:00"), real, SEED, { slaReactionMinutes: minutes })).toThrow(RangeError);
  });
});

describe("working-day primitives", () => {
  it.each([
    ["2025-03-14", true],
    ["2025-03-15", false],
    ["2025-11-01", true],
    ["2025-11-04", false],
  ])("isWorkingDay(%s) is %s", (date, expected) => {
    expect(isWorkingDay(date, real)).toBe(expected);
  });

  it.each(["2025-3-14", "2025-02-30", "14.03.2025"])("isWorkingDay rejects the malformed date %s", (date) => {
    expect(() => isWorkingDay(date, real)).toThrow(RangeError);
  });

  it.each([
    ["2025-03-14", 1, "2025-03-17"],
    ["2025-10-31", 1, "2025-11-01"],
    ["2025-12-30", 1, "2026-01-12"],
    ["2025-05-07", 3, "2025-05-14"],
  ])("nthWorkingDayAfter(%s, %i) is %s", (date, n, expected) => {
    expect(nthWorkingDayAfter(date, n, real)).toBe(expected);
  });

  it.each([
    ["on a working day before opening: that day", "2025-03-17 07:00", "2025-03-17 18:00"],
    ["inside hours", "2025-03-17 17:59", "2025-03-17 18:00"],
    ["at closing: the next working day", "2025-03-17 18:00", "2025-03-18 18:00"],
    ["on a shortened day: its early closing", "2025-04-30 07:00", "2025-04-30 17:00"],
    ["on the day before a shortened day, at closing", "2025-04-29 18:00", "2025-04-30 17:00"],
    ["on the day before National Unity Day 2026 (shortened)", "2026-11-03 16:30", "2026-11-03 17:00"],
    ["after the early closing before Victory Day 2026", "2026-05-08 17:15", "2026-05-12 18:00"],
    ["on the last working day of 2027 (draft calendar, shortened)", "2027-12-31 16:00", "2027-12-31 17:00"],
  ])("endOfWorkingDay %s", (_label, at, expected) => {
    expect(formatDeadline(endOfWorkingDay(msk(at), real), real)).toBe(iso(expected));
  });

  it("endOfWorkingDay follows the shortening setting: 90 minutes", () => {
    expect(formatDeadline(endOfWorkingDay(msk("2025-03-07 16:00"), longer), longer)).toBe(iso("2025-03-07 16:30"));
  });

  it("endOfWorkingDay in a tiny calendar without `years` covers any year", () => {
    expect(formatDeadline(endOfWorkingDay(msk("2099-06-01 09:00"), tiny), tiny)).toBe(iso("2099-06-01 12:00"));
  });

  it.each([
    ["one day from an opening: that day's closing", "2025-03-14 09:00", 1, "2025-03-14 18:00"],
    ["one day from outside hours: the next working day's closing", "2025-03-14 19:00", 1, "2025-03-17 18:00"],
    ["one day from midday", "2025-03-14 12:00", 1, "2025-03-17 12:00"],
    ["a whole working week", "2025-03-10 09:00", 5, "2025-03-14 18:00"],
    ["three days across a shortened day and the 12–13 June holidays", "2025-06-10 12:00", 3, "2025-06-17 12:00"],
    ["one day from a shortened day's opening: its early closing", "2025-03-07 09:00", 1, "2025-03-07 17:00"],
    ["onto a shortened day, after its closing time", "2025-03-06 17:45", 1, "2025-03-07 17:00"],
  ])("addWorkingDays: %s", (_label, from, days, expected) => {
    expect(formatDeadline(addWorkingDays(msk(from), days, real), real)).toBe(iso(expected));
  });

  it.each([0, -1, 1.5])("addWorkingDays rejects %s days", (days) => {
    expect(() => addWorkingDays(msk("2025-03-14 12:00"), days, real)).toThrow(RangeError);
  });

  it.each([
    ["2025-03-06", 540, "an ordinary Thursday"],
    ["2025-03-07", 480, "shortened: 8 March follows"],
    ["2025-03-08", 0, "a holiday on a Saturday"],
    ["2025-11-01", 480, "a working Saturday, shortened"],
    ["2025-12-30", 540, "31 December 2025 is a day off only by transfer"],
    ["2026-12-31", 0, "a day off by transfer"],
    ["2027-12-31", 480, "draft: art. 95 before 1 January"],
  ])("workingMinutesOn(%s) is %i (%s)", (date, minutes) => {
    expect(workingMinutesOn(date, real)).toBe(minutes);
  });
});

describe("buildWorkCalendar and formatDeadline", () => {
  it("merges the yearly files and records the years they cover", () => {
    expect(real.years).toEqual([2025, 2026, 2027]);
    expect(real.holidays).toContain("2025-12-31");
    expect(real.holidays).toContain("2027-11-04");
    expect(real.workingWeekends).toEqual(["2025-11-01"]);
    expect(real.shortenedDays).toContain("2025-03-07");
    expect(real.shortenedDays).toContain("2026-11-03");
    expect(real.preHolidayShorteningMinutes).toBe(60);
  });

  it("refuses two calendars for one year", () => {
    const year = { year: 2025, source: "test calendar", holidays: [], workingWeekends: [], shortenedDays: [] };
    expect(() => buildWorkCalendar(SITE_HOURS, [year, year])).toThrow(/two production calendars for 2025/);
  });

  it.each([
    [{ start: "18:00", end: "09:00" }, SITE_HOURS.nightHours],
    [{ start: "9:00", end: "18:00" }, SITE_HOURS.nightHours],
    [SITE_HOURS.workingHours, { start: "22:00", end: "24:00" }],
  ])("refuses working hours %j with night %j", (workingHours, nightHours) => {
    expect(() => buildWorkCalendar({ ...SITE_HOURS, workingHours, nightHours }, [])).toThrow(RangeError);
  });

  it.each([540, 600, -10, 30.5])("refuses a pre-holiday shortening of %s minutes on a 9-hour day", (minutes) => {
    expect(() => buildWorkCalendar({ ...SITE_HOURS, preHolidayShorteningMinutes: minutes }, [])).toThrow(RangeError);
  });

  it.each([
    ["2025-03-14T15:00:00Z", "2025-03-14T18:00:00+03:00"],
    ["2025-12-31T22:30:00Z", "2026-01-01T01:30:00+03:00"],
    ["2025-03-14T15:00:59.999Z", "2025-03-14T18:00:59+03:00"],
  ])("formats %s as %s", (instant, expected) => {
    expect(formatDeadline(new Date(instant), real)).toBe(expected);
  });
});
