// @ts-check
import mdx from "@astrojs/mdx";
import sitemap from "@astrojs/sitemap";
import { defineConfig } from "astro/config";
import { contentCache } from "./src/integrations/content-cache.ts";
import { contentCheck } from "./src/integrations/content-check.ts";
import { searchIndex } from "./src/integrations/search-index.ts";
import { CONTENT_ROOT, PRODUCTION_BUILD } from "./src/lib/build-env.ts";
import { readSiteSettings } from "./src/lib/content-files.ts";
import { rehypeHeadingAnchors } from "./src/markdown/rehype-heading-anchors.ts";
import { rehypeSectionQuestions } from "./src/markdown/rehype-section-questions.ts";

// The content folder (CONTENT_DIR), the build's clock (PORTAL_NOW) and whether it is for production: see src/lib/build-env.ts.
const contentRoot = CONTENT_ROOT;

export default defineConfig({
  site: readSiteSettings(contentRoot).siteUrl,
  trailingSlash: "always",
  build: { format: "directory" },
  // Private project pages (/<lang>/p/<token>/) and per-visitor pages stay out of the sitemap.
  integrations: [
    contentCheck(contentRoot, PRODUCTION_BUILD),
    contentCache(contentRoot),
    mdx({ optimize: true }),
    sitemap({
      filter: (page) => !/\/(en|ru)\/p\/|\/404\/?$|\/request\/received\/$/.test(page),
      i18n: { defaultLocale: "en", locales: { en: "en", ru: "ru" } },
    }),
    searchIndex(),
  ],
  markdown: { rehypePlugins: [rehypeHeadingAnchors, rehypeSectionQuestions] },
  // Scripts as files, never inline: cached across pages and allowed by a CSP of 'self'.
  vite: { build: { assetsInlineLimit: 0 } },
  devToolbar: { enabled: false },
});
