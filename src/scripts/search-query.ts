/**
 * From what a client types to the pages that answer it, over Pagefind's JS API. Used by the header
 * search and by the article suggestions next to the request forms.
 *
 * Pagefind finds pages that contain every word of a query. Clients type questions («сколько длится
 * гарантия», "we moved to a new host, is it covered"), so question and filler words are dropped
 * first; when no page holds every remaining word, pages are ranked by how many of them they hold.
 */
import type { Lang } from "../domain/schemas/common";

export type PagefindSubResult = { title: string; url: string; excerpt: string; locations?: number[] };
export type PagefindResultData = {
  url: string;
  excerpt: string;
  meta: { title?: string };
  filters?: Record<string, string[]>;
  sub_results: PagefindSubResult[];
};
export type PagefindResult = { id: string; score: number; data(): Promise<PagefindResultData> };
export type Filters = Record<string, string[]>;
export type Pagefind = {
  options(options: Record<string, unknown>): Promise<void>;
  search(term: string, options?: { filters?: Filters }): Promise<{ results: PagefindResult[] } | null>;
  filters(): Promise<Record<string, Record<string, number>>>;
};

/** Written by the build next to the site; not a module the bundler can see. */
const PAGEFIND_SCRIPT = "/pagefind/pagefind.js";

/**
 * Pagefind's ranking for this site (https://pagefind.app/docs/ranking/): long change logs and short
 * terms pages are compared on term frequency less than by default, so a term that a terms page is
 * about is not outweighed by a long log that mentions it; excerpts short, as results show several.
 */
const OPTIONS = { noWorker: true, excerptLength: 18, ranking: { termFrequency: 0.6, pageLength: 0.5, termSaturation: 1.2, termSimilarity: 1 } };

/** The longest query searched word by word; the rest of a long description adds little. */
const MAX_WORDS = 8;

/**
 * Words that say how something is asked rather than what about: they never decide which page
 * answers. Compared after lower-casing and ё → е.
 */
const STOP_WORDS: Record<Lang, ReadonlySet<string>> = {
  en: new Set(
    (
      "a an the and or but if so of to in on at by for from with about into as than then that this these those there here " +
      "is are was were be been being am do does did doing done have has had having get got can could will would should shall may might must " +
      "i me my mine we us our ours you your yours it its they them their he she his her " +
      "how what when where which who whom whose why much many any some all still also just only very really please " +
      "not no yes t s don doesn didn isn aren wasn won cannot ok hi hello"
    ).split(" "),
  ),
  ru: new Set(
    (
      "и а но или что чтобы как так же ли ни не нет да бы был была было были быть это этот эта эти тот та то те " +
      "в во на с со к ко у о об от до по за из для при про без под над через между " +
      "я мы вы ты он она оно они меня мне нас нам вас вам вами его ее их мой моя мое мои наш наша наше наши ваш ваша ваше ваши свой своя свое свои " +
      "сколько какой какая какое какие каков когда где куда откуда почему зачем кто чем чего кого кому " +
      "можно нужно надо уже еще тоже также только очень просто пожалуйста есть будет здравствуйте добрый день"
    ).split(" "),
  ),
};

/** The words of a query worth searching for, lower-case, ё as е, in the order typed. */
export function queryWords(text: string, lang: Lang): string[] {
  const words = text.toLowerCase().replaceAll("ё", "е").match(/[\p{L}\p{N}]+/gu) ?? [];
  const meaningful = words.filter((word) => !STOP_WORDS[lang].has(word));
  // A query made only of such words ("how much?") is still searched as typed.
  return [...new Set(meaningful.length > 0 ? meaningful : words)].slice(0, MAX_WORDS);
}

let pagefind: Promise<Pagefind> | undefined;

/** Pagefind for the page's language, loaded on first use and configured once. */
export function loadPagefind(): Promise<Pagefind> {
  pagefind ??= (async () => {
    const engine = (await import(/* @vite-ignore */ PAGEFIND_SCRIPT)) as Pagefind;
    await engine.options(OPTIONS);
    return engine;
  })();
  pagefind.catch(() => (pagefind = undefined));
  return pagefind;
}

/** Pages matching more of the words come first; among equals, Pagefind's own scores decide. */
export async function rankByWords(engine: Pagefind, words: string[], filters: Filters = {}): Promise<PagefindResult[]> {
  const ranked = new Map<string, { result: PagefindResult; words: number; score: number }>();
  for (const response of await Promise.all(words.map((word) => engine.search(word, { filters })))) {
    for (const result of response?.results ?? []) {
      const entry = ranked.get(result.id) ?? { result, words: 0, score: 0 };
      entry.words += 1;
      entry.score += result.score;
      ranked.set(result.id, entry);
    }
  }
  return [...ranked.values()].sort((a, b) => b.words - a.words || b.score - a.score).map((entry) => entry.result);
}

/**
 * `all`: pages holding every meaningful word, as Pagefind ranks them. `some`: no page holds them
 * all, so the pages holding most of them. `none`: not one word is found anywhere.
 */
export type Found = { match: "all" | "some" | "none"; words: string[]; results: PagefindResult[] };

export async function findPages(engine: Pagefind, text: string, lang: Lang, filters: Filters = {}): Promise<Found> {
  const words = queryWords(text, lang);
  if (words.length === 0) return { match: "none", words, results: [] };
  const all = (await engine.search(words.join(" "), { filters }))?.results ?? [];
  if (all.length > 0 || words.length === 1) return { match: all.length > 0 ? "all" : "none", words, results: all };
  const some = await rankByWords(engine, words, filters);
  return { match: some.length > 0 ? "some" : "none", words, results: some };
}
