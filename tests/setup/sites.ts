/**
 * The sites the tests build and read. Tests never depend on the agency's sample content or on
 * today's date: the `fixture` site is built from `tests/fixtures/content` (a small, deliberate set of
 * settings, prices, calendars, terms and projects, edge cases included) at a pinned instant, and
 * the `sample` site from `./content` is checked only for what must hold for any content (links,
 * the facts from the agency's documents, nothing private published).
 */
import path from "node:path";

/** The instant every test treats as now: the builds' PORTAL_NOW, the browsers' clock, the service clock. */
export const TEST_NOW_ISO = process.env.TEST_NOW ?? "2026-11-20T12:00:00+03:00";
export const TEST_NOW = Date.parse(TEST_NOW_ISO);

export type TestSite = { name: string; content: string; dist: string };

export const FIXTURE: TestSite = { name: "fixture", content: path.resolve("tests/fixtures/content"), dist: path.resolve("test-sites/fixture") };
/** SAMPLE_CONTENT checks another content folder as the sample site (default `./content`). */
export const SAMPLE: TestSite = { name: "sample", content: path.resolve(process.env.SAMPLE_CONTENT ?? "content"), dist: path.resolve("test-sites/sample") };

/** The environment a build of this site runs with (see src/lib/build-env.ts). */
export function buildEnv(site: TestSite): NodeJS.ProcessEnv {
  return { ...process.env, CONTENT_DIR: site.content, PORTAL_NOW: TEST_NOW_ISO };
}
