import type { AstroIntegration } from "astro";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as pagefind from "pagefind";

/** Throws with every error Pagefind reported, so a broken index never ships silently. */
function assertNoErrors(step: string, response: { errors: string[] }): void {
  if (response.errors.length > 0) throw new Error(`Pagefind ${step} failed:\n${response.errors.join("\n")}`);
}

/** Never indexed: permalink marks ("#") would show in results as text of their section. */
const EXCLUDED = [".heading-anchor", ".change__permalink"];

/**
 * Pagefind separates the text of paragraphs, list items and data cells, but not of header cells
 * or description lists, so "Основание" + "Часы" became «ОснованиеЧасы». A space after each such
 * closing tag keeps the words apart in the index and the excerpts (the built page is unchanged).
 */
export function separateCells(html: string): string {
  return html.replace(/<\/(th|dt|dd|caption|figcaption|summary|legend)>/gi, "$& ");
}

/** `en/warranty/index.html` → `/en/warranty/`; other files keep their name. */
function urlOf(relative: string): string {
  const url = `/${relative.split(path.sep).join("/")}`;
  return url.endsWith("/index.html") ? url.slice(0, -"index.html".length) : url;
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
        const started = performance.now();
        try {
          const created = await pagefind.createIndex({ excludeSelectors: EXCLUDED });
          assertNoErrors("createIndex", created);
          const index = created.index!;
          const pages = readdirSync(site, { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith(".html"));
          let indexed = 0;
          for (const file of pages) {
            const html = readFileSync(path.join(site, file), "utf8");
            // Pages without data-pagefind-body (forms, receipts, the FAQ, private projects) would be
            // parsed and left out of the index, since other pages have it: they are not sent at all.
            if (!html.includes("data-pagefind-body")) continue;
            const added = await index.addHTMLFile({ url: urlOf(file), content: separateCells(html) });
            assertNoErrors(`adding ${file}`, added);
            if (added.file?.url) indexed += 1;
          }
          assertNoErrors("writeFiles", await index.writeFiles({ outputPath: path.join(site, "pagefind") }));
          logger.info(`indexed ${indexed} pages in ${((performance.now() - started) / 1000).toFixed(2)}s`);
        } finally {
          await pagefind.close();
        }
      },
    },
  };
}
