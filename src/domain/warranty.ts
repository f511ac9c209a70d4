/**
 * Warranty status of a project on a given date, where a claim goes (warranty, support, or for the
 * development warranty: fixed, possibly billed after an audit) with the terms section that justifies
 * it, and the warranty checker's answer when the client reports voiding events with or without a
 * date. Dates are YYYY-MM-DD strings, compared as strings.
 */
import { nthWorkingDayAfter, type WorkCalendar } from "./service-clock";

/** Standard warranty: 3 calendar months from completion of the last development stage. */
export const STANDARD_WARRANTY_MONTHS = 3;
/** A purchased extension: 1 year (12 calendar months) from the date of purchase. */
export const EXTENSION_MONTHS = 12;
/** A debt in money or documents voids the warranty only once it lasts more than 10 working days. */
export const DEBT_GRACE_WORKING_DAYS = 10;

export type VoidingEventKind = "debt" | "hosting-moved" | "code-changed" | "links-removed" | "site-sold" | "conditions-violated";

export type ProjectWarranty = {
  program: "standard" | "development";
  completedOn: string;
  extensions: { purchasedOn: string }[];
  events: { kind: VoidingEventKind; on: string; settledOn?: string }[];
};

export type WarrantyStatus = {
  state: "active" | "expired" | "void" | "unlimited" | "conditions-not-kept";
  /** Last covered day (active), or the day coverage ended (expired). */
  until?: string;
  /** First day the warranty no longer applied (void), when a date is known. */
  voidedOn?: string;
  /** Development programme: the day the operating conditions were first not kept, when a date is known. */
  since?: string;
  /** Machine key the site translates: "expired", "not-started", or the voiding event's kind. */
  reason?: string;
};

export type ClaimCause =
  | "code-defect"
  | "spec-mismatch"
  | "user-action"
  | "wrong-data"
  | "third-party-software"
  | "hosting"
  | "hacking"
  | "spelling-style"
  | "speed";

/** Section anchors of the terms articles: the standard warranty's, then the development warranty's ("no-deadline", "audit"). */
export type TermsClause = "covered" | "not-covered" | "voiding" | "user-errors" | "period" | "no-deadline" | "audit";

/**
 * warranty: we fix it at our expense; support: technical support by agreement; audit (development
 * programme): we fix it, but it may be billed if an audit finds the operating conditions were not
 * kept; depends (the checker only): decided by when an event the client could not date happened.
 */
export type ClaimRoute = "warranty" | "support" | "audit" | "depends";

/** Where a claim goes from the facts alone; "depends" needs an event the client could not date. */
export type ClaimAssessment = { route: Exclude<ClaimRoute, "depends">; reason: string; clause: TermsClause };

/** What voids each program: the five points of the standard terms; the operating conditions of development work. */
const VOIDING_KINDS: Record<ProjectWarranty["program"], readonly VoidingEventKind[]> = {
  standard: ["debt", "hosting-moved", "code-changed", "links-removed", "site-sold"],
  development: ["conditions-violated"],
};

/** Which terms section decides a cause while the warranty applies; only "covered" causes are warranty work. */
const CAUSE_CLAUSE: Record<ClaimCause, "covered" | "user-errors" | "not-covered"> = {
  "code-defect": "covered",
  "spec-mismatch": "covered",
  "user-action": "user-errors",
  "wrong-data": "user-errors",
  "third-party-software": "not-covered",
  hosting: "not-covered",
  hacking: "not-covered",
  "spelling-style": "not-covered",
  speed: "not-covered",
};

/** Every cause the checker offers, in the order of the terms: covered first, then the rest. */
export const CLAIM_CAUSES = Object.keys(CAUSE_CLAUSE) as ClaimCause[];

/**
 * When the client says a voiding event happened, as precisely as they know it: on a date they
 * give, or only relative to the warranty period and the problem. The development warranty has no
 * period, so only the problem matters there.
 */
