/**
 * The kinds of request and where their forms live. Kept apart from the zod schemas in
 * `requests.ts` so that pages linking to a form do not ship the validation code.
 */
import type { Lang } from "./schemas/common";

/** The six kinds of request, in the order the site lists them. */
export const REQUEST_TYPES = ["warranty", "support", "prevention", "extension", "consultation", "incident"] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];

/**
 * The kinds of request that name a project: their forms have a project field, and a project's pages
 * link to them with the project chosen. (tests/server/requests-schema.test.ts holds it to the schemas.)
 */
const PROJECT_REQUEST_TYPES: readonly RequestType[] = ["warranty", "support", "extension", "incident"];

/** Whether a type's form names a project. */
export const takesProject = (type: RequestType) => PROJECT_REQUEST_TYPES.includes(type);

/** The one place the form pages live. */
export const requestFormPath = (lang: Lang, type: RequestType) => `/${lang}/request/${type}/`;
