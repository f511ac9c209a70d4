/**
 * The service clock: every deadline the portal promises is computed here, so the form, the page
 * and both e-mails always agree.
 *
 * All times are Moscow time, a fixed UTC offset (no daylight saving), taken from the calendar as
 * data. Arithmetic is done on "local milliseconds": UTC epoch milliseconds shifted by that offset,
 * so that UTC date methods read the Moscow wall clock. No Intl time zones, no locale formatting.
 */
import type { RequestType } from "./request-types";
import type { ProductionCalendar } from "./schemas/calendar";
import type { DeadlineKind, PromiseList, PromiseQualifier, RequestPromise } from "./schemas/promises";

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
/** How far ahead to look for a working day before deciding the calendar itself is wrong. */
const MAX_DAYS_WITHOUT_WORK = 366;

/** A range of clock times `HH:MM`: start inclusive, end exclusive. */
export type ClockRange = { start: string; end: string };

/** The hours part of the clock, as the site settings hold it. */
export type ServiceHours = {
  /** Fixed UTC offset of Moscow time. */
  utcOffset: "+03:00";
  /** Working hours on working days. */
  workingHours: ClockRange;
  /** Hours when the support clock stops; may wrap past midnight (22:00–08:00). */
  nightHours: ClockRange;
  /** Minutes by which working hours end earlier on a shortened pre-holiday day. */
  preHolidayShorteningMinutes: number;
};

export type WorkCalendar = ServiceHours & {
  /** Non-working weekdays (YYYY-MM-DD) of every covered year. */
  holidays: string[];
  /** Saturdays and Sundays made working days (YYYY-MM-DD). */
  workingWeekends: string[];
  /** Working days that end `preHolidayShorteningMinutes` early (YYYY-MM-DD). */
  shortenedDays: string[];
  /**
   * Years that have a production calendar; a working-day question about any other year throws
   * CalendarMissingError. Absent means every year is covered: only for small hand-made calendars
   * in tests. `buildWorkCalendar` always sets it.
   */
  years?: number[];
};

export type { RequestType };

/** The promised deadlines of a request, by kind (content/promises.yaml names the kinds each request gets). */
export type RequestDeadlines = Partial<Record<DeadlineKind, Date>>;
/** How the terms qualify some of those deadlines ("as a rule, in simple cases"); unqualified ones are absent. */
export type DeadlineQualifiers = Partial<Record<DeadlineKind, PromiseQualifier>>;

/** What a project brings to its promises: its warranty programme and its SLA reaction target, if any. */
export type ProjectTerms = { program?: "standard" | "development" | undefined; slaReactionMinutes?: number | undefined };

/** Thrown instead of guessing: without the year's decree, holidays would pass for working days. */
export class CalendarMissingError extends Error {
  constructor(readonly year: number) {
    super(`No production calendar for ${year}: add content/calendars/${year}.yaml`);
    this.name = "CalendarMissingError";
  }
}

// ---- Local time ----------------------------------------------------------------------------

function toLocal(d: Date, cal: ServiceHours): number {
  if (Number.isNaN(d.getTime())) throw new RangeError("not a valid date and time");
  return d.getTime() + offsetMs(cal);
}
const fromLocal = (local: number, cal: ServiceHours) => new Date(local - offsetMs(cal));
const startOfDay = (local: number) => Math.floor(local / DAY_MS) * DAY_MS;
const isoDateOf = (local: number) => new Date(startOfDay(local)).toISOString().slice(0, 10);

/** The first instant at or after `local` whose time of day is `timeOfDay`. */
function nextTimeOfDay(local: number, timeOfDay: number): number {
  const today = startOfDay(local) + timeOfDay;
  return today >= local ? today : today + DAY_MS;
}

// ---- Parsing -------------------------------------------------------------------------------

function clockTimeMs(time: string): number {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time);
  if (!match) throw new RangeError(`"${time}" is not a clock time HH:MM`);
  return (Number(match[1]) * 60 + Number(match[2])) * MINUTE_MS;
}

function offsetMs(cal: ServiceHours): number {
  const match = /^([+-])(\d{2}):(\d{2})$/.exec(cal.utcOffset);
  if (!match) throw new RangeError(`"${cal.utcOffset}" is not a UTC offset ±HH:MM`);
  const size = (Number(match[2]) * 60 + Number(match[3])) * MINUTE_MS;
  return match[1] === "-" ? -size : size;
}

/**
 * Working hours as offsets from local midnight, on an ordinary and on a shortened day; rejects a
 * range that is empty or wraps midnight, and a shortening that leaves no working time.
 */
