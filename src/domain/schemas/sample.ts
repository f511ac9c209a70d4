/**
 * Sample values. A setting the agency has not confirmed yet is written `{ sample: <value> }` instead
 * of the bare value (`email: { sample: support@example.com }`). Only fields a schema wraps in
 * `sampleable` may be given so; every reader gets the plain value, and `findSamples` tells which
 * fields are samples, so the site can say so and a production build can refuse them.
 */
import { z } from "zod";

/** `{ sample: … }` and nothing else. */
export type SampleMark = { sample: unknown };

export function isSampleMark(value: unknown): value is SampleMark {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length === 1 && "sample" in value;
}

/** The schemas `sampleable` made, recognised by identity when a file's fields are walked. */
const SAMPLEABLE = new WeakSet<z.ZodTypeAny>();

/** A field that may be a sample: accepts `inner`'s value, bare or as `{ sample: … }`, and yields the bare value. */
export function sampleable<T extends z.ZodTypeAny>(inner: T) {
  const schema = z.preprocess((value) => (isSampleMark(value) ? value.sample : value), inner);
  SAMPLEABLE.add(schema);
  return schema;
}

/** One sampleable field of a file: its dotted path, whether it is given as a sample, and its bare value (as written). */
export type SampleableField = { field: string; sample: boolean; value: unknown };

/** A sampleable field in the file that gives it, e.g. `content/settings.yaml` `contacts.email`. */
export type ContentSampleable = SampleableField & { file: string };

/** What a file says about samples: its sampleable fields, and every `{ sample: … }` on a field that may not be one. */
export type FoundSamples = { fields: SampleableField[]; misplaced: string[] };

/** Reads `raw` (a file's data before validation) against `schema`. */
export function findSamples(schema: z.ZodTypeAny, raw: unknown): FoundSamples {
  const fields = sampleableFields(schema, raw, []);
  const allowed = new Set(fields.map(({ field }) => field));
  return { fields, misplaced: sampleMarks(raw, []).filter((field) => !allowed.has(field)) };
}

/** True when the dotted path `field` is `ancestor` or lies inside it. */
export function isWithin(field: string, ancestor: string): boolean {
  return ancestor === "" || field === ancestor || field.startsWith(`${ancestor}.`);
}

/** Every field `schema` wraps in `sampleable`, with what `raw` gives for it (absent fields too). */
function sampleableFields(schema: z.ZodTypeAny, raw: unknown, path: (string | number)[]): SampleableField[] {
  if (SAMPLEABLE.has(schema)) {
    const sample = isSampleMark(raw);
    return [{ field: path.join("."), sample, value: sample ? raw.sample : raw }];
  }
  const inner = unwrapped(schema);
  if (inner) return sampleableFields(inner, raw, path);
  if (schema instanceof z.ZodObject) {
    const values: Record<string, unknown> = typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>) : {};
    return Object.entries(schema.shape as z.ZodRawShape).flatMap(([key, child]) => sampleableFields(child, values[key], [...path, key]));
  }
  if (schema instanceof z.ZodArray && Array.isArray(raw)) {
    return raw.flatMap((item, index) => sampleableFields(schema.element, item, [...path, index]));
  }
  return [];
}

/** The schema a refinement, default or optional wraps. */
function unwrapped(schema: z.ZodTypeAny): z.ZodTypeAny | undefined {
  if (schema instanceof z.ZodEffects) return schema.innerType();
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable) return schema.unwrap();
  if (schema instanceof z.ZodDefault) return schema.removeDefault();
  return undefined;
}

/** Dotted paths of every `{ sample: … }` in `raw`, whatever the schema says. */
function sampleMarks(raw: unknown, path: (string | number)[]): string[] {
  if (isSampleMark(raw)) return [path.join(".")];
  if (Array.isArray(raw)) return raw.flatMap((item, index) => sampleMarks(item, [...path, index]));
  if (typeof raw === "object" && raw !== null) return Object.entries(raw).flatMap(([key, value]) => sampleMarks(value, [...path, key]));
  return [];
}
