import { z } from "zod";
import { IsoDateSchema } from "./common";

const dayOfWeek = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();
const isWeekend = (date: string) => dayOfWeek(date) === 0 || dayOfWeek(date) === 6;

/** `content/calendars/<year>.yaml`: one year of the Russian production calendar. */
export const ProductionCalendarSchema = z
  .object({
    /** Calendar year. */
    year: z.number().int().min(2000).max(2100),
    /** Who decreed the transfers of days off for this year (named so anyone can check it). */
    source: z.string().min(10),
    /** Link to the decree or an official copy of the calendar. */
    sourceUrl: z.string().url().optional(),
    /** Non-working weekdays (Mon–Fri): public holidays and transferred days off. */
    holidays: z.array(IsoDateSchema),
    /** Saturdays and Sundays made working days. */
    workingWeekends: z.array(IsoDateSchema).default([]),
  })
  .strict()
  .superRefine((calendar, ctx) => {
    const check = (list: "holidays" | "workingWeekends", wantWeekend: boolean, what: string) => {
      const seen = new Set<string>();
      calendar[list].forEach((date, index) => {
        if (!date.startsWith(`${calendar.year}-`)) ctx.addIssue({ code: "custom", path: [list, index], message: `${date} is not in ${calendar.year}` });
        if (isWeekend(date) !== wantWeekend) ctx.addIssue({ code: "custom", path: [list, index], message: `${date} is not ${what}` });
        if (seen.has(date)) ctx.addIssue({ code: "custom", path: [list, index], message: `${date} is listed twice` });
        seen.add(date);
      });
    };
    check("holidays", false, "a weekday (list only Monday–Friday days off)");
    check("workingWeekends", true, "a Saturday or Sunday");
  });
export type ProductionCalendar = z.infer<typeof ProductionCalendarSchema>;
