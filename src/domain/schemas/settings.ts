import { z } from "zod";
import { contrastOn, HEX_COLOUR, MIN_TEXT_CONTRAST, SCHEME_BACKGROUNDS } from "../colour";
import { innProblem, ogrnProblem } from "../legal-ids";
import { ClockTimeSchema, HttpUrlSchema, LocalizedTextSchema } from "./common";
import { sampleable } from "./sample";

/** "09:30" → 570; only called on values ClockTimeSchema accepted. */
const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

const HoursRangeSchema = z.object({
  /** Start of the range, Moscow time, HH:MM (inclusive). */
  start: ClockTimeSchema,
  /** End of the range, Moscow time, HH:MM (exclusive). A night range may wrap past midnight. */
  end: ClockTimeSchema,
});

/** The accent colour: `#rrggbb` that reaches 4.5:1 on the light scheme's background and surface (the dark scheme derives its own, colour.ts). */
const AccentColourSchema = z
  .string()
  .regex(HEX_COLOUR, "must be a colour written #rrggbb")
  .refine((colour) => contrastOn("light", colour) >= MIN_TEXT_CONTRAST, (colour) => ({
    message: `contrast ${contrastOn("light", colour).toFixed(2)}:1 on the light background (${SCHEME_BACKGROUNDS.light.bg}, ${SCHEME_BACKGROUNDS.light.surface}) is under ${MIN_TEXT_CONTRAST}:1: choose a darker colour`,
  }));

/** A refinement that reports what `problem` finds wrong with a string, as the field's one message. */
const refuseWith = (problem: (value: string) => string | undefined) => (value: string, ctx: z.RefinementCtx) => {
  const message = problem(value);
  if (message) ctx.addIssue({ code: "custom", message });
};

/**
 * `content/settings.yaml`: who the agency is, how to reach it, and its working clock. Fields wrapped
 * in `sampleable` may be written `{ sample: <value> }` until the agency confirms them (sample.ts).
 */
export const SiteSettingsSchema = z
  .object({
    /** Agency name shown in the header, titles and e-mails. */
    agencyName: LocalizedTextSchema,
    /** How the site looks as the agency's own. */
    brand: z.object({
      /** The agency's logo, an SVG file inside the content folder (e.g. `brand/logo.svg`), shown in the header and on printed pages. Required. */
      logo: sampleable(z.string().regex(/^(?!\/)(?!.*\.\.)[\w./-]+\.svg$/, "must be the path of an .svg file inside the content folder, e.g. brand/logo.svg")),
      /** Accent colour of links, buttons and focus rings on the light scheme; the dark scheme uses a lighter variant of it. Default #1d4ed8. */
      accentColor: sampleable(AccentColourSchema).default("#1d4ed8"),
    }),
    /** The company's legal details, shown in the footer and on printed pages. Required. */
    legal: z.object({
      /** Registered name, e.g. ООО «Веб-студия» / Web Studio LLC. */
      name: sampleable(LocalizedTextSchema),
      /** Registered (legal) address. */
      address: sampleable(LocalizedTextSchema),
      /** Taxpayer number (ИНН): 10 digits for a company, 12 for a sole trader, check digits verified. */
      inn: sampleable(z.string().superRefine(refuseWith(innProblem))),
      /** Primary state registration number (ОГРН, 13 digits; ОГРНИП of a sole trader, 15), check digit verified. */
      ogrn: sampleable(z.string().superRefine(refuseWith(ogrnProblem))),
    }),
    /** Public origin of the site, used for canonical URLs, the sitemap and Open Graph tags. */
    siteUrl: sampleable(HttpUrlSchema),
    /** How clients reach the agency. */
    contacts: z.object({
      /** WhatsApp chat link (https://wa.me/...). */
      whatsapp: sampleable(HttpUrlSchema),
      /** Public support e-mail address shown on the site. */
      email: sampleable(z.string().email()),
      /** Phone number as it should be dialled, e.g. +7 495 000-00-00. */
      phone: sampleable(z.string().regex(/^\+?[0-9 ()-]{7,20}$/, "must be a phone number such as +7 495 000-00-00")),
    }),
    /** Outside links from the agency's materials. */
    links: z.object({
      /** Component demo stand: tables, forms, modal windows, diagrams, a map. */
      componentDemo: sampleable(HttpUrlSchema),
      /** Solution demo site: basic solutions to adapt. */
      solutionDemo: sampleable(HttpUrlSchema),
    }),
    /** IANA time zone all promises are made in. */
    timeZone: z.literal("Europe/Moscow").default("Europe/Moscow"),
    /** Fixed UTC offset of that zone (Moscow has no daylight saving time). */
    utcOffset: z.literal("+03:00").default("+03:00"),
    /** Working hours on working days. */
    workingHours: sampleable(HoursRangeSchema),
    /** Night hours, during which the support first-response clock stops. */
    nightHours: sampleable(HoursRangeSchema),
    /** Minutes by which working hours end earlier on a calendar's shortened pre-holiday day (Labour Code art. 95: one hour). */
    preHolidayShorteningMinutes: z.number().int().min(0).default(60),
    // The agency's documents state no retention period: each of the four below is required (a default would
    // publish a figure nobody chose without saying so) and written `{ sample: … }` until the agency confirms it.
    /** Days the form service keeps the count of searches that found no full answer (query text only; the privacy page says so). Required, no default. */
    unansweredSearchRetentionDays: sampleable(z.number().int().min(1).max(366)),
    /** Days the form service keeps articles' "was this helpful?" votes and the comments' masked text (the privacy page says so). Required, no default. */
    articleFeedbackRetentionDays: sampleable(z.number().int().min(1).max(366)),
    /** Days the form service keeps clients' answers to "How did we do?" (score, comment, day, project; the privacy page says so) for the SLA reports' satisfaction figures. Required, no default. */
    ratingRetentionDays: sampleable(z.number().int().min(1).max(3660)),
    /** Days the form service keeps a delivered request's receipt (number, type, project, times, deadlines — no personal data), and so its status link, after the team received it: long enough for the fix to show there and be rated (the privacy page says so). Required, no default. */
    requestStatusRetentionDays: sampleable(z.number().int().min(1).max(3660)),
  })
  .strict()
  .refine((s) => s.workingHours.start < s.workingHours.end, {
    message: "workingHours.start must be earlier than workingHours.end",
    path: ["workingHours"],
  })
  .refine((s) => minutesOf(s.workingHours.end) - minutesOf(s.workingHours.start) > s.preHolidayShorteningMinutes, {
    message: "must be shorter than the working day (workingHours)",
    path: ["preHolidayShorteningMinutes"],
  });
export type SiteSettings = z.infer<typeof SiteSettingsSchema>;
