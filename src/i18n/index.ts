/**
 * UI strings: one flat JSON file per language with dotted keys. English defines the keys;
 * Russian must have exactly the same ones (a test checks it). Components call `useTranslations(lang)`.
 */
import type { Lang } from "../domain/schemas/common";
import { fill, type Params } from "./lookup";
import siteEn from "./en.json";
import projectsEn from "./projects.en.json";
import projectsRu from "./projects.ru.json";
import requestsEn from "./requests.en.json";
import requestsRu from "./requests.ru.json";
import siteRu from "./ru.json";

// Site, project-page and request-form strings live in separate files per language; keys never overlap.
const en = { ...siteEn, ...projectsEn, ...requestsEn };
const ru = { ...siteRu, ...projectsRu, ...requestsRu };

export type UiKey = keyof typeof en;
export type Translate = (key: UiKey, params?: Params) => string;

export const dictionaries: Record<Lang, Record<UiKey, string>> = { en, ru };

/** Returns `t(key, params)` for a language; `{name}` placeholders are replaced by params. */
export function useTranslations(lang: Lang): Translate {
  const dictionary = dictionaries[lang];
  return (key, params) => fill(dictionary[key], params);
}

/** The strings of a language whose keys pass `keep`: what a page hands to its browser script. */
export function stringsFor(lang: Lang, keep: (key: string) => boolean): Record<string, string> {
  return Object.fromEntries(Object.entries(dictionaries[lang]).filter(([key]) => keep(key)));
}

/** The other language, for the language switch. */
export function otherLang(lang: Lang): Lang {
  return lang === "en" ? "ru" : "en";
}
