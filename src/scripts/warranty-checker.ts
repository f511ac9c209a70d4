/**
 * The warranty checker in the browser: reads the answers, asks the domain rules (`checkClaim`) for
 * the problem's date, and writes the answer with `describeAnswer`. Only the voiding questions and
 * "when?" answers of the chosen programme are offered. Once it runs, the static no-script tables
 * step aside, so nothing under the answer can contradict it.
 */
import type { Lang } from "../domain/schemas/common";
import { calendarDate, CalendarMissingError, type WorkCalendar } from "../domain/service-clock";
import { checkClaim, eventTimingsFor, voidingConditionsFor, type ClaimCause, type EventTiming, type ProjectWarranty, type ReportedEvent, type VoidingEventKind } from "../domain/warranty";
import { lookupFrom } from "../i18n/lookup";
import { describeAnswer } from "../lib/warranty-text";

type PublicProject = { slug: string; name: string; warranty: ProjectWarranty };

class WarrantyCheckerElement extends HTMLElement {
  connectedCallback() {
    const lang = this.dataset.lang as Lang;
    const calendar = JSON.parse(this.dataset.calendar!) as WorkCalendar;
    const projects = JSON.parse(this.dataset.projects!) as PublicProject[];
    const links = JSON.parse(this.dataset.links!) as Record<"warranty" | "support", string>;
    const t = lookupFrom(JSON.parse(this.dataset.strings!) as Record<string, string>);

    const form = this.querySelector("form")!;
    const result = this.querySelector<HTMLElement>(".checker__result")!;
    const field = (name: string) => form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement;
    const checked = (name: string) => form.querySelector<HTMLInputElement>(`input[name="${name}"]:checked`)?.value;
    const events = [...this.querySelectorAll<HTMLElement>(".checker__event")].map((element) => ({
      element,
      kind: element.dataset.condition as VoidingEventKind,
      when: element.querySelector("select")!,
      date: element.querySelector<HTMLElement>(".checker__event-date")!,
    }));

    const chosenProject = (): { slug?: string; warranty: ProjectWarranty } | undefined => {
      const listed = projects.find((project) => project.slug === field("project").value);
      if (listed) return listed;
      const completedOn = field("completedOn").value;
      if (!completedOn) return undefined;
      const extension = field("extension").value;
      const program = (checked("program") ?? "standard") as ProjectWarranty["program"];
      return { warranty: { program, completedOn, extensions: extension ? [{ purchasedOn: extension }] : [], events: [] } };
    };
    const chosenProgram = () => (field("project").value === "" ? (checked("program") ?? "standard") : chosenProject()!.warranty.program) as ProjectWarranty["program"];

    /** Offer only the chosen programme's voiding questions and "when?" answers; a date only when "on a date" is chosen. */
    const syncQuestions = () => {
      this.querySelector<HTMLElement>(".checker__manual")!.hidden = field("project").value !== "";
      const program = chosenProgram();
      const asked = voidingConditionsFor(program);
      const timings = eventTimingsFor(program);
      for (const { element, kind, when, date } of events) {
        element.hidden = !asked.includes(kind);
        for (const option of when.options) option.hidden = option.disabled = option.value !== "" && !timings.includes(option.value as EventTiming);
        if (element.hidden || when.selectedOptions[0]?.disabled) when.value = "";
        date.hidden = when.value !== "on-date";
      }
    };

    const reported = (): ReportedEvent[] | undefined => {
      const answers: ReportedEvent[] = [];
      for (const { element, kind, when, date } of events) {
        if (element.hidden || when.value === "") continue;
        const timing = when.value as EventTiming;
        if (timing !== "on-date") answers.push({ kind, timing });
        else {
          const input = date.querySelector("input")!;
          if (!input.value) return void input.focus();
          answers.push({ kind, timing, on: input.value });
        }
      }
      return answers;
    };

    const show = () => {
      const project = chosenProject();
      if (!project) return field("completedOn").focus();
      if (!field("on").value) return field("on").focus();
      const answers = reported();
      if (!answers) return;
      const status = this.querySelector<HTMLElement>(".checker__status")!;
      const route = this.querySelector<HTMLElement>(".checker__route")!;
      const why = this.querySelector<HTMLElement>(".checker__why")!;
      const clause = this.querySelector<HTMLAnchorElement>(".checker__clause")!;
      const action = this.querySelector<HTMLAnchorElement>(".checker__action")!;
      try {
        const cause = (checked("cause") ?? "code-defect") as ClaimCause;
        const text = describeAnswer(checkClaim(project.warranty, { cause, on: field("on").value, reported: answers }, calendar), t, lang);
        status.textContent = text.status;
        route.textContent = text.route;
        why.replaceChildren(...text.why.map((line) => Object.assign(document.createElement("p"), { textContent: line })));
        clause.href = text.clause.href;
        clause.textContent = text.clause.text;
        const target = new URL(links[text.action.form], location.href);
        if (project.slug) target.searchParams.set("project", project.slug);
        action.href = target.pathname + target.search + target.hash;
        action.textContent = text.action.text;
        clause.parentElement!.hidden = action.parentElement!.hidden = false;
      } catch (error) {
        if (!(error instanceof CalendarMissingError) && !(error instanceof RangeError)) throw error;
        status.textContent = t("checker.unknownYear");
        route.textContent = "";
        why.replaceChildren();
        clause.parentElement!.hidden = action.parentElement!.hidden = true;
      }
      result.hidden = false;
      result.focus();
    };

    form.addEventListener("change", syncQuestions);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      show();
    });
    field("on").value = calendarDate(new Date(), calendar);
    syncQuestions();
    form.hidden = false;
    this.querySelector<HTMLElement>(".checker__static")!.hidden = true;
  }
}
customElements.define("warranty-checker", WarrantyCheckerElement);
