/** The content layer's cache is kept across builds and cleared when anything the cached entries were made with changes. */
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { AstroIntegrationLogger } from "astro";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CONTENT_CACHE_INPUTS, contentCache, contentCacheKey } from "../../src/integrations/content-cache";
import { isPlainMarkdown } from "../../src/markdown/entry-components";

const ROOT = path.resolve(".");
const CONTENT = path.resolve("tests/fixtures/content");

/** Local modules `file` imports, followed to the end (package imports left out; statements only, not text quoting one). */
function localImports(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  if (!/\.[cm]?[jt]s$/.test(file)) return seen;
  for (const [, specifier] of readFileSync(file, "utf8").matchAll(/^\s*(?:import|export)\b[^;]*?(?:from\s+)?"(\.{1,2}\/[^"]+)"/gm)) {
    const base = path.resolve(path.dirname(file), specifier!);
    const resolved = [base, `${base}.ts`, `${base}.js`, path.join(base, "index.ts")].find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
    if (!resolved) throw new Error(`${file}: cannot resolve ${specifier}`);
    localImports(resolved, seen);
  }
  return seen;
}

describe("content cache key", () => {
  it("covers every module the content config and the Markdown plugins import", () => {
    const roots = ["src/content.config.ts", "src/markdown/rehype-heading-anchors.ts", "src/markdown/rehype-section-questions.ts"];
    const modules = roots.flatMap((root) => [...localImports(path.join(ROOT, root))]).map((file) => path.relative(ROOT, file).split(path.sep).join("/"));
    const uncovered = modules.filter((file) => !CONTENT_CACHE_INPUTS.some((input) => file === input || file.startsWith(`${input}/`)));
    expect(uncovered).toEqual([]);
  });

  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), "portal-cache-key-"));
    for (const input of CONTENT_CACHE_INPUTS) cpSync(path.join(ROOT, input), path.join(root, input), { recursive: true });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("stays the same for the same inputs and changes with a schema, a plugin, the packages or the content folder", () => {
    const key = contentCacheKey(root, CONTENT);
    expect(contentCacheKey(root, CONTENT)).toBe(key);
    expect(contentCacheKey(root, "/elsewhere/content")).not.toBe(key);
    for (const file of ["src/domain/schemas/project-records.ts", "src/markdown/rehype-heading-anchors.ts", "package-lock.json", "src/i18n/en.json"]) {
      const before = readFileSync(path.join(root, file));
      appendFileSync(path.join(root, file), " ");
      expect(contentCacheKey(root, CONTENT), file).not.toBe(key);
      writeFileSync(path.join(root, file), before);
    }
    writeFileSync(path.join(root, "src/domain/schemas/new-schema.ts"), "export {};\n");
    expect(contentCacheKey(root, CONTENT)).not.toBe(key);
  });

  it("clears the data store when the key changes, and only then", () => {
    const cacheDir = path.join(root, "node_modules/.astro");
    mkdirSync(cacheDir, { recursive: true });
    const store = path.join(cacheDir, "data-store.json");
    const logger = { info: () => {} } as unknown as AstroIntegrationLogger;
    const setup = () =>
      // Only the fields the hook reads.
      (contentCache(CONTENT).hooks["astro:config:setup"] as (options: unknown) => void)({
        config: { root: pathToFileURL(`${root}/`), cacheDir: pathToFileURL(`${cacheDir}/`) },
        command: "build",
        logger,
      });
    writeFileSync(store, "old");
    setup(); // no key yet: a store of unknown origin goes
    expect(existsSync(store)).toBe(false);
    writeFileSync(store, "kept");
    setup();
    expect(readFileSync(store, "utf8")).toBe("kept");
    appendFileSync(path.join(root, "src/domain/schemas/project-records.ts"), "\n// a schema change\n");
    setup();
    expect(existsSync(store)).toBe(false);
  });
});

describe("Markdown path for .mdx bodies", () => {
  it.each([
    ["Plain text with **bold**, a [link](https://example.com) and a list:\n\n- one\n- two", true],
    ["A table:\n\n| a | b |\n| - | - |\n| 1 | 2 |", true],
    ["<Note>Uses a component.</Note>", false],
    ['import before from "./img/before.png";\n\nText.', false],
    ["An expression: {1 + 1}", false],
    ["An HTML tag: <br/>", false],
    ["A comment <!-- here -->", false],
    ["Text\n\n    indented code in Markdown, a paragraph in MDX", false],
  ])("%j is plain Markdown: %s", (body, plain) => {
    expect(isPlainMarkdown(body)).toBe(plain);
  });
});
