/**
 * Search, measured on a fresh build of the site: the share of the client questions of
 * tests/browser/search-questions.ts whose page comes in the top three; index size on disk per
 * language; and the bytes a browser downloads for a first and a second search (from the browser's
 * own network events), as served and gzipped (goal: a first search ≤ 150 KB gzipped).
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import type { Page, Request } from "playwright-core";
import { launchBrowser, serveDist } from "../tests/browser/launch";
import { QUESTIONS } from "../tests/browser/search-questions";

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
const INPUT = ".search-dialog__input";

/** Types a query into the open dialog and waits until its results are shown (every summary but "Searching…" names it). */
async function typeQuery(page: Page, query: string): Promise<void> {
  await page.locator(INPUT).fill(query);
  await page.waitForFunction((typed) => (document.querySelector(".search-dialog__summary")?.textContent ?? "").includes(typed), query);
}

/** Questions whose expected page is among the first three results. */
async function shareAnswered(page: Page, lang: "en" | "ru"): Promise<{ answered: number; asked: number }> {
  await page.keyboard.press("/");
  await page.locator(INPUT).waitFor({ state: "visible" });
  let answered = 0;
  for (const { query, page: expected } of QUESTIONS[lang]) {
    await typeQuery(page, query);
    const top = await page.locator(".search-result__link").evaluateAll((links) => links.slice(0, 3).map((a) => (a as HTMLAnchorElement).pathname));
    if (top.includes(expected)) answered += 1;
  }
  return { answered, asked: QUESTIONS[lang].length };
}

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
    for (const lang of ["en", "ru"] as const) {
      const page = await browser.newPage();
      await page.goto(`${site.origin}/${lang}/`);
      const { answered, asked } = await shareAnswered(page, lang);
      console.log(`Client questions answered in the top three (${lang}): ${answered}/${asked} (${Math.round((answered / asked) * 100)} %)`);
      await page.close();
    }
    for (const [lang, first, second] of [["en", "how much does prevention cost", "hosting"], ["ru", "сколько длится гарантия", "обслуживании"]] as const) {
      const page = await browser.newPage();
      const pageLoad = await downloadsDuring(page, async () => {
        await page.goto(`${site.origin}/${lang}/warranty/`);
      });
      const search = async (term: string) => {
        await page.keyboard.press("/");
        await page.locator(INPUT).waitFor({ state: "visible" });
        await typeQuery(page, term);
      };
      const firstSearch = await downloadsDuring(page, () => search(first));
      await page.keyboard.press("Escape");
      await page.locator(".search-dialog").waitFor({ state: "hidden" });
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
