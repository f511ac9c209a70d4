/** Helpers for tests that read a built site: the fixture site unless a test asks for the sample one. */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse, type HTMLElement } from "node-html-parser";
import { FIXTURE, type TestSite } from "../setup/sites";

/** Reading one built site's files. */
export function builtSite(site: TestSite) {
  const dist = site.dist;
  /** Every file of the site, as paths relative to its folder with forward slashes. */
  const distFiles = (): string[] =>
    (readdirSync(dist, { recursive: true, withFileTypes: true }) as import("node:fs").Dirent[])
      .filter((entry) => entry.isFile())
      .map((entry) => path.relative(dist, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"))
      .sort();
  const readDist = (file: string): string => readFileSync(path.join(dist, file), "utf8");
  return {
    DIST: dist,
    distFiles,
    htmlPages: (): string[] => distFiles().filter((file) => file.endsWith(".html") && !file.startsWith("pagefind/")),
    readDist,
    page: (file: string): HTMLElement => parse(readDist(file)),
  };
}

export const { DIST, distFiles, htmlPages, readDist, page } = builtSite(FIXTURE);

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
