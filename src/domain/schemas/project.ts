import { z } from "zod";
import { EmailAddressSchema, HttpUrlSchema, IsoDateSchema, LangSchema, LocalizedTextSchema } from "./common";

/** Events that end the standard warranty (seed 000, "How to save warranty obligations"). */
export const VoidingEventKindSchema = z.enum([
  "debt",
  "hosting-moved",
  "code-changed",
  "links-removed",
  "site-sold",
  "conditions-violated",
]);

export const VoidingEventSchema = z
  .object({
    /** What happened. */
    kind: VoidingEventKindSchema,
    /** Date it happened (for a debt: the date payment or documents fell due). */
    on: IsoDateSchema,
    /** For a debt: the date it was settled; absent while unsettled. */
    settledOn: IsoDateSchema.optional(),
    /** Internal note for the team. */
    note: z.string().optional(),
  })
  .strict()
  .refine((e) => e.settledOn === undefined || e.kind === "debt", {
    message: "only a debt can have settledOn",
    path: ["settledOn"],
  })
  .refine((e) => e.settledOn === undefined || e.settledOn >= e.on, {
    message: "settledOn cannot be earlier than on",
    path: ["settledOn"],
  });

/** SLA targets agreed with the client (seed 001, "service warranty"). */
export const SlaAgreementSchema = z
  .object({
    /** Date the SLA agreement took effect. */
    since: IsoDateSchema,
    /** Target time from an incident report to the first reaction, minutes. */
    reactionMinutes: z.number().int().positive(),
    /** Target time to restore service, hours. */
    restoreHours: z.number().positive(),
    /** Target availability per month, percent. */
    availabilityPercent: z.number().min(90).max(100),
    /** Support availability period from the agreement, in each language (e.g. "Mon–Fri 09:00–18:00"). */
    supportPeriod: LocalizedTextSchema,
  })
  .strict();

/** "2026-02-10" → "2026-02-28". */
function lastDayOfMonth(date: string): string {
  // Day 0 of the next month is the last day of this one.
  return new Date(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)), 0)).toISOString().slice(0, 10);
}

const CAPABILITY_TOKEN = /^[A-Za-z0-9_-]{32,}$/;

/** `content/projects/<slug>/project.yaml`: one client project. */
export const ProjectSchema = z
  .object({
    /** Project name as the client knows it. */
    name: LocalizedTextSchema,
    /** Client organisation. */
    client: z.string().min(2),
    /** Language the client reads: findings waiting for their decision must be written in it. */
    clientLanguage: LangSchema.default("ru"),
    /** Public projects are listed and searchable; private ones live only under their capability URL. */
    visibility: z.enum(["public", "private"]).default("public"),
    /** Capability token for a private project's URL: at least 32 random URL-safe characters. */
    accessToken: z.string().regex(CAPABILITY_TOKEN, "must be at least 32 characters of A–Z, a–z, 0–9, _ or -").optional(),
    /** One-paragraph description in each language. */
    summary: LocalizedTextSchema,
    /** The live site. */
    siteUrl: HttpUrlSchema.optional(),
    /** Warranty terms of this project. */
    warranty: z
      .object({
        /** Which warranty applies: standard (3 months + extensions) or development & implementation. */
        program: z.enum(["standard", "development"]).default("standard"),
        /** Completion date of the last development stage. */
        completedOn: IsoDateSchema,
        /** Purchases of the 1-year warranty extension. */
        extensions: z.array(z.object({ purchasedOn: IsoDateSchema }).strict()).default([]),
        /** Events that void the warranty. */
        events: z.array(VoidingEventSchema).default([]),
      })
      .strict(),
    /** Hourly support rate agreed for this project, roubles; absent → the price list's rate. */
    supportRate: z.number().int().positive().optional(),
    /** Systemic prevention plan, if ordered. Priced per calendar month, so it runs in whole months. */
    prevention: z
      .object({
        /** Plan id from the price list. */
        plan: z.enum(["twice-monthly", "four-times-monthly"]),
        /** First day the plan covers: the first day of a month. */
        since: IsoDateSchema.refine((date) => date.endsWith("-01"), {
          message: "must be the first day of a month: the plan is priced per calendar month (pricePerMonth in prices.yaml)",
        }),
        /** Last day the plan covers: the last day of a month; absent while the agreement runs. */
        until: IsoDateSchema.refine((date) => date === lastDayOfMonth(date), {
          message: "must be the last day of a month: the plan is priced per calendar month (pricePerMonth in prices.yaml)",
        }).optional(),
      })
      .strict()
      .refine((plan) => plan.until === undefined || plan.until > plan.since, { message: "until must be later than since", path: ["until"] })
      .optional(),
    /** SLA agreement, if signed. */
    sla: SlaAgreementSchema.optional(),
    /** Team addresses that receive this project's requests. Server-only: never rendered into the site. */
    team: z.array(EmailAddressSchema).min(1, "needs at least one team address"),
  })
  .strict()
  .refine((p) => p.visibility === "public" || p.accessToken !== undefined, {
    message: "a private project needs an accessToken (at least 32 random characters)",
    path: ["accessToken"],
  })
  .refine((p) => p.visibility === "private" || p.accessToken === undefined, {
    message: "only a private project has an accessToken",
    path: ["accessToken"],
  });
export type Project = z.infer<typeof ProjectSchema>;