export type EventTiming = "on-date" | "before-start" | "before-problem" | "after-problem" | "after-end" | "unknown";
const EVENT_TIMINGS: Record<ProjectWarranty["program"], readonly EventTiming[]> = {
  standard: ["on-date", "before-start", "before-problem", "after-problem", "after-end", "unknown"],
  development: ["on-date", "before-problem", "after-problem", "unknown"],
};

/** A voiding event the client reports in the checker; `on` only with the timing "on-date". */
export type ReportedEvent = { kind: VoidingEventKind; timing: EventTiming; on?: string };

/** Why a reported event does not count for this problem. */
export type NotCountedWhy = "before-start" | "after-problem" | "after-end" | "outside-period";

/** The checker's answer: the assessment, the status on the problem date, and how the reported events were weighed. */
export type CheckerAnswer = Omit<ClaimAssessment, "route"> & {
  route: ClaimRoute;
  status: WarrantyStatus;
  /** Events the client could not date that decide the answer: had they happened before the problem (within the warranty period), it would not be warranty work. */
  undated: VoidingEventKind[];
  /** Reported events that do not count for this problem, and why. */
  notCounted: { kind: VoidingEventKind; why: NotCountedWhy }[];
};

/** Splits a YYYY-MM-DD date, rejecting anything that is not a real calendar date. */
function dateParts(date: string): RegExpExecArray {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const parsed = Date.parse(`${date}T00:00:00Z`);
  if (!match || Number.isNaN(parsed) || !new Date(parsed).toISOString().startsWith(date)) {
    throw new RangeError(`"${date}" is not a date YYYY-MM-DD`);
  }
  return match;
}

/** `date` plus whole calendar months: same day number, clamped to the last day of the target month. */
function addCalendarMonths(date: string, months: number): string {
  const match = dateParts(date);
  const monthIndex = Number(match[1]) * 12 + Number(match[2]) - 1 + months;
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(Number(match[3]), lastDay);
  return new Date(Date.UTC(year, month, day)).toISOString().slice(0, 10);
}

type Period = { from: string; until: string };

/** Coverage periods (both ends included) that had begun by `on`: the base period and extensions bought by then. */
function periodsBegunBy(project: ProjectWarranty, on: string): Period[] {
  const base = { from: project.completedOn, until: addCalendarMonths(project.completedOn, STANDARD_WARRANTY_MONTHS) };
  const extensions = project.extensions.map(({ purchasedOn }) => ({
    from: purchasedOn,
    until: addCalendarMonths(purchasedOn, EXTENSION_MONTHS),
  }));
  return [base, ...extensions].filter((period) => period.from <= on);
}

/** Where `date` falls against the periods: inside one, or before, between or after them. */
function placeInPeriods(date: string, periods: Period[]): "inside" | "before-start" | "after-end" | "outside-period" {
  if (periods.some((period) => period.from <= date && date <= period.until)) return "inside";
  if (periods.every((period) => date < period.from)) return "before-start";
  if (periods.every((period) => date > period.until)) return "after-end";
  return "outside-period";
}

/**
 * The day an event starts voiding the warranty, or undefined if it never does. Most events void
 * from the day they happen; a debt from the 11th working day after it fell due, unless settled
 * before that day (so a debt paid over the weekend after the 10th working day still counts as paid).
 */
function voidingDate(event: ProjectWarranty["events"][number], cal: WorkCalendar): string | undefined {
  if (event.kind !== "debt") return event.on;
  const voidsOn = nthWorkingDayAfter(event.on, DEBT_GRACE_WORKING_DAYS + 1, cal);
  return event.settledOn !== undefined && event.settledOn < voidsOn ? undefined : voidsOn;
}

/**
 * The earliest voiding that has taken effect by `on`, among the events that apply to the program.
 * The standard warranty lapses only through an event during a warranty period (seed: "violated
 * during the warranty period"); the development warranty has no period.
 */
