import type { AstroIntegration } from "astro";
import { fileURLToPath } from "node:url";
import * as pagefind from "pagefind";

/** Throws with every error Pagefind reported, so a broken index never ships silently. */
function assertNoErrors(step: string, response: { errors: string[] }): void {
  if (response.errors.length > 0) throw new Error(`Pagefind ${step} failed:\n${response.errors.join("\n")}`);
}

/**
 * Builds the Pagefind index right after Astro writes the site, so `dist/` is never published
 * without it. Pagefind makes one index per `<html lang>` (en, ru), each with its own stemmer.
 */
export function searchIndex(): AstroIntegration {
  return {
    name: "search-index",
    hooks: {
      "astro:build:done": async ({ dir, logger }) => {
        const site = fileURLToPath(dir);
        try {
          const created = await pagefind.createIndex({});
          assertNoErrors("createIndex", created);
          const index = created.index!;
          const added = await index.addDirectory({ path: site });
          assertNoErrors("addDirectory", added);
          assertNoErrors("writeFiles", await index.writeFiles({ outputPath: `${site}pagefind` }));
          logger.info(`indexed ${added.page_count} pages`);
        } finally {
          await pagefind.close();
        }
      },
    },
  };
}
