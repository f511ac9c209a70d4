import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ProductionCalendarSchema, type ProductionCalendar } from "../../src/domain/schemas/calendar";
import { SiteSettingsSchema } from "../../src/domain/schemas/settings";
import { buildWorkCalendar, CalendarMissingError, isWorkingDay, workingMinutesOn } from "../../src/domain/service-clock";
import { VALID_SETTINGS } from "../setup/settings";

const CALENDAR_DIR = path.resolve(__dirname, "../../content/calendars");
// The production calendar's norm: an 8-hour day (40-hour week), an hour shorter before a holiday.
const HOURS = {
  utcOffset: "+03:00",
  workingHours: { start: "09:00", end: "17:00" },
  nightHours: { start: "22:00", end: "08:00" },
  preHolidayShorteningMinutes: 60,
} as const;

function loadCalendar(year: number): ProductionCalendar {
  return ProductionCalendarSchema.parse(parse(readFileSync(path.join(CALENDAR_DIR, `${year}.yaml`), "utf8")));
}

function datesOf(year: number): string[] {
  const dates: string[] = [];
  for (let day = Date.UTC(year, 0, 1); day < Date.UTC(year + 1, 0, 1); day += 86_400_000) {
    dates.push(new Date(day).toISOString().slice(0, 10));
  }
  return dates;
}

const calendars = [2025, 2026, 2027].map(loadCalendar);
const cal = buildWorkCalendar(HOURS, calendars);

describe("production calendar files", () => {
  // 2025 and 2026: the totals published with the decrees (five-day week).
  // 2027: the draft (Labour Code art. 112 only) — update with the decree.
  it.each([
    [2025, 247],
    [2026, 247],
    [2027, 249],
  ])("%i has %i working days", (year, expected) => {
    expect(datesOf(year).filter((date) => isWorkingDay(date, cal))).toHaveLength(expected);
  });

  // The norm of working time on a 40-hour week: 8 hours a working day less one per shortened day.
  it.each([
    [2025, 1972],
    [2026, 1972],
    [2027, 1987],
  ])("%i has %i working hours on a 40-hour week", (year, expected) => {
    expect(datesOf(year).reduce((sum, date) => sum + workingMinutesOn(date, cal), 0) / 60).toBe(expected);
  });

  it.each([
    ["2025-01-08", false, "last day of the New Year holidays"],
    ["2025-01-09", true, "first working day of 2025"],
    ["2025-02-24", true, "23 Feb 2025 (a Sunday) was moved to 8 May, not to the Monday"],
    ["2025-03-10", true, "8 Mar 2025 (a Saturday) was moved to 13 June"],
    ["2025-05-08", false, "day off moved from 23 February"],
    ["2025-06-13", false, "day off moved from 8 March"],
    ["2025-11-01", true, "working Saturday"],
    ["2025-11-03", false, "day off moved from 1 November"],
    ["2025-12-31", false, "day off moved from 5 January"],
    ["2026-01-09", false, "day off moved from 3 January"],
    ["2026-01-12", true, "first working day of 2026"],
    ["2026-03-09", false, "8 March 2026 is a Sunday"],
    ["2026-05-11", false, "9 May 2026 is a Saturday"],
    ["2026-12-31", false, "day off moved from 4 January"],
    ["2027-05-03", false, "1 May 2027 is a Saturday"],
    ["2027-06-14", false, "12 June 2027 is a Saturday"],
    ["2027-12-31", true, "no decree yet: an ordinary Friday"],
  ])("%s working: %s (%s)", (date, expected) => {
    expect(isWorkingDay(date, cal)).toBe(expected);
  });

  it.each([
    [2025, ["2025-03-07", "2025-04-30", "2025-06-11", "2025-11-01"]],
    [2026, ["2026-04-30", "2026-05-08", "2026-06-11", "2026-11-03"]],
    [2027, ["2027-02-22", "2027-04-30", "2027-06-11", "2027-11-03", "2027-12-31"]],
  ])("%i shortens the days before its public holidays", (year, expected) => {
    expect(datesOf(year).filter((date) => workingMinutesOn(date, cal) === 7 * 60)).toEqual(expected);
  });

  it("name their source, and say 2027 is a draft", () => {
    for (const calendar of calendars) expect(calendar.source).toMatch(/Постановление Правительства РФ|^draft: /);
    expect(calendars.find((calendar) => calendar.year === 2027)?.source).toMatch(/^draft: .*update when it is$/);
  });

  it("cover exactly the years they describe", () => {
    expect(cal.years).toEqual([2025, 2026, 2027]);
    expect(() => isWorkingDay("2028-01-10", cal)).toThrow(CalendarMissingError);
    expect(() => isWorkingDay("2024-12-31", cal)).toThrow(/2024/);
  });
});

