/**
 * The rows of the promise table on "How to send a request": per kind of request (and per
 * programme or SLA where the promises differ), what is promised on which clock and the clauses
 * that say so. Every figure comes from content/promises.yaml, every word from the i18n files.
 */
import { REQUEST_TYPES, type RequestType } from "../domain/request-types";
import type { Lang } from "../domain/schemas/common";
import type { Clause, PromiseList, RequestPromise } from "../domain/schemas/promises";
import { dictionaries, useCounts, useTranslations, type UiKey } from "../i18n";

export type PromiseRow = {
  type: RequestType;
  /** "Warranty claim (standard warranty)". */
  request: string;
  /** One line per promise; for a request without any, that none is promised and what happens next. */
  promises: string[];
  clauses: Clause[];
};

/** Promises apply to the same projects when they share programme and SLA conditions. */
const conditionOf = (promise: RequestPromise) => `${promise.program ?? ""}|${promise.withSla ?? ""}`;

export function promiseRows(list: PromiseList, lang: Lang): PromiseRow[] {
  const t = useTranslations(lang);
  const tc = useCounts(lang);
  const within = (minutes: number) => (minutes % 60 === 0 ? tc("promise.within.hours", minutes / 60) : tc("promise.within.minutes", minutes));
  const clockText = (promise: RequestPromise): string => {
    switch (promise.clock) {
      case "sameWorkingDay":
        return t("promise.clock.sameWorkingDay");
      case "workingDays":
        return t("promise.clock.workingDays", { within: tc("promise.within.workingDays", promise.amount!) });
      case "minutesOutsideNight":
        return t("promise.clock.minutesOutsideNight", { within: within(promise.amount!) });
      case "slaReaction":
        return t("promise.clock.slaReaction");
    }
  };
  const promiseText = (promise: RequestPromise) => {
    const parts = { deadline: t(`promise.deadline.${promise.deadline}` as UiKey), clock: clockText(promise) };
    return promise.qualifier ? t("promise.qualified", { ...parts, qualifier: t(`deadline.qualifier.${promise.qualifier}` as UiKey) }) : t("promise.text", parts);
  };
  const requestText = (type: RequestType, promise?: RequestPromise) => {
    const conditions = [
      ...(promise?.program ? [t(`promise.condition.program.${promise.program}` as UiKey)] : []),
      ...(promise?.withSla !== undefined ? [t(`promise.condition.sla.${promise.withSla}` as UiKey)] : []),
    ];
    const name = t(`requestType.${type}` as UiKey);
    return conditions.length ? t("promise.request", { type: name, condition: conditions.join(", ") }) : name;
  };
  const uniqueClauses = (clauses: Clause[]) => clauses.filter((clause, index) => clauses.findIndex((other) => other.article === clause.article && other.section === clause.section) === index);

  return REQUEST_TYPES.flatMap((type): PromiseRow[] => {
    const { promises, nextStep } = list[type];
    if (promises.length === 0) {
      const next = `deadline.next.${type}`;
      const text = t("promise.none", { next: next in dictionaries[lang] ? t(next as UiKey) : "" }).trim();
      return [{ type, request: requestText(type), promises: [text], clauses: nextStep ? [nextStep] : [] }];
    }
    const groups = new Map<string, RequestPromise[]>();
    for (const promise of promises) groups.set(conditionOf(promise), [...(groups.get(conditionOf(promise)) ?? []), promise]);
    return [...groups.values()].map((group) => ({
      type,
      request: requestText(type, group[0]),
      promises: group.map(promiseText),
      clauses: uniqueClauses(group.map((promise) => promise.clause)),
    }));
  });
}
