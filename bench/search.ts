/**
 * Search cost, measured: index size on disk per language, and the bytes a browser downloads for a
 * first and a second search (from the browser's own network events), as served and gzipped.
 * Run by `npm run bench` against a fresh build.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import type { Page, Request } from "playwright-core";
import { launchBrowser, serveDist } from "../tests/browser/launch";

const DIST = path.resolve("dist");

function folderBytes(folder: string, filter: (name: string) => boolean = () => true): number {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && filter(entry.name))
    .reduce((sum, entry) => sum + statSync(path.join(entry.parentPath, entry.name)).size, 0);
}

/**
 * Every response the page (and its search worker) receives while `action` runs: bytes on the wire
 * as the browser reports them, and the same bodies gzipped as a compressing server would send them.
 */
async function downloadsDuring(page: Page, action: () => Promise<void>) {
  const finished: Request[] = [];
  const record = (request: Request) => {
    if (request.url().startsWith("http")) finished.push(request);
  };
  page.on("requestfinished", record);
  await action();
  await page.waitForLoadState("networkidle");
  page.off("requestfinished", record);
  return Promise.all(
    finished.map(async (request) => {
      const url = new URL(request.url()).pathname;
      const sizes = await request.sizes();
      const file = path.join(DIST, url.endsWith("/") ? `${url}index.html` : url);
      return { url, wire: sizes.responseBodySize + sizes.responseHeadersSize, gzip: gzipSync(readFileSync(file)).length };
    }),
  );
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

export async function run(): Promise<void> {
  execFileSync("npm", ["run", "build", "--silent"], { stdio: "ignore" });
  const pagefindDir = path.join(DIST, "pagefind");
  console.log("Search index on disk");
  console.log(`  whole bundle (UI, WASM, index, fragments): ${kb(folderBytes(pagefindDir))}`);
  for (const lang of ["en", "ru"]) {
    const langBytes = folderBytes(pagefindDir, (name) => name.startsWith(`${lang}_`) || name.startsWith(`pagefind.${lang}_`));
    console.log(`  ${lang} index + filters + metadata: ${kb(langBytes)}`);
  }
  console.log(`  fragments (all languages): ${kb(folderBytes(path.join(pagefindDir, "fragment")))}`);

  const site = await serveDist();
  const browser = await launchBrowser();
  try {
    for (const [lang, first, second] of [["en", "hosting", "prevention"], ["ru", "гарантия", "обслуживании"]] as const) {
      const page = await browser.newPage();
      const pageLoad = await downloadsDuring(page, async () => {
        await page.goto(`${site.origin}/${lang}/warranty/`);
      });
      const search = async (term: string) => {
        await page.keyboard.press("/");
        const input = page.locator("pagefind-input input");
        await input.waitFor({ state: "visible" });
        await input.fill(term);
        await page.locator("pagefind-results a").first().waitFor();
      };
      const firstSearch = await downloadsDuring(page, () => search(first));
      await page.keyboard.press("Escape");
      await page.locator("pagefind-modal dialog").waitFor({ state: "hidden" });
      const secondSearch = await downloadsDuring(page, () => search(second));
      const sum = (list: { wire: number; gzip: number }[], key: "wire" | "gzip") => list.reduce((total, item) => total + item[key], 0);
      console.log(`Browser downloads on /${lang}/warranty/`);
      console.log(`  page load (no search yet): ${pageLoad.length} requests, ${kb(sum(pageLoad, "wire"))} as served, ${kb(sum(pageLoad, "gzip"))} gzipped; pagefind files: ${pageLoad.filter((r) => r.url.startsWith("/pagefind/")).length}`);
      console.log(`  first search "${first}": ${firstSearch.length} requests, ${kb(sum(firstSearch, "wire"))} as served, ${kb(sum(firstSearch, "gzip"))} gzipped`);
      console.log(`  second search "${second}": ${secondSearch.length} requests, ${kb(sum(secondSearch, "wire"))} as served, ${kb(sum(secondSearch, "gzip"))} gzipped`);
      await page.close();
    }
  } finally {
    await browser.close();
    await site.close();
  }
}
