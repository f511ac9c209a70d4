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
  })
  .strict()
  .superRefine((calendar, ctx) => {
    const check = (list: "holidays" | "workingWeekends", wantWeekend: boolean, what: string) => {
      const seen = new Set<string>();
      calendar[list].forEach((date, index) => {
        const issue = (message: string) => ctx.addIssue({ code: "custom", path: [list, index], message });
        // A malformed date already has its own message from IsoDateSchema.
        if (!isRealDate(date)) return;
        if (!date.startsWith(`${calendar.year}-`)) issue(`${date} is not in ${calendar.year}`);
        if (isWeekend(date) !== wantWeekend) issue(`${date} is not ${what}`);
        if (seen.has(date)) issue(`${date} is listed twice`);
        seen.add(date);
      });
    };
    check("holidays", false, "a weekday (list only Monday–Friday days off; weekends are days off anyway)");
    check("workingWeekends", true, "a Saturday or Sunday (ordinary weekdays are working days anyway)");
  });
export type ProductionCalendar = z.infer<typeof ProductionCalendarSchema>;
