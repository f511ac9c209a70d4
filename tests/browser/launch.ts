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

/** Serves dist/ the way a static host does, 404.html included. */
export async function serveDist(): Promise<Site> {
  const dist = path.resolve("dist");
  const app = express();
  app.use(express.static(dist));
  app.use((_req, res) => res.status(404).sendFile(path.join(dist, "404.html")));
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
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
