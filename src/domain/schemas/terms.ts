import { z } from "zod";
import { IsoDateSchema } from "./common";

/** Search filter sections; every page belongs to one. */
export const SectionSchema = z.enum(["terms", "prices", "changelog", "prevention", "sla"]);
export type Section = z.infer<typeof SectionSchema>;

/** A question a client asks in their own words, and the section of the article that answers it. */
export const TermsQuestionSchema = z
  .object({
    /** The question as a client would type it, in the article's language ("How long does the warranty last?"). */
    question: z.string().min(8).max(160),
    /** Id of the heading whose section answers it (`{/* #period *\/}` in the body); the content check verifies it exists. */
    section: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "must be a heading id such as period or how-to-claim"),
  })
  .strict();
export type TermsQuestion = z.infer<typeof TermsQuestionSchema>;

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
    /** Questions the article answers: indexed above its body text and listed on the FAQ page. Default: none. */
    questions: z.array(TermsQuestionSchema).max(20).default([]),
  })
  .strict();
export type TermsArticle = z.infer<typeof TermsArticleSchema>;
