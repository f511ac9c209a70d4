import { z } from "zod";
import { REQUEST_TYPES, type RequestType } from "../request-types";

/** The deadlines a request can carry, by the key the API, the receipt and both e-mails give them. */
export const DEADLINE_KINDS = ["firstResponse", "processing", "resolution", "workStart"] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

/**
 * The service clock's ways of counting from the moment of submission:
 * - sameWorkingDay: by the end of that working day (the next one, outside working hours);
 * - workingDays: `amount` working days of working time;
 * - minutesOutsideNight: `amount` minutes of clock time, night hours not counted;
 * - slaReaction: the reaction target of the project's SLA agreement, night hours not counted.
 */
export const PROMISE_CLOCKS = ["sameWorkingDay", "workingDays", "minutesOutsideNight", "slaReaction"] as const;
export type PromiseClock = (typeof PROMISE_CLOCKS)[number];
/** Clocks that count an `amount`; the others take none. */
const COUNTING_CLOCKS: readonly PromiseClock[] = ["workingDays", "minutesOutsideNight"];

/** How the terms word a promise that is not unconditional ("как правило, в простых случаях"). */
export const PROMISE_QUALIFIERS = ["asARule", "asARuleInSimpleCases"] as const;
export type PromiseQualifier = (typeof PROMISE_QUALIFIERS)[number];

const ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** A section of a terms article that publishes a promise; it must exist in both languages. */
export const ClauseSchema = z
  .object({
    /** Article slug: its file name in content/terms/<lang>/ without the extension. No default. */
    article: z.string().regex(ID, "must be an article slug such as warranty"),
    /** Pinned section id of that article (`{/* #id *\/}` after its heading). No default. */
    section: z.string().regex(ID, "must be a section id such as response-times"),
  })
  .strict();
export type Clause = z.infer<typeof ClauseSchema>;

/** One deadline promised for a kind of request. */
export const PromiseSchema = z
  .object({
    /** Which deadline of the request this is. No default. */
    deadline: z.enum(DEADLINE_KINDS),
    /** How the service clock counts it (see PROMISE_CLOCKS). No default. */
    clock: z.enum(PROMISE_CLOCKS),
    /** Working days or minutes, for the clocks that count (workingDays, minutesOutsideNight). Default: none. */
    amount: z.number().int().positive().optional(),
    /** How the terms qualify it ("as a rule, in simple cases"), shown with the deadline wherever it is. Default: none, unconditional. */
    qualifier: z.enum(PROMISE_QUALIFIERS).optional(),
    /** Only for projects of this warranty programme. Default: any programme. */
    program: z.enum(["standard", "development"]).optional(),
    /** Only for projects with (true) or without (false) an SLA agreement. Default: either. */
    withSla: z.boolean().optional(),
    /** The clause of the terms that makes this promise. No default. */
    clause: ClauseSchema,
  })
  .strict()
  .superRefine((promise, ctx) => {
    const counts = COUNTING_CLOCKS.includes(promise.clock);
    if (counts && promise.amount === undefined) ctx.addIssue({ code: "custom", path: ["amount"], message: `the ${promise.clock} clock needs an amount` });
    if (!counts && promise.amount !== undefined) ctx.addIssue({ code: "custom", path: ["amount"], message: `the ${promise.clock} clock takes no amount` });
    if (promise.clock === "slaReaction" && promise.withSla !== true) {
      ctx.addIssue({ code: "custom", path: ["withSla"], message: "the slaReaction clock needs withSla: true (only a project with an SLA has a reaction target)" });
    }
  });
export type RequestPromise = z.infer<typeof PromiseSchema>;

/** What one kind of request is promised. */
const RequestPromisesSchema = z
  .object({
    /** Its deadlines; empty when no published term sets one. Default: none. */
    promises: z.array(PromiseSchema).default([]),
    /** Where the terms say what happens after such a request, shown when it promises no deadline. Default: none. */
    nextStep: ClauseSchema.optional(),
  })
  .strict();

/** Whether two promises can apply to the same project: their programme and SLA conditions overlap. */
const overlap = (a: RequestPromise, b: RequestPromise) =>
  (a.program === undefined || b.program === undefined || a.program === b.program) &&
  (a.withSla === undefined || b.withSla === undefined || a.withSla === b.withSla);

/**
 * `content/promises.yaml`: per kind of request, what is promised, the clock it runs on and the clause
 * of the terms it comes from. The service clock, the forms, the receipt and both e-mails compute every
 * deadline from it; a kind of request without promises gets no deadline.
 */
export const PromiseListSchema = z
  .object(
    Object.fromEntries(REQUEST_TYPES.map((type) => [type, RequestPromisesSchema.default({})])) as Record<RequestType, z.ZodDefault<typeof RequestPromisesSchema>>,
  )
  .strict()
  .superRefine((list, ctx) => {
    for (const type of REQUEST_TYPES) {
      list[type].promises.forEach((promise, index) => {
        const clash = list[type].promises.findIndex((other, before) => before < index && other.deadline === promise.deadline && overlap(other, promise));
        if (clash >= 0) {
          ctx.addIssue({ code: "custom", path: [type, "promises", index, "deadline"], message: `promises ${promise.deadline} a second time for the same projects as promises.${clash}` });
        }
      });
    }
  });
export type PromiseList = z.infer<typeof PromiseListSchema>;

