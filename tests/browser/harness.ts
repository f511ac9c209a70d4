/**
 * Browser-test harness: serves the built fixture site on a free loopback port and drives Debian's
 * Chromium through playwright-core (never a downloaded browser). The parts without vitest live in
 * `launch.ts`, so benches can use them outside a test run.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { FIXTURE, TEST_NOW } from "../setup/sites";
import { launchBrowser, serveDist, type Site } from "./launch";

export { CHROMIUM, CHROMIUM_ARGS, launchBrowser, recordTraffic, serveDist, type Site } from "./launch";

/** For a test file: the fixture site served and a browser pinned to the test instant, both closed after. */
export function siteAndBrowser(): { site: () => Site; browser: () => Browser } {
  let site: Site | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    site = await serveDist(FIXTURE.dist);
    browser = await launchBrowser({ now: TEST_NOW });
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });
  return { site: () => site!, browser: () => browser! };
}
