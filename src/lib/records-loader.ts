/**
 * The content loader of a project's records written as Markdown or MDX (`<project>/changelog/*.mdx`,
 * `<project>/prevention/*.md`): Astro's glob loader, except that every body is rendered to HTML here,
 * by the Markdown pipeline, once, and kept in the content layer's cache until its file changes. An
 * `.mdx` body that uses MDX (the components and picture imports of src/markdown/entry-components.ts)
 * gets remark-mdx and those components added to the pipeline; one that does not is read as Markdown.
 * So no entry becomes a module of the bundle, compiled and executed on every build, as with glob().
 */
import { existsSync, promises as fs, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Loader, LoaderContext } from "astro/loaders";
import { slug } from "github-slugger";
import { ENTRY_MDX_PLUGINS, isPlainMarkdown } from "../markdown/entry-components";

type EntryType = {
  getEntryInfo(params: { contents: string; fileUrl: URL }): Promise<{ data: Record<string, unknown>; body: string }>;
  getRenderFunction(config: LoaderContext["config"]): Promise<(entry: { id: string; data: Record<string, unknown>; body?: string; filePath?: string; digest?: string }) => Promise<unknown>>;
};

/**
 * What Astro passes its own glob() loader besides the public context: the entry types (front matter
 * parsing and rendering; the Markdown one is used for both extensions) and the store's registration
 * of an entry's images.
 */
type GlobLoaderContext = LoaderContext & {
  entryTypes: Map<string, EntryType>;
  store: LoaderContext["store"] & { addAssetImports(assets: string[], fileName: string): void };
};

/** Files `<base>/<project>/<folder>/<name>.{md,mdx}`, names starting with `_` left out (drafts), like the content check's listing. */
function recordFiles(base: string, folder: string): string[] {
  if (!existsSync(base)) return [];
  return readdirSync(base, { withFileTypes: true })
    .filter((project) => project.isDirectory() && !project.name.startsWith("_"))
    .flatMap((project) => {
      const dir = path.join(base, project.name, folder);
      if (!existsSync(dir)) return [];
      return readdirSync(dir)
        .filter((name) => !name.startsWith("_") && /\.mdx?$/.test(name))
        .map((name) => `${project.name}/${folder}/${name}`);
    })
    .sort();
}

/** The id glob() gives such a file: its path without the extension, each folder and the name slugged. */
const idOf = (entry: string) =>
  entry
    .replace(/\.mdx?$/, "")
    .split("/")
    .map((segment) => slug(segment))
    .join("/");

/** Records of every project under `base` in its `folder`; id is `<project>/<folder>/<file name>`. */
export function projectRecords(base: URL, folder: string): Loader {
  return {
    name: "project-records-loader",
    load: async (context) => {
      const { config, store, parseData, generateDigest, entryTypes, watcher, logger } = context as GlobLoaderContext;
      const markdown = entryTypes.get(".md")!;
      const renderMarkdown = await markdown.getRenderFunction(config);
      const renderMdx = await markdown.getRenderFunction({ ...config, markdown: { ...config.markdown, remarkPlugins: [...ENTRY_MDX_PLUGINS, ...config.markdown.remarkPlugins] } });
      const baseDir = fileURLToPath(base);

      async function sync(entry: string): Promise<void> {
        const fileUrl = pathToFileURL(path.join(baseDir, entry));
        const filePath = fileURLToPath(fileUrl);
        const contents = await fs.readFile(filePath, "utf8");
        const id = idOf(entry);
        const digest = generateDigest(contents);
        const existing = store.get(id);
        if (existing?.digest === digest) {
          // Unchanged since the last build: its pictures are registered again, as glob() does.
          if (existing.assetImports?.length) store.addAssetImports(existing.assetImports, existing.filePath!);
          return;
        }
        const { data, body } = await markdown.getEntryInfo({ contents, fileUrl });
        const parsed = await parseData({ id, data, filePath });
        const relativePath = path.relative(fileURLToPath(config.root), filePath).split(path.sep).join("/");
        const render = entry.endsWith(".mdx") && !isPlainMarkdown(body) ? renderMdx : renderMarkdown;
        const rendered = (await render({ id, data, body, filePath, digest })) as { html: string; metadata?: { imagePaths?: string[] } };
        store.set({ id, data: parsed, body, filePath: relativePath, digest, rendered, assetImports: rendered.metadata?.imagePaths });
      }

      const entries = recordFiles(baseDir, folder);
      const untouched = new Set(store.keys());
      for (const entry of entries) untouched.delete(idOf(entry));
      for (const id of untouched) store.delete(id);
      // Ten at a time, as glob() does: enough to overlap file reads with rendering.
      for (let i = 0; i < entries.length; i += 10) await Promise.all(entries.slice(i, i + 10).map(sync));

      if (!watcher) return;
      // `astro dev`: a record added, changed or removed is reloaded alone.
      const inFolder = (file: string) => {
        const entry = path.relative(baseDir, file).split(path.sep).join("/");
        const [project, sub, name, ...rest] = entry.split("/");
        return project && sub === folder && name && rest.length === 0 && !project.startsWith("_") && !name.startsWith("_") && /\.mdx?$/.test(name) ? entry : undefined;
      };
      watcher.add(baseDir);
      const reload = async (file: string) => {
        const entry = inFolder(file);
        if (!entry) return;
        await sync(entry);
        logger.info(`Reloaded ${entry}`);
      };
      watcher.on("add", reload);
      watcher.on("change", reload);
      watcher.on("unlink", (file) => {
        const entry = inFolder(file);
        if (entry) store.delete(idOf(entry));
      });
    },
  };
}
