/**
 * `npm run doctor`: what still stands between this checkout and production, one line each — content
 * problems, every sample value and example address in the content (the lines a production build
 * refuses with), and the form service's settings production needs, read from this environment
 * through server/config.ts. Exits 1 when it lists anything, 0 with one "ready" line otherwise.
 */
import { formatProblem } from "../src/domain/content-problems";
import { contentReadiness } from "../src/domain/readiness";
import { checkContent, loadServerContent } from "../src/lib/content-files";
import { productionConfigProblems } from "../server/config";

const problems = checkContent();
const content = problems.length === 0 ? loadServerContent() : undefined;
const lines = [
  ...(content ? contentReadiness(content.sampleable) : problems).map(formatProblem),
  ...productionConfigProblems(process.env, content?.settings.siteUrl).map((line) => `environment: ${line}`),
];

if (lines.length === 0) {
  console.log("Ready for production: every value confirmed, the form service configured.");
} else {
  console.log(lines.join("\n"));
  console.error(`${lines.length} thing${lines.length === 1 ? "" : "s"} to settle before production (README.md, Sample values).`);
  process.exitCode = 1;
}
