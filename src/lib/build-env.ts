/**
 * The build's environment, validated once: which content folder it publishes, the one clock it
 * reads, and whether it is for production. Every page or figure that depends on "today" takes it
 * from `buildNow()`, so a test (or an agency previewing a date) pins it with PORTAL_NOW and the build
 * is the same whatever the real date.
 */
import path from "node:path";
import { z } from "zod";

const unsetIfBlank = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);

export const BuildEnvSchema = z.object({
  /** Folder of the content to publish (settings, prices, calendars, terms, projects). Default `content`. */
  CONTENT_DIR: z.preprocess(unsetIfBlank, z.string().default("content")).transform((dir) => path.resolve(dir)),
  /** The instant the build treats as now, ISO 8601 with an offset (`2026-11-20T12:00:00+03:00`). Default: the real time. */
  PORTAL_NOW: z.preprocess(unsetIfBlank, z.string().datetime({ offset: true, message: "must be an ISO time with an offset, e.g. 2026-11-20T12:00:00+03:00" }).optional()),
  /**
   * NODE_ENV as `npm run build` was started with, passed on by scripts/build.mjs: Astro sets
   * NODE_ENV=production itself for every build, so NODE_ENV cannot tell. `production` refuses sample
   * values (src/integrations/content-check.ts). Default: unset, a preview build.
   */
  PORTAL_NODE_ENV: z.string().optional(),
});

export type BuildEnv = { contentDir: string; now: () => number; production: boolean };

/** Reads the build environment; an invalid variable throws one line naming it. */
export function readBuildEnv(env: NodeJS.ProcessEnv = process.env): BuildEnv {
  const result = BuildEnvSchema.safeParse(env);
  if (!result.success) {
    throw new Error(result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("\n"));
  }
  const pinned = result.data.PORTAL_NOW === undefined ? undefined : Date.parse(result.data.PORTAL_NOW);
  return { contentDir: result.data.CONTENT_DIR, now: () => pinned ?? Date.now(), production: result.data.PORTAL_NODE_ENV === "production" };
}

const buildEnv = readBuildEnv();

/** The content folder this build publishes. */
export const CONTENT_ROOT = buildEnv.contentDir;

/** True for a production build (`NODE_ENV=production npm run build`), which refuses sample values. */
export const PRODUCTION_BUILD = buildEnv.production;

/** The build's clock: PORTAL_NOW when set, else the real time. The only "now" the site reads. */
export function buildNow(): number {
  return buildEnv.now();
}
