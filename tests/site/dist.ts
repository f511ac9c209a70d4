/** Helpers for tests that read the built site in `dist/`. */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse, type HTMLElement } from "node-html-parser";

export const DIST = path.resolve("dist");

/** Every file under dist/, as paths relative to it with forward slashes. */
export function distFiles(): string[] {
  return (readdirSync(DIST, { recursive: true, withFileTypes: true }) as import("node:fs").Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(DIST, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"))
    .sort();
}

export function htmlPages(): string[] {
  return distFiles().filter((file) => file.endsWith(".html") && !file.startsWith("pagefind/"));
}

export function readDist(file: string): string {
  return readFileSync(path.join(DIST, file), "utf8");
}

export function page(file: string): HTMLElement {
  return parse(readDist(file));
}

/** The URL path a page is served at: `en/warranty/index.html` → `/en/warranty/`. */
export function urlOf(file: string): string {
  return `/${file.replace(/index\.html$/, "")}`;
}

/** Text content with whitespace (including non-breaking and narrow spaces) collapsed to single spaces. */
export function visibleText(root: HTMLElement): string {
  return root.textContent.replace(/[\s\u00a0\u202f]+/g, " ");
}

/** Texts of the list items between the heading with this id and the next h2. */
export function sectionItems(root: HTMLElement, headingId: string): string[] {
  const heading = root.getElementById(headingId);
  if (!heading) throw new Error(`no heading #${headingId}`);
  const items: string[] = [];
  for (let node = heading.nextElementSibling; node && node.tagName !== "H2"; node = node.nextElementSibling) {
    items.push(...node.querySelectorAll("li").map((li) => li.textContent.trim()));
  }
  return items;
}
