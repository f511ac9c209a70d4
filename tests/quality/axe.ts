/** axe-core in the real browser, at WCAG 2.2 AA, with violations listed one line per element. */
import type { AxeResults, Result, RunOptions } from "axe-core";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";

/** axe-core's minified build (the same version as its full one, which takes half as long again to inject). */
const AXE_SOURCE: string = createRequire(import.meta.url)("axe-core/axe.min.js").source;

export const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

const OPTIONS: RunOptions = {
  runOnly: { type: "tag", values: WCAG_TAGS },
  // Label in Name (WCAG 2.5.3, level A) is still marked experimental in axe-core: turn it on.
  rules: { "label-content-name-mismatch": { enabled: true } },
};

/**
 * Violations inside third-party markup we cannot change through our styles or configuration, each
 * an exact rule and element, with the reason. Everything else must pass.
 */
const ACCEPTED: { rule: string; target: RegExp; why: string }[] = [
  {
    // Pagefind's filter options read "Change log, 2 results" for a visible "Change log" and a count
    // badge: the name starts with the visible label, which is what WCAG 2.5.3 asks; axe's
    // still-experimental rule wants the badge's digits inside the same phrase.
    rule: "label-content-name-mismatch",
    target: /^#search-filter-[a-z]+-option-\d+$/,
    why: "Pagefind's option names begin with their visible label",
  },
];

/**
 * "rule (impact): selector — what is wrong" for every element that violates a rule.
 *
 * axe-core runs in the page itself, on the whole document (the site has no iframes), as
 * @axe-core/playwright's legacy mode does, but its source goes in once per document rather than
 * twice, and a tab reused from page to page (see axe.test.ts) keeps it compiled: most of a check's
 * time on a fresh tab is compiling axe.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE_SOURCE);
  const results: AxeResults = await page.evaluate((options) => (window as unknown as { axe: { run: (context: Document, options: RunOptions) => Promise<AxeResults> } }).axe.run(document, options), OPTIONS);
  return results.violations.flatMap((violation: Result) =>
    violation.nodes
      .filter((node) => !ACCEPTED.some((accepted) => accepted.rule === violation.id && accepted.target.test(node.target.join(" "))))
      .map((node) => `${violation.id} (${violation.impact}): ${node.target.join(" ")} — ${(node.failureSummary ?? "").split("\n").slice(1).join(" ").trim()}`),
  );
}
