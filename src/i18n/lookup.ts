/**
 * Filling `{name}` placeholders, choosing a count's plural form, and looking strings up in the few
 * a page hands to its browser script. Imports no dictionary, so browser bundles stay small.
 */
import { LOCALE, numberFormat } from "../domain/format";
import type { Lang } from "../domain/schemas/common";

export type Params = Record<string, string | number>;

/**
 * "Resolved by {time}" + { time: "18:00" } → "Resolved by 18:00"; unknown placeholders stay as they
 * are. A value that ends in a full stop ("2026 г.") swallows the template's own stop after it, so a
 * sentence never ends in "г..".
 */
export function fill(template: string, params: Params = {}): string {
  return template.replace(/\{(\w+)\}(\.?)/g, (whole, name: string, stop: string) => {
    if (!(name in params)) return whole;
    const value = String(params[name]);
    return stop && value.endsWith(".") ? value : value + stop;
  });
}

/**
 * A phrase with a count is one key per plural form: `count.visits#one`, `#few`, `#many`, `#other`
 * — exactly the forms the language's plural rules have (English: one, other), a test checks it.
 */
export const PLURAL_MARK = "#";

const rules = new Map<Lang, Intl.PluralRules>();

/** The plural form `count` takes in `lang`: 1 → one; ru 2, 22 → few; ru 5, 11, 25 → many; en 0, 2 → other. */
export function pluralCategory(lang: Lang, count: number): Intl.LDMLPluralRule {
  let rule = rules.get(lang);
  if (!rule) rules.set(lang, (rule = new Intl.PluralRules(LOCALE[lang])));
  return rule.select(count);
}

/** The template of plural phrase `key` for `count`; `{count}` in it is the number as `lang` writes it. */
export function countPhrase(strings: Readonly<Record<string, string>>, lang: Lang, key: string, count: number, params: Params = {}): string {
  const template = strings[`${key}${PLURAL_MARK}${pluralCategory(lang, count)}`] ?? strings[`${key}${PLURAL_MARK}other`] ?? key;
  return fill(template, { count: numberFormat(lang, 2).format(count), ...params });
}

/** `t(key, params)` over a page's handed-over strings; a missing key comes back as itself. */
export function lookupFrom(strings: Record<string, string>): (key: string, params?: Params) => string {
  return (key, params) => fill(strings[key] ?? key, params);
}
