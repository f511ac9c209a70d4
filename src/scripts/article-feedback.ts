/**
 * The enhanced "Was this page helpful?" (src/components/ArticleFeedback.astro): sends an answer or a
 * comment with fetch and shows the next step in place, from the same templates the form service uses
 * without JavaScript, then moves the focus to it (the comment field, or the thanks). A refusal
 * (a 422's message, or a general one) is announced in the section's status line and the form stays.
 */
import { FEEDBACK_NUMBER_PLACEHOLDER, FEEDBACK_VOTE_PATH, type FeedbackState } from "../domain/article-feedback";

type Answer = { token?: Record<string, string>; id?: string; issues?: { message: string }[] };

export async function sendFeedback(host: HTMLElement, form: HTMLFormElement, submitter: HTMLElement | null): Promise<void> {
  const status = host.querySelector<HTMLElement>(".feedback__status")!;
  const buttons = [...form.querySelectorAll("button")];
  const fields = Object.fromEntries(new FormData(form, submitter));
  const isVote = new URL(form.action).pathname === FEEDBACK_VOTE_PATH;
  status.textContent = "";
  buttons.forEach((button) => (button.disabled = true));
  // What the status line says when it fails: the service's own words for a refused comment, else a general line.
  let refusal = host.dataset.error ?? "";
  try {
    const response = await fetch(form.action, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(fields),
    });
    const answer = (response.status === 204 ? {} : await response.json()) as Answer;
    if (!response.ok) {
      refusal = answer.issues?.[0]?.message ?? refusal;
      throw new Error(String(response.status));
    }
    show(host, isVote ? (fields.helpful === "no" ? "no" : "yes") : "sent", answer);
  } catch {
    status.textContent = refusal;
    buttons.forEach((button) => (button.disabled = false));
  }
}

/** Puts `state`'s template into the section (the token into its hidden fields, the number into its text) and focuses it. */
function show(host: HTMLElement, state: FeedbackState, { token = {}, id = "" }: Answer): void {
  const step = host.querySelector<HTMLElement>(".feedback__step")!;
  const part = host.querySelector<HTMLTemplateElement>(`template[data-state="${state}"]`)!.content.cloneNode(true) as DocumentFragment;
  for (const [name, value] of Object.entries(token)) {
    const input = part.querySelector<HTMLInputElement>(`input[name="${name}"]`);
    if (input) input.value = value;
  }
  const done = part.querySelector<HTMLElement>(".feedback__done")!;
  done.textContent = (done.textContent ?? "").replace(FEEDBACK_NUMBER_PLACEHOLDER, id);
  step.replaceChildren(part);
  (step.querySelector("textarea") ?? done).focus();
}
