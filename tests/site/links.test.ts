/** Every internal link, anchor and asset in the built site resolves; external links are only listed. */
import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURE, SAMPLE, type TestSite } from "../setup/sites";
import { builtSite, urlOf } from "./dist";

type Target = { from: string; url: string };

/** Maps a site path to the file a static server would answer with, or undefined. */
function fileFor(DIST: string, pathname: string): string | undefined {
  const decoded = decodeURIComponent(pathname);
  const candidates = decoded.endsWith("/") ? [`${decoded}index.html`] : [decoded, `${decoded}/index.html`];
  return candidates.map((candidate) => path.join(DIST, candidate)).find((file) => existsSync(file));
}

function collectTargets({ htmlPages, page }: ReturnType<typeof builtSite>): { internal: Target[]; external: Target[] } {
  const internal: Target[] = [];
  const external: Target[] = [];
  for (const file of htmlPages()) {
    const root = page(file);
    const from = urlOf(file);
    const refs = [
      ...root.querySelectorAll("a[href]").map((el) => el.getAttribute("href")!),
      ...root.querySelectorAll("link[href]").filter((el) => el.getAttribute("rel") !== "canonical" && el.getAttribute("rel") !== "alternate").map((el) => el.getAttribute("href")!),
      ...root.querySelectorAll("script[src], img[src]").map((el) => el.getAttribute("src")!),
    ];
    for (const url of refs) {
      if (/^(mailto|tel|data):/.test(url)) continue; // data: (the logo) is inline, nothing to resolve
      (/^https?:\/\//.test(url) ? external : internal).push({ from, url });
    }
  }
  return { internal, external };
}

// Links must resolve whatever the content, so both the fixture and the agency's own site are checked.
describe.each([FIXTURE, SAMPLE])("links in the $name site", (site: TestSite) => {
  const built = builtSite(site);
  const { DIST, page } = built;
  const { internal, external } = collectTargets(built);

  it("finds links to check", () => {
    expect(internal.length).toBeGreaterThan(100);
  });

  it("every internal link and asset resolves, and every #anchor exists on its page", () => {
    const broken: string[] = [];
    for (const { from, url } of internal) {
      const resolved = new URL(url, `http://site${from}`);
      const file = fileFor(DIST, resolved.pathname);
      if (!file) {
        broken.push(`${from} → ${url} (no such page)`);
        continue;
      }
      const id = decodeURIComponent(resolved.hash.slice(1));
      if (id && file.endsWith(".html") && !page(path.relative(DIST, file)).getElementById(id)) {
        broken.push(`${from} → ${url} (no element with id "${id}")`);
      }
    }
    expect(broken).toEqual([]);
  });

  it("lists external links without fetching them", () => {
    const unique = [...new Set(external.map((target) => new URL(target.url).origin))].sort();
    console.info(`external link origins (${unique.length}): ${unique.join(", ")}`);
    expect(external.every((target) => URL.canParse(target.url))).toBe(true);
  });
});
