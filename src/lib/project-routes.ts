/**
 * Static paths of the project pages. Public projects live under /<lang>/projects/<slug>/, private
 * ones only under /<lang>/p/<accessToken>/; the same page components render both.
 */
import { LANGS, type Lang } from "../domain/schemas/common";
import { FEED_FILES, type FeedFormat } from "./paths";
import { privateProjectViews, publicProjectViews, type ProjectView } from "./projects";

export type ProjectRouteProps = { lang: Lang; view: ProjectView };
export type FeedRouteProps = ProjectRouteProps & { format: FeedFormat };

const FORMATS = Object.keys(FEED_FILES) as FeedFormat[];

export function publicProjectPaths() {
  return LANGS.flatMap((lang) => publicProjectViews().map((view) => ({ params: { lang, slug: view.slug }, props: { lang, view } satisfies ProjectRouteProps })));
}

export function privateProjectPaths() {
  return LANGS.flatMap((lang) => privateProjectViews().map((view) => ({ params: { lang, token: view.project.accessToken! }, props: { lang, view } satisfies ProjectRouteProps })));
}

export function publicFeedPaths() {
  return publicProjectPaths().flatMap(({ params, props }) => FORMATS.map((format) => ({ params: { ...params, feed: FEED_FILES[format] }, props: { ...props, format } satisfies FeedRouteProps })));
}

export function privateFeedPaths() {
  return privateProjectPaths().flatMap(({ params, props }) => FORMATS.map((format) => ({ params: { ...params, feed: FEED_FILES[format] }, props: { ...props, format } satisfies FeedRouteProps })));
}
