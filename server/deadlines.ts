/** Deadlines of a request from the service clock and content/promises.yaml, as the ISO strings the API, pages and e-mails show. */
import type { RequestType } from "../src/domain/requests";
import type { Project } from "../src/domain/schemas/project";
import { CalendarMissingError, buildWorkCalendar, deadlineQualifiers, formatDeadline, requestDeadlines, type ProjectTerms } from "../src/domain/service-clock";
import type { ServerContent } from "../src/lib/content-files";
import type { Logger } from "./log";
import type { Receipt } from "./store";

export type Deadlines = {
  /** A moment as ISO 8601 with the Moscow offset. */
  format(at: Date): string;
  /**
   * The promised deadlines and how the terms qualify them; none (and a warning) when the
   * production calendar does not reach that far.
   */
  forRequest(type: RequestType, submittedAt: Date, project?: Project): Pick<Receipt, "deadlines" | "qualifiers">;
};

export function createDeadlines(content: ServerContent, logger: Logger): Deadlines {
  const calendar = buildWorkCalendar(content.settings, content.calendars);
  const format = (at: Date) => formatDeadline(at, calendar);
  return {
    format,
    forRequest(type, submittedAt, project) {
      const terms: ProjectTerms = { program: project?.warranty.program, slaReactionMinutes: project?.sla?.reactionMinutes };
      try {
        const dates = requestDeadlines(type, submittedAt, calendar, content.promises, terms);
        const qualifiers = deadlineQualifiers(type, content.promises, terms);
        return {
          deadlines: Object.fromEntries(Object.entries(dates).map(([kind, at]) => [kind, format(at)])),
          ...(Object.keys(qualifiers).length > 0 ? { qualifiers } : {}),
        };
      } catch (error) {
        if (!(error instanceof CalendarMissingError)) throw error;
        logger.warn("deadlines.calendar-missing", { year: error.year });
        return { deadlines: {} };
      }
    },
  };
}
