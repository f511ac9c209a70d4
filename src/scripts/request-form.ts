/**
 * Progressive enhancement of a request form: inline validation with the same zod schema the server
 * uses, messages in the page's language, the promised deadlines before sending, screenshots by
 * paste, and a JSON submit with a clear progress and result state that cannot be sent twice.
 */
import { ATTACHMENTS, DEADLINE_KINDS, FORM_ISSUE_PATH, FORM_TOKEN_PATH, FORM_TOKEN_PLACEHOLDERS, issuesFromZod, parseRequest, type RequestDeadlines, type RequestIssue, type RequestType } from "../domain/requests";
import { deadlinePhrase } from "../domain/format";
import type { Lang } from "../domain/schemas/common";
import type { PromiseList } from "../domain/schemas/promises";
import { applicablePromises, deadlineQualifiers, formatDeadline, requestDeadlines, type DeadlineQualifiers, type ProjectTerms, type WorkCalendar } from "../domain/service-clock";
import { lookupFrom } from "../i18n/lookup";
import { browserName } from "./browser-name";

type ProjectClock = Record<string, ProjectTerms>;
type Translate = ReturnType<typeof lookupFrom>;

/** Keeps the chosen screenshots (from the picker or pasted) within the limits, and in the file input. */
function attachmentManager(form: HTMLFormElement, t: Translate) {
  const input = form.querySelector<HTMLInputElement>(`input[name="${ATTACHMENTS.field}"]`);
  if (!input) return;
  const list = form.querySelector<HTMLUListElement>(".attachments")!;
  const error = form.querySelector<HTMLElement>("#field-attachments-error")!;
  let files: File[] = [];

  const render = () => {
    const transfer = new DataTransfer();
    files.forEach((file) => transfer.items.add(file));
    input.files = transfer.files;
    list.replaceChildren(
      ...files.map((file, index) => {
        const item = document.createElement("li");
        const preview = Object.assign(document.createElement("img"), { src: URL.createObjectURL(file), alt: "", width: 64, height: 48 });
        const name = Object.assign(document.createElement("span"), { textContent: file.name });
        const remove = Object.assign(document.createElement("button"), { type: "button", textContent: "×", className: "attachments__remove" });
        remove.setAttribute("aria-label", t("form.attachments.remove", { name: file.name }));
        remove.addEventListener("click", () => {
          files.splice(index, 1);
          render();
          input.focus();
        });
        item.append(preview, name, remove);
        return item;
      }),
    );
  };

  const add = (incoming: File[]) => {
    const problems: string[] = [];
    for (const file of incoming) {
      if (!(file.type in ATTACHMENTS.types)) problems.push(t("form.attachments.badType", { name: file.name }));
      else if (file.size > ATTACHMENTS.maxBytes) problems.push(t("form.attachments.tooBig", { name: file.name }));
      else if (files.length >= ATTACHMENTS.maxFiles) {
        problems.push(t("form.attachments.tooMany"));
        break;
      } else files.push(file);
    }
    error.textContent = problems.join(" ");
    error.hidden = problems.length === 0;
    render();
  };

  input.addEventListener("change", () => {
    const picked = [...(input.files ?? [])].filter((file) => !files.includes(file));
    add(picked);
  });
  form.addEventListener("paste", (event) => {
    const pasted = [...(event.clipboardData?.files ?? [])];
    if (pasted.length === 0) return;
    event.preventDefault();
    add(pasted.map((file, index) => (file.name && file.name !== "image.png" ? file : new File([file], `screenshot-${Date.now()}-${index + 1}.${ATTACHMENTS.types[file.type as keyof typeof ATTACHMENTS.types] ?? "png"}`, { type: file.type }))));
  });
}

/** A signed form stays valid for a day; a page left open longer gets a fresh signature well before that. */
const TOKEN_REFRESH_MS = 6 * 60 * 60 * 1000;

/**
 * Signs the form through the form service when the page came without a signature (a static host)
 * and keeps it fresh while the page stays open. Unsigned forms are accepted but never e-mailed.
 */
function keepSigned(form: HTMLFormElement): void {
  const field = (name: keyof typeof FORM_TOKEN_PLACEHOLDERS) => form.elements.namedItem(name) as HTMLInputElement;
  const refresh = async () => {
    const response = await fetch(FORM_TOKEN_PATH, { headers: { Accept: "application/json" } }).catch(() => undefined);
    if (!response?.ok) return;
    const token = (await response.json()) as Record<keyof typeof FORM_TOKEN_PLACEHOLDERS, string>;
    field("renderedAt").value = token.renderedAt;
    field("formSignature").value = token.formSignature;
    if (field("idempotencyKey").value === FORM_TOKEN_PLACEHOLDERS.idempotencyKey) field("idempotencyKey").value = token.idempotencyKey;
  };
  if (field("renderedAt").value === FORM_TOKEN_PLACEHOLDERS.renderedAt) void refresh();
  setInterval(() => void refresh(), TOKEN_REFRESH_MS);
}

