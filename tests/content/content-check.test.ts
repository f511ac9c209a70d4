/**
 * Bad content is reported as one readable line per problem, naming file, field and reason;
 * and a real `astro build` stops on it. Sample values are fine content, but a production build
 * (`NODE_ENV=production npm run build`) refuses them, while a build without NODE_ENV (`npm start`'s)
 * publishes them under a notice.
 */
import { spawnSync } from "node:child_process";
import { cpSync, readdirSync, readFileSync, symlinkSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { formatProblem } from "../../src/domain/content-problems";
import { contentReadiness } from "../../src/domain/readiness";
import { checkContent, loadServerContent } from "../../src/lib/content-files";
import { brokenCopy, confirmSettings, FIXTURE_CONTENT, removeCopies } from "./content-copies";

const REAL_CONTENT = path.resolve("content");

/**
 * A project folder beside `root` (a content copy) that builds it with this checkout's code, so a
 * build here never shares `.astro/` or `dist/` with the site tests' builds. The code is copied
 * (Astro compiles a symlinked component under the wrong path); only node_modules is linked.
 */
function projectFor(root: string): string {
  const project = path.dirname(root);
  for (const name of ["src", "public", "scripts", "package.json", "tsconfig.json", "astro.config.mjs"]) {
    cpSync(path.resolve(name), path.join(project, name), { recursive: true });
  }
  symlinkSync(path.resolve("node_modules"), path.join(project, "node_modules"));
  return project;
}

/** `npm run build` of `root` into `<project>/dist`, with NODE_ENV as given (undefined: unset, as `npm start` builds). */
function npmBuild(root: string, nodeEnv: string | undefined) {
  const env: NodeJS.ProcessEnv = { ...process.env, CONTENT_DIR: root };
  delete env.NODE_ENV; // vitest sets NODE_ENV=test
  if (nodeEnv) env.NODE_ENV = nodeEnv;
  const project = projectFor(root);
  const build = spawnSync("npm", ["run", "build", "--silent"], { cwd: project, encoding: "utf8", timeout: 180_000, env });
  const dist = path.join(project, "dist");
  const pages = () => (readdirSync(dist, { recursive: true }) as string[]).filter((file) => file.endsWith(".html") && !file.startsWith("pagefind"));
  return { status: build.status, output: build.stdout + build.stderr, pages, read: (file: string) => readFileSync(path.join(dist, file), "utf8") };
}

const NOTICE = 'class="sample-notice"';

afterEach(removeCopies);

describe("content check", () => {
  it.each([
    ["the agency's content", REAL_CONTENT],
    ["the test fixtures", FIXTURE_CONTENT],
  ])("finds no problem in %s", (_name, root) => {
    expect(checkContent(root).map(formatProblem)).toEqual([]);
  });

  it.each([
    {
      name: "a price that is not a number",
      file: "prices.yaml",
      edit: (t: string) => t.replace("supportHourlyRate: 1700", 'supportHourlyRate: "a lot"'),
      expected: "content/prices.yaml: supportHourlyRate: Expected number, received string",
    },
    {
      name: "a missing article title",
      file: "terms/en/warranty.mdx",
      edit: (t: string) => t.replace(/^title:.*$/m, ""),
      expected: "content/terms/en/warranty.mdx: title: Required",
    },
    {
      name: "an impossible date",
      file: "terms/ru/support.mdx",
      edit: (t: string) => t.replace(/^lastReviewed:.*$/m, "lastReviewed: 2026-02-30"),
      expected: "content/terms/ru/support.mdx: lastReviewed: must be a real date written as YYYY-MM-DD",
    },
    {
      name: "an unknown change kind",
      file: "projects/fx-shop/changelog/2026-10-06-dealer-price-export.mdx",
      edit: (t: string) => t.replace("kind: feature", "kind: magic"),
      expected: "content/projects/fx-shop/changelog/2026-10-06-dealer-price-export.mdx: kind: Invalid enum value.",
    },
    {
      name: "hours not in quarter hours",
      file: "projects/fx-shop/changelog/2026-10-14-cart-total-rounding.mdx",
      edit: (t: string) => t.replace("hours: 1.25", "hours: 1.3"),
      expected: "content/projects/fx-shop/changelog/2026-10-14-cart-total-rounding.mdx: hours: must be a multiple of 0.25 (quarter hours)",
    },
    {
      name: "a private project without its token",
      file: "projects/fx-private/project.yaml",
      edit: (t: string) => t.replace(/^accessToken:.*$/m, ""),
      expected: "content/projects/fx-private/project.yaml: accessToken: a private project needs an accessToken (at least 32 random characters)",
    },
    {
      name: "a team address that is a list",
      file: "projects/fx-clinic/project.yaml",
      edit: (t: string) => t.replace("clinic-team@fixture.example", '"a@x.example, b@y.example"'),
      expected: "content/projects/fx-clinic/project.yaml: team.0: must be a single plain e-mail address",
    },
    {
      name: "a checklist point left out",
      file: "projects/fx-shop/prevention/2026-10-20.mdx",
      edit: (t: string) => t.replace(/^ {2}locks:.*\n/m, ""),
      expected: "content/projects/fx-shop/prevention/2026-10-20.mdx: checklist.locks: Required",
    },
    {
      name: "a finding fixed by an entry that does not exist",
      file: "projects/fx-shop/prevention/2026-10-20.mdx",
      edit: (t: string) => t.replace("fixedBy: 2026-10-20-slow-catalogue-index", "fixedBy: 2026-10-21-nothing"),
      expected: "content/projects/fx-shop/prevention/2026-10-20.mdx: findings.0.fixedBy: no change-log entry 2026-10-21-nothing in this project",
    },
    {
      name: "a finding marked fixed without the entry that fixed it",
      file: "projects/fx-shop/prevention/2026-10-20.mdx",
      edit: (t: string) => t.replace("    fixedBy: 2026-10-20-slow-catalogue-index\n", ""),
      expected: "content/projects/fx-shop/prevention/2026-10-20.mdx: findings.0.fixedBy: a fixed finding needs fixedBy",
    },
    {
      name: "a finding fixed by an entry dated before the visit",
      file: "projects/fx-shop/prevention/2026-10-20.mdx",
      edit: (t: string) => t.replace("fixedBy: 2026-10-20-slow-catalogue-index", "fixedBy: 2026-10-14-cart-total-rounding"),
      expected: "content/projects/fx-shop/prevention/2026-10-20.mdx: findings.0.fixedBy: 2026-10-14-cart-total-rounding is dated 2026-10-14, before the visit found the problem",
    },
    {
      name: "a finding waiting for the client's decision written only in another language than the client's",
      file: "projects/fx-clinic/prevention/2026-10-12.mdx",
      edit: (t: string) => t.replace(/^ {4}text:\n {6}ru: .*$/m, "    text: Move lab results older than two years to cold storage."),
      expected: "content/projects/fx-clinic/prevention/2026-10-12.mdx: findings.0.text: waits for the client's decision, so it needs its text in Russian (the project's clientLanguage)",
    },
    {
      name: "a finding waiting for the client's decision whose texts lack the client's language",
      file: "projects/fx-shop/prevention/2026-11-03.mdx",
      edit: (t: string) => t.replace(/^ {6}ru: .*\n/m, ""),
      expected: "content/projects/fx-shop/prevention/2026-11-03.mdx: findings.0.text: waits for the client's decision, so it needs its text in Russian (the project's clientLanguage)",
    },
    {
      name: "a client language the site does not have",
      file: "projects/fx-shop/project.yaml",
      edit: (t: string) => t.replace("clientLanguage: ru", "clientLanguage: de"),
      expected: "content/projects/fx-shop/project.yaml: clientLanguage: Invalid enum value.",
    },
    {
      name: "a prevention plan starting mid-month",
      file: "projects/fx-shop/project.yaml",
      edit: (t: string) => t.replace("since: 2026-10-01", "since: 2026-10-15"),
      expected: "content/projects/fx-shop/project.yaml: prevention.since: must be the first day of a month",
    },
    {
      name: "a prevention plan ending mid-month",
      file: "projects/fx-private/project.yaml",
      edit: (t: string) => t.replace("until: 2026-08-31", "until: 2026-08-30"),
      expected: "content/projects/fx-private/project.yaml: prevention.until: must be the last day of a month",
    },
    {
      name: "an incident whose file name disagrees with its start (Moscow time)",
      file: "projects/fx-clinic/incidents/2026-11-12-booking-down.yaml",
      edit: (t: string) => t.replace("started: 2026-11-12T07:40:00+03:00", "started: 2026-11-11T20:40:00Z"),
      expected: "content/projects/fx-clinic/incidents/2026-11-12-booking-down.yaml: started: is on 2026-11-11 (Moscow time) but the file name says 2026-11-12",
    },
    {
      name: "an incident restored before it started",
      file: "projects/fx-clinic/incidents/2026-11-12-booking-down.yaml",
      edit: (t: string) => t.replace("restored: 2026-11-12T09:30:00+03:00", "restored: 2026-11-12T06:00:00+03:00"),
      expected: "content/projects/fx-clinic/incidents/2026-11-12-booking-down.yaml: restored: restored is earlier than started",
    },
    {
      name: "broken YAML",
      file: "settings.yaml",
      edit: (t: string) => t.replace("workingHours:", "workingHours: [unclosed"),
      expected: "content/settings.yaml: (file): ",
    },
    {
      name: "a shortened day that is a holiday",
      file: "calendars/2026.yaml",
      edit: (t: string) => t.replace('  - "2026-11-03"', '  - "2026-11-04"'),
      expected: "content/calendars/2026.yaml: shortenedDays.3: 2026-11-04 is not a working day, so it cannot be shortened",
    },
    {
      name: "a pre-holiday shortening as long as the working day",
      file: "settings.yaml",
      edit: (t: string) => `${t}preHolidayShorteningMinutes: 540\n`,
      expected: "content/settings.yaml: preHolidayShorteningMinutes: must be shorter than the working day (workingHours)",
    },
    {
      name: "an accent colour too light to read on the light background",
      file: "settings.yaml",
      edit: (t: string) => t.replace('accentColor: "#0f766e"', 'accentColor: "#5eead4"'),
      expected: "content/settings.yaml: brand.accentColor: contrast 1.39:1 on the light background (#ffffff, #f6f8fa) is under 4.5:1: choose a darker colour",
    },
    {
      name: "a logo file that is not there",
      file: "settings.yaml",
      edit: (t: string) => t.replace("logo: brand/logo.svg", "logo: brand/missing.svg"),
      expected: "content/settings.yaml: brand.logo: there is no file content/brand/missing.svg",
    },
    {
      name: "working hours that are not a time",
      file: "settings.yaml",
      edit: (t: string) => t.replace('start: "09:00"', 'start: "9 am"'),
      expected: "content/settings.yaml: workingHours.start: must be a time written as HH:MM (00:00–23:59)",
    },
    {
      name: "a promise whose clause names a section the article does not have",
      file: "promises.yaml",
      edit: (t: string) => t.replace("{ article: support, section: reaction-times }", "{ article: support, section: reply-times }"),
      expected: "content/promises.yaml: support.promises.0.clause.section: no section {/* #reply-times */} in terms/en/support.mdx",
    },
    {
      name: "a promise whose clause exists in one language only",
      file: "terms/ru/warranty.mdx",
      edit: (t: string) => t.replace("{/* #response-times */}", ""),
      expected: "content/promises.yaml: warranty.promises.0.clause.section: no section {/* #response-times */} in terms/ru/warranty.mdx",
    },
    {
      name: "a next step in an article that does not exist",
      file: "promises.yaml",
      edit: (t: string) => t.replace("{ article: prevention, section: checklist }", "{ article: maintenance, section: checklist }"),
      expected: "content/promises.yaml: prevention.nextStep.article: no article terms/en/maintenance.mdx",
    },
    {
      name: "a promise on a clock that needs an amount, without one",
      file: "promises.yaml",
      edit: (t: string) => t.replace("      amount: 3\n", ""),
      expected: "content/promises.yaml: warranty.promises.1.amount: the workingDays clock needs an amount",
    },
    {
      name: "a mistyped ИНН",
      file: "settings.yaml",
      edit: (t: string) => t.replace('inn: "7701234560"', 'inn: "7701234561"'),
      expected: "content/settings.yaml: legal.inn: its check digit does not match: a digit is mistyped",
    },
    {
      name: "a component an entry cannot use",
      file: "projects/fx-shop/changelog/2026-11-10-catalogue-page-speed.mdx",
      edit: (t: string) => t.replace("<Note>If a dealer", "<Callout>If a dealer").replace("raising.</Note>", "raising.</Callout>"),
      expected: "content/projects/fx-shop/changelog/2026-11-10-catalogue-page-speed.mdx: (body): line 25: <Callout> is not something an entry can use: only <Note> and <BeforeAfter>",
    },
    {
      name: "an entry importing something other than a picture",
      file: "projects/fx-shop/changelog/2026-11-10-catalogue-page-speed.mdx",
      edit: (t: string) => t.replace('import after from "./img/2026-11-10-catalogue-after.png";', 'import after from "../../../src/secret.ts";'),
      expected: 'content/projects/fx-shop/changelog/2026-11-10-catalogue-page-speed.mdx: (body): line 13: `import after from "../../../src/secret.ts";`: an entry may only import pictures',
    },
    {
      name: "a picture attribute naming nothing imported",
      file: "projects/fx-shop/changelog/2026-11-10-catalogue-page-speed.mdx",
      edit: (t: string) => t.replace("after={after}", "after={afterPicture}"),
      expected: "content/projects/fx-shop/changelog/2026-11-10-catalogue-page-speed.mdx: (body): line 17: <BeforeAfter> after={afterPicture}: import the picture at the top of the body",
    },
    {
      name: "an expression in an entry's text",
      file: "projects/fx-shop/changelog/2026-11-10-catalogue-page-speed.mdx",
      edit: (t: string) => t.replace("so it is billed by the hour.", "so it is billed {hours * rate}."),
      expected: "content/projects/fx-shop/changelog/2026-11-10-catalogue-page-speed.mdx: (body): line 15: `{hours * rate}` is an expression; write \\{ for a brace in text",
    },
  ])("reports $name", ({ file, edit, expected }) => {
    const lines = checkContent(brokenCopy(file, edit)).map(formatProblem);
    expect(lines.some((line) => line.startsWith(expected)), `got:\n${lines.join("\n")}`).toBe(true);
  });

  it("reports a sample on a field that must be confirmed, once, naming file and field", () => {
    const settings = brokenCopy("settings.yaml", (t) => t.replace("timeZone: Europe/Moscow", "timeZone: { sample: Europe/Moscow }"));
    const project = brokenCopy("projects/fx-clinic/project.yaml", (t) => t.replace("supportRate: 1400", "supportRate:\n  sample: 1400"));
    const reason = "is given as { sample: … }, but only fields the schema declares sampleable may be";
    expect(checkContent(settings).map(formatProblem)).toEqual([`content/settings.yaml: timeZone: ${reason}`]);
    expect(checkContent(project).map(formatProblem)).toEqual([`content/projects/fx-clinic/project.yaml: supportRate: ${reason}`]);
  });

  it("reads the fixture's samples: the phone, the night hours and the unanswered searches' retention, the rest confirmed", () => {
    const { sampleable, settings } = loadServerContent(FIXTURE_CONTENT);
    expect(sampleable.filter(({ sample }) => sample).map(({ file, field }) => `${file}: ${field}`)).toEqual([
      "content/settings.yaml: contacts.phone",
      "content/settings.yaml: nightHours",
      "content/settings.yaml: unansweredSearchRetentionDays",
    ]);
    expect(sampleable.filter(({ sample }) => !sample).map(({ field }) => field)).toEqual([
      "brand.logo",
      "brand.accentColor",
      "legal.name",
      "legal.address",
      "legal.inn",
      "legal.ogrn",
      "siteUrl",
      "contacts.whatsapp",
      "contacts.email",
      "links.componentDemo",
      "links.solutionDemo",
      "workingHours",
      "articleFeedbackRetentionDays",
      "ratingRetentionDays",
      "requestStatusRetentionDays",
      "supportHourlyRate",
    ]);
    expect(settings.unansweredSearchRetentionDays, "the site and the form service read the plain number").toBe(45);
  });

  it("reports a retention period the settings leave out, rather than publishing a figure nobody chose", () => {
    const root = brokenCopy("settings.yaml", (t) => t.replace(/^ratingRetentionDays: .*\n/m, ""));
    expect(checkContent(root).map(formatProblem)).toEqual(["content/settings.yaml: ratingRetentionDays: Required"]);
  });

  it("reports an incident file not named after its date", () => {
    const root = brokenCopy("projects/fx-clinic/incidents/2026-11-12-booking-down.yaml", (t) => t);
    cpSync(path.join(root, "projects/fx-clinic/incidents/2026-11-12-booking-down.yaml"), path.join(root, "projects/fx-clinic/incidents/booking.yaml"));
    expect(checkContent(root).map(formatProblem)).toContain(
      "content/projects/fx-clinic/incidents/booking.yaml: (file name): must be YYYY-MM-DD-short-title.yaml in lower-case latin letters, digits and hyphens",
    );
  });

  it("reports an article with no translation", () => {
    const root = brokenCopy("terms/en/sla.mdx", (t) => t);
    cpSync(path.join(root, "terms/en/sla.mdx"), path.join(root, "terms/en/sla-extra.mdx"));
    expect(checkContent(root).map(formatProblem)).toContain("content/terms/en/sla-extra.mdx: (file): has no translation: add terms/ru/sla-extra.mdx");
  });

  it("reports a question whose section is not a heading of its article", () => {
    const root = brokenCopy("terms/en/warranty.mdx", (t) => t.replace("section: voiding", "section: moving"));
    expect(checkContent(root).map(formatProblem)).toContain(
      'content/terms/en/warranty.mdx: questions.8.section: no heading with the id "moving" in this article (there are: period, extension, covered, not-covered, user-errors, voiding, how-to-claim, response-times)',
    );
  });

  it("reports a question that is too short or has no section", () => {
    const root = brokenCopy("terms/ru/warranty.mdx", (t) => t.replace("  - question: Сколько длится гарантия?\n    section: period", "  - question: Срок?"));
    const problems = checkContent(root).map(formatProblem);
    expect(problems).toContain("content/terms/ru/warranty.mdx: questions.0.question: String must contain at least 8 character(s)");
    expect(problems).toContain("content/terms/ru/warranty.mdx: questions.0.section: Required");
  });

  it("stops a real build with one line per problem", () => {
    const root = brokenCopy("prices.yaml", (t) => t.replace("price: 16000", "price: -1"));
    const project = projectFor(root);
    const build = spawnSync("npx", ["astro", "build"], { cwd: project, encoding: "utf8", timeout: 120_000, env: { ...process.env, CONTENT_DIR: root } });
    expect(build.status).not.toBe(0);
    expect(build.stdout + build.stderr).toContain("content/prices.yaml: warrantyExtension.price: Number must be greater than 0");
  }, 120_000);
});

describe("sample values in a real build", () => {
  it("stop a production build, with the lines npm run doctor prints", () => {
    const root = brokenCopy("settings.yaml", (t) => t);
    const lines = contentReadiness(loadServerContent(root).sampleable).map(formatProblem);
    expect(lines).toContain("content/settings.yaml: contacts.phone: sample value, not confirmed by the agency");
    expect(lines).toContain("content/settings.yaml: nightHours: sample value, not confirmed by the agency");
    expect(lines).toContain("content/settings.yaml: unansweredSearchRetentionDays: sample value, not confirmed by the agency");
    const build = npmBuild(root, "production");
    expect(build.status).not.toBe(0);
    expect(build.output).toContain(`Not ready for production (${lines.length} problems)`);
    for (const line of lines) expect(build.output).toContain(line);
  }, 180_000);

  it("are published under the notice by a build without NODE_ENV, as npm start builds (Astro then sets NODE_ENV=production itself)", () => {
    const build = npmBuild(brokenCopy("settings.yaml", (t) => t), undefined);
    expect(build.status, build.output).toBe(0);
    expect(build.read("en/index.html")).toContain(NOTICE);
  }, 180_000);

  it("once confirmed, build for production, and no page shows the notice", () => {
    const build = npmBuild(brokenCopy("settings.yaml", confirmSettings), "production");
    expect(build.status, build.output).toBe(0);
    expect(build.pages().length).toBeGreaterThan(40);
    expect(build.pages().filter((file) => build.read(file).includes(NOTICE))).toEqual([]);
  }, 180_000);
});
