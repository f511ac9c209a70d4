/**
 * Warranty status of a project on a given date, and where a claim goes (warranty or support) with
 * the terms section that justifies it. Dates are YYYY-MM-DD strings, compared as strings.
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
  state: "active" | "expired" | "void" | "unlimited";
  /** Last covered day (active), or the day coverage ended (expired). */
  until?: string;
  /** First day the warranty no longer applied (void). */
  voidedOn?: string;
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

/** Section anchors of the terms articles (warranty and development-warranty). */
export type TermsClause = "covered" | "not-covered" | "voiding" | "user-errors" | "period" | "development-conditions";

export type ClaimAssessment = { route: "warranty" | "support"; reason: string; clause: TermsClause };

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

/** Where a cause goes while the warranty applies. */
export function routeWhileCovered(cause: ClaimCause): ClaimAssessment["route"] {
  return CAUSE_CLAUSE[cause] === "covered" ? "warranty" : "support";
}

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

/** Coverage periods (both ends included) that had begun by `on`: the base period and extensions bought by then. */
function periodsBegunBy(project: ProjectWarranty, on: string): { from: string; until: string }[] {
  const base = { from: project.completedOn, until: addCalendarMonths(project.completedOn, STANDARD_WARRANTY_MONTHS) };
  const extensions = project.extensions.map(({ purchasedOn }) => ({
    from: purchasedOn,
    until: addCalendarMonths(purchasedOn, EXTENSION_MONTHS),
  }));
  return [base, ...extensions].filter((period) => period.from <= on);
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

/** The earliest voiding that has taken effect by `on`, among the events that apply to the program. */
function earliestVoiding(project: ProjectWarranty, on: string, cal: WorkCalendar) {
  let earliest: { date: string; kind: VoidingEventKind } | undefined;
  for (const event of project.events) {
    // An event cannot take effect before it happens; skipping later ones also avoids asking the
    // calendar about years that are not needed.
    if (!VOIDING_KINDS[project.program].includes(event.kind) || event.on > on) continue;
    const date = voidingDate(event, cal);
    if (date !== undefined && date <= on && (earliest === undefined || date < earliest.date)) earliest = { date, kind: event.kind };
  }
  return earliest;
}

/**
 * Warranty status on `on`. Standard program: active within the base period or an extension bought
 * by then (the later end wins); void once a voiding event took effect, if that was no later than the
 * last covered day (an event after the warranty ran out leaves it merely expired); otherwise expired — with
 * reason "not-started" before completion. Development program: unlimited, unless its operating
 * conditions were violated.
 */
export function warrantyStatus(project: ProjectWarranty, on: string, cal: WorkCalendar): WarrantyStatus {
  dateParts(on); // dates are compared as strings below, so a malformed one must not get that far
  const voiding = earliestVoiding(project, on, cal);
  if (project.program === "development") {
    return voiding ? { state: "void", voidedOn: voiding.date, reason: voiding.kind } : { state: "unlimited" };
  }
  const ends = periodsBegunBy(project, on).map((period) => period.until);
  if (ends.length === 0) return { state: "expired", reason: "not-started" };
  const until = ends.reduce((latest, end) => (end > latest ? end : latest));
  if (voiding && voiding.date <= until) return { state: "void", voidedOn: voiding.date, reason: voiding.kind };
  return on <= until ? { state: "active", until } : { state: "expired", until, reason: "expired" };
}

/**
 * Where a claim goes. An expired or void warranty sends everything to support, saying why. While
 * the warranty applies, code defects and mismatches with the specification are warranty work;
 * failures from user actions or wrong data are diagnosed as support by agreement; the listed
 * exclusions are support.
 */
export function assessClaim(
  project: ProjectWarranty,
  claim: { cause: ClaimCause; on: string },
  cal: WorkCalendar,
): ClaimAssessment {
  const status = warrantyStatus(project, claim.on, cal);
  const development = project.program === "development";
  // `reason` is always set for these two states; the fallback only satisfies the type.
  if (status.state === "void") {
    return { route: "support", reason: status.reason ?? status.state, clause: development ? "development-conditions" : "voiding" };
  }
  if (status.state === "expired") return { route: "support", reason: status.reason ?? status.state, clause: "period" };
  const clause = CAUSE_CLAUSE[claim.cause];
  if (routeWhileCovered(claim.cause) === "warranty") {
    return { route: "warranty", reason: claim.cause, clause: development ? "development-conditions" : "covered" };
  }
  return { route: "support", reason: claim.cause, clause };
}

/** The voiding conditions that apply to a programme: the questions the warranty checker asks. */
export function voidingConditionsFor(program: ProjectWarranty["program"]): readonly VoidingEventKind[] {
  return VOIDING_KINDS[program];
}

/**
 * The warranty checker's answer. Like `assessClaim`, but the client may also confirm voiding
 * conditions that hold today; the checker does not ask when they began, so a confirmed condition
 * that applies to the programme ends the warranty on the day asked about.
 */
export function assessAnsweredClaim(
  project: ProjectWarranty,
  claim: { cause: ClaimCause; on: string; confirmedConditions: readonly VoidingEventKind[] },
  cal: WorkCalendar,
): ClaimAssessment & { status: WarrantyStatus } {
  const status = warrantyStatus(project, claim.on, cal);
  const confirmed = claim.confirmedConditions.find((kind) => VOIDING_KINDS[project.program].includes(kind));
  if (confirmed && (status.state === "active" || status.state === "unlimited")) {
    const clause = project.program === "development" ? "development-conditions" : "voiding";
    return { route: "support", reason: confirmed, clause, status: { state: "void", voidedOn: claim.on, reason: confirmed } };
  }
  return { ...assessClaim(project, claim, cal), status };
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
