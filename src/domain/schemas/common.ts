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

/** One DNS label in ASCII: letters, digits and inner hyphens, at most 63 characters. */
const ASCII_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
/** What a domain may be typed with: letters and digits of any script, dots and hyphens. */
const DOMAIN_CHARACTERS = /^[\p{L}\p{M}\p{N}.-]+$/u;
/** A dot-atom of letters, digits and `_+-`: no `%` or `!`, which route mail to another host (percent hack, bang paths). */
const LOCAL_PART = /^[A-Za-z0-9_+-]+(\.[A-Za-z0-9_+-]+)*$/;

/**
 * A mail domain in the form it travels in (an IDN as punycode, lower-case), or undefined when it is
 * not a host name of two labels or more. IP addresses (`127.0.0.1`, `[127.0.0.1]`) and numeric
 * top-level labels are refused: MTAs refuse them, or deliver to a host nobody meant.
 */
export function asciiDomain(domain: string): string | undefined {
  if (!DOMAIN_CHARACTERS.test(domain)) return undefined;
  let host: string;
  try {
    // The URL parser maps a domain by UTS #46, as browsers and nodemailer's domainToASCII do.
    host = new URL(`http://${domain}/`).hostname;
  } catch {
    return undefined;
  }
  const labels = host.split(".");
  const numericTop = /^\d+$/.test(labels.at(-1) ?? "");
  return host.length <= 253 && labels.length >= 2 && !numericTop && labels.every((label) => ASCII_LABEL.test(label)) ? host : undefined;
}

/**
 * A single plain e-mail address: no display name, no list, no control characters; a local part of
 * dot-separated atoms of at most 64 characters (".x@" or "a..b@" would reach the mail server
 * re-quoted, i.e. as a different address); a domain by `asciiDomain`, IDNs included (`ivan@пример.рф`).
 */
export const EmailAddressSchema = z
  .string()
  .max(254)
  .refine((value) => {
    const at = value.lastIndexOf("@");
    const local = value.slice(0, at);
    const domain = asciiDomain(value.slice(at + 1));
    return at > 0 && at <= 64 && LOCAL_PART.test(local) && domain !== undefined && at + 1 + domain.length <= 254;
  }, "must be a single plain e-mail address");
