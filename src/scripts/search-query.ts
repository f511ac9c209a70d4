/**
 * From what a client types to the pages that answer it, over Pagefind's JS API. Used by the header
 * search and by the article suggestions next to the request forms.
 *
 * Pagefind finds pages that contain every word of a query. Clients type questions («сколько длится
 * гарантия», "we moved to a new host, is it covered"), so question and filler words are dropped
 * first, and pages are ranked by how many of the remaining words they hold, so one word the
 * articles do not use no longer hides the page that answers.
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
  /** `null` with filters: every page that has them. */
  search(term: string | null, options?: { filters?: Filters }): Promise<{ results: PagefindResult[] } | null>;
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
      "per via not no yes t s don doesn didn isn aren wasn won cannot ok hi hello"
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

/**
 * Words clients use for what the terms call otherwise. A query word from a group also finds pages
 * with any other word of its group, and counts as one word for ranking. Stemming already joins a
 * word's own forms (moved/move, гарантия/гарантии), so only genuinely different words are listed.
 */
const SYNONYMS: Record<Lang, readonly string[][]> = {
  en: [
    ["price", "prices", "cost", "costs", "fee", "rate", "pricing", "charge", "pay"],
    ["down", "outage", "broke", "broken", "crashed", "crash", "offline", "unavailable", "failure"],
    ["moved", "move", "migrated", "migrate", "migration", "transfer", "switched", "switch", "changed"],
    ["host", "hosting", "server", "provider"],
    ["bug", "error", "defect", "glitch", "problem"],
    ["log", "record", "store", "keep", "collect"],
    ["backup", "backups", "copies"],
    ["uptime", "availability"],
    ["end", "ends", "expire", "expires", "expiry", "lapse", "lapses"],
    ["search", "searches", "searched", "looking"],
  ],
  ru: [
    ["цена", "цены", "стоит", "стоимость", "почем", "прайс", "тариф", "ставка", "платить"],
    ["упал", "упало", "лег", "лежит", "сломался", "сломалось", "авария", "сбой", "недоступен", "работает"],
    ["переехали", "переезд", "перенесли", "перенос", "сменили", "смена", "поменяли"],
    ["хостинг", "хостинга", "сервер", "провайдер"],
    ["ошибка", "ошибки", "баг", "дефект", "проблема"],
    ["платить", "оплата", "оплатить", "оплачивается", "счет"],
    ["сохраняете", "храните", "хранятся", "записываете", "собираете"],
    ["бэкап", "бэкапы", "резервные", "копии"],
    ["техподдержка", "поддержка"],
    ["заканчивается", "закончится", "закончилась", "кончается", "истекает", "истечет"],
    ["поиск", "поисковые", "ищу", "ищете", "искать"],
  ],
};

/** "how much" asks for a price though both its words are filler (Russian asks with «стоит», «почём», which are not). */
const PRICE_QUESTION: Partial<Record<Lang, RegExp>> = { en: /\bhow much\b/ };

/** The words a query word also matches: itself and the rest of its synonym group. */
export function alternativesOf(word: string, lang: Lang): string[] {
  return SYNONYMS[lang].find((group) => group.includes(word)) ?? [word];
}

/** The words of a query worth searching for, lower-case, ё as е, in the order typed. */
export function queryWords(text: string, lang: Lang): string[] {
  const normal = text.toLowerCase().replaceAll("ё", "е");
  const words = [...(normal.match(/[\p{L}\p{N}]+/gu) ?? []), ...(PRICE_QUESTION[lang]?.test(normal) ? [SYNONYMS[lang][0]![0]!] : [])];
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

/** The filter every terms article carries (ArticleLayout.astro); project pages do not. */
export const ARTICLE_FILTER = { name: "type", value: "article" } as const;

export type Ranked = { result: PagefindResult; words: number; score: number };

/**
 * Pages holding more of the words come first; among those holding as many, terms articles before
 * project pages (`preferred`), then Pagefind's own scores decide.
 */
export async function rankByWords(engine: Pagefind, lang: Lang, words: string[], filters: Filters = {}, preferred: ReadonlySet<string> = new Set()): Promise<Ranked[]> {
  const ranked = new Map<string, Ranked>();
  const groups = await Promise.all(words.map((word) => Promise.all(alternativesOf(word, lang).map((term) => engine.search(term, { filters })))));
  for (const responses of groups) {
    // A page counts once per query word, with its best score among the word's alternatives.
    const best = new Map<string, PagefindResult>();
    for (const result of responses.flatMap((response) => response?.results ?? [])) {
      if ((best.get(result.id)?.score ?? -1) < result.score) best.set(result.id, result);
    }
    for (const result of best.values()) {
      const entry = ranked.get(result.id) ?? { result, words: 0, score: 0 };
      entry.words += 1;
      entry.score += result.score;
      ranked.set(result.id, entry);
    }
  }
  const first = (entry: Ranked) => (preferred.has(entry.result.id) ? 1 : 0);
  return [...ranked.values()].sort((a, b) => b.words - a.words || first(b) - first(a) || b.score - a.score);
}

let articles: Promise<ReadonlySet<string>> | undefined;

/** Ids of the terms articles in the page's index (a filter-only search, asked once). */
function articleIds(engine: Pagefind): Promise<ReadonlySet<string>> {
  articles ??= engine.search(null, { filters: { [ARTICLE_FILTER.name]: [ARTICLE_FILTER.value] } }).then((response) => new Set(response?.results.map((result) => result.id)));
  return articles;
}

/**
 * Every page holding at least one meaningful word of the query, best first (see rankByWords).
 * `all`: the best page holds every word; `some`: none holds them all; `none`: no word is found.
 */
export type Found = { match: "all" | "some" | "none"; words: string[]; results: PagefindResult[] };

export async function findPages(engine: Pagefind, text: string, lang: Lang, filters: Filters = {}): Promise<Found> {
  const words = queryWords(text, lang);
  if (words.length === 0) return { match: "none", words, results: [] };
  const ranked = await rankByWords(engine, lang, words, filters, await articleIds(engine));
  const best = ranked[0]?.words ?? 0;
  return { match: best === 0 ? "none" : best === words.length ? "all" : "some", words, results: ranked.map((entry) => entry.result) };
}
