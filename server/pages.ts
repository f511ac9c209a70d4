/**
 * The site: `dist/` as built, plus the three things a static host cannot do —
 * `/` redirects by Accept-Language; form pages (private projects' too) get a fresh signed token (FORM_TOKEN_PLACEHOLDERS)
 * each time they are served; the "request received" page shows the receipt of `?id=`.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import express, { type NextFunction, type Response, type Router } from "express";
import { RECEIPT, REQUEST_TYPES, requestFormPath, type RequestType } from "../src/domain/requests";
import { LangSchema, type Lang } from "../src/domain/schemas/common";
import type { ServerContent } from "../src/lib/content-files";
import { otherLang } from "../src/i18n";
import { paths, type ProjectRef } from "../src/lib/paths";
import { fillFormToken, type FormTokens } from "./form-token";
import { rowsHtml, sampleNoticeHtml, standalonePage } from "./html";
import { statusPath } from "./status-link";
import type { Receipt, Spool } from "./store";
import { escapeHtml, noDeadlineText, receiptRows, translator } from "./text";

export type PageDeps = { distDir: string; spool: Spool; tokens: FormTokens; content: ServerContent };

/** Languages whose speakers the root page sends to Russian, as its inline script does. */
const RUSSIAN_READERS = ["ru", "be", "kk", "uk"];

export function pageRouter({ distDir, spool, tokens, content }: PageDeps): Router {
  const router = express.Router();

  router.get("/", (req, res) => {
    const preferred = req.acceptsLanguages("en", ...RUSSIAN_READERS);
    res.vary("Accept-Language").redirect(302, `/${preferred && RUSSIAN_READERS.includes(preferred) ? "ru" : "en"}/`);
  });

  router.get("/:lang/request/received/", async (req, res, next) => {
    const lang = LangSchema.safeParse(req.params.lang);
    if (!lang.success) return next();
    const id = req.query[RECEIPT.idParam];
    const receipt = typeof id === "string" ? await spool.find(id) : undefined;
    const t = translator(lang.data);
    const title = t(receipt ? "received.title" : "received.notFoundTitle");
    const fragment = receipt ? receiptHtml(receipt, lang.data, content, spool.secret) : `<p>${escapeHtml(t("received.notFound"))}</p>`;
    const otherLangHref = receipt ? `${RECEIPT.path(otherLang(lang.data))}?${new URLSearchParams({ [RECEIPT.idParam]: receipt.id })}` : undefined;
    const html = await hostedPage({ distDir, content }, { lang: lang.data, title, fragment, ...(otherLangHref ? { otherLangHref } : {}) });
    res.status(receipt ? 200 : 404).set("Cache-Control", "no-store").type("html").send(html);
  });

  /** A form page signed afresh; anything not a built form page goes on to the static files (404). */
  const formPage = async (res: Response, next: NextFunction, urlPath: string) => {
    const page = await readBuiltPage(distDir, urlPath);
    if (page === undefined) return next();
    res.set("Cache-Control", "no-store").type("html").send(fillFormToken(page, tokens.issue()));
  };

  router.get("/:lang/request/:type/", async (req, res, next) => {
    const lang = LangSchema.safeParse(req.params.lang);
    const type = req.params.type as RequestType;
    if (!lang.success || !REQUEST_TYPES.includes(type)) return next();
    await formPage(res, next, requestFormPath(lang.data, type));
  });

  // A private project's forms, under its capability URL (only a known token names a page).
  router.get("/:lang/p/:token/request/:type/", async (req, res, next) => {
    const lang = LangSchema.safeParse(req.params.lang);
    const type = req.params.type as RequestType;
    const project = privateProjectRef(content, req.params.token);
    if (!lang.success || !REQUEST_TYPES.includes(type) || !project) return next();
    await formPage(res, next, paths.request(lang.data, type, project));
  });

  router.use(
    express.static(distDir, {
      setHeaders: (res, file) => {
        // Astro's bundled assets carry a content hash in their names: cache them for good.
        if (file.includes(`${path.sep}_astro${path.sep}`)) res.set("Cache-Control", "public, max-age=31536000, immutable");
      },
    }),
  );
  return router;
}

function receiptHtml(receipt: Receipt, lang: Lang, content: ServerContent, secret: string): string {
  const t = translator(lang);
  const whatsapp = content.settings.contacts.whatsapp;
  const hasDeadlines = Object.keys(receipt.deadlines).length > 0;
  return [
    `<section class="request-receipt">`,
    `<p>${escapeHtml(t("received.lead"))}</p>`,
    rowsHtml(receiptRows(receipt, lang)),
    hasDeadlines ? "" : `<p>${escapeHtml(noDeadlineText(receipt, content, lang))}</p>`,
    `<p><a href="${escapeHtml(statusPath(secret, receipt))}">${escapeHtml(t("status.link"))}</a>. ${escapeHtml(t("status.linkNote"))}</p>`,
    `<p><a href="${escapeHtml(whatsapp)}">${escapeHtml(t("received.whatsapp"))}</a></p>`,
    `</section>`,
  ].join("");
}

/**
 * A page the service writes itself (receipt, request status), in the built "request received"
 * page, so it has the site's header, footer and CSS: the slot (heading included) and the title
 * are replaced. Without a built site, a plain standalone page.
 */
export async function hostedPage(
  { distDir, content }: Pick<PageDeps, "distDir" | "content">,
  { lang, title, fragment, otherLangHref }: { lang: Lang; title: string; fragment: string; otherLangHref?: string },
): Promise<string> {
  const page = await readBuiltPage(distDir, RECEIPT.path(lang));
  const start = page?.indexOf(RECEIPT.slot) ?? -1;
  const end = page?.indexOf(RECEIPT.slotEnd, start) ?? -1;
  if (!page || start < 0 || end <= start) {
    const home = `<p><a href="/${lang}/">${escapeHtml(translator(lang)("received.home"))}</a></p>`;
    return standalonePage({ lang, title, body: `${sampleNoticeHtml(lang, content.sampleable)}${fragment}${home}` });
  }
  const builtTitle = translator(lang)("received.title");
  const head = page
    .slice(0, start)
    .replace(`<title>${escapeHtml(builtTitle)}`, `<title>${escapeHtml(title)}`)
    .replace(`<meta property="og:title" content="${escapeHtml(builtTitle)}"`, `<meta property="og:title" content="${escapeHtml(title)}"`);
  const html = `${head}<h1>${escapeHtml(title)}</h1>${fragment}${page.slice(end + RECEIPT.slotEnd.length)}`;
  // The language switch leads to the same request in the other language, not to an empty receipt page.
  return otherLangHref ? html.replaceAll(`href="${RECEIPT.path(otherLang(lang))}"`, `href="${escapeHtml(otherLangHref)}"`) : html;
}

/** The private project whose capability token this is, as URLs need it; undefined for any other string. */
export function privateProjectRef(content: ServerContent, token: string): ProjectRef | undefined {
  const found = [...content.projects].find(([, candidate]) => candidate.visibility === "private" && candidate.accessToken === token);
  return found && { slug: found[0], visibility: "private", accessToken: found[1].accessToken };
}

/** A page of the built site by its URL path (`/en/request/warranty/`), or undefined when not built. */
export async function readBuiltPage(distDir: string, urlPath: string): Promise<string | undefined> {
  return readFile(path.join(distDir, urlPath, "index.html"), "utf8").catch(() => undefined);
}
