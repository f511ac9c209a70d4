/** axe-core in the real browser, at WCAG 2.2 AA, with violations listed one line per element. */
import AxeBuilder from "@axe-core/playwright";
import type { Result } from "axe-core";
import type { Page } from "playwright-core";

export const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

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

/** "rule (impact): selector — what is wrong" for every element that violates a rule. */
export async function axeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    // Label in Name (WCAG 2.5.3, level A) is still marked experimental in axe-core: turn it on.
    // (options() replaces every option, so it comes before withTags().)
    .options({ rules: { "label-content-name-mismatch": { enabled: true } } })
    .withTags(WCAG_TAGS)
    // Run axe in the page itself: the default mode opens a blank page per check to merge results
    // across frames, which doubles the time, and the site has no iframes.
    .setLegacyMode(true)
    .analyze();
  return results.violations.flatMap((violation: Result) =>
    violation.nodes
      .filter((node) => !ACCEPTED.some((accepted) => accepted.rule === violation.id && accepted.target.test(node.target.join(" "))))
      .map((node) => `${violation.id} (${violation.impact}): ${node.target.join(" ")} — ${(node.failureSummary ?? "").split("\n").slice(1).join(" ").trim()}`),
  );
}
