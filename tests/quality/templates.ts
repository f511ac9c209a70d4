/**
 * The page templates of the built site, read from `dist/`: every built HTML page belongs to exactly
 * one template below, and each template is checked through one representative page per language
 * (the first in file order). A new kind of page that matches no template fails `templates.test.ts`
 * until it is added here, so the quality checks grow with the site.
 *
 * Articles and request forms are one template each, but their bodies differ (MDX components,
 * schema-generated fields), so every one of them is checked (`every: true`).
 */
import { gzipSync } from "node:zlib";
import { htmlPages, page, readDist, urlOf } from "../site/dist";

export type Template = { name: string; pattern: RegExp; every?: boolean };

/** Order matters: the first pattern a page matches is its template. */
export const TEMPLATES: Template[] = [
  { name: "root (language choice)", pattern: /^index\.html$/ },
  { name: "404 (shared)", pattern: /^404\.html$/ },
  { name: "home", pattern: /^(en|ru)\/index\.html$/ },
  { name: "404", pattern: /^(en|ru)\/404\/index\.html$/ },
  { name: "warranty checker", pattern: /^(en|ru)\/warranty\/check\/index\.html$/ },
  { name: "questions and answers", pattern: /^(en|ru)\/faq\/index\.html$/ },
  { name: "request received", pattern: /^(en|ru)\/request\/received\/index\.html$/ },
  { name: "request form", pattern: /^(en|ru)\/request\/[\w-]+\/index\.html$/, every: true },
  { name: "projects list", pattern: /^(en|ru)\/projects\/index\.html$/ },
  { name: "project overview", pattern: /^(en|ru)\/projects\/[\w-]+\/index\.html$/ },
  { name: "project change log", pattern: /^(en|ru)\/projects\/[\w-]+\/changes\/index\.html$/ },
  { name: "project prevention log", pattern: /^(en|ru)\/projects\/[\w-]+\/prevention\/index\.html$/ },
  { name: "project SLA report", pattern: /^(en|ru)\/projects\/[\w-]+\/sla\/index\.html$/ },
  { name: "private project overview", pattern: /^(en|ru)\/p\/[\w-]+\/index\.html$/ },
  { name: "private request form", pattern: /^(en|ru)\/p\/[\w-]+\/request\/[\w-]+\/index\.html$/ },
  { name: "private project page", pattern: /^(en|ru)\/p\/[\w-]+\/[\w-]+\/(?:[\w-]+\/)?index\.html$/ },
  { name: "article", pattern: /^(en|ru)\/[\w-]+\/index\.html$/, every: true },
];

export function templateOf(file: string): Template | undefined {
  return TEMPLATES.find((template) => template.pattern.test(file));
}

export type PageToCheck = { template: string; file: string; url: string; lang: "en" | "ru" | undefined };

/** The pages the browser checks visit: one per template and language, or all of an `every` template. */
export function representativePages(): PageToCheck[] {
  const seen = new Set<string>();
  const chosen: PageToCheck[] = [];
  for (const file of htmlPages()) {
    const template = templateOf(file);
    if (!template) continue;
    const lang = /^(en|ru)\//.exec(file)?.[1] as "en" | "ru" | undefined;
    const key = `${template.name}|${lang ?? ""}`;
    if (!template.every && seen.has(key)) continue;
    seen.add(key);
    chosen.push({ template: template.name, file, url: urlOf(file), lang });
  }
  return chosen;
}

/** Gzipped size, as a compressing server would send it (zlib's default level: deterministic). */
export const gz = (text: string | Buffer): number => gzipSync(text).length;

/** Static `import … from "./x.js"` / `import "./x.js"` of a module (not dynamic `import()`: those load on use). */
const STATIC_IMPORT = /\bimport\s*(?:[\w$*{}\s,]+?\s*from\s*)?["']([^"']+)["']/g;

/** A module and every module it imports statically: what the browser fetches before running it. */
function moduleClosure(src: string, into: Set<string>): void {
  if (into.has(src)) return;
  into.add(src);
  const code = readDist(src.slice(1));
  for (const [, spec] of code.matchAll(STATIC_IMPORT)) {
    if (!spec || /^[a-z]+:/i.test(spec)) continue;
    moduleClosure(new URL(spec, `http://site${src}`).pathname, into);
  }
}

export type Weight = { html: number; js: number; css: number; total: number; jsFiles: string[]; cssFiles: string[] };

/**
 * What a page costs before the visitor does anything, in gzipped bytes of the built files: its HTML,
 * the JavaScript it runs on load (module scripts, their static imports, inline scripts and
 * modulepreloads), and its CSS (stylesheets and inline styles). Search and form enhancement are
 * dynamic imports fetched on first use, so they are not counted. `total` is what is transferred:
 * the HTML (inline code included) plus the external script and style files.
 */
export function pageWeight(file: string): Weight {
  const html = readDist(file);
  const root = page(file);
  const modules = new Set<string>();
  for (const script of root.querySelectorAll("script[src]")) moduleClosure(script.getAttribute("src")!, modules);
  for (const link of root.querySelectorAll('link[rel="modulepreload"]')) moduleClosure(link.getAttribute("href")!, modules);
  const cssFiles = root.querySelectorAll('link[rel="stylesheet"]').map((link) => link.getAttribute("href")!);
  const inlineJs = root
    .querySelectorAll("script:not([src])")
    .filter((script) => !/json/.test(script.getAttribute("type") ?? ""))
    .reduce((sum, script) => sum + gz(script.textContent), 0);
  const inlineCss = root.querySelectorAll("style").reduce((sum, style) => sum + gz(style.textContent), 0);
  const externalJs = [...modules].reduce((sum, src) => sum + gz(readDist(src.slice(1))), 0);
  const externalCss = cssFiles.reduce((sum, href) => sum + gz(readDist(href.slice(1))), 0);
  const htmlBytes = gz(html);
  return { html: htmlBytes, js: externalJs + inlineJs, css: externalCss + inlineCss, total: htmlBytes + externalJs + externalCss, jsFiles: [...modules], cssFiles };
}
