/**
 * Change-log feeds (Atom, RSS 2.0, JSON Feed 1) built with the `feed` library: one per project and
 * language, and one for all PUBLIC projects. Private projects have feeds only under their own
 * capability URL; the all-projects feed never sees them.
 */
import { Feed } from "feed";
import type { Lang } from "../domain/schemas/common";
import { useTranslations } from "../i18n";
import { FEED_FILES, paths, type FeedFormat } from "./paths";
import { projectName, publicProjectViews, stemOf, type ProjectView } from "./projects";
import { getSiteData } from "./site-data";

/** How many entries a feed carries: the newest. */
const PROJECT_FEED_ITEMS = 50;
const ALL_PROJECTS_FEED_ITEMS = 100;

export const FEED_TYPES: Record<FeedFormat, string> = {
  atom: "application/atom+xml; charset=utf-8",
  rss: "application/rss+xml; charset=utf-8",
  json: "application/feed+json; charset=utf-8",
};

function serialize(feed: Feed, format: FeedFormat): string {
  if (format === "atom") return feed.atom1();
  if (format === "rss") return feed.rss2();
  return feed.json1();
}

type Item = { view: ProjectView; entry: ProjectView["changes"][number] };

function buildFeed(lang: Lang, items: Item[], options: { id: string; title: string; description: string; page: string; self: (format: FeedFormat) => string; prefixNames: boolean }, format: FeedFormat): string {
  const t = useTranslations(lang);
  const { settings } = getSiteData();
  const absolute = (path: string) => new URL(path, settings.siteUrl).href;
  const dateOf = (date: string) => new Date(`${date}T00:00:00${settings.utcOffset}`);
  const newest = items[0]?.entry.data.date;
  const feed = new Feed({
    id: absolute(options.page),
    title: options.title,
    description: options.description,
    link: absolute(options.page),
    language: lang,
    // Deterministic: the newest entry's date, not the build time, so an unchanged log yields an unchanged feed.
    updated: dateOf(newest ?? "2000-01-01"),
    generator: settings.agencyName[lang],
    copyright: settings.agencyName[lang],
    feedLinks: Object.fromEntries((["atom", "rss", "json"] as const).map((f) => [f, absolute(options.self(f))])),
  });
  for (const { view, entry } of items) {
    const { data } = entry;
    const link = absolute(paths.project(lang, view.ref, "changes", stemOf(entry.id)));
    feed.addItem({
      id: link,
      link,
      title: options.prefixNames ? `${projectName(view, lang)}: ${data.title}` : data.title,
      description: data.summary,
      date: dateOf(data.date),
      published: dateOf(data.date),
      // RSS 2.0 wants an e-mail address in <author>; the engineers' names go only into Atom and JSON Feed.
      ...(format === "rss" ? {} : { author: [{ name: data.author }] }),
      category: [{ name: t(`project.kind.${data.kind}`) }, { name: t(`project.basis.${data.basis}`) }],
    });
  }
  return serialize(feed, format);
}

/** One project's change log. */
export function projectFeed(lang: Lang, view: ProjectView, format: FeedFormat): string {
  const t = useTranslations(lang);
  const name = projectName(view, lang);
  return buildFeed(
    lang,
    view.changes.slice(0, PROJECT_FEED_ITEMS).map((entry) => ({ view, entry })),
    {
      id: paths.project(lang, view.ref, "changes"),
      title: t("project.feeds.projectTitle", { name }),
      description: t("project.changes.description", { name }),
      page: paths.project(lang, view.ref, "changes"),
      self: (f) => paths.projectFeed(lang, view.ref, f),
      prefixNames: false,
    },
    format,
  );
}

/** Every public project's change log, newest first. */
export function allProjectsFeed(lang: Lang, format: FeedFormat): string {
  const t = useTranslations(lang);
  const items = publicProjectViews()
    .flatMap((view) => view.changes.map((entry) => ({ view, entry })))
    .sort((a, b) => (a.entry.data.date === b.entry.data.date ? a.entry.id.localeCompare(b.entry.id) : a.entry.data.date < b.entry.data.date ? 1 : -1))
    .slice(0, ALL_PROJECTS_FEED_ITEMS);
  return buildFeed(
    lang,
    items,
    {
      id: paths.projects(lang),
      title: t("project.feeds.allTitle"),
      description: t("project.index.description"),
      page: paths.projects(lang),
      self: (f) => paths.projectsFeed(lang, f),
      prefixNames: true,
    },
    format,
  );
}

/** `atom.xml` → "atom". */
export function formatOfFile(file: string): FeedFormat {
  const format = (Object.keys(FEED_FILES) as FeedFormat[]).find((f) => FEED_FILES[f] === file);
  if (!format) throw new Error(`no feed named ${file}`);
  return format;
}
