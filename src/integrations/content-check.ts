import type { AstroIntegration } from "astro";
import { AstroError } from "astro/errors";
import { formatProblem } from "../domain/content-problems";
import { checkContent } from "../lib/content-files";

/**
 * Validates every file under `content/` before Astro touches it, so a bad file stops the build
 * (and the dev server) with one line per problem: file, field, reason.
 */
export function contentCheck(contentRoot: string): AstroIntegration {
  return {
    name: "content-check",
    hooks: {
      "astro:config:setup": () => {
        const problems = checkContent(contentRoot);
        if (problems.length === 0) return;
        throw new AstroError(
          `Invalid content (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${problems.map(formatProblem).join("\n")}`,
          "Fix the files named above; README.md (Adding and changing content) explains each field.",
        );
      },
    },
  };
}
