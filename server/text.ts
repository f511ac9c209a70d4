/** Request strings in a language (from `src/i18n/requests.<lang>.json`), escaping and dates for e-mails and pages. */
import { deadlinePhrase } from "../src/domain/format";
import { DEADLINE_KINDS, type TranslateMessage } from "../src/domain/requests";
import type { Lang } from "../src/domain/schemas/common";
import { applicablePromises } from "../src/domain/service-clock";
import type { ServerContent } from "../src/lib/content-files";
import { dictionaries, useTranslations, type UiKey } from "../src/i18n";
import type { Receipt } from "./store";

/** `t(key, params)` for keys built at run time (`option.priority.high`); an unknown key is returned as is. */
export function translator(lang: Lang): TranslateMessage {
  const translate = useTranslations(lang);
  return (key, params) => (key in dictionaries[lang] ? translate(key as UiKey, params) : key);
}

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;" };

/** Text safe inside HTML elements and quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

/** "24 November 2026, 18:00 Moscow time". */
export function moscowTime(iso: string, lang: Lang): string {
  return deadlinePhrase(iso, lang, translator(lang));
}

/** One labelled value of an e-mail or page; `long` values keep their line breaks, `href` makes a link. */
export type Row = { label: string; value: string; long?: boolean; href?: string };

/** What a receipt says: id, type, time received, deadlines. */
export function receiptRows(receipt: Receipt, lang: Lang): Row[] {
  const t = translator(lang);
  return [
    { label: t("received.id"), value: receipt.id },
    { label: t("received.type"), value: t(`requestType.${receipt.type}`) },
    { label: t("received.receivedAt"), value: moscowTime(receipt.receivedAt, lang) },
    ...deadlineRows(receipt, lang),
  ];
}

/**
 * The promised deadlines as rows, in a fixed order, each with the terms' qualifier when they give
 * one and, when `note` is given, what it says about the deadline (the status page: time left).
 */
export function deadlineRows(receipt: Receipt, lang: Lang, note?: (at: string) => string): Row[] {
  const t = translator(lang);
  return DEADLINE_KINDS.flatMap((kind) => {
    const at = receipt.deadlines[kind];
    if (!at) return [];
    const phrase = deadlinePhrase(at, lang, t, receipt.qualifiers?.[kind]);
    return [{ label: t(`deadline.${kind}`), value: note ? `${phrase} (${note(at)})` : phrase }];
  });
}

/**
 * What a receipt without deadlines says instead: that the terms promise none for this request and
 * what happens next, or (when they do promise one but the calendar could not compute it) that the
 * timing will follow.
 */
export function noDeadlineText(receipt: Receipt, content: ServerContent, lang: Lang): string {
  const t = translator(lang);
  const project = receipt.project ? content.projects.get(receipt.project) : undefined;
  // Article feedback promises nothing (it has no entry in promises.yaml).
  const promised =
    receipt.type === "feedback" ? [] : applicablePromises(content.promises, receipt.type, { program: project?.warranty.program, slaReactionMinutes: project?.sla?.reactionMinutes });
  if (promised.length > 0) return t("deadline.none");
  const next = `deadline.next.${receipt.type}`;
  return [t("deadline.notPromised"), ...(next in dictionaries[lang] ? [t(next)] : [])].join(" ");
}
