/**
 * Reads and validates everything under `content/` with the domain schemas, outside Astro.
 * The build runs it first (so bad content fails with one line per problem), and the server
 * uses it to load settings, calendars, prices, promises and project routing at start-up.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import type { z } from "zod";
import { ContentError, type ContentProblem, problemsFromZod } from "../domain/content-problems";
import { ProductionCalendarSchema, type ProductionCalendar } from "../domain/schemas/calendar";
import { awaitsDecision, findingTexts } from "../domain/findings";
import type { Resolution } from "../domain/request-status";
import { LANGS, type Lang } from "../domain/schemas/common";
import { PriceListSchema, type PriceList } from "../domain/schemas/prices";
import { ProjectSchema, type Project } from "../domain/schemas/project";
import { PromiseListSchema, type Clause, type PromiseList } from "../domain/schemas/promises";
import { findSamples, isWithin, type ContentSampleable } from "../domain/schemas/sample";
import {
  ChangelogEntrySchema,
  IncidentSchema,
  PreventionVisitSchema,
} from "../domain/schemas/project-records";
import { SiteSettingsSchema, type SiteSettings } from "../domain/schemas/settings";
import { TermsArticleSchema, type TermsArticle } from "../domain/schemas/terms";
import { headingsById } from "../markdown/heading-ids";
import { entryBodyProblems, isPlainMarkdown } from "../markdown/entry-components";
import { CONTENT_ROOT } from "./build-env";

/** Where each kind of content lives, relative to the content root. */
export const CONTENT_LAYOUT = {
  settings: "settings.yaml",
  prices: "prices.yaml",
  promises: "promises.yaml",
  calendars: "calendars",
  terms: "terms",
  projects: "projects",
  projectFile: "project.yaml",
  changelog: "changelog",
  prevention: "prevention",
  incidents: "incidents",
} as const;

/** The content folder: CONTENT_DIR, default `./content` (src/lib/build-env.ts). */
export const DEFAULT_CONTENT_ROOT = CONTENT_ROOT;

type Parsed<T> = { ok: true; data: T } | { ok: false; problems: ContentProblem[] };

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---(?:\r?\n|$)/;

class Reader {
  readonly problems: ContentProblem[] = [];
  readonly sampleable: ContentSampleable[] = [];
  constructor(readonly root: string) {}

  /** Path as shown in messages: relative to the project, e.g. `content/prices.yaml`. */
  display(file: string): string {
    return path.relative(path.dirname(this.root), file).split(path.sep).join("/");
  }

  problem(file: string, field: string, reason: string): void {
    this.problems.push({ file: this.display(file), field, reason });
  }

  /** The text after a file's front matter. */
  body(file: string): string {
    return readFileSync(file, "utf8").replace(FRONT_MATTER, "");
  }

  /** An `.mdx` record's body may use only what src/markdown/entry-components.ts renders; each problem names its line in the file. */
  entryBody(file: string): void {
    if (!file.endsWith(".mdx")) return;
    const text = readFileSync(file, "utf8");
    const body = text.replace(FRONT_MATTER, "");
    if (isPlainMarkdown(body)) return;
    const bodyStartsOn = text.slice(0, text.length - body.length).split("\n").length;
    for (const { line, reason } of entryBodyProblems(body)) this.problem(file, "(body)", `line ${bodyStartsOn + line - 1}: ${reason}`);
  }

  private rawData(file: string, frontMatter: boolean): unknown {
    const text = readFileSync(file, "utf8");
    if (!frontMatter) return parseYaml(text);
    const match = FRONT_MATTER.exec(text);
    if (!match) throw new Error("missing front matter (a block between --- lines at the top)");
    return parseYaml(match[1] ?? "");
  }

