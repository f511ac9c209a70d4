/**
 * Build at scale: 1,000, 5,000 and 20,000 change-log entries (50 per project, every one `.mdx` as
 * `npm run new` scaffolds them, 1 in 10 using a component; plus prevention visits and incidents),
 * generated into a temporary copy of the site and built with the real config; beside it, in the
 * same run, a plain Astro site rendering the same entries into the same project pages, once with
 * every entry `.md` and once with every entry `.mdx`. Each site is built cold (no cache), then one
 * entry is added and it is built again with the cache of the first build (incremental).
 *
 * Prints build time, pages and peak memory (maximum resident set size, from /usr/bin/time -v, or
 * from polling /proc when that is missing) and the ratios ours / plain. Run by `npm run bench`
 * (`npm run bench -- build` alone). BENCH_ENTRIES=1000,5000 picks the sizes, BENCH_PLAIN=md the plain
 * sites built beside ours (default md,mdx: at 20k the plain .mdx site takes minutes); BENCH_LOCK=<file> runs
 * each build under `flock <file>`, so a shared machine's other builds wait for it and it for them
 * (its time is measured inside the lock).
 */
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { CHECKLIST_POINTS, ChangeKindSchema } from "../src/domain/schemas/project-records";

const SIZES = (process.env.BENCH_ENTRIES ?? "1000,5000,20000").split(",").map(Number);
const PER_PROJECT = 50;
const PRIVATE_EVERY = 10; // every 10th project is private
const COMPONENT_EVERY = 10; // every 10th entry uses a component, the rest are plain Markdown
const LOCK = process.env.BENCH_LOCK;
const PLAIN = (process.env.BENCH_PLAIN ?? "md,mdx").split(",") as Extension[];
const MONTHS = ["2025-12", "2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"];
const ROOT = path.resolve(".");

const KINDS = ChangeKindSchema.options;
const BASES = ["support", "support", "warranty", "prevention", "sla"] as const;
const PARAGRAPH =
  "The change was agreed with the client as a short specification, estimated in hours and checked on a staging copy before going live. " +
  "We verified the affected pages in the browsers the client uses and recorded the time spent against the ticket.";

const slugOf = (i: number) => `bench-${String(i).padStart(3, "0")}`;
const tokenOf = (i: number) => `bench${String(i).padStart(3, "0")}Tk${"x7Qm2Lp9".repeat(4)}`;
const pad = (n: number) => String(n).padStart(2, "0");

type Extension = "md" | "mdx";

/** A change-log entry; one using a component is MDX (in `.md`, the same note as HTML). */
function entryText(e: number, p: number, date: string, ext: Extension, component: boolean): string {
  const note = `Entry ${e} of project ${p}: nothing else to do for the client.`;
  const body = !component ? `${PARAGRAPH}\n\n${PARAGRAPH}\n` : ext === "mdx" ? `${PARAGRAPH}\n\n<Note>${note}</Note>\n` : `${PARAGRAPH}\n\n<div class="note" role="note">${note}</div>\n`;
  return `---\ndate: ${date}\ntitle: "Change ${e} on project ${p}"\nkind: ${KINDS[(e + p) % KINDS.length]}\nbasis: ${BASES[e % BASES.length]}\nhours: ${0.25 * (1 + ((e * 3 + p) % 16))}\nauthor: Bench Engineer\nsummary: "A generated change-log entry number ${e}, for the scale bench."\nlang: ${e % 3 === 0 ? "ru" : "en"}\n---\n\n${body}`;
}

/** The entry the incremental build adds (to the first project). */
function addEntry(contentDir: string, ext: Extension): void {
  writeFileSync(path.join(contentDir, "projects", slugOf(1), "changelog", `2026-11-28-added.${ext}`), entryText(999, 1, "2026-11-28", ext, false));
}

