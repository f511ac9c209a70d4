/**
 * The warranty checker's answers, scenario by scenario: every cause × programme (standard, extended,
 * expired, not yet started, development) × voiding event × when it happened (not at all, on a date
 * before the warranty, during it before the problem, after the problem, after the warranty, in the gap
 * before an extension; or only "before the warranty began", "during the warranty before the problem",
 * "after the problem", "after the warranty ended", "I don't know when"). The expected answers come
 * from literal tables of the seed rules below, not from the code under test; dates are pinned.
 * Then the same scenarios in words, in both languages: no date the input did not give, no
 * unconditional cover where the answer depends, and the agency always "we", the client "you".
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { formatDate } from "../../src/domain/format";
import { LANGS } from "../../src/domain/schemas/common";
import { ProductionCalendarSchema } from "../../src/domain/schemas/calendar";
import { buildWorkCalendar } from "../../src/domain/service-clock";
import {
  CLAIM_CAUSES,
  checkClaim,
  type CheckerAnswer,
  type ClaimCause,
  type NotCountedWhy,
  type ProjectWarranty,
  type ReportedEvent,
  type VoidingEventKind,
} from "../../src/domain/warranty";
import { dictionaries, useTranslations } from "../../src/i18n";
import { describeAnswer, type Lookup } from "../../src/lib/warranty-text";

const cal = buildWorkCalendar(
  { utcOffset: "+03:00", workingHours: { start: "09:00", end: "18:00" }, nightHours: { start: "22:00", end: "08:00" }, preHolidayShorteningMinutes: 60 },
  [2025, 2026, 2027].map((year) =>
    ProductionCalendarSchema.parse(parse(readFileSync(path.resolve(__dirname, `../fixtures/content/calendars/${year}.yaml`), "utf8"))),
  ),
);

type Program = ProjectWarranty["program"];
type Route = [route: CheckerAnswer["route"], clause: CheckerAnswer["clause"]];

/** Seed 000 ("what is included / not included", "user actions") and seed 001 (staff errors billed only after an audit). */
const ROUTE_WHILE_COVERED: Record<Program, Record<ClaimCause, Route>> = {
  standard: {
    "code-defect": ["warranty", "covered"],
    "spec-mismatch": ["warranty", "covered"],
    "user-action": ["support", "user-errors"],
    "wrong-data": ["support", "user-errors"],
    "third-party-software": ["support", "not-covered"],
    hosting: ["support", "not-covered"],
    hacking: ["support", "not-covered"],
    "spelling-style": ["support", "not-covered"],
    speed: ["support", "not-covered"],
  },
  development: {
    "code-defect": ["warranty", "no-deadline"],
    "spec-mismatch": ["warranty", "no-deadline"],
    "user-action": ["audit", "audit"],
    "wrong-data": ["audit", "audit"],
    "third-party-software": ["support", "not-covered"],
    hosting: ["support", "not-covered"],
    hacking: ["support", "not-covered"],
    "spelling-style": ["support", "not-covered"],
    speed: ["support", "not-covered"],
  },
};

const STANDARD_EVENTS: VoidingEventKind[] = ["debt", "hosting-moved", "code-changed", "links-removed", "site-sold"];

/** How a reported timing is placed: it counts (with the voiding date, if one follows from the input), does not count (why), or is unknown. */
type Effect = { counts: true; voidedOn?: string } | { counts: false; why: NotCountedWhy } | { unknown: true };
type Timing = { label: string; event: Omit<ReportedEvent, "kind">; effect: Effect };

const RELATIVE: Record<Program, Timing[]> = {
  standard: [
    { label: "before the warranty began", event: { timing: "before-start" }, effect: { counts: false, why: "before-start" } },
    { label: "during the warranty, before the problem", event: { timing: "before-problem" }, effect: { counts: true } },
    { label: "after the problem", event: { timing: "after-problem" }, effect: { counts: false, why: "after-problem" } },
    { label: "after the warranty ended", event: { timing: "after-end" }, effect: { counts: false, why: "after-end" } },
    { label: "date unknown", event: { timing: "unknown" }, effect: { unknown: true } },
  ],
  development: [
    { label: "before the problem", event: { timing: "before-problem" }, effect: { counts: true } },
    { label: "after the problem", event: { timing: "after-problem" }, effect: { counts: false, why: "after-problem" } },
    { label: "date unknown", event: { timing: "unknown" }, effect: { unknown: true } },
  ],
};

