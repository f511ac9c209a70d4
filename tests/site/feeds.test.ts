/**
 * Change-log feeds parse with a real feed parser (@rowanmanning/feed-parser for Atom and RSS; JSON
 * Feed checked against its version-1 structure), carry every entry newest first with absolute links
 * to existing anchors, and the all-projects feed holds public projects only.
 */
import { parseFeed } from "@rowanmanning/feed-parser";
import { existsSync, readdirSync, readFileSync as readFile } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadServerContent } from "../../src/lib/content-files";
import { DIST, distFiles, page } from "./dist";
import { FIXTURE } from "../setup/sites";

const content = loadServerContent(FIXTURE.content);
const site = new URL(content.settings.siteUrl);
const LANGS = ["en", "ru"] as const;
const feeds = distFiles().filter((file) => /\/(atom\.xml|rss\.xml|feed\.json)$/.test(file));

/** How many change-log files a fixture project has (an edge-case project has none). */
const changelogCount = (slug: string) => readdirSync(path.join(FIXTURE.content, "projects", slug, "changelog")).filter((name) => /^[^_].*\.mdx?$/.test(name)).length;

/** The anchor a feed item points at exists on the built page. */
function resolves(link: string): boolean {
  const url = new URL(link);
  if (url.origin !== site.origin) return false;
  const file = path.join(DIST, decodeURIComponent(url.pathname), "index.html");
  if (!existsSync(file)) return false;
  const id = decodeURIComponent(url.hash.slice(1));
  return !id || page(path.relative(DIST, file)).getElementById(id) !== null;
}

type JsonFeed = { version: string; title: string; home_page_url: string; feed_url: string; items: { id: string; url: string; title: string; date_published?: string; summary?: string }[] };

function items(file: string): { title: string; url: string; date: string }[] {
  const text = readFileSync(file);
  if (file.endsWith(".json")) {
    const json = JSON.parse(text) as JsonFeed;
    return json.items.map((item) => ({ title: item.title, url: item.url, date: item.date_published ?? "" }));
  }
  return parseFeed(text).items.map((item) => ({ title: item.title ?? "", url: item.url ?? "", date: (item.published ?? item.updated)?.toISOString() ?? "" }));
}

function readFileSync(file: string): string {
  return readFile(path.join(DIST, file), "utf8");
}

describe("feeds", () => {
  it("exist for every project and for all public projects, in both languages", () => {
    const publicCount = [...content.projects.values()].filter((p) => p.visibility === "public").length;
    // Per project and language three formats, plus three all-projects feeds per language.
    expect(feeds.length).toBe(content.projects.size * 2 * 3 + 2 * 3);
    expect(feeds.filter((file) => file.includes("/projects/") && !/^(en|ru)\/projects\/[^/]+$/.test(file)).length).toBe(publicCount * 2 * 3);
  });

  it.each(feeds.filter((file) => !file.endsWith(".json")))("%s is a valid feed by a real parser", (file) => {
    const feed = parseFeed(readFileSync(file));
    expect(feed.meta.type).toBe(file.endsWith("atom.xml") ? "atom" : "rss");
    expect(feed.title).toBeTruthy();
    expect(feed.url).toMatch(new RegExp(`^${site.origin}/(en|ru)/`));
    expect(feed.language ?? file.slice(0, 2)).toBe(file.slice(0, 2));
    for (const item of feed.items) {
      expect(item.title).toBeTruthy();
      expect(item.description).toBeTruthy();
      expect(item.published ?? item.updated).toBeInstanceOf(Date);
    }
  });

  it.each(feeds.filter((file) => file.endsWith(".json")))("%s is a JSON Feed 1", (file) => {
    const json = JSON.parse(readFileSync(file)) as JsonFeed;
    expect(json.version).toBe("https://jsonfeed.org/version/1");
    expect(json.title).toBeTruthy();
    expect(json.feed_url).toBe(`${site.origin}/${file}`);
    for (const item of json.items) {
      expect(item.id).toBeTruthy();
      expect(item.url).toMatch(/^https?:\/\//);
      expect(Number.isNaN(Date.parse(item.date_published ?? ""))).toBe(false);
    }
  });

  it("carry every entry of a project newest first, each linking to its anchor on the change log", () => {
    for (const [slug, project] of content.projects) {
      const base = project.visibility === "public" ? `projects/${slug}` : `p/${project.accessToken}`;
      for (const lang of LANGS) {
        const entries = page(`${lang}/${base}/changes/index.html`).querySelectorAll(".change h3").map((h) => h.textContent.trim());
        expect(entries.length, `${slug} ${lang}`).toBe(changelogCount(slug));
        for (const format of ["atom.xml", "rss.xml", "feed.json"]) {
          const list = items(`${lang}/${base}/${format}`);
          expect(list.map((item) => item.title), `${slug} ${lang} ${format}`).toEqual(entries.slice(0, 50));
          expect(list.map((item) => item.date)).toEqual([...list.map((item) => item.date)].sort().reverse());
          for (const item of list) expect(resolves(item.url), item.url).toBe(true);
        }
      }
    }
  });

  it("the all-projects feed has public projects only", () => {
    const privateOnes = [...content.projects].filter(([, project]) => project.visibility === "private");
    for (const lang of LANGS) {
      for (const format of ["atom.xml", "rss.xml", "feed.json"]) {
        const list = items(`${lang}/projects/${format}`);
        expect(list.length).toBeGreaterThan(5);
        // Newest first across projects (a reversed or unsorted merge fails here).
        expect(list.map((item) => item.date), `${lang} ${format}`).toEqual([...list.map((item) => item.date)].sort().reverse());
        for (const item of list) {
          expect(item.url).toMatch(new RegExp(`^${site.origin}/${lang}/projects/[a-z0-9-]+/changes/#`));
          expect(resolves(item.url), item.url).toBe(true);
        }
        for (const [, project] of privateOnes) expect(list.some((item) => item.title.includes(project.name[lang]))).toBe(false);
      }
    }
  });
});
