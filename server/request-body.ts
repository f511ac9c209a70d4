/**
 * Reads a request body into plain string fields and in-memory files, with a limit on everything:
 * multipart (forms with attachments), urlencoded (forms without JavaScript) and JSON (the enhanced
 * form); any other media type is 415. Field names must be plain identifiers, so nested names
 * (`a[b]`) and `__proto__` are refused (400) before anything reads them.
 */
import express, { type RequestHandler } from "express";
import multer from "multer";
import { ATTACHMENTS } from "../src/domain/requests";
import { HttpError } from "./http-errors";

const MEDIA_TYPES = ["multipart/form-data", "application/x-www-form-urlencoded", "application/json"];
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9]{0,63}$/;
/** More fields than any form has, with room for a submit button's name. */
const MAX_FIELDS = 40;
/** The longest field (5,000 characters) in the widest UTF-8, plus margin. */
const MAX_FIELD_BYTES = 32 * 1024;

/** The largest request body accepted: all attachments plus the fields. */
export const LARGEST_MULTIPART_BYTES = ATTACHMENTS.maxFiles * ATTACHMENTS.maxBytes + MAX_FIELDS * MAX_FIELD_BYTES;

export type ParsedBody = { fields: Record<string, unknown>; files: Express.Multer.File[] };

export function requestBodyParsers(bodyLimitBytes: number): RequestHandler[] {
  const multipart = multer({
    storage: multer.memoryStorage(),
    defParamCharset: "utf8",
    limits: {
      fileSize: ATTACHMENTS.maxBytes,
      files: ATTACHMENTS.maxFiles,
      fields: MAX_FIELDS,
      fieldSize: MAX_FIELD_BYTES,
      fieldNameSize: 64,
      parts: MAX_FIELDS + ATTACHMENTS.maxFiles,
      headerPairs: 50,
      fieldNestingDepth: 0,
      fieldArrayIndexLimit: 0,
    },
  }).array(ATTACHMENTS.field, ATTACHMENTS.maxFiles);

  // A multipart body that busboy cannot parse (no boundary, truncated) is the client's fault.
  const parseMultipart: RequestHandler = (req, res, next) => {
    if (!req.is("multipart/form-data")) return next();
    return multipart(req, res, (error?: unknown) =>
      next(error === undefined || error instanceof multer.MulterError || error instanceof HttpError ? error : new HttpError("bad_request")),
    );
  };

  return [requireMediaType(MEDIA_TYPES), parseMultipart, ...textParsers(bodyLimitBytes)];
}

/** A small form without files (article feedback): urlencoded or JSON up to `bodyLimitBytes`; multipart and the rest are 415. */
export function fieldsOnlyParsers(bodyLimitBytes: number): RequestHandler[] {
  return [requireMediaType(MEDIA_TYPES.filter((type) => type !== "multipart/form-data")), ...textParsers(bodyLimitBytes)];
}

function requireMediaType(types: string[]): RequestHandler {
  return (req, _res, next) => next(req.is(types) ? undefined : new HttpError("unsupported_media_type"));
}

function textParsers(bodyLimitBytes: number): RequestHandler[] {
  return [express.urlencoded({ extended: false, limit: bodyLimitBytes, parameterLimit: MAX_FIELDS }), express.json({ limit: bodyLimitBytes, strict: true }), collect];
}

const collect: RequestHandler = (req, res, next) => {
  const body: unknown = req.body;
  if (typeof body !== "object" || body === null || Array.isArray(body)) return next(new HttpError("bad_request"));
  const names = Object.keys(body);
  if (names.some((name) => !FIELD_NAME.test(name))) return next(new HttpError("bad_request"));
  const parsed: ParsedBody = { fields: Object.fromEntries(names.map((name) => [name, (body as Record<string, unknown>)[name]])), files: (req.files as Express.Multer.File[] | undefined) ?? [] };
  res.locals.body = parsed;
  res.locals.lang = parsed.fields.lang;
  return next();
};