  /** Parses a YAML file or an MDX file's front matter and validates it; records problems. */
  validate<S extends z.ZodTypeAny>(file: string, schema: S, frontMatter = false): Parsed<z.output<S>> {
    let raw: unknown;
    try {
      raw = this.rawData(file, frontMatter);
    } catch (error) {
      const reason = error instanceof Error ? error.message.split("\n")[0] ?? "unreadable" : "unreadable";
      this.problem(file, frontMatter ? "front matter" : "(file)", reason);
      return { ok: false, problems: [] };
    }
    const shown = this.display(file);
    const samples = findSamples(schema, raw);
    this.sampleable.push(...samples.fields.map((field) => ({ ...field, file: shown })));
    const misplaced = samples.misplaced.map((field) => ({ file: shown, field, reason: "is given as { sample: … }, but only fields the schema declares sampleable may be" }));
    const result = schema.safeParse(raw ?? {});
    if (result.success && misplaced.length === 0) return { ok: true, data: result.data };
    // A misplaced sample also fails the field's own type; its line says why once.
    const typeProblems = result.success ? [] : problemsFromZod(shown, result.error).filter(({ field }) => !samples.misplaced.some((mark) => isWithin(field, mark)));
    const problems = [...misplaced, ...typeProblems];
    this.problems.push(...problems);
    return { ok: false, problems };
  }

  list(dir: string, extensions: string[]): string[] {
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((name) => !name.startsWith("_") && extensions.some((ext) => name.endsWith(ext)))
      .sort();
  }

  subdirectories(dir: string): string[] {
    if (!existsSync(dir)) return [];
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith("_"))
      .map((entry) => entry.name)
      .sort();
  }
}

export type ServerContent = {
  settings: SiteSettings;
  prices: PriceList;
  /** What each kind of request is promised, on which clock, by which clause of the terms. */
  promises: PromiseList;
  calendars: ProductionCalendar[];
  /** Projects by slug (the folder name). */
  projects: Map<string, Project>;
  /** Slugs of the terms articles per language (file names without extension): what article feedback may name. */
  articles: Record<Lang, ReadonlySet<string>>;
  /** Every field of the settings and the price list that may be a sample value, and whether it is one. */
  sampleable: ContentSampleable[];
  /** Published change-log entries naming a request (`ticket:`), by ticket id: the newest entry per ticket. */
  resolutions: Map<string, Resolution>;
  /** The agency's logo (settings `brand.logo`), the SVG file's text. */
  logoSvg: string;
};

/** The SVG text of the logo file `brand.logo` names, or undefined (with a problem recorded) when there is none. */
function readLogo(reader: Reader, settingsFile: string, logo: string): string | undefined {
  const file = path.join(reader.root, logo);
  if (!existsSync(file)) {
    reader.problem(settingsFile, "brand.logo", `there is no file ${reader.display(file)}`);
    return undefined;
  }
  const svg = readFileSync(file, "utf8");
  if (!/<svg[\s>]/.test(svg) || !/\bviewBox\s*=/.test(svg)) {
    reader.problem(settingsFile, "brand.logo", `${reader.display(file)} is not an SVG image with a viewBox`);
    return undefined;
  }
  return svg;
}

