/** Components a change-log entry or a prevention visit may use in its MDX body, without an import. */
import Note from "../mdx/Note.astro";
import BeforeAfter from "./BeforeAfter.astro";

export const entryComponents = { BeforeAfter, Note };