/** Writes `entries / 50` projects with 50 entries each, visits for those with a plan and incidents for those with an SLA. */
function generateProjects(contentDir: string, entryCount: number, ext: Extension): { projects: number; entries: number; visits: number; incidents: number } {
  const projectsDir = path.join(contentDir, "projects");
  rmSync(projectsDir, { recursive: true, force: true });
  let entries = 0;
  let visits = 0;
  let incidents = 0;
  const perProject = PER_PROJECT;
  const projects = Math.ceil(entryCount / perProject);
  for (let p = 1; p <= projects; p += 1) {
    const slug = slugOf(p);
    const dir = path.join(projectsDir, slug);
    for (const sub of ["changelog", "prevention", "incidents"]) mkdirSync(path.join(dir, sub), { recursive: true });
    const isPrivate = p % PRIVATE_EVERY === 0;
    const hasPlan = p % 2 === 0;
    const hasSla = p % 3 === 0;
    writeFileSync(
      path.join(dir, "project.yaml"),
      [
        `name: { en: "Bench project ${p}", ru: "Тестовый проект ${p}" }`,
        `client: Bench Client ${p}`,
        // The generated visits and their proposed findings are in English.
        "clientLanguage: en",
        `visibility: ${isPrivate ? "private" : "public"}`,
        ...(isPrivate ? [`accessToken: ${tokenOf(p)}`] : []),
        `summary: { en: "A generated project for the scale bench.", ru: "Сгенерированный проект для нагрузочного замера." }`,
        `warranty: { program: ${p % 4 === 0 ? "development" : "standard"}, completedOn: 2026-06-01, extensions: [], events: [] }`,
        ...(p % 5 === 0 ? ["supportRate: 1600"] : []),
        ...(hasPlan ? [`prevention: { plan: ${p % 4 === 0 ? "four-times-monthly" : "twice-monthly"}, since: 2026-01-01 }`] : []),
        ...(hasSla
          ? [`sla: { since: 2026-01-01, reactionMinutes: 30, restoreHours: 4, availabilityPercent: 99.5, supportPeriod: { en: "Mon–Fri 09:00–18:00", ru: "Пн–Пт 09:00–18:00" } }`]
          : []),
        `team: [team-${p}@bench.example]`,
        "",
      ].join("\n"),
    );
    for (let e = 0; e < perProject; e += 1) {
      const month = MONTHS[e % MONTHS.length]!;
      const day = pad(1 + ((e * 7 + p) % 27));
      const date = `${month}-${day}`;
      const component = (p * perProject + e) % COMPONENT_EVERY === 0;
      writeFileSync(path.join(dir, "changelog", `${date}-change-${e}.${ext}`), entryText(e, p, date, ext, component));
      entries += 1;
    }
    if (hasPlan) {
      for (const date of ["2026-10-05", "2026-10-19", "2026-11-02", "2026-11-16"]) {
        const checklist = CHECKLIST_POINTS.map((point, i) => `  ${point}: { status: ${(i + p) % 7 === 0 ? "problem" : (i + p) % 5 === 0 ? "attention" : "ok"} }`).join("\n");
        writeFileSync(
          path.join(dir, "prevention", `${date}.md`),
          `---\ndate: ${date}\nhours: 1.5\nauthor: Bench Engineer\nlang: en\nchecklist:\n${checklist}\nfindings:\n  - point: slow-queries\n    text: A generated finding to propose as support work.\n    outcome: proposed\n---\n\nA generated visit.\n`,
        );
        visits += 1;
      }
    }
    if (hasSla) {
      for (const [day, minutes] of [["2026-09-14", 95], ["2026-10-08", 30], ["2026-11-03", 240]] as const) {
        const at = (hh: number, mm: number) => `${day}T${pad(hh)}:${pad(mm)}:00+03:00`;
        writeFileSync(
          path.join(dir, "incidents", `${day}-generated.yaml`),
          `started: ${at(10, 0)}\ndetected: ${at(10, 5)}\nfirstReaction: ${at(10, 20)}\nrestored: ${at(10 + Math.floor(minutes / 60), minutes % 60)}\nclosed: ${at(16, 0)}\nseverity: ${minutes > 100 ? "major" : "minor"}\ncause: code\ndowntime: ${minutes > 60}\nreopened: 0\nsummary: { en: "A generated incident.", ru: "Сгенерированный инцидент." }\n`,
        );
        incidents += 1;
      }
    }
  }
  return { projects, entries, visits, incidents };
}

/** A config wrapper that keeps Astro's and Vite's caches inside the temporary folder (node_modules is a link to ours). */
function writeBenchConfig(dir: string, original: string): string {
  const file = path.join(dir, "astro.config.bench.mjs");
  writeFileSync(
    file,
    `import config from "./${original}";\nexport default { ...config, cacheDir: "./.bench-cache/", vite: { ...(config.vite ?? {}), cacheDir: "./.bench-cache/vite/" } };\n`,
  );
  return file;
}

