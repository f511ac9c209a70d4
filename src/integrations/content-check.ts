import type { AstroIntegration } from "astro";
import { AstroError } from "astro/errors";
import { type ContentProblem, formatProblem } from "../domain/content-problems";
import { contentReadiness } from "../domain/readiness";
import { checkContent, loadServerContent } from "../lib/content-files";

/**
 * Validates every file under `content/` before Astro touches it, so a bad file stops the build
 * (and the dev server) with one line per problem: file, field, reason. A production build
 * (`production`, see src/lib/build-env.ts) also stops on every sample value, with the lines
 * `npm run doctor` prints.
 */
export function contentCheck(contentRoot: string, production: boolean): AstroIntegration {
  return {
    name: "content-check",
    hooks: {
      "astro:config:setup": ({ command }) => {
        const problems = checkContent(contentRoot);
        if (problems.length > 0) {
          throw linesError("Invalid content", problems, "Fix the files named above; README.md (Adding and changing content) explains each field.");
        }
        if (!production || command !== "build") return;
        const unready = contentReadiness(loadServerContent(contentRoot).sampleable);
        if (unready.length > 0) {
          throw linesError("Not ready for production", unready, "Confirm each value (README.md, Sample values), or build without NODE_ENV=production for a preview.");
        }
      },
    },
  };
}

function linesError(heading: string, problems: ContentProblem[], hint: string): AstroError {
  return new AstroError(`${heading} (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${problems.map(formatProblem).join("\n")}`, hint);
}