function readCoreContent(reader: Reader): Partial<ServerContent> {
  const { root } = reader;
  const settingsFile = path.join(root, CONTENT_LAYOUT.settings);
  const settings = reader.validate(settingsFile, SiteSettingsSchema);
  const logoSvg = settings.ok ? readLogo(reader, settingsFile, settings.data.brand.logo) : undefined;
  const prices = reader.validate(path.join(root, CONTENT_LAYOUT.prices), PriceListSchema);
  const promises = reader.validate(path.join(root, CONTENT_LAYOUT.promises), PromiseListSchema);

  const calendarDir = path.join(root, CONTENT_LAYOUT.calendars);
  const calendars: ProductionCalendar[] = [];
  for (const name of reader.list(calendarDir, [".yaml"])) {
    const file = path.join(calendarDir, name);
    const result = reader.validate(file, ProductionCalendarSchema);
    if (!result.ok) continue;
    if (name !== `${result.data.year}.yaml`) reader.problem(file, "year", `file name must be ${result.data.year}.yaml`);
    calendars.push(result.data);
  }
  if (calendars.length === 0) reader.problem(calendarDir, "(folder)", "needs at least one production calendar (YYYY.yaml)");

  const projects = new Map<string, Project>();
  const tokens = new Map<string, string>();
  const projectsDir = path.join(root, CONTENT_LAYOUT.projects);
  for (const slug of reader.subdirectories(projectsDir)) {
    const file = path.join(projectsDir, slug, CONTENT_LAYOUT.projectFile);
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug)) reader.problem(file, "(folder name)", "must be lower-case latin letters, digits and hyphens");
    if (!existsSync(file)) {
      reader.problem(file, "(file)", "every project folder needs a project.yaml");
      continue;
    }
    const result = reader.validate(file, ProjectSchema);
    if (!result.ok) continue;
    const token = result.data.accessToken;
    if (token) {
      const other = tokens.get(token);
      if (other) reader.problem(file, "accessToken", `same token as project ${other}; every private project needs its own`);
      tokens.set(token, slug);
    }
    projects.set(slug, result.data);
  }

  const termsDir = path.join(root, CONTENT_LAYOUT.terms);
  const articles = {} as Record<Lang, Set<string>>;
  for (const lang of LANGS) articles[lang] = new Set(reader.list(path.join(termsDir, lang), [".mdx", ".md"]).map((name) => name.replace(/\.mdx?$/, "")));

  return {
    ...(settings.ok ? { settings: settings.data } : {}),
    ...(logoSvg ? { logoSvg } : {}),
    ...(prices.ok ? { prices: prices.data } : {}),
    ...(promises.ok ? { promises: promises.data } : {}),
    calendars: calendars.sort((a, b) => a.year - b.year),
    projects,
    articles,
    sampleable: reader.sampleable,
  };
}

/** Reads only the settings file (astro.config.mjs needs the site URL before anything else); throws `ContentError`. */
export function readSiteSettings(root = DEFAULT_CONTENT_ROOT): SiteSettings {
  const reader = new Reader(root);
  const settings = reader.validate(path.join(root, CONTENT_LAYOUT.settings), SiteSettingsSchema);
  if (!settings.ok) throw new ContentError(reader.problems);
  return settings.data;
}

/** Loads what the server needs; throws `ContentError` listing every problem. */
export function loadServerContent(root = DEFAULT_CONTENT_ROOT): ServerContent {
  const reader = new Reader(root);
  const content = readCoreContent(reader);
  if (reader.problems.length > 0 || !content.settings || !content.logoSvg || !content.prices || !content.promises) throw new ContentError(reader.problems);
  // Read (every change-log entry's front matter) when the service first asks; the site never does.
  let resolutions: Map<string, Resolution> | undefined;
  const slugs = [...(content.projects?.keys() ?? [])];
  return Object.defineProperty({ ...content }, "resolutions", { enumerable: true, get: () => (resolutions ??= readResolutions(new Reader(root), slugs)) }) as ServerContent;
}

/**
 * The change-log entries that name a ticket, as the build publishes them (every valid entry whose
 * file name does not start with `_`): what a request's status page shows as its resolution.
 */
function readResolutions(reader: Reader, slugs: string[]): Map<string, Resolution> {
  const resolutions = new Map<string, Resolution>();
  for (const slug of slugs) {
    const dir = path.join(reader.root, CONTENT_LAYOUT.projects, slug, CONTENT_LAYOUT.changelog);
    for (const name of reader.list(dir, [".mdx", ".md"])) {
      const result = reader.validate(path.join(dir, name), ChangelogEntrySchema, true);
      if (!result.ok || !result.data.ticket) continue;
      const { ticket, title, date, hours, lang } = result.data;
      const known = resolutions.get(ticket);
      if (!known || known.date <= date) resolutions.set(ticket, { ticket, project: slug, entry: name.replace(/\.mdx?$/, ""), title, date, hours, lang });
    }
  }
  return resolutions;
}

