import { z } from "zod";

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Formats a Date (as YAML parsers may produce one) as YYYY-MM-DD in UTC. */
function toIsoDate(value: Date): string {
  return value.toISOString().slice(0, 10);
}

function isRealDate(value: string): boolean {
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && toIsoDate(parsed) === value;
}

/**
 * A calendar date as `YYYY-MM-DD`. YAML parsers disagree on whether an unquoted date is a string
 * or a Date, so both are accepted and normalised to the string form.
 */
export const IsoDateSchema = z
  .union([z.string(), z.date().transform(toIsoDate)])
  .refine((value) => ISO_DATE.test(value) && isRealDate(value), {
    message: "must be a real date written as YYYY-MM-DD",
  });

/** A clock time `HH:MM` (24-hour). */
export const ClockTimeSchema = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be a time written as HH:MM (00:00–23:59)");

/** An absolute http(s) URL. */
export const HttpUrlSchema = z
  .string()
  .url("must be an absolute URL")
  .refine((value) => /^https?:\/\//i.test(value), { message: "must start with http:// or https://" });

/** The site's two languages. */
export const LangSchema = z.enum(["en", "ru"]);
export type Lang = z.infer<typeof LangSchema>;
export const LANGS: readonly Lang[] = LangSchema.options;

/** Text given in both languages. */
export const LocalizedTextSchema = z.object({
  /** English text. */
  en: z.string().min(1),
  /** Russian text. */
  ru: z.string().min(1),
});
export type LocalizedText = z.infer<typeof LocalizedTextSchema>;

/**
 * A single plain e-mail address: no display name, no list, no control characters; a local part of
 * dot-separated atoms of at most 64 characters (".x@" or "a..b@" would reach the mail server
 * re-quoted, i.e. as a different address).
 */
export const EmailAddressSchema = z
  .string()
  .max(254)
  .regex(/^(?=[^@]{1,64}@)[A-Za-z0-9_%+-]+(\.[A-Za-z0-9_%+-]+)*@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/, "must be a single plain e-mail address");
