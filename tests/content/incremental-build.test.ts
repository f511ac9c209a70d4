/**
 * A build that reuses the content cache of the previous one publishes exactly what a cold build
 * does: the fixture site is built, one change-log entry is added, the site is rebuilt with the
 * kept cache, and every file of that dist/ is compared with a cold build of the same content.
 */
import { execFile } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { buildEnv, FIXTURE } from "../setup/sites";

// Inside the project, like test-sites/: the built server chunks resolve packages from node_modules.
const WORK = path.resolve("test-sites/incremental");
const CONTENT = path.join(WORK, "content");

const NEW_ENTRY = `---
date: 2026-11-19
title: Dealer price export runs at night
kind: improvement
basis: support
hours: 1.25
author: Ivan Petrov
summary: The dealer price export moved from 14:00 to 03:00, when nobody orders.
lang: en
---

The export of **dealer prices** now starts at night; the morning prices are ready by 06:00.
`;

/** `npm run build` of the copied content into `out`, with the content cache kept in `cache`; its log. */
async function build(out: string, cache: string): Promise<string> {
  // A config of its own per cache: builds of other test files keep theirs in node_modules/.astro.
  const config = path.join(WORK, `astro.config.${path.basename(cache)}.mjs`);
  writeFileSync(config, `import config from ${JSON.stringify(path.resolve("astro.config.mjs"))};\nexport default { ...config, cacheDir: ${JSON.stringify(`${cache}/`)} };\n`);
  const args = ["run", "build", "--silent", "--", "--config", path.relative(".", config), "--outDir", out];
  const { stdout } = await promisify(execFile)("npm", args, { env: buildEnv({ ...FIXTURE, content: CONTENT }), maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

function files(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import("node:fs").Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

let incrementalLog = "";

beforeAll(async () => {
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  cpSync(FIXTURE.content, CONTENT, { recursive: true });
  await build(path.join(WORK, "first"), path.join(WORK, "cache-kept"));
  writeFileSync(path.join(CONTENT, "projects/fx-shop/changelog/2026-11-19-night-price-export.mdx"), NEW_ENTRY);
  incrementalLog = await build(path.join(WORK, "incremental"), path.join(WORK, "cache-kept"));
  await build(path.join(WORK, "cold"), path.join(WORK, "cache-cold"));
}, 240_000);

afterAll(() => rmSync(WORK, { recursive: true, force: true }));

it("keeps the cache of the first build", () => {
  // Messages of src/integrations/content-cache.ts and of Astro's content layer when either clears it.
  expect(incrementalLog).toContain("Syncing content");
  expect(incrementalLog).not.toMatch(/content cache cleared|Clearing content store/);
});

it("publishes the added entry", () => {
  const page = readFileSync(path.join(WORK, "incremental/en/projects/fx-shop/changes/index.html"), "utf8");
  expect(page).toContain("Dealer price export runs at night");
  expect(page).toContain("<strong>dealer prices</strong>");
});

it("rebuilds with the kept cache into the same files, byte for byte, as a cold build", () => {
  const incremental = path.join(WORK, "incremental");
  const cold = path.join(WORK, "cold");
  expect(files(incremental)).toEqual(files(cold));
  const differing = files(cold).filter((file) => !readFileSync(path.join(incremental, file)).equals(readFileSync(path.join(cold, file))));
  expect(differing).toEqual([]);
});
