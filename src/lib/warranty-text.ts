/**
 * Warranty status and checker answers in words. Used at build time (with the full dictionary)
 * and in the browser (with the few strings the checker page hands over), so it takes a plain
 * lookup function rather than importing the dictionaries.
 */
import { formatDate } from "../domain/format";
import type { Lang } from "../domain/schemas/common";
import type { Params } from "../i18n/lookup";
import type { TermsClause, WarrantyStatus } from "../domain/warranty";
import { paths } from "./paths";

export type Lookup = (key: string, params?: Params) => string;

/** "Covered by the warranty until 15 December 2026 inclusive." and its siblings. */
export function describeStatus(status: WarrantyStatus, t: Lookup, lang: Lang): string {
  switch (status.state) {
    case "active":
      return t("checker.status.active", { date: formatDate(status.until!, lang) });
    case "unlimited":
      return t("checker.status.unlimited");
    case "void":
      return t("checker.status.void", { date: formatDate(status.voidedOn!, lang), reason: t(`checker.reason.${status.reason}`) });
    case "expired":
      return status.reason === "not-started" ? t("checker.status.not-started") : t("checker.status.expired", { date: formatDate(status.until!, lang) });
  }
}

/** The terms article and section that justify an answer. */
export function clauseHref(clause: TermsClause, lang: Lang): string {
  return paths.article(lang, clause === "development-conditions" ? "development-warranty" : "warranty", clause);
}

/** Every dictionary key the checker may need in the browser. */
export const CHECKER_KEY_PREFIXES = ["checker.status.", "checker.reason.", "checker.route.", "checker.clause", "checker.cause.", "checker.action.", "checker.unknownYear"];
