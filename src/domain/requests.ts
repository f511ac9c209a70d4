/**
 * Request forms: the zod schemas the forms validate with in the browser and the form service
 * validates with on the server, plus the constants both sides must agree on (attachment limits,
 * the signed-form placeholders, the "request received" page). Pure: zod and domain imports only.
 *
 * Every validation message is an i18n KEY (see `src/i18n/requests.<lang>.json`); `issuesFromZod`
 * resolves them in the form's language.
 */
import { z } from "zod";
import { EmailAddressSchema, LangSchema, type Lang } from "./schemas/common";
import { MAX_COMMENT_LENGTH } from "./article-feedback";
import { DEADLINE_KINDS, type DeadlineKind } from "./schemas/promises";

import type { RequestType, TicketType } from "./request-types";
export { REQUEST_TYPES, TICKET_TYPES, requestFormPath, takesProject, type RequestType, type TicketType } from "./request-types";

/** Ticket ids are `<letter>-<8 × base32>`, e.g. `W-7K3F9QXM`; the change log's `ticket` field accepts them. */
export const TICKET_PREFIX: Record<TicketType, string> = {
  warranty: "W",
  support: "S",
  prevention: "P",
  extension: "E",
  consultation: "C",
  incident: "I",
  feedback: "F",
};
export const TICKET_ID_PATTERN = /^[A-Z]-[0-9A-Z]{8}$/;

/** Screenshots and other attachments: at most 5 images, 5 MB each, PNG, JPEG or WebP. */
export const ATTACHMENTS = {
  /** Multipart field name carrying the files. */
  field: "attachments",
  maxFiles: 5,
  maxBytes: 5 * 1024 * 1024,
  /** Accepted types (checked by content, not by name) and the extension each is stored under. */
  types: { "image/png": "png", "image/jpeg": "jpg", "image/webp": "webp" },
  /** Request types whose form offers attachments. */
  allowedFor: ["warranty", "support"] as readonly RequestType[],
} as const;
export type AttachmentMime = keyof typeof ATTACHMENTS.types;

/**
 * Form pages are static, so the form service signs them as it serves them: it replaces these
 * placeholders (the `value` of hidden inputs) with a fresh render time, its HMAC and a new
 * idempotency key. The enhanced form may instead fetch the same three values from `FORM_TOKEN_PATH`.
 */
export const FORM_TOKEN_PLACEHOLDERS = {
  renderedAt: "__FORM_RENDERED_AT__",
  formSignature: "__FORM_SIGNATURE__",
  idempotencyKey: "__FORM_IDEMPOTENCY_KEY__",
} as const;
export const FORM_TOKEN_PATH = "/api/form-token";
export const REQUESTS_PATH = "/api/requests";

/**
 * Where a form without JavaScript lands after submitting (`303`): `/<lang>/request/received/?id=…`.
 * The site's static page carries `RECEIPT_SLOT` (write it with `set:html`, comments survive that);
 * the form service replaces it with the id, type and deadlines of the request.
 */
export const RECEIPT = {
  path: (lang: Lang) => `/${lang}/request/received/`,
  idParam: "id",
  slot: "<!--request-receipt-->",
  /** Closes the slot: what stands between the two (the page's heading) is replaced as well, so an unknown number gets its own heading. */
  slotEnd: "<!--/request-receipt-->",
} as const;

/** i18n keys of the validation messages. */
export const MESSAGES = {
  required: "validation.required",
  tooLong: "validation.tooLong",
  singleLine: "validation.singleLine",
  invalid: "validation.invalid",
  choice: "validation.choice",
  type: "validation.type",
  unknownField: "validation.unknownField",
  email: "field.email.invalid",
  phone: "field.phone.invalid",
  url: "field.url.invalid",
  date: "field.date.invalid",
  dateTime: "field.dateTime.invalid",
  consent: "field.consent.required",
  project: "field.project.unknown",
  noAttachments: "field.attachments.notAccepted",
  tooFast: "validation.tooFast",
  keyReused: "validation.keyReused",
} as const;

/** Path of an issue about the submission as a whole (sent too fast, key reused), not one field. */
export const FORM_ISSUE_PATH = "form";

/** Longest accepted value of each kind of field, in characters (forms can use them as `maxlength`). */
export const LIMITS = { name: 120, phone: 40, shortText: 200, browser: 300, url: 2048, longText: 5000 } as const;

/** An idempotency key, from the hidden field or the `Idempotency-Key` header: a UUID or similar. */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9-]{8,255}$/;

