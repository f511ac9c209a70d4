/**
 * The kinds of request and where their forms live. Kept apart from the zod schemas in
 * `requests.ts` so that pages linking to a form do not ship the validation code.
 */
import type { Lang } from "./schemas/common";

/** The six kinds of request, in the order the site lists them. */
export const REQUEST_TYPES = ["warranty", "support", "prevention", "extension", "consultation", "incident"] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];

/** The one place the form pages live. */
export const requestFormPath = (lang: Lang, type: RequestType) => `/${lang}/request/${type}/`;