function earliestVoiding(project: ProjectWarranty, on: string, cal: WorkCalendar) {
  const periods = periodsBegunBy(project, on);
  let earliest: { date: string; kind: VoidingEventKind } | undefined;
  for (const event of project.events) {
    // An event cannot take effect before it happens; skipping later ones also avoids asking the
    // calendar about years that are not needed.
    if (!VOIDING_KINDS[project.program].includes(event.kind) || event.on > on) continue;
    const date = voidingDate(event, cal);
    if (date === undefined || date > on) continue;
    if (project.program === "standard" && placeInPeriods(date, periods) !== "inside") continue;
    if (earliest === undefined || date < earliest.date) earliest = { date, kind: event.kind };
  }
  return earliest;
}

/**
 * Warranty status on `on`. Standard program: active within the base period or an extension bought
 * by then (the later end wins); void once an event during a warranty period took effect (a void
 * warranty stays void); otherwise expired — with reason "not-started" before completion.
 * Development program: unlimited; once its operating conditions were not kept, a fix may be billed.
 */
export function warrantyStatus(project: ProjectWarranty, on: string, cal: WorkCalendar): WarrantyStatus {
  dateParts(on); // dates are compared as strings below, so a malformed one must not get that far
  const voiding = earliestVoiding(project, on, cal);
  if (project.program === "development") {
    return voiding ? { state: "conditions-not-kept", since: voiding.date, reason: voiding.kind } : { state: "unlimited" };
  }
  const ends = periodsBegunBy(project, on).map((period) => period.until);
  if (ends.length === 0) return { state: "expired", reason: "not-started" };
  const until = ends.reduce((latest, end) => (end > latest ? end : latest));
  if (voiding) return { state: "void", voidedOn: voiding.date, reason: voiding.kind };
  return on <= until ? { state: "active", until } : { state: "expired", until, reason: "expired" };
}

/**
 * Where a claim goes, given the status on its date. Standard: an expired or void warranty sends
 * everything to support, saying why; while it applies, code defects and mismatches with the
 * specification are warranty work, failures from user actions or wrong data are diagnosed as support
 * by agreement, and the listed exclusions are support. Development: our own work is fixed at our
 * expense with no deadline; a failure caused by your staff, or once the operating conditions were not
 * kept, is fixed too but may be billed after an audit (seed 001); the exclusions are support.
 */
function assessWithStatus(program: ProjectWarranty["program"], status: WarrantyStatus, cause: ClaimCause): ClaimAssessment {
  // `reason` is always set for these states; the fallback only satisfies the type.
  if (status.state === "void") return { route: "support", reason: status.reason ?? status.state, clause: "voiding" };
  if (status.state === "expired") return { route: "support", reason: status.reason ?? status.state, clause: "period" };
  const clause = CAUSE_CLAUSE[cause];
  if (clause === "not-covered") return { route: "support", reason: cause, clause };
  if (program === "standard") return { route: clause === "covered" ? "warranty" : "support", reason: cause, clause };
  if (status.state === "conditions-not-kept") return { route: "audit", reason: status.reason ?? status.state, clause: "audit" };
  return clause === "covered" ? { route: "warranty", reason: cause, clause: "no-deadline" } : { route: "audit", reason: cause, clause: "audit" };
}

/** Where a claim goes on its date, from the project's recorded facts alone. */
export function assessClaim(project: ProjectWarranty, claim: { cause: ClaimCause; on: string }, cal: WorkCalendar): ClaimAssessment {
  return assessWithStatus(project.program, warrantyStatus(project, claim.on, cal), claim.cause);
}

/** Where a cause goes while a programme's warranty applies and nothing voided it: the checker's static table. */
export function routeWhileCovered(program: ProjectWarranty["program"], cause: ClaimCause): ClaimAssessment["route"] {
  return assessWithStatus(program, { state: program === "standard" ? "active" : "unlimited" }, cause).route;
}

/** The voiding conditions that apply to a programme: the questions the warranty checker asks. */
export function voidingConditionsFor(program: ProjectWarranty["program"]): readonly VoidingEventKind[] {
  return VOIDING_KINDS[program];
}

