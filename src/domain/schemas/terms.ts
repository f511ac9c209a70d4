import { z } from "zod";
import { IsoDateSchema } from "./common";

/** Search filter sections; every page belongs to one. */
export const SectionSchema = z.enum(["terms", "prices", "changelog", "prevention", "sla"]);
export type Section = z.infer<typeof SectionSchema>;

/** Front matter of a terms article, `content/terms/<lang>/<slug>.mdx`. */
export const TermsArticleSchema = z
  .object({
    /** Page title (also the `<h1>`). */
    title: z.string().min(3),
    /** One or two sentences: shown under the title, in search results and in meta/Open Graph tags. */
    description: z.string().min(20).max(300),
    /** Date a person last checked the article against the agency's terms. */
    lastReviewed: IsoDateSchema,
    /** Position in the navigation (ascending). */
    order: z.number().int().nonnegative(),
    /** Short label for the navigation; defaults to the title. */
    navLabel: z.string().min(2).optional(),
    /** Search filter section. */
    section: SectionSchema.default("terms"),
    /** Listed in the main navigation; pages such as the privacy policy are linked from elsewhere. */
    nav: z.boolean().default(true),
  })
  .strict();
export type TermsArticle = z.infer<typeof TermsArticleSchema>;
