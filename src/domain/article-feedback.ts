/**
 * "Was this helpful?" at the end of every terms article: a yes/no vote, counted per article,
 * language and day, and on "no" an optional comment on what was missing, which reaches the team as
 * a ticket of type `feedback`. Shared by the article's component and script (paths, limits, the
 * slots the form service fills for a browser without JavaScript) and the form service. No zod here:
 * the browser imports it. How long votes and comments are kept is the agency's setting
 * `articleFeedbackRetentionDays` (content/settings.yaml); the privacy page prints it.
 */

/** Where a vote goes (`POST`, form fields or JSON `{ article, lang, helpful }`). */
export const FEEDBACK_VOTE_PATH = "/api/feedback";
/** Where a comment goes (`POST`, form fields or JSON); it becomes a `feedback` ticket. */
export const FEEDBACK_COMMENT_PATH = "/api/feedback/comment";
/** The id of the feedback section: the forms post to `…#feedback`, so the answer page opens at it. */
export const FEEDBACK_ANCHOR = "feedback";
/** The two answers to "Was this helpful?". */
export const FEEDBACK_ANSWERS = ["yes", "no"] as const;
export type FeedbackAnswer = (typeof FEEDBACK_ANSWERS)[number];

/** Longest comment, in characters (a missing answer fits in a paragraph or two). */
export const MAX_COMMENT_LENGTH = 2000;
/** Longest vote body, in bytes (a slug, a language, an answer, the honeypot). */
export const MAX_VOTE_BYTES = 1024;
/** Longest comment body, in bytes: the comment percent-encoded (Cyrillic is 6 bytes a character) and the form's hidden fields. */
export const MAX_COMMENT_BYTES = MAX_COMMENT_LENGTH * 6 + 2048;
/** Longest comment kept for the operator's tool, in characters (the team's e-mail has it whole). */
export const MAX_KEPT_COMMENT_LENGTH = 500;

/**
 * What the section shows after each step: `yes` (thanks), `no` (thanks, and what was missing?),
 * `sent` (the comment's ticket id). The article's page carries each as a template between these
 * markers; the script shows them in place, and the form service, answering a post without
 * JavaScript, serves the article with the state's markup put into the slot.
 */
export const FEEDBACK_STATES = ["yes", "no", "sent"] as const;
export type FeedbackState = (typeof FEEDBACK_STATES)[number];
export const feedbackMarkers = (state: FeedbackState | "slot") => ({ start: `<!--feedback:${state}-->`, end: `<!--/feedback:${state}-->` });
/** Stands for the request number in the `sent` state's markup (not a word the glossary forbids: the built page carries it). */
export const FEEDBACK_NUMBER_PLACEHOLDER = "__FEEDBACK_NUMBER__";
