import { z } from "zod";
import { IsoDateSchema } from "./common";

const utcMidnight = (date: string) => new Date(`${date}T00:00:00Z`);
const isRealDate = (date: string) => {
  const parsed = utcMidnight(date);
  return /^\d{4}-\d{2}-\d{2}$/.test(date) && !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(date);
};
const isWeekend = (date: string) => [0, 6].includes(utcMidnight(date).getUTCDay());

/**
 * `content/calendars/<year>.yaml`: one year of the Russian production calendar. The transfers of
 * days off change by government decree every year, so each year is its own file naming its decree.
 */
export const ProductionCalendarSchema = z
  .object({
    /** Calendar year the file describes. */
    year: z.number().int().min(2000).max(2100),
    /** Who decreed the transfers of days off for this year (named so anyone can check it). */
    source: z.string().min(10),
    /** Link to the decree or an official copy of the calendar. */
    sourceUrl: z.string().url().optional(),
    /** Non-working weekdays (Mon–Fri) only: public holidays and transferred days off. */
    holidays: z.array(IsoDateSchema),
    /** Saturdays and Sundays made working days by the decree. */
    workingWeekends: z.array(IsoDateSchema).default([]),
    /** Working days that end early because a public holiday follows (Labour Code art. 95; how early: settings). */
    shortenedDays: z.array(IsoDateSchema).default([]),
  })
  .strict()
  .superRefine((calendar, ctx) => {
    const isDayOff = (date: string) =>
      calendar.holidays.includes(date) || (isWeekend(date) && !calendar.workingWeekends.includes(date));
    const check = (list: "holidays" | "workingWeekends" | "shortenedDays", rule: (date: string) => string | undefined) => {
      const seen = new Set<string>();
      calendar[list].forEach((date, index) => {
        const issue = (message: string) => ctx.addIssue({ code: "custom", path: [list, index], message });
        // A malformed date already has its own message from IsoDateSchema.
        if (!isRealDate(date)) return;
        if (!date.startsWith(`${calendar.year}-`)) issue(`${date} is not in ${calendar.year}`);
        else {
          const problem = rule(date);
          if (problem) issue(`${date} ${problem}`);
        }
        if (seen.has(date)) issue(`${date} is listed twice`);
        seen.add(date);
      });
    };
    check("holidays", (date) =>
      isWeekend(date) ? "is not a weekday (list only Monday–Friday days off; weekends are days off anyway)" : undefined,
    );
    check("workingWeekends", (date) =>
      isWeekend(date) ? undefined : "is not a Saturday or Sunday (ordinary weekdays are working days anyway)",
    );
    check("shortenedDays", (date) => {
      if (isDayOff(date)) return "is not a working day, so it cannot be shortened";
      // 1 January is always a public holiday (art. 112), so 31 December needs no look into next year's file.
      const next = new Date(utcMidnight(date).getTime() + 86_400_000).toISOString().slice(0, 10);
      if (next.startsWith(`${calendar.year}-`) && !isDayOff(next)) {
        return `is followed by a working day (${next}); only the day before a public holiday is shortened`;
      }
      return undefined;
    });
  });
export type ProductionCalendar = z.infer<typeof ProductionCalendarSchema>;