/** The answers the checker offers to "when did it happen?" for a programme. */
export function eventTimingsFor(program: ProjectWarranty["program"]): readonly EventTiming[] {
  return EVENT_TIMINGS[program];
}

/** Whether a reported event with a relative timing or a date counts for the problem on `on`, and if not, why. */
function whyNotCounted(project: ProjectWarranty, event: ReportedEvent, on: string, cal: WorkCalendar): NotCountedWhy | undefined {
  if (event.timing === "before-start" || event.timing === "after-problem" || event.timing === "after-end") return event.timing;
  if (event.timing !== "on-date") return undefined;
  if (event.on! > on) return "after-problem";
  // A debt dated by the client voids from its 11th working day; it is always reported unsettled.
  const date = voidingDate({ kind: event.kind, on: event.on! }, cal)!;
  if (date > on) return "after-problem";
  if (project.program === "development") return undefined;
  const place = placeInPeriods(date, periodsBegunBy(project, on));
  return place === "inside" ? undefined : place;
}

/**
 * The warranty checker's answer. Besides the project's recorded facts, the client reports voiding
 * events with a date, or only relative to the warranty period and the problem, or "I don't know when".
 * No date is made up: a dated event counts from its date (a debt from its 11th working day) if that
 * falls within a warranty period and no later than the problem; one reported "during the warranty
 * period, before the problem" voids without a date; one of unknown date makes warranty work
 * "depends" (development: "audit"), naming the event.
 */
export function checkClaim(
  project: ProjectWarranty,
  claim: { cause: ClaimCause; on: string; reported: readonly ReportedEvent[] },
  cal: WorkCalendar,
): CheckerAnswer {
  for (const event of claim.reported) {
    if (!VOIDING_KINDS[project.program].includes(event.kind) || !EVENT_TIMINGS[project.program].includes(event.timing)) {
      throw new RangeError(`"${event.kind}" at "${event.timing}" is not asked for the ${project.program} programme`);
    }
    if (event.timing === "on-date") dateParts(event.on ?? "");
  }
  const dated = claim.reported.filter((event) => event.timing === "on-date").map(({ kind, on }) => ({ kind, on: on! }));
  let status = warrantyStatus({ ...project, events: [...project.events, ...dated] }, claim.on, cal);
  const beforeProblem = claim.reported.find((event) => event.timing === "before-problem");
  if (beforeProblem && status.state === "active") status = { state: "void", reason: beforeProblem.kind };
  if (beforeProblem && status.state === "unlimited") status = { state: "conditions-not-kept", reason: beforeProblem.kind };
  const assessment = assessWithStatus(project.program, status, claim.cause);
  const notCounted = claim.reported.flatMap((event) => {
    const why = whyNotCounted(project, event, claim.on, cal);
    return why ? [{ kind: event.kind, why }] : [];
  });
  // An event of unknown date can only take away warranty work; any other answer stands either way.
  const undated = assessment.route === "warranty" ? claim.reported.filter((event) => event.timing === "unknown").map((event) => event.kind) : [];
  if (undated.length === 0) return { ...assessment, status, undated, notCounted };
  return project.program === "development"
    ? { route: "audit", reason: undated[0]!, clause: "audit", status, undated, notCounted }
    : { route: "depends", reason: undated[0]!, clause: "voiding", status, undated, notCounted };
}

/** The warranty facts of a project file, without the team's internal notes: safe to publish. */
export function projectWarranty(project: { warranty: ProjectWarranty & { events: (ProjectWarranty["events"][number] & { note?: string | undefined })[] } }): ProjectWarranty {
  const { program, completedOn, extensions, events } = project.warranty;
  return {
    program,
    completedOn,
    extensions: extensions.map(({ purchasedOn }) => ({ purchasedOn })),
    events: events.map(({ kind, on, settledOn }) => (settledOn === undefined ? { kind, on } : { kind, on, settledOn })),
  };
}