// Control characters never belong in a value; single-line values also refuse CR/LF (header injection).
const CONTROL_SINGLE_LINE = /[\u0000-\u001f\u007f]/;
const CONTROL_MULTI_LINE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const LOCAL_DATE_TIME = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d$/;
/**
 * Invisible formatting: bidi embeddings, overrides, isolates and marks, and zero-width characters.
 * They make a name or a file name read otherwise than it is (`invoice\u202Egpj.exe` shows as
 * `invoiceexe.jpg`), and nobody types them on purpose, so they are removed from every text.
 */
const INVISIBLE_FORMATTING = /[\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/g;

/** `text` without invisible formatting characters (see INVISIBLE_FORMATTING). */
export function withoutInvisibleFormatting(text: string): string {
  return text.replace(INVISIBLE_FORMATTING, "");
}

const visibleOnly = (value: unknown) => (typeof value === "string" ? withoutInvisibleFormatting(value) : value);
/** Blank, whitespace-only or invisible-only form values count as "not given". */
const blankToUndefined = (value: unknown) => (typeof value === "string" && withoutInvisibleFormatting(value).trim() === "" ? undefined : value);
/** A token placeholder nobody filled in (the page came from a static host) counts as "not given". */
const unfilled = (placeholder: string) => (value: unknown) => (value === placeholder ? undefined : value);
/** Browsers send textarea line breaks as CRLF; store LF so lengths match what the user typed. */
const normalizeNewlines = (value: unknown) => (typeof value === "string" ? value.replace(/\r\n?/g, "\n") : value);

const singleLine = (max: number) =>
  z.preprocess(
    visibleOnly,
    z
      .string()
      .trim()
      .min(1, MESSAGES.required)
      .max(max, MESSAGES.tooLong)
      .refine((value) => !CONTROL_SINGLE_LINE.test(value), MESSAGES.singleLine),
  );

const multiLine = (max: number) =>
  z.preprocess(
    (value) => normalizeNewlines(visibleOnly(value)),
    z
      .string()
      .trim()
      .min(1, MESSAGES.required)
      .max(max, MESSAGES.tooLong)
      .refine((value) => !CONTROL_MULTI_LINE.test(value), MESSAGES.invalid),
  );

const optional = <T extends z.ZodTypeAny>(schema: T) => z.preprocess(blankToUndefined, schema.optional());

const httpUrl = singleLine(LIMITS.url).refine((value) => {
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
  } catch {
    return false;
  }
}, MESSAGES.url);

const projectSlug = z.string().trim().min(1, MESSAGES.required).max(64, MESSAGES.tooLong).regex(SLUG, MESSAGES.choice);
/**
 * The capability token of a private project, sent by the forms under its capability URL; the
 * server takes a private project only with its own token (an unknown or another token → 422).
 */
const projectAccess = optional(z.string().max(128, MESSAGES.tooLong).regex(/^[A-Za-z0-9_-]+$/, MESSAGES.invalid));

/**
 * A checkbox: `on`/`true` from a form, `true` from JSON. A custom check, not `z.literal`: its
 * message is the issue's own, which the error map of `parseRequest` cannot replace.
 */
const checked = z.preprocess(
  (value) => value === true || value === "on" || value === "true",
  z.custom<true>((value) => value === true, { message: MESSAGES.consent }),
);

/** Fields every form has. */
const CommonFields = z.object({
  /** Client's name as they sign; no default. */
  name: singleLine(LIMITS.name),
  /** Client's e-mail: one plain address (the confirmation goes there); no default. */
  email: z
    .string()
    .trim()
    .min(1, MESSAGES.required)
    .max(254, MESSAGES.tooLong)
    .refine((value) => EmailAddressSchema.safeParse(value).success, MESSAGES.email),
  /** Phone for a call back; optional, default none. */
  phone: optional(singleLine(LIMITS.phone).refine((value) => /^\+?[0-9 ()\-.]{5,}$/.test(value), MESSAGES.phone)),
  /** Language of the form, of the 422 messages and of the confirmation; default English. */
  lang: LangSchema.default("en"),
  /** Consent to personal-data processing: must be given; no default. */
  consent: checked,
  /** Honeypot: hidden from people, so any value marks a bot (quarantined, not rejected); default empty. */
  website: z.string().max(LIMITS.shortText).default(""),
  /** Render time of the form, ms since epoch, as signed by the server; absent or unfilled → unsigned (sent, flagged for the team). */
  renderedAt: z.preprocess(unfilled(FORM_TOKEN_PLACEHOLDERS.renderedAt), z.string().max(20).optional()),
  /** HMAC of `renderedAt` by the server; absent or unfilled → unsigned (sent, flagged for the team). */
  formSignature: z.preprocess(unfilled(FORM_TOKEN_PLACEHOLDERS.formSignature), z.string().max(128).optional()),
  /** Generated when the form is rendered; retries with the same key get the same ticket; optional, unfilled = absent. */
  idempotencyKey: z.preprocess(unfilled(FORM_TOKEN_PLACEHOLDERS.idempotencyKey), optional(z.string().regex(IDEMPOTENCY_KEY_PATTERN, MESSAGES.invalid))),
});

