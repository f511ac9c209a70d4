/**
 * Build at scale: 100 projects and 5,000 change-log entries (plus prevention visits and incidents),
 * generated into a temporary copy of the site and built with the real config; then a plain
 * Astro + MDX site rendering the same entries into the same project pages, built the same way, so
 * the ratio shows what our pages (validation, SLA figures, charts, feeds, search index) cost.
 *
 * Prints build time, pages per second and peak memory (maximum resident set size of the build
 * process, from /usr/bin/time -v, or from polling /proc when that is missing). Run by `npm run bench`.
 */
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { CHECKLIST_POINTS, ChangeKindSchema } from "../src/domain/schemas/project-records";

const PROJECTS = 100;
const ENTRIES = 5_000;
const PRIVATE_EVERY = 10; // every 10th project is private
const MDX_EVERY = 10; // every 10th entry uses a component, the rest are plain Markdown
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

/** Writes 100 projects with 50 entries each, visits for those with a plan and incidents for those with an SLA. */
function generateProjects(contentDir: string): { entries: number; visits: number; incidents: number } {
  const projectsDir = path.join(contentDir, "projects");
  rmSync(projectsDir, { recursive: true, force: true });
  let entries = 0;
  let visits = 0;
  let incidents = 0;
  const perProject = ENTRIES / PROJECTS;
  for (let p = 1; p <= PROJECTS; p += 1) {
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
      const mdx = (p * perProject + e) % MDX_EVERY === 0;
      const body = mdx ? `${PARAGRAPH}\n\n<Note>Entry ${e} of project ${p}: nothing else to do for the client.</Note>\n` : `${PARAGRAPH}\n\n${PARAGRAPH}\n`;
      writeFileSync(
        path.join(dir, "changelog", `${date}-change-${e}.${mdx ? "mdx" : "md"}`),
        `---\ndate: ${date}\ntitle: "Change ${e} on project ${p}"\nkind: ${KINDS[(e + p) % KINDS.length]}\nbasis: ${BASES[e % BASES.length]}\nhours: ${0.25 * (1 + ((e * 3 + p) % 16))}\nauthor: Bench Engineer\nsummary: "A generated change-log entry number ${e}, for the scale bench."\nlang: ${e % 3 === 0 ? "ru" : "en"}\n---\n\n${body}`,
      );
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
  return { entries, visits, incidents };
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

/** Our site: the real src/, public/ and config, the real settings and terms, the generated projects. */
export function prepareOurSite(): { dir: string; counts: ReturnType<typeof generateProjects> } {
  const dir = mkdtempSync(path.join(tmpdir(), "portal-scale-"));
  for (const name of ["src", "public", "content", "astro.config.mjs", "package.json", "tsconfig.json"]) cpSync(path.join(ROOT, name), path.join(dir, name), { recursive: true });
  symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
  const counts = generateProjects(path.join(dir, "content"));
  writeBenchConfig(dir, "astro.config.mjs");
  return { dir, counts };
}

/** A plain Astro + MDX site rendering the same change-log files into the same project pages. */
export function preparePlainSite(contentDir: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "plain-scale-"));
  symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
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

type BuildResult = { seconds: number; pages: number; peakMb: number; ok: boolean; log: string };

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

/** Runs `astro build` in `dir` and measures it. */
function build(dir: string): Promise<BuildResult> {
  const astro = path.join(ROOT, "node_modules", "astro", "astro.js");
  const useTime = existsSync("/usr/bin/time");
  const command = useTime ? "/usr/bin/time" : process.execPath;
  const args = [...(useTime ? ["-v", process.execPath] : []), astro, "build", "--config", "astro.config.bench.mjs", "--silent"];
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { cwd: dir, env: { ...process.env, ASTRO_TELEMETRY_DISABLED: "1" } });
    let log = "";
    let polledKb = 0;
    child.stdout.on("data", (chunk: Buffer) => (log += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (log += chunk.toString()));
    const poll = setInterval(() => (polledKb = Math.max(polledKb, treeRssKb(child.pid!))), 250);
    child.on("close", (code) => {
      clearInterval(poll);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const timeKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(log)?.[1] ?? 0);
      resolve({ seconds, pages: countPages(path.join(dir, "dist")), peakMb: Math.max(timeKb, polledKb) / 1024, ok: code === 0, log });
    });
  });
}

const fmt = (n: number, digits = 1) => n.toFixed(digits);

export async function run(): Promise<void> {
  const ours = prepareOurSite();
  const plainDir = preparePlainSite(path.join(ours.dir, "content"));
  try {
    const { entries, visits, incidents } = ours.counts;
    console.log(`Scale corpus: ${PROJECTS} projects (${PROJECTS / PRIVATE_EVERY} private), ${entries} change-log entries (1 in ${MDX_EVERY} MDX), ${visits} prevention visits, ${incidents} incidents`);
    const ourBuild = await build(ours.dir);
    if (!ourBuild.ok) throw new Error(`our build failed:\n${ourBuild.log.slice(-4000)}`);
    const plainBuild = await build(plainDir);
    if (!plainBuild.ok) throw new Error(`plain build failed:\n${plainBuild.log.slice(-4000)}`);
    const line = (name: string, r: BuildResult) =>
      `  ${name.padEnd(22)} ${fmt(r.seconds).padStart(6)} s  ${String(r.pages).padStart(5)} pages  ${fmt(r.pages / r.seconds).padStart(6)} pages/s  peak ${fmt(r.peakMb, 0).padStart(5)} MB`;
    console.log("Build (cold, one process, this machine):");
    console.log(line("our site", ourBuild));
    console.log(line("plain Astro + MDX", plainBuild));
    console.log(
      `  ratio ours / plain: time ×${fmt(ourBuild.seconds / plainBuild.seconds, 2)}, time per page ×${fmt(ourBuild.seconds / ourBuild.pages / (plainBuild.seconds / plainBuild.pages), 2)}, peak memory ×${fmt(ourBuild.peakMb / plainBuild.peakMb, 2)}`,
    );
    console.log("  (ours also validates every content file, computes hours, cost and SLA figures, draws the charts, writes 3 feeds per project and language and builds the Pagefind index)");
  } finally {
    rmSync(ours.dir, { recursive: true, force: true });
    rmSync(plainDir, { recursive: true, force: true });
  }
}
