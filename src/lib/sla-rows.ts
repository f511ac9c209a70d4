/**
 * The SLA report's metrics as labelled rows, grouped as the full tables show them: each row turns
 * one period's SlaMetrics (src/domain/sla.ts) into the text a client reads, with its target and
 * whether the period met it. The full tables (SlaTable.astro) and the headline figures
 * (SlaHeadline.astro) both print these rows, so a figure reads the same in both places.
 */
import type { Lang } from "../domain/schemas/common";
import type { ChangeKind } from "../domain/schemas/project-records";
import { CAUSES, SEVERITIES, type SlaMetrics, type SlaTargets } from "../domain/sla";
import { WORK_BASES } from "../domain/work-log";
import type { Translate } from "../i18n";
import { formatDuration, formatHours, formatNumber, formatPercent, formatRubles, formatShare } from "./project-format";

export type SlaRow = {
  /** Stable name of the metric, for the headline to pick rows by. */
  key: string;
  label: string;
  /** The agreed target in words, when the metric has one. */
  target?: string;
  value: (m: SlaMetrics) => string;
  /** Whether the period met the target; undefined when there is nothing to judge. */
  met?: (m: SlaMetrics) => boolean | undefined;
};
export type SlaRowGroup = { title: string; rows: SlaRow[] };

const DASH = "—";

/** Every row of the report for these periods (the work kinds and causes that occur in any of them). */
export function slaRowGroups({ lang, t, metrics, targets, withFee }: { lang: Lang; t: Translate; metrics: SlaMetrics[]; targets?: SlaTargets | undefined; withFee: boolean }): SlaRowGroup[] {
  const minutes = (value: number | undefined) => (value === undefined ? DASH : formatDuration(value, t));
  const share = (value: number | undefined) => (value === undefined ? DASH : formatShare(value, lang));
  const hours = (value: number | undefined) => (value === undefined ? DASH : formatHours(value, lang));
  const kinds = [...new Set(metrics.flatMap((m) => Object.keys(m.hours.byKind)))].sort() as ChangeKind[];
  const causes = CAUSES.filter((cause) => metrics.some((m) => m.byCause[cause] > 0));
  return [
    {
      title: t("project.sla.group.incidents"),
      rows: [
        { key: "failures", label: t("project.sla.failures"), value: (m) => String(m.failures) },
        { key: "resolved", label: t("project.sla.resolved"), value: (m) => String(m.resolved) },
        { key: "open", label: t("project.sla.open"), value: (m) => String(m.openAtEnd) },
        { key: "reopened", label: t("project.sla.reopened"), value: (m) => String(m.reopened) },
        ...SEVERITIES.map((severity) => ({ key: `severity.${severity}`, label: t("project.sla.severity", { severity: t(`project.severity.${severity}`) }), value: (m: SlaMetrics) => String(m.bySeverity[severity]) })),
        ...causes.map((cause) => ({ key: `cause.${cause}`, label: t("project.sla.cause", { cause: t(`project.cause.${cause}`) }), value: (m: SlaMetrics) => String(m.byCause[cause]) })),
      ],
    },
    {
      title: t("project.sla.group.reaction"),
      rows: [
        { key: "reaction.median", label: t("project.sla.median"), value: (m) => minutes(m.reaction.median) },
        { key: "reaction.p90", label: t("project.sla.p90"), value: (m) => minutes(m.reaction.p90) },
        { key: "reaction.max", label: t("project.sla.max"), value: (m) => minutes(m.reaction.max) },
        ...(targets
          ? [{ key: "reaction.withinTarget", label: t("project.sla.withinTarget"), target: t("project.sla.target.reaction", { time: formatDuration(targets.reactionMinutes, t) }), value: (m: SlaMetrics) => share(m.reaction.withinTarget), met: (m: SlaMetrics) => m.met.reaction }]
          : []),
      ],
    },
    {
      title: t("project.sla.group.restore"),
      rows: [
        { key: "restore.mean", label: t("project.sla.mttr"), value: (m) => minutes(m.restore.mean) },
        { key: "restore.p90", label: t("project.sla.p90"), value: (m) => minutes(m.restore.p90) },
        ...(targets
          ? [{ key: "restore.withinTarget", label: t("project.sla.withinTarget"), target: t("project.sla.target.restore", { time: formatDuration(targets.restoreHours * 60, t) }), value: (m: SlaMetrics) => share(m.restore.withinTarget), met: (m: SlaMetrics) => m.met.restore }]
          : []),
        { key: "downtime", label: t("project.sla.downtime"), value: (m) => formatDuration(m.downtimeMinutes, t) },
        {
          key: "availability",
          label: t("project.sla.availability"),
          ...(targets ? { target: t("project.sla.target.availability", { percent: formatPercent(targets.availabilityPercent, lang) }) } : {}),
          value: (m) => formatPercent(m.availabilityPercent, lang, 3),
          met: (m) => m.met.availability,
        },
        { key: "mtbf", label: t("project.sla.mtbf"), value: (m) => (m.mtbfHours === undefined ? DASH : t("project.sla.hoursValue", { hours: formatNumber(m.mtbfHours, lang) })) },
      ],
    },
    {
      title: t("project.sla.group.work"),
      rows: [
        ...kinds.map((kind) => ({ key: `kind.${kind}`, label: t(`project.kind.${kind}`), value: (m: SlaMetrics) => hours(m.hours.byKind[kind] ?? 0) })),
        ...WORK_BASES.map((basis) => ({ key: `basis.${basis}`, label: t("project.sla.basisHours", { basis: t(`project.basis.${basis}`) }), value: (m: SlaMetrics) => hours(m.hours.byBasis[basis]) })),
        { key: "hours.total", label: t("project.hours.total"), value: (m) => hours(m.hours.totalHours) },
        { key: "hours.billable", label: t("project.sla.billable"), value: (m) => hours(m.hours.billableHours) },
        { key: "cost.billable", label: t("project.sla.cost"), value: (m) => formatRubles(m.hours.cost, lang) },
        ...(withFee ? [{ key: "cost.fee", label: t("project.cost.fee"), value: (m: SlaMetrics) => formatRubles(m.cost.preventionFee, lang) }] : []),
        { key: "cost.total", label: t("project.sla.totalCost"), value: (m) => formatRubles(m.cost.total, lang) },
        { key: "share.warranty", label: t("project.sla.warrantyShare"), value: (m) => share(m.warrantyShare) },
        { key: "share.billable", label: t("project.sla.billableShare"), value: (m) => share(m.billableShare) },
      ],
    },
    {
      title: t("project.sla.group.prevention"),
      rows: [
        { key: "prevention.visits", label: t("project.sla.visits"), value: (m) => t("project.sla.visitsValue", { done: m.prevention.done, planned: m.prevention.planned }) },
        { key: "prevention.raised", label: t("project.prevention.raised"), value: (m) => String(m.prevention.findingsRaised) },
        { key: "prevention.fixed", label: t("project.prevention.fixed"), value: (m) => String(m.prevention.findingsFixed) },
      ],
    },
  ];
}