/** Warranty claim. */
export const WarrantyRequestSchema = CommonFields.extend({
  type: z.literal("warranty"),
  /** Project slug; no default. */
  project: projectSlug,
  /** Capability token of a private project (its forms send it); absent for public projects. */
  projectAccess,
  /** Page where the error shows, http/https only; no default. */
  pageUrl: httpUrl,
  /** Login of the user who met the error; optional, default none. */
  userLogin: optional(singleLine(LIMITS.shortText)),
  /** Browser and version (pre-filled from the browser, editable); optional, default none. */
  browser: optional(singleLine(LIMITS.browser)),
  /** What happened; no default. */
  happened: multiLine(LIMITS.longText),
  /** What was expected instead; no default. */
  expected: multiLine(LIMITS.longText),
}).strict();

/** Technical-support (improvement) request. */
export const SupportRequestSchema = CommonFields.extend({
  type: z.literal("support"),
  /** Project slug; no default. */
  project: projectSlug,
  /** Capability token of a private project (its forms send it); absent for public projects. */
  projectAccess,
  /** What the client wants done; no default. */
  wanted: multiLine(LIMITS.longText),
  /** Date the client would like it by, YYYY-MM-DD; optional, default none. */
  desiredDate: optional(z.string().regex(ISO_DATE, MESSAGES.date)),
  /** How urgent it is for the client; default normal. */
  priority: z.enum(["low", "normal", "high"], { errorMap: () => ({ message: MESSAGES.choice }) }).default("normal"),
}).strict();

/** Order of a systemic-prevention plan. */
export const PreventionRequestSchema = CommonFields.extend({
  type: z.literal("prevention"),
  /** Plan id from the price list; default two visits a month. */
  plan: z.enum(["twice-monthly", "four-times-monthly"], { errorMap: () => ({ message: MESSAGES.choice }) }).default("twice-monthly"),
  /** The site to look after, http/https only; no default. */
  siteUrl: httpUrl,
  /** Where the site runs; default "not sure". */
  serverKind: z
    .enum(["windows-vps", "linux-vps", "shared-hosting", "own-server", "not-sure"], { errorMap: () => ({ message: MESSAGES.choice }) })
    .default("not-sure"),
}).strict();

/** Purchase of the 1-year warranty extension. */
export const ExtensionRequestSchema = CommonFields.extend({
  type: z.literal("extension"),
  /** Project slug; no default. */
  project: projectSlug,
  /** Capability token of a private project (its forms send it); absent for public projects. */
  projectAccess,
}).strict();

/** "Discuss the project": a free question about a new project. */
export const ConsultationRequestSchema = CommonFields.extend({
  type: z.literal("consultation"),
  /** The question; no default. */
  question: multiLine(LIMITS.longText),
}).strict();

/** Urgent outage report (SLA clients). */
export const IncidentRequestSchema = CommonFields.extend({
  type: z.literal("incident"),
  /** Project slug; no default. */
  project: projectSlug,
  /** Capability token of a private project (its forms send it); absent for public projects. */
  projectAccess,
  /** Address that is down or failing, http/https only; no default. */
  url: httpUrl,
  /** When it started, Moscow time, `YYYY-MM-DDTHH:MM` (a datetime-local input); no default. */
  since: z.string().regex(LOCAL_DATE_TIME, MESSAGES.dateTime),
  /** Who and what is affected; no default. */
  impact: multiLine(LIMITS.longText),
}).strict();

/**
 * An article's "what was missing" (ticket type `feedback`), sent from the end of a terms article after
 * a "no". No name, address or consent: nobody is asked who they are, and nobody gets a confirmation.
 */
export const FeedbackCommentSchema = CommonFields.pick({ lang: true, website: true, renderedAt: true, formSignature: true, idempotencyKey: true })
  .extend({
    /** The article's slug (its file name in content/terms); no default. */
    article: z.string().max(64, MESSAGES.tooLong).regex(SLUG, MESSAGES.invalid),
    /** What the article was missing; no default. */
    comment: multiLine(MAX_COMMENT_LENGTH),
  })
  .strict();
