/**
 * UI strings: one flat JSON file per language with dotted keys. English defines the keys;
 * Russian must have exactly the same ones (a test checks it), except that a phrase with a count has
 * one key per plural form of each language (`key#one`…, see lookup.ts). Components call
 * `useTranslations(lang)`, and `useCounts(lang)` where a number meets a noun.
 */
import type { Lang } from "../domain/schemas/common";
import { countPhrase, fill, PLURAL_MARK, type Params } from "./lookup";
import siteEn from "./en.json";
import projectsEn from "./projects.en.json";
import projectsRu from "./projects.ru.json";
import requestsEn from "./requests.en.json";
import requestsRu from "./requests.ru.json";
import siteRu from "./ru.json";

// Site, project-page and request-form strings live in separate files per language; keys never overlap.
const en = { ...siteEn, ...projectsEn, ...requestsEn };
const ru = { ...siteRu, ...projectsRu, ...requestsRu };

type AnyKey = keyof typeof en;
/** A phrase with a count, named without its plural suffix: "count.visits". */
export type CountKey = { [K in AnyKey]: K extends `${infer Base}${typeof PLURAL_MARK}other` ? Base : never }[AnyKey];
/** Every other string. */
export type UiKey = Exclude<AnyKey, `${string}${typeof PLURAL_MARK}${string}`>;
export type Translate = (key: UiKey, params?: Params) => string;
/** "2 visits" / «2 визита»: the form of `key` for `count`, with `{count}` and any other placeholders filled. */
export type TranslateCount = (key: CountKey, count: number, params?: Params) => string;

export const dictionaries: Record<Lang, Record<AnyKey, string>> = { en, ru };

/** Returns `t(key, params)` for a language; `{name}` placeholders are replaced by params. */
export function useTranslations(lang: Lang): Translate {
  const dictionary = dictionaries[lang];
  return (key, params) => fill(dictionary[key], params);
}

/** Returns `tc(key, count, params)` for a language: the one way a number meets a noun. */
export function useCounts(lang: Lang): TranslateCount {
  const dictionary: Readonly<Record<string, string>> = dictionaries[lang];
  return (key, count, params) => countPhrase(dictionary, lang, key, count, params);
}

/** The strings of a language whose keys pass `keep`: what a page hands to its browser script. */
export function stringsFor(lang: Lang, keep: (key: string) => boolean): Record<string, string> {
  return Object.fromEntries(Object.entries(dictionaries[lang]).filter(([key]) => keep(key)));
}

/** The other language, for the language switch. */
export function otherLang(lang: Lang): Lang {
  return lang === "en" ? "ru" : "en";
}
