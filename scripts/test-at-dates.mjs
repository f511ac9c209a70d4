// Runs the date-sensitive tests again with the machine's clock moved (libfaketime, Debian's
// `faketime`), so a test that reads today's date instead of the pinned one fails in CI, not next
// year. The dates are relative to the real one: a year from now, and the coming New Year's night
// in Moscow (a year boundary, where next year's calendar is looked up). `npm test` covers today.
import { spawnSync } from "node:child_process";

const DAY = 86_400_000;
const now = new Date();
const newYearInMoscow = Date.UTC(now.getUTCFullYear(), 11, 31, 21, 30); // 00:30 on 1 January, UTC+3
const dates = [
  { label: "a year from now", at: now.getTime() + 365 * DAY },
  { label: "New Year's night in Moscow", at: newYearInMoscow > now.getTime() ? newYearInMoscow : newYearInMoscow + 365 * DAY },
];
// Everything whose result could depend on "now": pure rules, content, both built sites, the
// browser pages that compute dates (checker, project status, deadline previews) and the form
// service. Search and the quality gates check an index and markup that no clock reaches.
const SUITES = [
  "tests/unit",
  "tests/content",
  "tests/site",
  "tests/browser/warranty-checker.test.ts",
  "tests/browser/projects.test.ts",
  "tests/browser/forms.test.ts",
  "tests/server",
];
// Process kills, the spool's owner lock, PostgreSQL and the operator's tool run against injected or
// real clocks that no test pins to a date; the content check and the doctor read no clock, and their
// real builds are checked only for content problems and the sample notice; the incremental build is
// compared with a cold one built at the same pinned instant. They take minutes, so they run once,
// in `npm test`.
const NOT_DATED = [
  "tests/server/processes.test.ts",
  "tests/server/spool-contract.test.ts",
  "tests/server/spool-cli.test.ts",
  "tests/content/content-check.test.ts",
  "tests/content/doctor.test.ts",
  "tests/content/incremental-build.test.ts",
];
const only = process.argv.slice(2);

for (const { label, at } of dates) {
  // faketime's "@" form starts the clock at that instant and lets it run.
  const stamp = new Date(at).toISOString().replace("T", " ").slice(0, 19);
  console.log(`\nTests at ${stamp} UTC (${label})`);
  const run = spawnSync("faketime", ["-f", `@${stamp}`, "npx", "vitest", "run", ...(only.length > 0 ? only : [...SUITES, ...NOT_DATED.flatMap((file) => ["--exclude", file])])], {
    stdio: "inherit",
    env: { ...process.env, TZ: "UTC", FAKETIME_DONT_FAKE_MONOTONIC: "1" },
  });
  if (run.error) {
    console.error(`Could not run faketime (${run.error.message}); \`node scripts/ensure-test-deps.mjs\` installs it.`);
    process.exit(1);
  }
  if (run.status !== 0) process.exit(run.status ?? 1);
}
