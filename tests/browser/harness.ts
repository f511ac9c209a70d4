/**
 * Browser-test harness: serves the built fixture site on a free loopback port and drives Debian's
 * Chromium through playwright-core (never a downloaded browser). The parts without vitest live in
 * `launch.ts`, so benches can use them outside a test run.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { FIXTURE, TEST_NOW } from "../setup/sites";
import { launchBrowser, serveDist, type Site } from "./launch";
import { startPortal, type Portal } from "./portal";

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

/**
 * For a test file: the whole portal in-process over the fixture site (see `portal.ts`) and a browser,
 * both clocks at `now`, both closed after.
 */
export function portalAndBrowser(now: number): { portal: () => Portal; browser: () => Browser } {
  let portal: Portal | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    portal = await startPortal(now, FIXTURE);
    browser = await launchBrowser({ now });
  });
  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
  });
  return { portal: () => portal!, browser: () => browser! };
}
