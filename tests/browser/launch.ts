/**
 * Serves the built `dist/` on a free loopback port and launches Debian's Chromium through
 * playwright-core (never a downloaded browser). No vitest here: the benches use it too.
 */
import express from "express";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import path from "node:path";
import { chromium, type Browser, type Page, type Request } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Chromium's flags for this closed network: keep it from reaching out on its own. */
export const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

export type Site = { origin: string; close(): Promise<void> };

/** Serves a built site (default `dist/`) the way a static host does, 404.html included. */
export async function serveDist(dist = path.resolve("dist")): Promise<Site> {
  const app = express();
  app.use(express.static(dist));
  app.use((_req, res) => res.status(404).sendFile(path.join(dist, "404.html")));
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/**
 * Launches Chromium. With `now`, every context and page it opens shows that instant to its scripts
 * (Date.now and new Date() are fixed, timers run as usual), so what a page computes for "today" is
 * the same whatever the real date.
 */
export async function launchBrowser(options: { now?: number } = {}): Promise<Browser> {
  // Under libfaketime (CI's runs at other dates) the browser keeps the real clock: preloaded into
  // Chromium it slows every page to a crawl, and the pages' own clock is pinned below anyway.
  const { LD_PRELOAD: _preload, FAKETIME: _faketime, ...env } = process.env;
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, env: env as Record<string, string> });
  const { now } = options;
  if (now === undefined) return browser;
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (contextOptions) => {
    const context = await newContext(contextOptions);
    await context.clock.setFixedTime(now);
    return context;
  };
  // A page of its own context, as Playwright's browser.newPage() makes it, but through the pinned newContext.
  browser.newPage = async (pageOptions) => {
    const context = await browser.newContext(pageOptions);
    const page = await context.newPage();
    // The browser may be closing already (end of a test file): its contexts go with it.
    page.on("close", () => void context.close().catch(() => {}));
    return page;
  };
  return browser;
}

/** Records every request a page makes, with the bytes it received. */
export function recordTraffic(page: Page): { urls: () => string[]; bytes: () => Promise<number>; clear: () => void } {
  let requests: Request[] = [];
  page.on("requestfinished", (request) => requests.push(request));
  return {
    urls: () => requests.map((request) => new URL(request.url()).pathname),
    bytes: async () => {
      const sizes = await Promise.all(requests.map(async (request) => (await request.sizes()).responseBodySize + (await request.sizes()).responseHeadersSize));
      return sizes.reduce((sum, size) => sum + size, 0);
    },
    clear: () => {
      requests = [];
    },
  };
}
