/**
 * What a form input needs to know about its field — required, longest value, choices, default —
 * read from the request schemas themselves, so the page and the server can never disagree.
 */
import { z } from "zod";
import { FIELD_KIND, REQUEST_SCHEMAS, type RequestField, type RequestType } from "../domain/requests";

export type FieldSpec = {
  name: RequestField;
  kind: (typeof FIELD_KIND)[RequestField];
  required: boolean;
  maxLength?: number;
  choices?: readonly string[];
  defaultValue?: string;
};

/** The innermost schema under effects, optionals and defaults. */
function core(schema: z.ZodTypeAny): z.ZodTypeAny {
  if (schema instanceof z.ZodEffects) return core(schema.innerType());
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable) return core(schema.unwrap());
  if (schema instanceof z.ZodDefault) return core(schema._def.innerType);
  return schema;
}

function defaultOf(schema: z.ZodTypeAny): string | undefined {
  if (schema instanceof z.ZodEffects) return defaultOf(schema.innerType());
  if (schema instanceof z.ZodOptional) return defaultOf(schema.unwrap());
  if (schema instanceof z.ZodDefault) return String(schema._def.defaultValue());
  return undefined;
}

export function fieldSpec(type: RequestType, name: RequestField): FieldSpec {
  const schema = (REQUEST_SCHEMAS[type].shape as Record<string, z.ZodTypeAny>)[name];
  if (!schema) throw new Error(`The ${type} form has no field ${name}`);
  const inner = core(schema);
  const maxLength = inner instanceof z.ZodString ? (inner.maxLength ?? undefined) : undefined;
  const choices = inner instanceof z.ZodEnum ? (inner.options as string[]) : undefined;
  const defaultValue = defaultOf(schema);
  return {
    name,
    kind: FIELD_KIND[name],
    required: !schema.safeParse(undefined).success,
    ...(maxLength !== undefined ? { maxLength } : {}),
    ...(choices ? { choices } : {}),
    ...(defaultValue !== undefined ? { defaultValue } : {}),
  };
}
