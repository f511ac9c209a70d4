/**
 * The ids an article's h2–h4 headings get, read from its MDX source: the pinned id
 * (`## Warranty period {/* #period *\/}`) or, without one, the slug rehype-heading-anchors makes.
 * The content check uses it to verify that every question names a section that exists.
 */
import GithubSlugger from "github-slugger";

/** An MDX comment pinning a heading's id, as the rehype plugin reads it from the expression's value. */
export const PINNED_ID = /^\/\*\s*#([a-z0-9][a-z0-9-]*)\s*\*\/$/;
const HEADING_LINE = /^#{2,4}\s+(.*?)\s*(?:\{(\/\*[^}]*\*\/)\})?\s*$/;

export function headingIds(body: string): Set<string> {
  const slugger = new GithubSlugger();
  const ids = new Set<string>();
  let fenced = false;
  for (const line of body.split(/\r?\n/)) {
    if (line.startsWith("```")) fenced = !fenced;
    const match = fenced ? null : HEADING_LINE.exec(line);
    if (!match) continue;
    const pinned = match[2] ? PINNED_ID.exec(match[2])?.[1] : undefined;
    ids.add(pinned ?? slugger.slug(match[1]!.replace(/[*_`]/g, "")));
  }
  return ids;
}
