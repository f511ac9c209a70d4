/**
 * Page-weight budgets, as deterministic byte counts of the built files (gzipped as a compressing
 * server sends them; `npm run bench` prints the figures). On every page, not only content pages:
 * HTML ≤ 40 KB, the JavaScript run before any interaction ≤ 10 KB (search and the form enhancement
 * load on first use), CSS ≤ 20 KB, and no web fonts unless self-hosted and subset.
 */
import { statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DIST, distFiles, htmlPages, readDist } from "../site/dist";
import { pageWeight } from "./templates";

const KB = 1024;
const pages = htmlPages();
const weights = pages.map((file) => ({ file, ...pageWeight(file) }));

describe("page-weight budgets (gzipped bytes)", () => {
  it("knows the pages", () => {
    expect(pages.length).toBeGreaterThanOrEqual(40);
  });

  it("every page's HTML is at most 40 KB", () => {
    const over = weights.filter(({ html }) => html > 40 * KB).map(({ file, html }) => ({ file, html }));
    expect(over).toEqual([]);
  });

  it("every page runs at most 10 KB of JavaScript before any interaction", () => {
    const over = weights.filter(({ js }) => js > 10 * KB).map(({ file, js, jsFiles }) => ({ file, js, jsFiles }));
    expect(over).toEqual([]);
  });

  it("never loads Pagefind, the form enhancement or the article-feedback sender before interaction", () => {
    for (const { file, jsFiles } of weights) {
      expect(jsFiles.filter((src) => src.startsWith("/pagefind/") || /\/(request-form|article-feedback)\.[\w-]+\.js$/.test(src)), file).toEqual([]);
    }
  });

  it("every page loads at most 20 KB of CSS", () => {
    const over = weights.filter(({ css }) => css > 20 * KB).map(({ file, css, cssFiles }) => ({ file, css, cssFiles }));
    expect(over).toEqual([]);
  });

  it("uses no web fonts, or only self-hosted, subset WOFF2 files", () => {
    const fontFiles = distFiles().filter((file) => /\.(woff2?|ttf|otf|eot)$/i.test(file));
    const css = distFiles().filter((file) => file.endsWith(".css")).map((file) => ({ file, text: readDist(file) }));
    for (const { file, text } of css) {
      for (const [rule] of text.matchAll(/@font-face\s*\{[^}]*\}/g)) {
        for (const [, url = ""] of rule.matchAll(/url\(\s*["']?([^"')]+)/g)) {
          expect(url, `${file}: ${rule}`).not.toMatch(/^(https?:)?\/\//); // self-hosted
          expect(url, `${file}: ${rule}`).toMatch(/\.woff2(\?|#|$)/);
        }
        expect(rule, `${file}: a subset declares its unicode-range`).toMatch(/unicode-range/);
      }
    }
    for (const file of fontFiles) expect(statSync(path.join(DIST, file)).size, `${file}: a subset font is small`).toBeLessThanOrEqual(60 * KB);
    for (const file of pages) expect(readDist(file), file).not.toMatch(/<link[^>]+href=["'](https?:)?\/\/[^"']*fonts?\./i);
  });
});