export type FeedbackComment = z.output<typeof FeedbackCommentSchema>;

/** The schema of each form, for inline validation on its page. */
export const REQUEST_SCHEMAS = {
  warranty: WarrantyRequestSchema,
  support: SupportRequestSchema,
  prevention: PreventionRequestSchema,
  extension: ExtensionRequestSchema,
  consultation: ConsultationRequestSchema,
  incident: IncidentRequestSchema,
} as const satisfies Record<RequestType, z.ZodTypeAny>;

/** Every request, told apart by `type`. */
export const RequestSchema = z.discriminatedUnion("type", [
  REQUEST_SCHEMAS.warranty,
  REQUEST_SCHEMAS.support,
  REQUEST_SCHEMAS.prevention,
  REQUEST_SCHEMAS.extension,
  REQUEST_SCHEMAS.consultation,
  REQUEST_SCHEMAS.incident,
]);
export type ClientRequest = z.output<typeof RequestSchema>;

/**
 * How each request field is shown: forms pick their inputs by it, e-mails their layout. `longText`,
 * `text` and `url` hold the client's own words; the confirmation e-mail repeats none of them.
 */
export const FIELD_KIND = {
  name: "text",
  email: "email",
  phone: "tel",
  project: "project",
  pageUrl: "url",
  userLogin: "text",
  browser: "text",
  happened: "longText",
  expected: "longText",
  wanted: "longText",
  desiredDate: "date",
  priority: "choice",
  plan: "choice",
  siteUrl: "url",
  serverKind: "choice",
  question: "longText",
  url: "url",
  since: "dateTime",
  impact: "longText",
} as const;
export type RequestField = keyof typeof FIELD_KIND;

/** The client's fields of one type of request, in form order (contact fields first). */
export function requestFields(type: RequestType): RequestField[] {
  return Object.keys(REQUEST_SCHEMAS[type].shape).filter((key): key is RequestField => key in FIELD_KIND);
}

/** Maps zod's built-in issues to message keys; messages given in the schema above win. */
const requestErrorMap: z.ZodErrorMap = (issue) => {
  switch (issue.code) {
    case "invalid_type":
      return { message: issue.received === "undefined" || issue.received === "null" ? MESSAGES.required : MESSAGES.invalid };
    case "too_big":
      return { message: MESSAGES.tooLong };
    case "too_small":
      return { message: MESSAGES.required };
    case "invalid_enum_value":
    case "invalid_literal":
      return { message: MESSAGES.choice };
    case "invalid_union_discriminator":
      return { message: MESSAGES.type };
    case "unrecognized_keys":
      return { message: MESSAGES.unknownField };
    default:
      return { message: MESSAGES.invalid };
  }
};

/** Validates an article's feedback comment with message keys as messages. */
export function parseFeedbackComment(input: unknown): z.SafeParseReturnType<unknown, FeedbackComment> {
  return FeedbackCommentSchema.safeParse(input, { errorMap: requestErrorMap });
}

/** Validates a submitted form (any type) with message keys as messages. */
export function parseRequest(input: unknown): z.SafeParseReturnType<unknown, ClientRequest> {
  return RequestSchema.safeParse(input, { errorMap: requestErrorMap });
}

export type RequestIssue = { path: string; message: string };
export type TranslateMessage = (key: string, params?: Record<string, string | number>) => string;

/**
 * One readable issue per field (the first), messages resolved by `translate` in the form's
 * language. An unknown field is reported under its own name.
 */
export function issuesFromZod(error: z.ZodError, translate: TranslateMessage): RequestIssue[] {
  const issues: RequestIssue[] = [];
  const seen = new Set<string>();
  const add = (path: string, key: string, params?: Record<string, string | number>) => {
    if (seen.has(path)) return;
    seen.add(path);
    issues.push({ path, message: translate(key, params) });
  };
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) add([...issue.path, key].join("."), issue.message);
      continue;
    }
    const params = issue.code === "too_big" ? { max: Number(issue.maximum) } : undefined;
    add(issue.path.join("."), issue.message, params);
  }
  return issues;
}

/** Whether a type's form takes attachments (elsewhere any file is a validation issue). */
export function acceptsAttachments(type: RequestType): boolean {
  return ATTACHMENTS.allowedFor.includes(type);
}

/** Deadlines promised for a request, ISO 8601 with the `+03:00` offset (see the service clock). */
export type RequestDeadlines = Partial<Record<DeadlineKind, string>>;
export { DEADLINE_KINDS };
