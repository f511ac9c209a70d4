/**
 * The kinds of request and where their forms live. Kept apart from the zod schemas in
 * `requests.ts` so that pages linking to a form do not ship the validation code.
 */
import type { Lang } from "./schemas/common";

/** The six kinds of request, in the order the site lists them. */
export const REQUEST_TYPES = ["warranty", "support", "prevention", "extension", "consultation", "incident"] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];

/**
 * Every kind of ticket the spool keeps and e-mails to the team: the six requests, and `feedback`, an
 * article's "what was missing" (src/domain/article-feedback.ts). Feedback has no form page of its own
 * (it is sent from the end of an article), no promise and no client e-mail, so it is not a RequestType.
 */
export const TICKET_TYPES = [...REQUEST_TYPES, "feedback"] as const;
export type TicketType = (typeof TICKET_TYPES)[number];

/**
 * The kinds of request that name a project: their forms have a project field, and a project's pages
 * link to them with the project chosen. (tests/server/requests-schema.test.ts holds it to the schemas.)
 */
const PROJECT_REQUEST_TYPES: readonly RequestType[] = ["warranty", "support", "extension", "incident"];

/** Whether a type's form names a project. */
export const takesProject = (type: RequestType) => PROJECT_REQUEST_TYPES.includes(type);

/** The one place the form pages live. */
export const requestFormPath = (lang: Lang, type: RequestType) => `/${lang}/request/${type}/`;
