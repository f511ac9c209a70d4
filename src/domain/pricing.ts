/** Money and hour figures as the site and e-mails print them. */
import { numberFormat } from "./format";
import type { Lang } from "./schemas/common";
import type { PriceList, PreventionPlanId } from "./schemas/prices";

/** "15,000 ₽" / "15 000 ₽". */
export function formatRubles(amount: number, lang: Lang): string {
  return `${numberFormat(lang, 0).format(amount)}\u00a0₽`;
}

/** "1.5" / "1,5". */
export function formatHours(hours: number, lang: Lang): string {
  return numberFormat(lang, 2).format(hours);
}

export type PriceItem = "supportHourlyRate" | "warrantyExtension" | PreventionPlanId;

/** The amount for one line of the price list. */
export function priceOf(prices: PriceList, item: PriceItem): number {
  if (item === "supportHourlyRate") return prices.supportHourlyRate;
  if (item === "warrantyExtension") return prices.warrantyExtension.price;
  const plan = prices.preventionPlans.find((candidate) => candidate.id === item);
  if (!plan) throw new Error(`The price list has no prevention plan "${item}"`);
  return plan.pricePerMonth;
}

/** Hourly rate for a project: its own agreed rate, else the price list's. */
export function supportRateFor(project: { supportRate?: number | undefined }, prices: PriceList): number {
  return project.supportRate ?? prices.supportHourlyRate;
}
