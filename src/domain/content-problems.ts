import type { ZodError } from "zod";

/** One problem in one content file, e.g. `content/prices.yaml: supportHourlyRate: Expected number, received string`. */
export type ContentProblem = { file: string; field: string; reason: string };

export function formatProblem({ file, field, reason }: ContentProblem): string {
  return `${file}: ${field || "(file)"}: ${reason}`;
}

/** Turns a zod error into one problem per issue, naming the field by its dotted path. */
export function problemsFromZod(file: string, error: ZodError): ContentProblem[] {
  return error.issues.map((issue) => ({
    file,
    field: issue.path.join("."),
    reason: issue.message,
  }));
}

/** Thrown when content is invalid; its message lists every problem, one per line. */
export class ContentError extends Error {
  constructor(readonly problems: ContentProblem[]) {
    super(`Invalid content (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${problems.map(formatProblem).join("\n")}`);
    this.name = "ContentError";
  }
}