const dated = (on: string, effect: Effect): Timing => ({ label: `on ${on}`, event: { timing: "on-date", on }, effect });

type Scenario = {
  name: string;
  project: ProjectWarranty;
  on: string;
  /** The status from the project's dates alone. */
  base: CheckerAnswer["status"];
  /** What a counting event does here: void the warranty, or only make the answer the period's. */
  periodDecides: boolean;
  /** Dated answers per event kind ("other" for every kind but debt): a debt voids only from its 11th working day. */
  dates: { debt: Timing[]; other: Timing[] };
};

// Working days of the fixture calendars: a debt due Thu 1 Oct 2026 voids on Fri 16 Oct 2026 (its 11th
// working day); due Mon 12 Jan 2026 → Tue 27 Jan 2026; due Mon 1 Sep 2025 → Tue 16 Sep 2025 (in the gap
// before an extension); due Mon 2 Nov 2026 → 18 Nov 2026 (after a problem on 10 Nov 2026).
const SCENARIOS: Scenario[] = [
  {
    name: "standard, active (1 Sep – 1 Dec 2026), problem on 10 Nov 2026",
    project: { program: "standard", completedOn: "2026-09-01", extensions: [], events: [] },
    on: "2026-11-10",
    base: { state: "active", until: "2026-12-01" },
    periodDecides: false,
    dates: {
      debt: [
        dated("2026-07-01", { counts: false, why: "before-start" }),
        dated("2026-10-01", { counts: true, voidedOn: "2026-10-16" }),
        dated("2026-11-02", { counts: false, why: "after-problem" }),
        dated("2026-11-20", { counts: false, why: "after-problem" }),
      ],
      other: [
        dated("2026-08-03", { counts: false, why: "before-start" }),
        dated("2026-09-01", { counts: true, voidedOn: "2026-09-01" }),
        dated("2026-10-01", { counts: true, voidedOn: "2026-10-01" }),
        dated("2026-11-10", { counts: true, voidedOn: "2026-11-10" }),
        dated("2026-11-20", { counts: false, why: "after-problem" }),
        dated("2026-12-20", { counts: false, why: "after-problem" }),
      ],
    },
  },
  {
    name: "extended (base 2 Jun – 2 Sep 2025, bought 1 Oct 2025 → 1 Oct 2026), problem on 3 Mar 2026",
    project: { program: "standard", completedOn: "2025-06-02", extensions: [{ purchasedOn: "2025-10-01" }], events: [] },
    on: "2026-03-03",
    base: { state: "active", until: "2026-10-01" },
    periodDecides: false,
    dates: {
      debt: [
        dated("2025-09-01", { counts: false, why: "outside-period" }),
        dated("2026-01-12", { counts: true, voidedOn: "2026-01-27" }),
        dated("2026-04-01", { counts: false, why: "after-problem" }),
      ],
      other: [
        dated("2025-05-05", { counts: false, why: "before-start" }),
        dated("2025-08-01", { counts: true, voidedOn: "2025-08-01" }),
        dated("2025-09-15", { counts: false, why: "outside-period" }),
        dated("2026-01-20", { counts: true, voidedOn: "2026-01-20" }),
        dated("2026-10-20", { counts: false, why: "after-problem" }),
      ],
    },
  },
  {
    name: "expired (12 Jan – 12 Apr 2026), problem on 10 Jun 2026",
    project: { program: "standard", completedOn: "2026-01-12", extensions: [], events: [] },
    on: "2026-06-10",
    base: { state: "expired", until: "2026-04-12", reason: "expired" },
    periodDecides: true,
    dates: {
      debt: [dated("2026-01-12", { counts: true, voidedOn: "2026-01-27" }), dated("2026-07-01", { counts: false, why: "after-problem" })],
      other: [
        dated("2025-12-01", { counts: false, why: "before-start" }),
        dated("2026-02-02", { counts: true, voidedOn: "2026-02-02" }),
        dated("2026-05-04", { counts: false, why: "after-end" }),
        dated("2026-07-01", { counts: false, why: "after-problem" }),
      ],
    },
  },
  {
    name: "no warranty yet (completion on 15 Dec 2026), problem on 10 Nov 2026",
    project: { program: "standard", completedOn: "2026-12-15", extensions: [], events: [] },
    on: "2026-11-10",
    base: { state: "expired", reason: "not-started" },
    periodDecides: true,
    dates: {
      debt: [dated("2026-10-01", { counts: false, why: "before-start" })],
      other: [dated("2026-10-01", { counts: false, why: "before-start" }), dated("2026-11-20", { counts: false, why: "after-problem" })],
    },
  },
  {
    name: "development (completed 10 Dec 2025), problem on 10 Nov 2026",
    project: { program: "development", completedOn: "2025-12-10", extensions: [], events: [] },
    on: "2026-11-10",
    base: { state: "unlimited" },
    periodDecides: false,
    dates: {
      debt: [],
      other: [
        dated("2025-11-01", { counts: true, voidedOn: "2025-11-01" }),
        dated("2026-10-01", { counts: true, voidedOn: "2026-10-01" }),
        dated("2026-11-10", { counts: true, voidedOn: "2026-11-10" }),
        dated("2026-11-20", { counts: false, why: "after-problem" }),
      ],
    },
  },
];

