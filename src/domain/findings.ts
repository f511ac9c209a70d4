/**
 * Prevention findings: which ones wait for the client's decision, and in which language a page shows
 * a finding. Pure; the prevention log, the project overview and the content check share it.
 */
import { LANGS, type Lang } from "./schemas/common";
import type { FindingText } from "./schemas/project-records";

/** The fields of a finding these rules need. */
export type FindingState = { outcome: "fixed" | "proposed"; fixedBy?: string | undefined };

/** Proposed to the client as support work and not done yet: the client has to decide. */
export function awaitsDecision(finding: FindingState): boolean {
  return finding.outcome === "proposed" && finding.fixedBy === undefined;
}

/** The texts a finding is written in; a plain string is in the visit's language. */
export function findingTexts(text: FindingText, visitLang: Lang): Partial<Record<Lang, string>> {
  return typeof text === "string" ? { [visitLang]: text } : text;
}

/** A text and the language it is written in. */
export type TextIn = { text: string; lang: Lang };

/**
 * What a page in `pageLang` shows of a finding: its own language when written, else the one that is.
 * A finding waiting for the client's decision always has the client's language (the content check
 * sees to it), so both pages show it in that language unless the page's own is written too.
 */
export function findingTextFor(text: FindingText, visitLang: Lang, pageLang: Lang): TextIn {
  const texts = findingTexts(text, visitLang);
  const lang = [pageLang, ...LANGS].find((candidate) => texts[candidate] !== undefined)!;
  return { text: texts[lang]!, lang };
}
