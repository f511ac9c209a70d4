import { z } from "zod";
import { IsoDateSchema } from "./common";
import { sampleable } from "./sample";

const RublesSchema = z.number().int("must be a whole number of roubles").positive();

/** One systemic-prevention plan. */
export const PreventionPlanSchema = z.object({
  /** Stable id used by project files (`prevention.plan`). */
  id: z.enum(["twice-monthly", "four-times-monthly"]),
  /** Visits per month. */
  visitsPerMonth: z.number().int().positive(),
  /** Hours spent per visit. */
  hoursPerVisit: z.number().positive(),
  /** Price per month, roubles. */
  pricePerMonth: RublesSchema,
});
export type PreventionPlan = z.infer<typeof PreventionPlanSchema>;
export type PreventionPlanId = PreventionPlan["id"];

/**
 * `content/prices.yaml`: the price list. Pages render every figure from here. A field wrapped in
 * `sampleable` may be written `{ sample: <value> }` until the agency confirms it (sample.ts).
 */
export const PriceListSchema = z
  .object({
    /** Currency of every price in this file. */
    currency: z.literal("RUB").default("RUB"),
    /** Date the price list took effect. */
    effectiveFrom: IsoDateSchema,
    /** Technical support: price of one hour of work, roubles. */
    supportHourlyRate: sampleable(RublesSchema),
    /** Warranty extension to one year from the date of purchase. */
    warrantyExtension: z.object({
      /** Price, roubles. */
      price: RublesSchema,
      /** Length of the extended warranty, months from the date of purchase. */
      months: z.number().int().positive().default(12),
    }),
    /** Systemic prevention plans. */
    preventionPlans: z.array(PreventionPlanSchema).min(1),
  })
  .strict();
export type PriceList = z.infer<typeof PriceListSchema>;
