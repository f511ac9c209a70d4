/** The few HTML bits the service renders itself: the receipt and error pages' content. */
import type { Lang } from "../src/domain/schemas/common";
import type { ContentSampleable } from "../src/domain/schemas/sample";
import { sampleNotice } from "../src/lib/sample-notice";
import { escapeHtml, type Row } from "./text";

/** Labelled values as a description list. */
export function rowsHtml(rows: Row[]): string {
  const value = ({ value, href }: Row) => (href ? `<a href="${escapeHtml(href)}">${escapeHtml(value)}</a>` : escapeHtml(value));
  return `<dl>${rows.map((row) => `<dt>${escapeHtml(row.label)}</dt><dd>${value(row)}</dd>`).join("")}</dl>`;
}

/** The notice the site's pages show while any setting is a sample value (src/components/SampleNotice.astro); "" when none is. */
export function sampleNoticeHtml(lang: Lang, sampleable: ContentSampleable[]): string {
  const notice = sampleNotice(lang, sampleable);
  return notice ? `<section aria-labelledby="sample-notice"><p><strong id="sample-notice">${escapeHtml(notice.title)}</strong>. ${escapeHtml(notice.text)}</p></section>` : "";
}

/**
 * A complete page for when the built site has no page to host the content (site not built, or a
 * plain error). Plain semantic HTML with no script or style, so the CSP holds.
 */
export function standalonePage({ lang, title, body }: { lang: Lang; title: string; body: string }): string {
  return [
    "<!doctype html>",
    `<html lang="${lang}">`,
    `<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title></head>`,
    `<body><main><h1>${escapeHtml(title)}</h1>${body}</main></body>`,
    "</html>",
  ].join("\n");
}