/** Section ids of every article, by language and slug (file name without extension). */
type TermsSections = Map<string, Map<string, Set<string>>>;

function checkTerms(reader: Reader): TermsSections {
  const termsDir = path.join(reader.root, CONTENT_LAYOUT.terms);
  const sections: TermsSections = new Map();
  const slugsByLang = LANGS.map((lang) => {
    const dir = path.join(termsDir, lang);
    const names = reader.list(dir, [".mdx", ".md"]);
    const bySlug = new Map<string, Set<string>>();
    for (const name of names) {
      const file = path.join(dir, name);
      const result = reader.validate(file, TermsArticleSchema, true);
      const ids = new Set(headingsById(reader.body(file)).keys());
      bySlug.set(name.replace(/\.mdx?$/, ""), ids);
      if (result.ok) checkQuestionSections(reader, file, result.data, ids);
    }
    sections.set(lang, bySlug);
    return { lang, names: new Set(names) };
  });
  for (const { lang, names } of slugsByLang) {
    for (const other of slugsByLang) {
      if (other.lang === lang) continue;
      for (const name of names) {
        if (!other.names.has(name)) {
          reader.problem(path.join(termsDir, lang, name), "(file)", `has no translation: add ${CONTENT_LAYOUT.terms}/${other.lang}/${name}`);
        }
      }
    }
  }
  return sections;
}

/** Every clause of the promises file names an article and a pinned section that exist in both languages. */
function checkPromiseClauses(reader: Reader, promises: PromiseList, sections: TermsSections): void {
  const file = path.join(reader.root, CONTENT_LAYOUT.promises);
  const check = (clause: Clause, field: string) => {
    for (const lang of LANGS) {
      const article = sections.get(lang)?.get(clause.article);
      const where = `${CONTENT_LAYOUT.terms}/${lang}/${clause.article}.mdx`;
      if (!article) reader.problem(file, `${field}.article`, `no article ${where}`);
      else if (!article.has(clause.section)) reader.problem(file, `${field}.section`, `no section {/* #${clause.section} */} in ${where}`);
    }
  };
  for (const [type, { promises: list, nextStep }] of Object.entries(promises)) {
    list.forEach((promise, index) => check(promise.clause, `${type}.promises.${index}.clause`));
    if (nextStep) check(nextStep, `${type}.nextStep`);
  }
}

/** Each question must point at a heading of its own article, or the FAQ page would link nowhere. */
function checkQuestionSections(reader: Reader, file: string, article: TermsArticle, ids: ReadonlySet<string>): void {
  article.questions.forEach(({ section }, index) => {
    if (!ids.has(section)) reader.problem(file, `questions.${index}.section`, `no heading with the id "${section}" in this article (there are: ${[...ids].join(", ") || "none"})`);
  });
}

/** Calendar date of an instant in Moscow time (UTC+3: the settings schema fixes utcOffset to "+03:00"). */
function moscowDate(instant: string): string {
  return new Date(Date.parse(instant) + 3 * 3_600_000).toISOString().slice(0, 10);
}

const LANGUAGE_NAMES: Record<Lang, string> = { en: "English", ru: "Russian" };