function workingWindow(cal: ServiceHours): { open: number; close: number; shortClose: number } {
  const open = clockTimeMs(cal.workingHours.start);
  const close = clockTimeMs(cal.workingHours.end);
  if (open >= close) throw new RangeError("working hours must start before they end on the same day");
  const shortening = cal.preHolidayShorteningMinutes;
  if (!Number.isInteger(shortening) || shortening < 0 || close - shortening * MINUTE_MS <= open) {
    throw new RangeError(`a pre-holiday shortening of ${shortening} minutes must be whole and leave working time`);
  }
  return { open, close, shortClose: close - shortening * MINUTE_MS };
}

/** Closing time of the working day that starts at local midnight `day`, as an offset from that midnight. */
function closingTime(day: number, cal: WorkCalendar): number {
  const { close, shortClose } = workingWindow(cal);
  return cal.shortenedDays.includes(isoDateOf(day)) ? shortClose : close;
}

function parseIsoDate(date: string): number {
  const midnight = Date.parse(`${date}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(midnight) || isoDateOf(midnight) !== date) {
    throw new RangeError(`"${date}" is not a date YYYY-MM-DD`);
  }
  return midnight;
}

// ---- Working days and working time --------------------------------------------------------

/** Whether `date` (YYYY-MM-DD) is a working day under the production calendar. */
export function isWorkingDay(date: string, cal: WorkCalendar): boolean {
  const midnight = parseIsoDate(date);
  const year = Number(date.slice(0, 4));
  if (cal.years && !cal.years.includes(year)) throw new CalendarMissingError(year);
  if (cal.holidays.includes(date)) return false;
  if (cal.workingWeekends.includes(date)) return true;
  const weekday = new Date(midnight).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/** The `n`th working day after `date`, not counting `date` itself (YYYY-MM-DD). */
export function nthWorkingDayAfter(date: string, n: number, cal: WorkCalendar): string {
  let day = parseIsoDate(date);
  for (let counted = 0; counted < n; ) {
    day += DAY_MS;
    if (isWorkingDay(isoDateOf(day), cal)) counted += 1;
  }
  return isoDateOf(day);
}

/** Minutes of working time on `date` (YYYY-MM-DD): none on a day off, fewer on a shortened day. */
export function workingMinutesOn(date: string, cal: WorkCalendar): number {
  if (!isWorkingDay(date, cal)) return 0;
  return (closingTime(parseIsoDate(date), cal) - workingWindow(cal).open) / MINUTE_MS;
}

/** The first instant at or after `local` inside the working hours of a working day. */
function nextWorkingMoment(local: number, cal: WorkCalendar): number {
  const { open } = workingWindow(cal);
  let day = startOfDay(local);
  for (let searched = 0; searched <= MAX_DAYS_WITHOUT_WORK; searched += 1, day += DAY_MS) {
    if (local < day + closingTime(day, cal) && isWorkingDay(isoDateOf(day), cal)) return Math.max(local, day + open);
  }
  throw new Error(`no working day within ${MAX_DAYS_WITHOUT_WORK} days after ${isoDateOf(local)}: check the calendar`);
}

/**
 * "The same day": the end of the working day `at` falls in, or — when `at` is outside working
 * hours — the end of the working day in which working time next starts. (Before opening time on a
 * working day that is the same day; the end of the day itself counts as outside.) A shortened day
 * ends early.
 */
export function endOfWorkingDay(at: Date, cal: WorkCalendar): Date {
  const day = startOfDay(nextWorkingMoment(toLocal(at, cal), cal));
  return fromLocal(day + closingTime(day, cal), cal);
}

/**
 * "Within `n` working days": the same time of day `n` working days later, counted from `from` or,
 * outside working hours, from the next start of working time. A day counts as one whatever its
 * length, so a shortened day on the way changes nothing, and a deadline that lands on a shortened
 * day after its early closing ends at that closing. Counted from an opening time, the deadline is
 * the closing of the day before (the same working time, and the day the client expects).
 */
export function addWorkingDays(from: Date, n: number, cal: WorkCalendar): Date {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`cannot add ${n} working days`);
  const start = nextWorkingMoment(toLocal(from, cal), cal);
  const timeOfDay = start - startOfDay(start);
  const fromOpening = timeOfDay === workingWindow(cal).open;
  const day = parseIsoDate(nthWorkingDayAfter(isoDateOf(start), fromOpening ? n - 1 : n, cal));
  const dayClose = closingTime(day, cal);
  return fromLocal(day + (fromOpening ? dayClose : Math.min(timeOfDay, dayClose)), cal);
}

// ---- Support clock -------------------------------------------------------------------------

/**
 * `from` plus `minutes` of clock time outside night hours. The support clock runs on every day of
 * the week, holidays included, so it never consults the production calendar (and never throws
 * CalendarMissingError). Night start is inside the night, night end outside; equal start and end
 * mean there is no night.
 */
function addTimeOutsideNight(from: Date, minutes: number, cal: ServiceHours): Date {
  const nightStart = clockTimeMs(cal.nightHours.start);
  const nightEnd = clockTimeMs(cal.nightHours.end);
  const isNight = (local: number) => {
    const time = local - startOfDay(local);
    return nightStart < nightEnd ? time >= nightStart && time < nightEnd : time >= nightStart || time < nightEnd;
  };
  let remaining = minutes * MINUTE_MS;
  let cursor = toLocal(from, cal);
  if (nightStart === nightEnd) return fromLocal(cursor + remaining, cal);
  for (;;) {
    if (isNight(cursor)) cursor = nextTimeOfDay(cursor, nightEnd);
    const nightBegins = nextTimeOfDay(cursor, nightStart);
    if (remaining <= nightBegins - cursor) return fromLocal(cursor + remaining, cal);
    remaining -= nightBegins - cursor;
    cursor = nightBegins;
  }
}

// ---- Deadlines -----------------------------------------------------------------------------

/**
 * The promises of content/promises.yaml that apply to a request of `type` about a project with
 * these terms. Without a project: the standard programme and no SLA.
 */
export function applicablePromises(promises: PromiseList, type: RequestType, project: ProjectTerms = {}): RequestPromise[] {
  const program = project.program ?? "standard";
  const withSla = project.slaReactionMinutes !== undefined;
  return promises[type].promises.filter(
    (promise) => (promise.program === undefined || promise.program === program) && (promise.withSla === undefined || promise.withSla === withSla),
  );
}

/** The instant one promise falls due for a request submitted at `submittedAt`. */
function dueAt(promise: RequestPromise, submittedAt: Date, cal: WorkCalendar, project: ProjectTerms): Date {
  switch (promise.clock) {
    case "sameWorkingDay":
      return endOfWorkingDay(submittedAt, cal);
    case "workingDays":
      return addWorkingDays(submittedAt, promise.amount!, cal);
    case "minutesOutsideNight":
      return addTimeOutsideNight(submittedAt, promise.amount!, cal);
    case "slaReaction": {
      const minutes = project.slaReactionMinutes;
      if (minutes === undefined || !(Number.isFinite(minutes) && minutes > 0)) {
        throw new RangeError(`SLA reaction target must be a positive number of minutes, got ${minutes}`);
      }
      return addTimeOutsideNight(submittedAt, minutes, cal);
    }
  }
}

/**
 * The deadlines promised for a request submitted at `submittedAt`: exactly those of its applicable
 * promises (content/promises.yaml), each on its clock. A kind of request with no promise gets none.
 */
export function requestDeadlines(type: RequestType, submittedAt: Date, cal: WorkCalendar, promises: PromiseList, project: ProjectTerms = {}): RequestDeadlines {
  return Object.fromEntries(applicablePromises(promises, type, project).map((promise) => [promise.deadline, dueAt(promise, submittedAt, cal, project)]));
}

/** The qualifiers ("as a rule, in simple cases") of the deadlines `requestDeadlines` gives the same request. */
export function deadlineQualifiers(type: RequestType, promises: PromiseList, project: ProjectTerms = {}): DeadlineQualifiers {
  return Object.fromEntries(applicablePromises(promises, type, project).flatMap((promise) => (promise.qualifier ? [[promise.deadline, promise.qualifier]] : [])));
}

// ---- Building and showing ------------------------------------------------------------------

/**
 * Merges the yearly production calendars with the working and night hours into one calendar that
 * covers exactly those years. Fails at once on bad hours or two files for the same year.
 */
export function buildWorkCalendar(hours: ServiceHours, calendars: readonly ProductionCalendar[]): WorkCalendar {
  workingWindow(hours);
  clockTimeMs(hours.nightHours.start);
  clockTimeMs(hours.nightHours.end);
  offsetMs(hours);
  const years = calendars.map((calendar) => calendar.year);
  const repeated = years.find((year, index) => years.indexOf(year) !== index);
  if (repeated !== undefined) throw new Error(`two production calendars for ${repeated}`);
  return {
    utcOffset: hours.utcOffset,
    workingHours: { start: hours.workingHours.start, end: hours.workingHours.end },
    nightHours: { start: hours.nightHours.start, end: hours.nightHours.end },
    preHolidayShorteningMinutes: hours.preHolidayShorteningMinutes,
    holidays: calendars.flatMap((calendar) => calendar.holidays),
    workingWeekends: calendars.flatMap((calendar) => calendar.workingWeekends),
    shortenedDays: calendars.flatMap((calendar) => calendar.shortenedDays),
    years: years.sort((a, b) => a - b),
  };
}

/** The calendar date (YYYY-MM-DD) of an instant in the calendar's time zone: "today" in Moscow. */
export function calendarDate(at: Date, cal: ServiceHours): string {
  return isoDateOf(toLocal(at, cal));
}

/** ISO 8601 with the calendar's offset, to the second: "2025-03-14T18:00:00+03:00". */
export function formatDeadline(d: Date, cal: ServiceHours): string {
  return `${new Date(toLocal(d, cal)).toISOString().slice(0, 19)}${cal.utcOffset}`;
}
