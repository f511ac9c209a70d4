/**
 * `npm run new -- changelog|prevention|incident --project <slug> [--title "..."]`
 *
 * Scaffolds a change-log entry, a prevention visit or an incident for a project, dated today in
 * Moscow time, named after the title, valid against the same schema the build uses — so an engineer
 * never starts from a blank page. Refuses to overwrite an existing file.
 *
 * Options: --title, --kind, --basis, --hours, --ticket, --author, --lang (en|ru), --date (YYYY-MM-DD,
 * default today in Moscow), --root (content folder, default ./content).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { parse as parseYaml } from "yaml";
import { problemsFromZod, formatProblem } from "../src/domain/content-problems";
import { IsoDateSchema } from "../src/domain/schemas/common";
import { ChangeKindSchema, ChangelogEntrySchema, CHECKLIST_POINTS, IncidentSchema, PreventionVisitSchema, WorkBasisSchema } from "../src/domain/schemas/project-records";
import { ProjectSchema } from "../src/domain/schemas/project";
import { PriceListSchema } from "../src/domain/schemas/prices";
import { calendarDate, formatDeadline } from "../src/domain/service-clock";
import { CONTENT_LAYOUT, readSiteSettings } from "../src/lib/content-files";
import { readFileSync } from "node:fs";

export type EntryType = "changelog" | "prevention" | "incident";

export type ScaffoldOptions = {
  type: EntryType;
  project: string;
  title?: string | undefined;
  kind?: string | undefined;
  basis?: string | undefined;
  hours?: string | undefined;
  ticket?: string | undefined;
  author?: string | undefined;
  lang?: string | undefined;
  date?: string | undefined;
  /** The content folder. */
  root: string;
  /** "Now", for tests. */
  now?: Date;
};

export class ScaffoldError extends Error {}

const CYRILLIC: Record<string, string> = {
  а: "a", б: "b", в: "v", г: "g", д: "d", е: "e", ё: "e", ж: "zh", з: "z", и: "i", й: "y", к: "k", л: "l", м: "m", н: "n", о: "o",
  п: "p", р: "r", с: "s", т: "t", у: "u", ф: "f", х: "kh", ц: "ts", ч: "ch", ш: "sh", щ: "shch", ъ: "", ы: "y", ь: "", э: "e", ю: "yu", я: "ya",
};

/** "Индекс для медленного запроса" → "indeks-dlya-medlennogo-zaprosa": lower-case latin, digits and hyphens, at most 6 words. */
export function slugFromTitle(title: string, fallback: string): string {
  const latin = [...title.toLowerCase()].map((char) => CYRILLIC[char] ?? char).join("");
  const words = latin
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .slice(0, 6);
  return words.length > 0 ? words.join("-") : fallback;
}

/** A YAML double-quoted scalar. */
const quote = (text: string) => JSON.stringify(text);