/** `project` is undefined when its project.yaml is broken: the records are still checked on their own. */
function checkProjectRecords(reader: Reader, slug: string, project: Project | undefined): void {
  const base = path.join(reader.root, CONTENT_LAYOUT.projects, slug);

  const changelogDir = path.join(base, CONTENT_LAYOUT.changelog);
  const entryNames = new Set<string>();
  /** Date of each valid change-log entry, by file name without extension. */
  const entryDates = new Map<string, string>();
  for (const name of reader.list(changelogDir, [".mdx", ".md"])) {
    const file = path.join(changelogDir, name);
    const stem = name.replace(/\.mdx?$/, "");
    entryNames.add(stem);
    const dateInName = /^(\d{4}-\d{2}-\d{2})-[a-z0-9]+(-[a-z0-9]+)*$/.exec(stem)?.[1];
    if (!dateInName) reader.problem(file, "(file name)", "must be YYYY-MM-DD-short-title.mdx in lower-case latin letters, digits and hyphens");
    const result = reader.validate(file, ChangelogEntrySchema, true);
    reader.entryBody(file);
    if (result.ok && dateInName && result.data.date !== dateInName) {
      reader.problem(file, "date", `is ${result.data.date} but the file name says ${dateInName}`);
    }
    if (result.ok) entryDates.set(stem, result.data.date);
  }

  const preventionDir = path.join(base, CONTENT_LAYOUT.prevention);
  for (const name of reader.list(preventionDir, [".mdx", ".md"])) {
    const file = path.join(preventionDir, name);
    const dateInName = /^(\d{4}-\d{2}-\d{2})\.mdx?$/.exec(name)?.[1];
    if (!dateInName) reader.problem(file, "(file name)", "must be YYYY-MM-DD.mdx");
    const result = reader.validate(file, PreventionVisitSchema, true);
    reader.entryBody(file);
    if (!result.ok) continue;
    if (dateInName && result.data.date !== dateInName) reader.problem(file, "date", `is ${result.data.date} but the file name says ${dateInName}`);
    result.data.findings.forEach((finding, index) => {
      const clientLang = project?.clientLanguage;
      if (clientLang && awaitsDecision(finding) && findingTexts(finding.text, result.data.lang)[clientLang] === undefined) {
        reader.problem(
          file,
          `findings.${index}.text`,
          `waits for the client's decision, so it needs its text in ${LANGUAGE_NAMES[clientLang]} (the project's clientLanguage): write text as { ${result.data.lang}: …, ${clientLang}: … }`,
        );
      }
      if (finding.fixedBy && !entryNames.has(finding.fixedBy)) {
        reader.problem(file, `findings.${index}.fixedBy`, `no change-log entry ${finding.fixedBy} in this project`);
      }
      const fixedOn = finding.fixedBy ? entryDates.get(finding.fixedBy) : undefined;
      if (fixedOn && fixedOn < result.data.date) {
        reader.problem(file, `findings.${index}.fixedBy`, `${finding.fixedBy} is dated ${fixedOn}, before the visit found the problem`);
      }
    });
  }

  const incidentsDir = path.join(base, CONTENT_LAYOUT.incidents);
  for (const name of reader.list(incidentsDir, [".yaml"])) {
    const file = path.join(incidentsDir, name);
    const dateInName = /^(\d{4}-\d{2}-\d{2})-[a-z0-9]+(-[a-z0-9]+)*\.yaml$/.exec(name)?.[1];
    if (!dateInName) reader.problem(file, "(file name)", "must be YYYY-MM-DD-short-title.yaml in lower-case latin letters, digits and hyphens");
    const result = reader.validate(file, IncidentSchema);
    // The file is named after the day the incident started, Moscow time.
    const startedOn = result.ok ? moscowDate(result.data.started) : undefined;
    if (dateInName && startedOn && startedOn !== dateInName) reader.problem(file, "started", `is on ${startedOn} (Moscow time) but the file name says ${dateInName}`);
  }
}

/** Validates every content file; returns all problems (empty when the content is good). */
export function checkContent(root = DEFAULT_CONTENT_ROOT): ContentProblem[] {
  const reader = new Reader(root);
  const { projects, promises } = readCoreContent(reader);
  const sections = checkTerms(reader);
  if (promises) checkPromiseClauses(reader, promises, sections);
  // Every project folder, so a broken project file does not hide the problems of its records.
  for (const slug of reader.subdirectories(path.join(root, CONTENT_LAYOUT.projects))) checkProjectRecords(reader, slug, projects?.get(slug));
  return reader.problems;
}