type Case = { scenario: Scenario; cause: ClaimCause; kind?: VoidingEventKind; timing?: Timing; expected: CheckerAnswer };

/** The answer the seed rules give, composed from the tables above. */
function expectedAnswer(scenario: Scenario, cause: ClaimCause, kind?: VoidingEventKind, effect?: Effect): CheckerAnswer {
  const program = scenario.project.program;
  const notCounted = kind && effect && "why" in effect ? [{ kind, why: effect.why }] : [];
  const [route, clause] = ROUTE_WHILE_COVERED[program][cause];
  const counts = kind !== undefined && effect !== undefined && "counts" in effect && effect.counts;
  const voidedOn = counts ? effect.voidedOn : undefined;
  const dates = voidedOn === undefined ? {} : program === "development" ? { since: voidedOn } : { voidedOn };
  if (program === "development") {
    if (counts) {
      const status = { state: "conditions-not-kept", ...dates, reason: kind } as const;
      return clause === "not-covered" ? { route, reason: cause, clause, status, undated: [], notCounted } : { route: "audit", reason: kind, clause: "audit", status, undated: [], notCounted };
    }
    const undated = kind && effect && "unknown" in effect && route === "warranty" ? [kind] : [];
    if (undated.length) return { route: "audit", reason: kind!, clause: "audit", status: scenario.base, undated, notCounted };
    return { route, reason: cause, clause, status: scenario.base, undated, notCounted };
  }
  // A dated event during the warranty voids it for good, even after the period; an undated one is
  // placed against the period only when the problem falls within it.
  if (counts && (voidedOn !== undefined || !scenario.periodDecides)) {
    return { route: "support", reason: kind, clause: "voiding", status: { state: "void", ...dates, reason: kind }, undated: [], notCounted };
  }
  if (scenario.periodDecides) return { route: "support", reason: scenario.base.reason!, clause: "period", status: scenario.base, undated: [], notCounted };
  const undated = kind && effect && "unknown" in effect && route === "warranty" ? [kind] : [];
  if (undated.length) return { route: "depends", reason: kind!, clause: "voiding", status: scenario.base, undated, notCounted };
  return { route, reason: cause, clause, status: scenario.base, undated, notCounted };
}

