/**
 * Browser-test harness: serves the built `dist/` on a free loopback port and drives Debian's
 * Chromium through playwright-core (never a downloaded browser). The parts without vitest live in
 * `launch.ts`, so benches can use them outside a test run.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { launchBrowser, serveDist, type Site } from "./launch";

export { CHROMIUM, CHROMIUM_ARGS, launchBrowser, recordTraffic, serveDist, type Site } from "./launch";

/** For a test file: the built site served and a browser launched before its tests, both closed after. */
export function siteAndBrowser(): { site: () => Site; browser: () => Browser } {
  let site: Site | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    site = await serveDist();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });
  return { site: () => site!, browser: () => browser! };
}
