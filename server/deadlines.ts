/** Deadlines of a request from the service clock, as the ISO strings the API, pages and e-mails show. */
import type { RequestDeadlines, RequestType } from "../src/domain/requests";
import type { Project } from "../src/domain/schemas/project";
import { CalendarMissingError, buildWorkCalendar, formatDeadline, requestDeadlines } from "../src/domain/service-clock";
import type { ServerContent } from "../src/lib/content-files";
import type { Logger } from "./log";

export type Deadlines = {
  /** A moment as ISO 8601 with the Moscow offset. */
  format(at: Date): string;
  /** The promised deadlines; none (and a warning) when the production calendar does not reach that far. */
  forRequest(type: RequestType, submittedAt: Date, project?: Project): RequestDeadlines;
};

export function createDeadlines(content: ServerContent, logger: Logger): Deadlines {
  const calendar = buildWorkCalendar(content.settings, content.calendars);
  const format = (at: Date) => formatDeadline(at, calendar);
  return {
    format,
    forRequest(type, submittedAt, project) {
      try {
        const dates = requestDeadlines(type, submittedAt, calendar, project?.warranty.program, project?.sla?.reactionMinutes);
        return Object.fromEntries(Object.entries(dates).map(([kind, at]) => [kind, format(at)]));
      } catch (error) {
        if (!(error instanceof CalendarMissingError)) throw error;
        logger.warn("deadlines.calendar-missing", { year: error.year });
        return {};
      }
    },
  };
}