const CASES: Case[] = SCENARIOS.flatMap((scenario) => {
  const program = scenario.project.program;
  const kinds = program === "standard" ? STANDARD_EVENTS : (["conditions-violated"] as VoidingEventKind[]);
  return CLAIM_CAUSES.flatMap((cause) => [
    { scenario, cause, expected: expectedAnswer(scenario, cause) },
    ...kinds.flatMap((kind) =>
      [...RELATIVE[program], ...(kind === "debt" ? scenario.dates.debt : scenario.dates.other)].map((timing) => ({
        scenario,
        cause,
        kind,
        timing,
        expected: expectedAnswer(scenario, cause, kind, timing.effect),
      })),
    ),
  ]);
});

const reportedOf = ({ kind, timing }: Case): ReportedEvent[] => (kind && timing ? [{ kind, ...timing.event }] : []);
const answerOf = (c: Case) => checkClaim(c.scenario.project, { cause: c.cause, on: c.scenario.on, reported: reportedOf(c) }, cal);
const title = (c: Case) => `${c.scenario.name}: ${c.cause}, ${c.kind ? `${c.kind} ${c.timing!.label}` : "no voiding event"}`;

describe("checkClaim: every scenario", () => {
  it("covers every cause, programme, event and timing", () => {
    // Per cause: 1 without an event, then per kind its relative timings and dates (debt, then the 4 other kinds):
    // active 1 + 9 + 4 × 11, extended 1 + 8 + 4 × 10, expired 1 + 7 + 4 × 9, not started 1 + 6 + 4 × 7, development 1 + 7.
    expect(CASES.length).toBe(9 * (54 + 49 + 44 + 35 + 8));
    for (const route of ["warranty", "support", "depends", "audit"]) expect(CASES.some((c) => c.expected.route === route), route).toBe(true);
  });

  it.each(CASES.map((c) => [title(c), c] as const))("%s", (_title, c) => {
    expect(answerOf(c)).toEqual(c.expected);
  });

  it.each<[string, Program, ReportedEvent]>([
    ["a development condition on the standard programme", "standard", { kind: "conditions-violated", timing: "before-problem" }],
    ["a standard condition on the development programme", "development", { kind: "site-sold", timing: "before-problem" }],
    ["“before the warranty began” on the development programme, which has no period", "development", { kind: "conditions-violated", timing: "before-start" }],
    ["“after the warranty ended” on the development programme", "development", { kind: "conditions-violated", timing: "after-end" }],
    ["a date that is not a date", "standard", { kind: "site-sold", timing: "on-date", on: "2026-02-30" }],
    ["“on a date” without the date", "standard", { kind: "site-sold", timing: "on-date" }],
  ])("refuses %s", (_title, program, event) => {
    expect(() => checkClaim({ program, completedOn: "2026-09-01", extensions: [], events: [] }, { cause: "code-defect", on: "2026-11-10", reported: [event] }, cal)).toThrow(RangeError);
  });

  it("weighs the project's recorded events with the reported ones: the earliest dated voiding wins", () => {
    const recorded: ProjectWarranty = { program: "standard", completedOn: "2026-09-01", extensions: [], events: [{ kind: "hosting-moved", on: "2026-10-20" }] };
    const answer = checkClaim(recorded, { cause: "code-defect", on: "2026-11-10", reported: [{ kind: "site-sold", timing: "on-date", on: "2026-10-05" }] }, cal);
    expect(answer.status).toEqual({ state: "void", voidedOn: "2026-10-05", reason: "site-sold" });
    const unknownOnly = checkClaim(recorded, { cause: "code-defect", on: "2026-11-10", reported: [{ kind: "site-sold", timing: "unknown" }] }, cal);
    expect(unknownOnly).toMatchObject({ route: "support", reason: "hosting-moved", status: { voidedOn: "2026-10-20" }, undated: [] });
  });

  it("lists every event of unknown date that could take the warranty away", () => {
    const project: ProjectWarranty = { program: "standard", completedOn: "2026-09-01", extensions: [], events: [] };
    const answer = checkClaim(project, {
      cause: "spec-mismatch",
      on: "2026-11-10",
      reported: [{ kind: "debt", timing: "unknown" }, { kind: "site-sold", timing: "after-problem" }, { kind: "code-changed", timing: "unknown" }],
    }, cal);
    expect(answer).toEqual({ route: "depends", reason: "debt", clause: "voiding", status: { state: "active", until: "2026-12-01" }, undated: ["debt", "code-changed"], notCounted: [{ kind: "site-sold", why: "after-problem" }] });
  });
});