function gitUserName(): string | undefined {
  try {
    return execFileSync("git", ["config", "user.name"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim() || undefined;
  } catch {
    return undefined;
  }
}

function checkProject(root: string, slug: string) {
  const projectsDir = path.join(root, CONTENT_LAYOUT.projects);
  const file = path.join(projectsDir, slug, CONTENT_LAYOUT.projectFile);
  if (!existsSync(file)) {
    const known = existsSync(projectsDir) ? readdirSync(projectsDir).filter((name) => existsSync(path.join(projectsDir, name, CONTENT_LAYOUT.projectFile))) : [];
    throw new ScaffoldError(`no project "${slug}" in ${path.relative(process.cwd(), projectsDir) || projectsDir}; projects: ${known.join(", ") || "none"}`);
  }
  const result = ProjectSchema.safeParse(parseYaml(readFileSync(file, "utf8")));
  if (!result.success) throw new ScaffoldError(`${file} is invalid; fix it first:\n${problemsFromZod(file, result.error).map(formatProblem).join("\n")}`);
  return result.data;
}

function oneOf<T extends string>(value: string | undefined, options: readonly T[], name: string, fallback: T): T {
  if (value === undefined) return fallback;
  if (!(options as readonly string[]).includes(value)) throw new ScaffoldError(`--${name} must be one of: ${options.join(", ")}`);
  return value as T;
}

function changelogText(o: { date: string; title: string; kind: string; basis: string; hours: number; ticket?: string | undefined; author: string; lang: string }): string {
  return `---
date: ${o.date}
title: ${quote(o.title)}
# ${ChangeKindSchema.options.join(" | ")}
kind: ${o.kind}
# ${WorkBasisSchema.options.join(" | ")}: who pays (only support is billed by the hour)
basis: ${o.basis}
# Hours spent, in quarter hours: 0.25, 0.5, 1.75 …
hours: ${o.hours}
${o.ticket ? `ticket: ${o.ticket}` : "# ticket: S-4KQ7XM   (the request's ticket id, if there was one)"}
author: ${quote(o.author)}
# One or two sentences for the project page, listings and feeds.
summary: ${quote(o.title.length >= 10 ? `${o.title}.` : `${o.title}: what changed for the client.`)}
lang: ${o.lang}
---

{/* What was done and how it was checked, written for the client. You may use <Note>…</Note> and
<BeforeAfter before={…} after={…} beforeAlt="…" afterAlt="…" /> (see README, "Publishing a change"). */}
`;
}

function preventionText(o: { date: string; hours: number; author: string; lang: string }): string {
  const points = CHECKLIST_POINTS.map((point) => `  ${point}: { status: ok }`).join("\n");
  return `---
date: ${o.date}
hours: ${o.hours}
author: ${quote(o.author)}
lang: ${o.lang}
# Each point: ok | attention | problem | not-applicable, with an optional note: { status: problem, note: "…" }
checklist:
${points}
# What the visit found. outcome: fixed (give fixedBy: the change-log entry's file name without .mdx)
# or proposed (support work for the client to approve; add fixedBy once it is done).
findings: []
#  - point: slow-queries
#    text: The catalogue filter by brand took 4 s; an index was added.
#    outcome: fixed
#    fixedBy: ${o.date}-slow-catalogue-index
---

{/* A sentence or two on the visit as a whole. */}
`;
}

function incidentText(o: { started: string; title: string }): string {
  return `# Times are ISO 8601 with the offset (Moscow: +03:00). Add firstReaction, restored and closed as they happen.
started: ${o.started}
detected: ${o.started}
# firstReaction: ${o.started}
# restored: ${o.started}
# closed: ${o.started}
# critical | major | minor
severity: minor
# code | hosting | third-party | user-action | data | attack | unknown
cause: unknown
# true if users could not use the site
downtime: false
reopened: 0
summary:
  en: ${quote(o.title)}
  ru: ${quote(o.title)}
`;
}

/** Writes the new file and returns its path; throws ScaffoldError with a readable message. */
export function scaffold(options: ScaffoldOptions): string {
  const { root, type } = options;
  const project = checkProject(root, options.project);
  const settings = readSiteSettings(root);
  const now = options.now ?? new Date();
  const date = options.date ?? calendarDate(now, settings);
  if (!IsoDateSchema.safeParse(date).success) throw new ScaffoldError("--date must be a real date written as YYYY-MM-DD");
  const title = options.title?.trim();
  const lang = oneOf(options.lang, ["en", "ru"] as const, "lang", title && /[а-яё]/i.test(title) ? "ru" : "en");
  const author = options.author ?? gitUserName() ?? "Engineer";
  const base = path.join(root, CONTENT_LAYOUT.projects, options.project);

  let file: string;
  let text: string;
  if (type === "changelog") {
    const fullTitle = title || (lang === "ru" ? "Новое изменение" : "New change");
    const hours = Number(options.hours ?? "0.25");
    file = path.join(base, CONTENT_LAYOUT.changelog, `${date}-${slugFromTitle(fullTitle, "change")}.mdx`);
    text = changelogText({
      date,
      title: fullTitle,
      kind: oneOf(options.kind, ChangeKindSchema.options, "kind", "improvement"),
      basis: oneOf(options.basis, WorkBasisSchema.options, "basis", "support"),
      hours,
      ticket: options.ticket,
      author,
      lang,
    });
  } else if (type === "prevention") {
    const prices = PriceListSchema.parse(parseYaml(readFileSync(path.join(root, CONTENT_LAYOUT.prices), "utf8")));
    const plan = prices.preventionPlans.find((candidate) => candidate.id === project.prevention?.plan);
    file = path.join(base, CONTENT_LAYOUT.prevention, `${date}.mdx`);
    text = preventionText({ date, hours: Number(options.hours ?? plan?.hoursPerVisit ?? 1.5), author, lang });
  } else {
    const fullTitle = title || "Incident: describe what users saw";
    const started = options.date ? `${options.date}T${formatDeadline(now, settings).slice(11)}` : formatDeadline(now, settings);
    file = path.join(base, CONTENT_LAYOUT.incidents, `${date}-${slugFromTitle(title ?? "", "incident")}.yaml`);
    text = incidentText({ started, title: fullTitle });
  }

  if (existsSync(file)) throw new ScaffoldError(`${path.relative(process.cwd(), file)} already exists; not overwriting it`);
  validate(type, text, file);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text, { flag: "wx" });
  return file;
}

/** The scaffold must pass the build's own schema; a failure here is a bug in this script. */
function validate(type: EntryType, text: string, file: string): void {
  const data = type === "incident" ? parseYaml(text) : parseYaml(/^---\n([\s\S]*?)\n---/.exec(text)![1]!);
  const schema = type === "changelog" ? ChangelogEntrySchema : type === "prevention" ? PreventionVisitSchema : IncidentSchema;
  const result = schema.safeParse(data);
  if (!result.success) throw new ScaffoldError(`the scaffold would not pass the schema:\n${problemsFromZod(file, result.error).map(formatProblem).join("\n")}`);
}

const NEXT_STEPS: Record<EntryType, string> = {
  changelog: "Fill in kind, basis, hours and summary, write the body, then `npm run build` (or `npm run dev`) to see it on the project's change log.",
  prevention: "Set each checklist point and the findings, then `npm run build` to see it on the project's prevention log.",
  incident: "Fill in the times, severity, cause and both summaries, then `npm run build` to see it in the project's SLA report.",
};

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      project: { type: "string" },
      title: { type: "string" },
      kind: { type: "string" },
      basis: { type: "string" },
      hours: { type: "string" },
      ticket: { type: "string" },
      author: { type: "string" },
      lang: { type: "string" },
      date: { type: "string" },
      root: { type: "string" },
    },
  });
  const type = positionals[0];
  if (type !== "changelog" && type !== "prevention" && type !== "incident") {
    throw new ScaffoldError('usage: npm run new -- changelog|prevention|incident --project <slug> [--title "..."]');
  }
  if (!values.project) throw new ScaffoldError("--project <slug> is required");
  const file = scaffold({ ...values, type, project: values.project, root: path.resolve(values.root ?? "content") });
  console.log(`Created ${path.relative(process.cwd(), file)}`);
  console.log(NEXT_STEPS[type]);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  try {
    main();
  } catch (error) {
    if (!(error instanceof ScaffoldError)) throw error;
    console.error(`npm run new: ${error.message}`);
    process.exitCode = 1;
  }
}
