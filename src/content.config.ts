/**
 * Content collections. The schemas live in src/domain/schemas so the server validates with the
 * same rules; settings, prices and calendars are single files read by src/lib/site-data.ts.
 */
import { defineCollection } from "astro:content";
import { glob } from "astro/loaders";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { CONTENT_ROOT } from "./lib/build-env";
import { projectRecords } from "./lib/records-loader";
import { ProjectSchema } from "./domain/schemas/project";
import { ChangelogEntrySchema, IncidentSchema, PreventionVisitSchema } from "./domain/schemas/project-records";
import { TermsArticleSchema } from "./domain/schemas/terms";

const PROJECTS = pathToFileURL(path.join(CONTENT_ROOT, "projects/"));

/** Terms articles; id is `<lang>/<slug>`, e.g. `ru/warranty`. */
const terms = defineCollection({
  loader: glob({ base: pathToFileURL(path.join(CONTENT_ROOT, "terms/")), pattern: "{en,ru}/[^_]*.{md,mdx}" }),
  schema: TermsArticleSchema,
});

/** Projects; id is the folder name (the project's slug). */
const projects = defineCollection({
  loader: glob({ base: PROJECTS, pattern: "*/project.yaml", generateId: ({ entry }) => entry.split("/")[0]! }),
  schema: ProjectSchema,
});

/** Change-log entries; id is `<project>/changelog/<file name>`. An `.mdx` entry without components renders as Markdown (src/lib/records-loader.ts). */
const changelog = defineCollection({
  loader: projectRecords(PROJECTS, "changelog"),
  schema: ChangelogEntrySchema,
});

/** Prevention visits; id is `<project>/prevention/<date>`. */
const prevention = defineCollection({
  loader: projectRecords(PROJECTS, "prevention"),
  schema: PreventionVisitSchema,
});

/** Incidents; id is `<project>/incidents/<file name>`. */
const incidents = defineCollection({
  loader: glob({ base: PROJECTS, pattern: "*/incidents/[^_]*.yaml" }),
  schema: IncidentSchema,
});

export const collections = { terms, projects, changelog, prevention, incidents };