/** Our site: the real src/, public/, config and build script, the real settings and terms, the generated projects. */
export function prepareOurSite(entries: number): { dir: string; counts: ReturnType<typeof generateProjects> } {
  const dir = mkdtempSync(path.join(tmpdir(), "portal-scale-"));
  for (const name of ["src", "public", "content", "scripts", "astro.config.mjs", "package.json", "package-lock.json", "tsconfig.json"]) cpSync(path.join(ROOT, name), path.join(dir, name), { recursive: true });
  symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
  const counts = generateProjects(path.join(dir, "content"), entries, "mdx");
  writeBenchConfig(dir, "astro.config.mjs");
  return { dir, counts };
}

/** A plain Astro + MDX site rendering the same change-log entries, every one `.${ext}`, into the same project pages. */
export function preparePlainSite(entries: number, ext: Extension): string {
  const dir = mkdtempSync(path.join(tmpdir(), `plain-${ext}-scale-`));
  symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
  const contentDir = path.join(dir, "content");
  generateProjects(contentDir, entries, ext);
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "plain-scale", private: true, type: "module" }));
  writeFileSync(
    path.join(dir, "astro.config.mjs"),
    `import mdx from "@astrojs/mdx";\nimport { defineConfig } from "astro/config";\nexport default defineConfig({ site: "https://plain.example", trailingSlash: "always", build: { format: "directory" }, integrations: [mdx({ optimize: true })] });\n`,
  );
  writeBenchConfig(dir, "astro.config.mjs");
  const files: Record<string, string> = {
    "src/content.config.ts": `import { defineCollection } from "astro:content";\nimport { glob } from "astro/loaders";\nimport { z } from "astro/zod";\nexport const collections = {\n  changelog: defineCollection({ loader: glob({ base: ${JSON.stringify(path.join(contentDir, "projects"))}, pattern: "*/changelog/*.{md,mdx}" }), schema: z.object({ date: z.coerce.string(), title: z.string(), kind: z.string(), basis: z.string(), hours: z.number(), author: z.string(), summary: z.string(), lang: z.string() }) }),\n};\n`,
    "src/components/Note.astro": `<div class="note"><slot /></div>\n`,
    "src/layouts/Page.astro": `---\nconst { title, lang } = Astro.props;\n---\n<html lang={lang}><head><meta charset="utf-8" /><title>{title}</title></head><body><main><h1>{title}</h1><slot /></main></body></html>\n`,
    "src/lib/entries.ts": `import { getCollection } from "astro:content";\nconst all = (await getCollection("changelog")).sort((a, b) => (a.data.date < b.data.date ? 1 : -1));\nexport const bySlug = new Map<string, typeof all>();\nfor (const entry of all) { const slug = entry.id.split("/")[0]!; bySlug.set(slug, [...(bySlug.get(slug) ?? []), entry]); }\nexport const paths = () => ["en", "ru"].flatMap((lang) => [...bySlug.keys()].map((slug) => ({ params: { lang, slug }, props: { lang, slug } })));\n`,
    "src/pages/[lang]/projects/[slug]/index.astro": `---\nimport Page from "../../../../layouts/Page.astro";\nimport { bySlug, paths } from "../../../../lib/entries";\nexport const getStaticPaths = paths;\nconst { lang, slug } = Astro.props;\n---\n<Page title={slug} lang={lang}><ul>{bySlug.get(slug)!.slice(0, 5).map((e) => <li>{e.data.title}</li>)}</ul></Page>\n`,
    "src/pages/[lang]/projects/[slug]/changes.astro": `---\nimport { render } from "astro:content";\nimport Note from "../../../../components/Note.astro";\nimport Page from "../../../../layouts/Page.astro";\nimport { bySlug, paths } from "../../../../lib/entries";\nexport const getStaticPaths = paths;\nconst { lang, slug } = Astro.props;\nconst rendered = await Promise.all(bySlug.get(slug)!.map(async (e) => ({ e, Content: (await render(e)).Content })));\n---\n<Page title={slug} lang={lang}>{rendered.map(({ e, Content }) => <article><h2>{e.data.title}</h2><p>{e.data.summary}</p><Content components={{ Note }} /></article>)}</Page>\n`,
    "src/pages/[lang]/projects/[slug]/prevention.astro": `---\nimport Page from "../../../../layouts/Page.astro";\nimport { paths } from "../../../../lib/entries";\nexport const getStaticPaths = paths;\nconst { lang, slug } = Astro.props;\n---\n<Page title={slug} lang={lang}><p>Prevention</p></Page>\n`,
    "src/pages/[lang]/projects/[slug]/sla.astro": `---\nimport Page from "../../../../layouts/Page.astro";\nimport { paths } from "../../../../lib/entries";\nexport const getStaticPaths = paths;\nconst { lang, slug } = Astro.props;\n---\n<Page title={slug} lang={lang}><p>SLA</p></Page>\n`,
  };
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** `cpuSeconds` (user + system, from /usr/bin/time) moves less than `seconds` when other processes share the cores. */
type BuildResult = { seconds: number; cpuSeconds: number; pages: number; peakMb: number; ok: boolean; log: string; phases: Phases };