describe("ProductionCalendarSchema", () => {
  const valid = { year: 2025, source: "Постановление № 1335", holidays: ["2025-01-01"], workingWeekends: ["2025-11-01"] };

  it("accepts a valid calendar and defaults workingWeekends and shortenedDays", () => {
    expect(ProductionCalendarSchema.parse(valid).holidays).toEqual(["2025-01-01"]);
    expect(ProductionCalendarSchema.parse({ ...valid, workingWeekends: undefined }).workingWeekends).toEqual([]);
    expect(ProductionCalendarSchema.parse(valid).shortenedDays).toEqual([]);
  });

  it.each([
    ["a weekday before a holiday", { holidays: ["2025-05-01"], shortenedDays: ["2025-04-30"] }],
    ["a weekday before a weekend", { shortenedDays: ["2025-03-07"] }],
    ["a working Saturday before a Sunday", { shortenedDays: ["2025-11-01"] }],
    ["31 December, before next year's 1 January", { shortenedDays: ["2025-12-31"] }],
  ])("accepts a shortened day: %s", (_label, change) => {
    expect(ProductionCalendarSchema.safeParse({ ...valid, ...change }).error?.issues).toBeUndefined();
  });

  it.each([
    [{ holidays: ["2026-01-01"] }, "2026-01-01 is not in 2025"],
    [{ holidays: ["2025-01-04"] }, "2025-01-04 is not a weekday"],
    [{ holidays: ["2025-01-01", "2025-01-01"] }, "2025-01-01 is listed twice"],
    [{ holidays: ["2025-02-30"] }, "must be a real date"],
    [{ holidays: ["1 Jan 2025"] }, "must be a real date"],
    [{ workingWeekends: ["2025-11-03"] }, "2025-11-03 is not a Saturday or Sunday"],
    [{ shortenedDays: ["2025-01-01"] }, "2025-01-01 is not a working day, so it cannot be shortened"],
    [{ shortenedDays: ["2025-03-08"] }, "2025-03-08 is not a working day, so it cannot be shortened"],
    [{ shortenedDays: ["2025-03-05"] }, "2025-03-05 is followed by a working day (2025-03-06)"],
    [{ shortenedDays: ["2025-10-31"] }, "2025-10-31 is followed by a working day (2025-11-01)"],
    [{ shortenedDays: ["2026-04-30"] }, "2026-04-30 is not in 2025"],
    [{ shortenedDays: ["2025-03-07", "2025-03-07"] }, "2025-03-07 is listed twice"],
    [{ shortenedDays: ["7 Mar 2025"] }, "must be a real date"],
    [{ extra: true }, "Unrecognized key"],
  ])("rejects %j", (change, message) => {
    const result = ProductionCalendarSchema.safeParse({ ...valid, ...change });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.message).join("\n")).toContain(message);
  });

  it("names the field of a bad shortened day", () => {
    const result = ProductionCalendarSchema.safeParse({ ...valid, shortenedDays: ["2025-03-07", "2025-01-01"] });
    expect(result.error?.issues.map((issue) => issue.path.join("."))).toEqual(["shortenedDays.1"]);
  });
});

describe("preHolidayShorteningMinutes setting", () => {
  const settings = VALID_SETTINGS;

  it("defaults to the Labour Code's one hour", () => {
    expect(SiteSettingsSchema.parse(settings).preHolidayShorteningMinutes).toBe(60);
  });

  it.each([
    [{ start: "09:00", end: "18:00" }, 540],
    [{ start: "09:00", end: "10:00" }, 60],
  ])("must leave working time: %j less %i minutes is refused", (workingHours, minutes) => {
    const result = SiteSettingsSchema.safeParse({ ...settings, workingHours, preHolidayShorteningMinutes: minutes });
    expect(result.error?.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`)).toEqual([
      "preHolidayShorteningMinutes: must be shorter than the working day (workingHours)",
    ]);
  });

  it.each([-1, 30.5])("refuses %s minutes", (minutes) => {
    expect(SiteSettingsSchema.safeParse({ ...settings, preHolidayShorteningMinutes: minutes }).success).toBe(false);
  });
});
