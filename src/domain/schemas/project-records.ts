import { z } from "zod";
import { IsoDateSchema, LangSchema, LocalizedTextSchema } from "./common";

/** Kinds of change a change-log entry records. */
export const ChangeKindSchema = z.enum([
  "feature",
  "fix",
  "improvement",
  "content",
  "performance",
  "platform-update",
  "integration",
  "consultation",
  "prevention-fix",
  "incident-fix",
]);
export type ChangeKind = z.infer<typeof ChangeKindSchema>;

/** Under which agreement the work was done; decides who pays. */
export const WorkBasisSchema = z.enum(["warranty", "support", "prevention", "sla"]);
export type WorkBasis = z.infer<typeof WorkBasisSchema>;

/** Front matter of `content/projects/<slug>/changelog/YYYY-MM-DD-short-title.mdx`. */
export const ChangelogEntrySchema = z
  .object({
    /** Date the change went live. */
    date: IsoDateSchema,
    /** One-line title. */
    title: z.string().min(3).max(120),
    /** Kind of change. */
    kind: ChangeKindSchema,
    /** Agreement the work was done under. */
    basis: WorkBasisSchema,
    /** Hours spent, in quarter hours. */
    hours: z.number().min(0).multipleOf(0.25, "must be a multiple of 0.25 (quarter hours)"),
    /** Ticket id of the request that asked for it, if any. */
    ticket: z.string().regex(/^[A-Z]-[0-9A-Z]{4,}$/, "must be a ticket id such as W-7K3F9Q").optional(),
    /** Engineer who made the change. */
    author: z.string().min(2),
    /** One or two sentences for listings and feeds. */
    summary: z.string().min(10).max(400),
    /** Language the entry is written in. */
    lang: LangSchema,
  })
  .strict();
export type ChangelogEntry = z.infer<typeof ChangelogEntrySchema>;

/** The 12 points of the systemic-prevention checklist (seed 000). */
export const CHECKLIST_POINTS = [
  "backups",
  "availability-monitoring",
  "slow-queries",
  "heavy-queries",
  "locks",
  "large-results",
  "db-exception-log",
  "windows-server-logs",
  "db-growth",
  "missing-indexes",
  "server-resources",
  "sql-profiler",
] as const;
export const ChecklistPointSchema = z.enum(CHECKLIST_POINTS);

const ChecklistResultSchema = z
  .object({
    /** Outcome of the check. */
    status: z.enum(["ok", "attention", "problem", "not-applicable"]),
    /** What was seen. */
    note: z.string().optional(),
  })
  .strict();

/**
 * A finding's text: a string in the visit's language, or the text per language. A finding waiting for
 * the client's decision needs it in the project's `clientLanguage` (the content check enforces it).
 */
export const FindingTextSchema = z.union([
  z.string().min(5),
  z
    .object({
      /** English text. */
      en: z.string().min(5).optional(),
      /** Russian text. */
      ru: z.string().min(5).optional(),
    })
    .strict()
    .refine((text) => text.en !== undefined || text.ru !== undefined, { message: "needs the text in at least one language (en or ru)" }),
], { errorMap: () => ({ message: "must be a text, or texts per language such as { en: …, ru: … }" }) });
export type FindingText = z.infer<typeof FindingTextSchema>;

/** Front matter of `content/projects/<slug>/prevention/YYYY-MM-DD.mdx`. */
export const PreventionVisitSchema = z
  .object({
    /** Date of the visit. */
    date: IsoDateSchema,
    /** Hours spent, in quarter hours. */
    hours: z.number().positive().multipleOf(0.25, "must be a multiple of 0.25 (quarter hours)"),
    /** Engineer who did it. */
    author: z.string().min(2),
    /** Language the notes are written in. */
    lang: LangSchema,
    /** The 12 checklist points, each with its outcome. */
    checklist: z.object(
      Object.fromEntries(CHECKLIST_POINTS.map((point) => [point, ChecklistResultSchema])) as Record<
        (typeof CHECKLIST_POINTS)[number],
        typeof ChecklistResultSchema
      >,
    ).strict(),
    /** What the visit found and what became of it. */
    findings: z
      .array(
        z
          .object({
            /** Checklist point the finding belongs to. */
            point: ChecklistPointSchema,
            /** What was found: in the visit's language, or per language ({ en, ru }) when the client reads another. */
            text: FindingTextSchema,
            /** Fixed during the visit, or proposed to the client as support work. */
            outcome: z.enum(["fixed", "proposed"]),
            /** File name (without extension) of the change-log entry that fixed it; required once fixed. */
            fixedBy: z.string().optional(),
          })
          .strict()
          .refine((finding) => finding.outcome !== "fixed" || finding.fixedBy !== undefined, {
            message: "a fixed finding needs fixedBy: the change-log entry (file name without extension) that records the fix",
            path: ["fixedBy"],
          }),
      )
      .default([]),
  })
  .strict();
export type PreventionVisit = z.infer<typeof PreventionVisitSchema>;

/** An instant with its offset. YAML parsers may hand over a Date (then normalised to UTC ISO) or the string. */
const Timestamp = z
  .union([z.string(), z.date().transform((d) => d.toISOString())])
  .refine((v) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v) && !Number.isNaN(Date.parse(v)), {
    message: "must be a date-time with offset, e.g. 2025-03-14T10:20:00+03:00",
  });

/** `content/projects/<slug>/incidents/<id>.yaml`: one incident, for the SLA report. */
export const IncidentSchema = z
  .object({
    /** When the failure began. */
    started: Timestamp,
    /** When it was noticed (monitoring or the client's report). */
    detected: Timestamp,
    /** When an engineer first reacted. */
    firstReaction: Timestamp.optional(),
    /** When service was restored; absent while still down. */
    restored: Timestamp.optional(),
    /** When the incident was closed. */
    closed: Timestamp.optional(),
    /** Severity. */
    severity: z.enum(["critical", "major", "minor"]),
    /** Root cause category. */
    cause: z.enum(["code", "hosting", "third-party", "user-action", "data", "attack", "unknown"]),
    /** Whether users could not use the site. */
    downtime: z.boolean(),
    /** Times the incident was reopened. */
    reopened: z.number().int().nonnegative().default(0),
    /** What happened, in each language. */
    summary: LocalizedTextSchema,
  })
  .strict()
  .refine((i) => Date.parse(i.detected) >= Date.parse(i.started), { message: "detected is earlier than started", path: ["detected"] })
  .refine((i) => !i.firstReaction || Date.parse(i.firstReaction) >= Date.parse(i.detected), {
    message: "firstReaction is earlier than detected",
    path: ["firstReaction"],
  })
  .refine((i) => !i.restored || Date.parse(i.restored) >= Date.parse(i.started), { message: "restored is earlier than started", path: ["restored"] })
  .refine((i) => !i.closed || (i.restored !== undefined && Date.parse(i.closed) >= Date.parse(i.restored)), {
    message: "closed needs restored, and cannot be earlier than it",
    path: ["closed"],
  });
export type Incident = z.infer<typeof IncidentSchema>;
