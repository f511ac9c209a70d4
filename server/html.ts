/** The few HTML bits the service renders itself: the receipt and error pages' content. */
import type { Lang } from "../src/domain/schemas/common";
import { escapeHtml, type Row } from "./text";

/** Labelled values as a description list. */
export function rowsHtml(rows: Row[]): string {
  const value = ({ value, href }: Row) => (href ? `<a href="${escapeHtml(href)}">${escapeHtml(value)}</a>` : escapeHtml(value));
  return `<dl>${rows.map((row) => `<dt>${escapeHtml(row.label)}</dt><dd>${value(row)}</dd>`).join("")}</dl>`;
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
