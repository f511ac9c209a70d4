/** Every public project's change log as one feed (rss). Private projects never appear here. */
import type { APIRoute, GetStaticPaths } from "astro";
import { LANGS, type Lang } from "../../../domain/schemas/common";
import { allProjectsFeed, FEED_TYPES } from "../../../lib/project-feeds";

export const getStaticPaths = (() => LANGS.map((lang) => ({ params: { lang } }))) satisfies GetStaticPaths;

export const GET: APIRoute = ({ params }) =>
  new Response(allProjectsFeed(params.lang as Lang, "rss"), { headers: { "Content-Type": FEED_TYPES.rss } });