/** Seconds of each step Astro's log times: the content layer (loading and rendering entries), bundling, rendering pages, and our search index. */
type Phases = { content?: number; bundle?: number; pages?: number; search?: number };

const seconds = (stat: string) => (stat.endsWith("ms") ? Number(stat.slice(0, -2)) / 1000 : Number(stat.slice(0, -1)));

/** The step timings from an `astro build` log (info level): each "✓ Completed in" after the line naming its step. */
export function phasesOf(log: string): Phases {
  const text = log.replace(/\x1b\[[0-9;]*m/g, "");
  const after = (step: string) => {
    const at = text.indexOf(step);
    const match = at < 0 ? null : /Completed in ([\d.]+m?s)/.exec(text.slice(at));
    return match ? seconds(match[1]!) : undefined;
  };
  const search = /\[search-index\] indexed \d+ pages in ([\d.]+m?s)/.exec(text)?.[1];
  return { content: after("Collecting build info"), bundle: after("Building static entrypoints"), pages: after("generating static routes"), search: search ? seconds(search) : undefined };
}

/** Peak resident set size of a process tree, polled from /proc (a fallback when /usr/bin/time is missing). */
function treeRssKb(rootPid: number): number {
  let total = 0;
  const children = new Map<number, number[]>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      // the process ended meanwhile
    }
  }
  const stack = [rootPid];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    try {
      total += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
    } catch {
      // gone
    }
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

function countPages(dist: string): number {
  if (!existsSync(dist)) return 0;
  return (readdirSync(dist, { recursive: true }) as string[]).filter((file) => file.endsWith(".html")).length;
}

/** Runs `astro build` in `dir` (ours through scripts/build.mjs, as `npm run build` does) and measures it. */
function build(dir: string): Promise<BuildResult> {
  const ours = existsSync(path.join(dir, "scripts", "build.mjs"));
  const script = ours ? path.join(dir, "scripts", "build.mjs") : path.join(ROOT, "node_modules", "astro", "astro.js");
  const useTime = existsSync("/usr/bin/time");
  // Info level: the log times each step (one line a page besides).
  const node = [process.execPath, script, ...(ours ? [] : ["build"]), "--config", "astro.config.bench.mjs"];
  const measured = useTime ? ["/usr/bin/time", "-v", ...node] : node;
  const [command, ...args] = LOCK ? ["flock", LOCK, ...measured] : measured;
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const child = spawn(command!, args, { cwd: dir, env: { ...process.env, ASTRO_TELEMETRY_DISABLED: "1" } });
    let log = "";
    let polledKb = 0;
    child.stdout.on("data", (chunk: Buffer) => (log += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (log += chunk.toString()));
    const poll = setInterval(() => (polledKb = Math.max(polledKb, treeRssKb(child.pid!))), 250);
    child.on("close", (code) => {
      clearInterval(poll);
      // /usr/bin/time's wall clock starts inside the lock; the fallback's includes any wait for it.
      const elapsed = /Elapsed \(wall clock\) time[^:]*: (?:(\d+):)?(\d+):([\d.]+)/.exec(log);
      const seconds = elapsed ? Number(elapsed[1] ?? 0) * 3600 + Number(elapsed[2]) * 60 + Number(elapsed[3]) : Number(process.hrtime.bigint() - started) / 1e9;
      const timeKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(log)?.[1] ?? 0);
      const cpuSeconds = ["User", "System"].reduce((sum, kind) => sum + Number(new RegExp(`${kind} time \\(seconds\\): ([\\d.]+)`).exec(log)?.[1] ?? NaN), 0);
      resolve({ seconds, cpuSeconds, pages: countPages(path.join(dir, "dist")), peakMb: Math.max(timeKb, polledKb) / 1024, ok: code === 0, log, phases: phasesOf(log) });
    });
  });
}

