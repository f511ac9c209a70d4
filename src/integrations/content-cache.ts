import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { AstroIntegration } from "astro";

/**
 * Keeps Astro's content layer cache (every entry's validated data and rendered HTML) from one build
 * to the next, and clears it when something it was made with changes that Astro does not watch.
 * Astro clears it by itself when its version, the Astro config's plain values or the text of
 * src/content.config.ts change, and re-reads an entry whose file changed; it does not see a change of
 * the schemas that file imports, of the loader, of the Markdown plugins or of the packages, and would
 * keep entries validated or rendered by the old ones (which is why builds used to pass `--force`).
 */

/**
 * Files and folders (relative to the project root) whose content the cached entries depend on: the
 * modules src/content.config.ts and the Markdown plugins import (tests/unit/content-cache.test.ts
 * follows their imports), the config and the installed packages.
 */
export const CONTENT_CACHE_INPUTS = [
  "astro.config.mjs",
  "package-lock.json",
  "src/content.config.ts",
  "src/domain",
  "src/i18n",
  "src/lib/build-env.ts",
  "src/lib/records-loader.ts",
  "src/markdown",
];

const KEY_FILE = "content-inputs.sha256";

function filesOf(root: string, input: string): string[] {
  const full = path.join(root, input);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [input];
  return readdirSync(full, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"));
}

/** A hash of every input's path and bytes, and of the content folder the entries come from. */
export function contentCacheKey(root: string, contentRoot: string): string {
  const hash = createHash("sha256").update(`content folder ${contentRoot}\n`);
  for (const file of CONTENT_CACHE_INPUTS.flatMap((input) => filesOf(root, input)).sort()) {
    hash.update(`${file}\n`).update(readFileSync(path.join(root, file))).update("\n");
  }
  return hash.digest("hex");
}

/** Clears the data store when the key it was written with differs from this build's (or is unknown). */
export function contentCache(contentRoot: string): AstroIntegration {
  return {
    name: "content-cache",
    hooks: {
      "astro:config:setup": ({ config, command, logger }) => {
        // Where Astro keeps the store: `.astro/` for the dev server, the cache folder for a build.
        const dir = fileURLToPath(command === "dev" ? new URL(".astro/", config.root) : config.cacheDir);
        const key = contentCacheKey(fileURLToPath(config.root), contentRoot);
        const keyFile = path.join(dir, KEY_FILE);
        if (existsSync(keyFile) && readFileSync(keyFile, "utf8") === key) return;
        if (existsSync(path.join(dir, "data-store.json"))) logger.info("schemas, loader, Markdown plugins, packages or content folder changed: content cache cleared");
        rmSync(path.join(dir, "data-store.json"), { force: true });
        mkdirSync(dir, { recursive: true });
        writeFileSync(keyFile, key);
      },
    },
  };
}
