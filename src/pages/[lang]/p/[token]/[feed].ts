/** Private project: its change log as Atom (atom.xml), RSS (rss.xml) and JSON Feed (feed.json). */
import type { APIRoute } from "astro";
import { FEED_TYPES, projectFeed } from "../../../../lib/project-feeds";
import { privateFeedPaths, type FeedRouteProps } from "../../../../lib/project-routes";

export const getStaticPaths = privateFeedPaths;

export const GET: APIRoute = ({ props }) => {
  const { lang, view, format } = props as FeedRouteProps;
  return new Response(projectFeed(lang, view, format), { headers: { "Content-Type": FEED_TYPES[format] } });
};
