/**
 * Warranty status and checker answers in words. Used at build time (with the full dictionary)
 * and in the browser (with the few strings the checker page hands over), so it takes a plain
 * lookup function rather than importing the dictionaries. Every date it writes is one the status
 * carries: a warranty end computed from the project's dates, or a voiding date from a dated event.
 */
import { formatDate } from "../domain/format";
import type { Lang } from "../domain/schemas/common";
import type { Params } from "../i18n/lookup";
import type { CheckerAnswer, TermsClause, WarrantyStatus } from "../domain/warranty";
import { paths } from "./paths";

export type Lookup = (key: string, params?: Params) => string;

/** "Covered by the warranty until 15 December 2026 inclusive." and its siblings. */
export function describeStatus(status: WarrantyStatus, t: Lookup, lang: Lang): string {
  const reason = () => t(`checker.reason.${status.reason}`);
  switch (status.state) {
    case "active":
      return t("checker.status.active", { date: formatDate(status.until!, lang) });
    case "unlimited":
      return t("checker.status.unlimited");
    case "conditions-not-kept":
      return status.since === undefined ? t("checker.status.conditions-not-kept-undated") : t("checker.status.conditions-not-kept", { date: formatDate(status.since, lang) });
    case "void":
      return status.voidedOn === undefined
        ? t("checker.status.void-undated", { reason: reason() })
        : t("checker.status.void", { date: formatDate(status.voidedOn, lang), reason: reason() });
    case "expired":
      return status.reason === "not-started" ? t("checker.status.not-started") : t("checker.status.expired", { date: formatDate(status.until!, lang) });
  }
}

/** The terms article and section that justify an answer. */
export function clauseHref(clause: TermsClause, lang: Lang): string {
  return paths.article(lang, clause === "no-deadline" || clause === "audit" ? "development-warranty" : "warranty", clause);
}

/** Which request form an answer leads to: everything that may be warranty work starts as a warranty claim. */
export function requestFormFor(route: CheckerAnswer["route"]): "warranty" | "support" {
  return route === "support" ? "support" : "warranty";
}

export type CheckerText = {
  status: string;
  route: string;
  /** Why, then what the answer depends on, then the reported events that do not count. */
  why: string[];
  clause: { href: string; text: string };
  action: { form: "warranty" | "support"; text: string };
};

/** The paragraph that explains the deciding reason. */
function reasonWhy(answer: CheckerAnswer, t: Lookup): string[] {
  if (answer.route === "depends" || answer.undated.length > 0) return [];
  if (answer.clause === "period" || answer.clause === "voiding") return [t("checker.inactive")];
  if (answer.route === "audit") return [t(answer.reason === "conditions-violated" ? "checker.audit.conditions.why" : "checker.audit.staff.why")];
  return [t(`checker.cause.${answer.reason}.why`)];
}

/** The checker's answer in words: status on the problem date, route, why, the clause and the form. */
export function describeAnswer(answer: CheckerAnswer, t: Lookup, lang: Lang): CheckerText {
  const event = (kind: string) => ({ event: t(`checker.reason.${kind}`) });
  // While an undated event may have voided it, the period's end is no promise of cover.
  const status =
    answer.route === "depends" && answer.status.state === "active"
      ? t("checker.status.period-until", { date: formatDate(answer.status.until!, lang) })
      : describeStatus(answer.status, t, lang);
  const program = answer.route === "audit" ? "development" : "standard";
  const form = requestFormFor(answer.route);
  return {
    status,
    route: t(`checker.route.${answer.route}`),
    why: [
      ...reasonWhy(answer, t),
      ...answer.undated.map((kind) => t(`checker.depends.${program}`, event(kind))),
      ...answer.notCounted.map(({ kind, why }) => t(`checker.notCounted.${why}`, event(kind))),
    ],
    clause: { href: clauseHref(answer.clause, lang), text: t("checker.clause", { clause: t(`checker.clause.${answer.clause}`) }) },
    action: { form, text: t(`checker.action.${form}`) },
  };
}

/** Every dictionary key the checker may need in the browser. */
export const CHECKER_KEY_PREFIXES = [
  "checker.status.",
  "checker.reason.",
  "checker.route.",
  "checker.clause",
  "checker.cause.",
  "checker.action.",
  "checker.audit.",
  "checker.depends.",
  "checker.notCounted.",
  "checker.inactive",
  "checker.unknownYear",
];
