/**
 * An article's h2–h4 headings, read from its MDX source, by the id each gets: the pinned id
 * (`## Warranty period {/* #period *\/}`) or, without one, the slug rehype-heading-anchors makes.
 * The content check uses it to verify that every question and promise names a section that
 * exists; the promise table names the section by its heading.
 */
import GithubSlugger from "github-slugger";

/** An MDX comment pinning a heading's id, as the rehype plugin reads it from the expression's value. */
export const PINNED_ID = /^\/\*\s*#([a-z0-9][a-z0-9-]*)\s*\*\/$/;
const HEADING_LINE = /^#{2,4}\s+(.*?)\s*(?:\{(\/\*[^}]*\*\/)\})?\s*$/;

export function headingsById(body: string): Map<string, string> {
  const slugger = new GithubSlugger();
  const headings = new Map<string, string>();
  let fenced = false;
  for (const line of body.split(/\r?\n/)) {
    if (line.startsWith("```")) fenced = !fenced;
    const match = fenced ? null : HEADING_LINE.exec(line);
    if (!match) continue;
    const pinned = match[2] ? PINNED_ID.exec(match[2])?.[1] : undefined;
    const text = match[1]!;
    headings.set(pinned ?? slugger.slug(text.replace(/[*_`]/g, "")), text);
  }
  return headings;
}