const fmt = (n: number, digits = 1) => n.toFixed(digits);

type Site = { name: string; dir: string; ext: Extension };
type Measured = { cold: BuildResult; incremental: BuildResult };

const PHASE_NAMES: [keyof Phases, string][] = [["content", "content layer"], ["bundle", "bundle"], ["pages", "pages"], ["search", "search index"]];
const phaseLine = ({ phases }: BuildResult) =>
  PHASE_NAMES.filter(([key]) => phases[key] !== undefined)
    .map(([key, name]) => `${name} ${fmt(phases[key]!)} s`)
    .join(" · ");
const line = (name: string, r: BuildResult) =>
  `    ${name.padEnd(40)} ${fmt(r.seconds).padStart(7)} s (cpu ${fmt(r.cpuSeconds).padStart(6)} s)  ${String(r.pages).padStart(6)} pages  ${fmt(r.pages / r.seconds).padStart(6)} pages/s  peak ${fmt(r.peakMb, 0).padStart(5)} MB\n${" ".repeat(46)}${phaseLine(r)}`;
const ratio = (a: BuildResult, b: BuildResult) => `time ×${fmt(a.seconds / b.seconds, 2)}, cpu time ×${fmt(a.cpuSeconds / b.cpuSeconds, 2)}, peak memory ×${fmt(a.peakMb / b.peakMb, 2)}`;

/** Cold (no cache, no dist), then one entry added and built again with the first build's cache. */
async function measure(site: Site): Promise<Measured> {
  rmSync(path.join(site.dir, ".bench-cache"), { recursive: true, force: true });
  rmSync(path.join(site.dir, "dist"), { recursive: true, force: true });
  const cold = await build(site.dir);
  if (!cold.ok) throw new Error(`${site.name}: cold build failed:\n${cold.log.slice(-4000)}`);
  // As it comes (a 20k run takes long); the table follows.
  console.log(line(`${site.name}, cold`, cold));
  addEntry(path.join(site.dir, "content"), site.ext);
  const incremental = await build(site.dir);
  if (!incremental.ok) throw new Error(`${site.name}: incremental build failed:\n${incremental.log.slice(-4000)}`);
  console.log(line(`${site.name}, incremental`, incremental));
  return { cold, incremental };
}

export async function run(): Promise<void> {
  if (LOCK) console.log(`Each build runs under flock ${LOCK}; its time is measured inside the lock.`);
  for (const entries of SIZES) {
    const ours = prepareOurSite(entries);
    const sites: Site[] = [
      { name: "our site (.mdx)", dir: ours.dir, ext: "mdx" },
      ...PLAIN.map((ext) => ({ name: `plain Astro (.${ext})`, dir: preparePlainSite(entries, ext), ext })),
    ];
    try {
      const { projects, visits, incidents } = ours.counts;
      console.log(
        `\n${entries} change-log entries: ${projects} projects (${Math.floor(projects / PRIVATE_EVERY)} private), every entry .mdx (.md in the plain .md site), 1 in ${COMPONENT_EVERY} using a component; ${visits} prevention visits, ${incidents} incidents`,
      );
      const results: Measured[] = [];
      for (const site of sites) results.push(await measure(site));
      for (const kind of ["cold", "incremental"] as const) {
        console.log(`  ${kind === "cold" ? "Cold build (no cache)" : "Incremental (one entry added, cache of the cold build kept)"}:`);
        sites.forEach((site, i) => console.log(line(site.name, results[i]![kind])));
        sites.slice(1).forEach((site, i) => console.log(`    ratio ours / plain .${site.ext}: ${ratio(results[0]![kind], results[i + 1]![kind])}`));
      }
    } finally {
      for (const site of sites) rmSync(site.dir, { recursive: true, force: true });
    }
  }
  console.log("(ours also validates every content file, computes hours, cost and SLA figures, draws the charts, writes 3 feeds per project and language and builds the Pagefind index)");
}
