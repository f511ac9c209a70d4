/**
 * The per-language glossaries (src/i18n/glossary.<lang>.yaml) and the one way the tests look for
 * their forbidden variants in a text: whole words, any letter case, `*` ending a word stem.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import type { Lang } from "../../src/domain/schemas/common";

const entrySchema = z
  .object({
    /** The one term a client reads for this concept; no default. */
    term: z.string().min(1),
    /** Variants that must not appear, e.g. "ticket*" (a stem) or "into work"; no default. */
    avoid: z.array(z.string().min(1)).min(1),
    /** One line on why and how the term is used; no default. */
    note: z.string().min(1),
  })
  .strict();

export type GlossaryEntry = z.infer<typeof entrySchema>;
export type Violation = { term: string; variant: string; phrase: string };

export function glossaryFile(lang: Lang): string {
  return path.resolve(`src/i18n/glossary.${lang}.yaml`);
}

/** The glossary of `lang`, validated; a bad entry throws naming its index and field. */
export function readGlossary(lang: Lang): GlossaryEntry[] {
  return z.array(entrySchema).min(1).parse(parse(readFileSync(glossaryFile(lang), "utf8")));
}

const WORD_CHAR = String.raw`[\p{L}\p{N}]`;
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** "заявк* на доработку" → a case-insensitive regex matching it as whole words, stems open-ended. */
export function variantPattern(variant: string): RegExp {
  const words = variant.trim().split(/\s+/).map((word) => (word.endsWith("*") ? `${escape(word.slice(0, -1))}\\p{L}*` : escape(word)));
  return new RegExp(`(?<!${WORD_CHAR})${words.join(String.raw`[\s\u00a0\u202f]+`)}(?!${WORD_CHAR})`, "giu");
}

/** Every forbidden variant found in `text`, with the phrase as written there. */
export function findViolations(glossary: readonly GlossaryEntry[], text: string): Violation[] {
  return glossary.flatMap(({ term, avoid }) =>
    avoid.flatMap((variant) => [...text.matchAll(variantPattern(variant))].map((match) => ({ term, variant, phrase: match[0] }))),
  );
}

/** One line per violation for a test message: `file: "phrase" (say "term")`. */
export function describeViolations(where: string, violations: readonly Violation[]): string[] {
  return violations.map(({ term, phrase }) => `${where}: "${phrase}" (say "${term}")`);
}