/** The form's values as the server will read them (files aside). */
function formValues(form: HTMLFormElement): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [name, value] of new FormData(form)) if (typeof value === "string") values[name] = value;
  return values;
}

export function enhanceRequestForm(host: HTMLElement, form: HTMLFormElement): void {
  const type = host.dataset.type as RequestType;
  const lang = host.dataset.lang as Lang;
  const calendar = JSON.parse(host.dataset.calendar!) as WorkCalendar;
  const projects = JSON.parse(host.dataset.projects!) as ProjectClock;
  const promises = JSON.parse(host.dataset.promises!) as PromiseList;
  const strings = JSON.parse(host.dataset.strings!) as Record<string, string>;
  const t = lookupFrom(strings);
  const submit = form.querySelector<HTMLButtonElement>(".request-form__submit")!;
  const status = form.querySelector<HTMLElement>(".request-form__status")!;
  const summary = form.querySelector<HTMLElement>(".request-form__summary")!;
  const touched = new Set<string>();
  host.dataset.enhanced = "true";
  form.noValidate = true;

  // The form service signs the page it serves; a page served by anything else still needs a key.
  const key = form.elements.namedItem("idempotencyKey") as HTMLInputElement;
  if (key.value === FORM_TOKEN_PLACEHOLDERS.idempotencyKey) key.value = crypto.randomUUID();
  keepSigned(form);
  const browser = form.elements.namedItem("browser") as HTMLInputElement | null;
  if (browser && !browser.value) browser.value = browserName(navigator.userAgent) ?? "";
  const project = form.elements.namedItem("project") as HTMLSelectElement | null;
  attachmentManager(form, t);

  const showIssues = (issues: RequestIssue[], only?: Set<string>) => {
    for (const error of form.querySelectorAll<HTMLElement>(".field__error:not(#field-attachments-error)")) {
      const field = error.id.replace(/^field-|-error$/g, "");
      if (only && !only.has(field)) continue;
      const issue = issues.find((candidate) => candidate.path === field);
      error.textContent = issue?.message ?? "";
      error.hidden = !issue;
      form.querySelector(`[data-field="${field}"]`)?.setAttribute("aria-invalid", issue ? "true" : "false");
    }
  };
  /** The summary lists each problem as a link to its field, and takes the focus so it is read first. */
  const showSummary = (issues: RequestIssue[]) => {
    const links = issues.flatMap(({ path, message }) => {
      const control = form.querySelector<HTMLElement>(`[data-field="${path}"]`);
      if (!control) return [];
      const label = form.querySelector(`label[for="${control.id}"]`)?.firstChild?.textContent?.trim();
      const link = Object.assign(document.createElement("a"), { href: `#${control.id}`, textContent: label ? `${label}: ${message}` : message });
      link.addEventListener("click", (event) => {
        event.preventDefault();
        control.focus();
      });
      const item = document.createElement("li");
      item.append(link);
      return [item];
    });
    const list = document.createElement("ul");
    list.append(...links);
    summary.replaceChildren(Object.assign(document.createElement("p"), { textContent: t("form.errors.title") }), ...(links.length ? [list] : []));
    summary.hidden = false;
    summary.focus();
  };
  const validate = () => {
    const result = parseRequest(formValues(form));
    return result.success ? [] : issuesFromZod(result.error, t);
  };

  const list = form.querySelector<HTMLUListElement>(".deadline-preview__list")!;
  const chosenProject = () => (project?.value ? projects[project.value] : undefined);
  /** No deadline: none promised for this request (say so, and what happens next), or the timing follows. */
  const noDeadline = () => {
    if (applicablePromises(promises, type, chosenProject()).length > 0) return t("deadline.none");
    const next = `deadline.next.${type}`;
    return [t("deadline.notPromised"), ...(next in strings ? [t(next)] : [])].join(" ");
  };
  const renderDeadlines = (deadlines: RequestDeadlines, qualifiers: DeadlineQualifiers, into: HTMLElement, item: (label: string, value: string) => HTMLElement[]) => {
    into.replaceChildren(
      ...DEADLINE_KINDS.filter((kind) => deadlines[kind]).flatMap((kind) => item(t(`deadline.${kind}`), deadlinePhrase(deadlines[kind]!, lang, t, qualifiers[kind]))),
    );
    if (!into.childElementCount) into.replaceChildren(...item("", noDeadline()).slice(-1));
  };
  const previewDeadlines = () => {
    const chosen = chosenProject();
    let deadlines: RequestDeadlines = {};
    try {
      const dates = requestDeadlines(type, new Date(), calendar, promises, chosen);
      deadlines = Object.fromEntries(Object.entries(dates).map(([kind, at]) => [kind, formatDeadline(at, calendar)]));
    } catch {
      deadlines = {}; // beyond the published calendars: the server will say when it can
    }
    renderDeadlines(deadlines, deadlineQualifiers(type, promises, chosen), list, (label, value) => [Object.assign(document.createElement("li"), { textContent: label ? `${label}: ${value}` : value })]);
  };
  form.querySelector(".deadline-preview__fallback")?.remove();
  previewDeadlines();
  project?.addEventListener("change", previewDeadlines);
  setInterval(previewDeadlines, 60_000); // the promise moves with the clock while the form is open

  // Fields filled before the enhancement arrived are checked now, as if the client had just left them.
  for (const input of form.querySelectorAll<HTMLInputElement>("[data-field]")) {
    if (input.value && input.type !== "file" && input.type !== "checkbox" && input.dataset.field) touched.add(input.dataset.field);
  }
  if (touched.size > 0) showIssues(validate(), touched);

  form.addEventListener("focusout", (event) => {
    const field = (event.target as HTMLElement).dataset?.field;
    if (!field) return;
    touched.add(field);
    // Leaving a field for the send button: submitting checks everything, and showing a message now
    // would move the button away from under the pointer before the click lands.
    if (event.relatedTarget === submit) return;
    showIssues(validate(), touched);
  });
  form.addEventListener("input", (event) => {
    const field = (event.target as HTMLElement).dataset?.field;
    if (field && touched.has(field)) showIssues(validate(), new Set([field]));
  });

  let sending = false;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (sending) return; // no double submits: one request in flight at a time, and the same key on retry
    const issues = validate();
    showIssues(issues);
    if (issues.length > 0) {
      showSummary(issues);
      return;
    }
    summary.hidden = true;
    sending = true;
    submit.disabled = true;
    form.setAttribute("aria-busy", "true");
    status.textContent = t("form.sending");
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json", "Idempotency-Key": key.value },
      });
      const body = (await response.json().catch(() => ({}))) as { id?: string; deadlines?: RequestDeadlines; qualifiers?: DeadlineQualifiers; statusUrl?: string; issues?: RequestIssue[] };
      if (response.status === 202 && body.id) {
        const done = host.querySelector<HTMLElement>(".request-form__done")!;
        done.querySelector("h2")!.textContent = t("form.sent.title", { id: body.id });
        renderDeadlines(body.deadlines ?? {}, body.qualifiers ?? {}, done.querySelector("dl")!, (label, value) => [
          Object.assign(document.createElement("dt"), { textContent: label }),
          Object.assign(document.createElement("dd"), { textContent: value }),
        ]);
        done.dataset.ticket = body.id;
        const statusLink = done.querySelector<HTMLElement>(".request-form__status")!;
        // The service's own path for this request's status page (never a URL from elsewhere).
        if (body.statusUrl?.startsWith("/")) {
          statusLink.querySelector("a")!.href = body.statusUrl;
          statusLink.hidden = false;
        }
        form.hidden = true;
        done.hidden = false;
        done.focus();
        return;
      }
      if (response.status === 422 && body.issues) {
        showIssues(body.issues);
        // An issue about the whole form (sent too fast, a key reused with other content) has no field to mark.
        const whole = body.issues.filter((issue) => issue.path === FORM_ISSUE_PATH).map((issue) => issue.message);
        if (whole.length === 0) return showSummary(body.issues);
        summary.textContent = whole.join(" ");
      } else {
        const retryAfter = Number(response.headers.get("Retry-After") ?? "60");
        const messages: Record<number, string> = {
          413: t("apiError.tooLarge"),
          415: t("apiError.unsupportedMedia"),
          429: t("apiError.rateLimited", { minutes: Math.max(1, Math.ceil(retryAfter / 60)) }),
          403: t("apiError.crossSite"),
          503: t("apiError.unavailable"),
        };
        summary.textContent = messages[response.status] ?? t("apiError.internal");
      }
      summary.hidden = false;
      summary.focus();
    } catch {
      summary.textContent = t("form.network");
      summary.hidden = false;
      summary.focus();
    } finally {
      sending = false;
      submit.disabled = false;
      form.removeAttribute("aria-busy");
      status.textContent = "";
    }
  });
}