// ---- The same scenarios in words ----

const DATE_IN_TEXT = /\d{1,2} \p{L}+ \d{4}/gu;

/** Dates an answer may print: the warranty end computed from the project's dates, and dates that follow from the client's input. */
function allowedDates(c: Case): string[] {
  const given = c.timing?.event.on ? [c.timing.event.on] : [];
  const voided = c.timing && "voidedOn" in c.timing.effect && c.timing.effect.voidedOn ? [c.timing.effect.voidedOn] : [];
  return [...(c.scenario.base.until ? [c.scenario.base.until] : []), ...given, ...voided];
}

describe("describeAnswer: every scenario in both languages", () => {
  const scenarios = LANGS.flatMap((lang) => CASES.map((c) => [`${lang}: ${title(c)}`, lang, c] as const));

  it.each(scenarios)("%s", (_title, lang, c) => {
    const text = describeAnswer(answerOf(c), useTranslations(lang) as Lookup, lang);
    const all = [text.status, text.route, ...text.why, text.clause.text, text.action.text].join("\n");
    expect(all, "every key found").not.toMatch(/checker\.|\{\w+\}/);
    // No date the input did not give.
    const allowed = allowedDates(c).map((date) => formatDate(date, lang));
    for (const [printed] of all.matchAll(DATE_IN_TEXT)) expect(allowed.some((date) => date.startsWith(printed)), `${printed} in «${all}»`).toBe(true);
    // A voiding date only when one follows from the input.
    const voidedOn = c.expected.status.voidedOn ?? c.expected.status.since;
    if (voidedOn) expect(text.status).toContain(formatDate(voidedOn, lang));
    else expect(text.status.match(DATE_IN_TEXT) ?? []).toEqual(c.expected.status.until ? [formatDate(c.expected.status.until, lang).match(DATE_IN_TEXT)![0]] : []);
    // Never "covered until" while the answer depends on an undated event or says the warranty no longer applies.
    const coveredUntil = dictionaries[lang]["checker.status.active"].split("{date}")[0]!;
    if (c.expected.route !== "warranty" && c.expected.route !== "support") expect(text.status).not.toContain(coveredUntil);
    if (c.expected.status.state !== "active") expect(text.status).not.toContain(coveredUntil);
    if (c.expected.route === "depends") {
      expect(text.status).toBe(useTranslations(lang)("checker.status.period-until", { date: formatDate(c.expected.status.until!, lang) }));
      expect(text.why.join(" ")).toContain(useTranslations(lang)(`checker.reason.${c.kind!}` as never));
    }
    // The clause and the form follow the route.
    expect(text.clause.href).toBe(`/${lang}/${c.expected.clause === "audit" || c.expected.clause === "no-deadline" ? "development-warranty" : "warranty"}/#${c.expected.clause}`);
    expect(text.action.form).toBe(c.expected.route === "support" ? "support" : "warranty");
    // Each event that does not count is explained.
    expect(text.why.length).toBeGreaterThanOrEqual(c.expected.notCounted.length + c.expected.undated.length);
  });

  it("speaks as the agency to the client in every checker string", () => {
    const strings = LANGS.flatMap((lang) => Object.entries(dictionaries[lang]).filter(([key]) => key.startsWith("checker.")));
    for (const [key, value] of strings) {
      expect(value, key).not.toMatch(/your company|вашей компании|the client|клиент|We moved|Мы сами перенесли/i);
    }
    expect(dictionaries.en["checker.condition.links-removed"]).toMatch(/your site to our site/);
    expect(dictionaries.ru["checker.condition.links-removed"]).toMatch(/ссылки на наш сайт/);
  });
});
