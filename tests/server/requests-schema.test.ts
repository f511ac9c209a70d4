/** The shared request schemas (src/domain/requests.ts): what passes, what fails, and in which language it says so. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import {
  FIELD_KIND,
  MESSAGES,
  REQUEST_SCHEMAS,
  REQUEST_TYPES,
  TICKET_ID_PATTERN,
  issuesFromZod,
  parseRequest,
  requestFields,
  takesProject,
} from "../../src/domain/requests";
import { ChangelogEntrySchema } from "../../src/domain/schemas/project-records";
import { dictionaries } from "../../src/i18n";
import { ticketIdFor } from "../../server/store";
import { translator } from "../../server/text";
import { VALID } from "./helpers/service";

const issuesOf = (input: Record<string, unknown>, lang: "en" | "ru" = "en") => {
  const result = parseRequest(input);
  return result.success ? [] : issuesFromZod(result.error, translator(lang));
};

describe("request schemas", () => {
  it("accept a valid request of every type and fill the defaults", () => {
    for (const type of REQUEST_TYPES) expect(parseRequest(VALID[type]).success, type).toBe(true);
    const support = parseRequest({ ...VALID.support, priority: undefined });
    expect(support.success && support.data.type === "support" && support.data.priority).toBe("normal");
  });

  it("refuse each invalid e-mail with one message in the form's language (T3)", () => {
    // A comma or semicolon in the local part is a list separator to address parsers: two recipients.
    const lists = ["a,b@example.com", '"a,b"@example.com', "a;b@example.com"];
    for (const email of ["a@b.example, c@d.example", "x@y.example\r\nRCPT TO:<y@z.example>", '"a@b x"@c.example', "no-at-sign", "a@b", "", ...lists]) {
      const issues = issuesOf({ ...VALID.warranty, email }, "ru");
      expect(issues, email).toHaveLength(1);
      expect(issues[0]?.path).toBe("email");
      expect(issues[0]?.message).toMatch(/[а-я]/);
    }
  });

  it("report a missing required field as required", () => {
    const { happened: _happened, ...withoutHappened } = VALID.warranty;
    expect(issuesOf(withoutHappened)).toEqual([{ path: "happened", message: dictionaries.en["validation.required"] }]);
  });

  it("cap lengths and say the cap (T4)", () => {
    expect(issuesOf({ ...VALID.warranty, happened: "x".repeat(20_000) })).toEqual([{ path: "happened", message: "Too long: at most 5000 characters." }]);
  });

  it("take http and https URLs only (T5)", () => {
    for (const pageUrl of ["javascript:alert(1)", "data:text/html,<b>x</b>", "ftp://files.example/x", "//shop.example", "https://"]) {
      expect(issuesOf({ ...VALID.warranty, pageUrl }).map((issue) => issue.path), pageUrl).toEqual(["pageUrl"]);
    }
  });

  it("refuse line breaks and control characters in single-line fields (T11)", () => {
    for (const field of ["name", "phone", "userLogin", "browser"]) {
      expect(issuesOf({ ...VALID.warranty, [field]: "Ivan\r\nBcc: victim@evil.example" }).map((issue) => issue.path), field).toEqual([field]);
    }
  });

  it("keep line breaks in long text, stored as LF", () => {
    const result = parseRequest({ ...VALID.warranty, happened: "line one\r\nline two" });
    expect(result.success && result.data.type === "warranty" && result.data.happened).toBe("line one\nline two");
  });

  it("need consent, an offered choice, a known type, and no unknown fields", () => {
    expect(issuesOf({ ...VALID.support, consent: "off" })).toEqual([{ path: "consent", message: dictionaries.en["field.consent.required"] }]);
    expect(issuesOf({ ...VALID.support, consent: undefined })).toEqual([{ path: "consent", message: dictionaries.en["field.consent.required"] }]);
    expect(issuesOf({ ...VALID.support, priority: "urgent!!" }).map((issue) => issue.path)).toEqual(["priority"]);
    expect(issuesOf({ ...VALID.support, type: "refund" })).toEqual([{ path: "type", message: dictionaries.en["validation.type"] }]);
    expect(issuesOf({ ...VALID.support, isAdmin: "yes" })).toEqual([{ path: "isAdmin", message: dictionaries.en["validation.unknownField"] }]);
  });

  it("name a project exactly in the types that say they take one (the list pages link by)", () => {
    for (const type of REQUEST_TYPES) expect(takesProject(type), type).toBe(requestFields(type).includes("project"));
  });

  it("treat blank optional fields as not given", () => {
    const result = parseRequest({ ...VALID.warranty, phone: "  ", userLogin: "" });
    expect(result.success && result.data.type === "warranty" && [result.data.phone, result.data.userLogin]).toEqual([undefined, undefined]);
  });

  it("have every message, label and option in both languages", () => {
    const keys = [
      ...Object.values(MESSAGES),
      ...REQUEST_TYPES.map((type) => `requestType.${type}`),
      ...Object.keys(FIELD_KIND).map((field) => `field.${field}.label`),
      ...Object.entries(REQUEST_SCHEMAS).flatMap(([type, schema]) =>
        requestFields(type as keyof typeof REQUEST_SCHEMAS)
          .filter((field) => FIELD_KIND[field] === "choice")
          .flatMap((field) => {
            const choice = (schema.shape as unknown as Record<string, z.ZodDefault<z.ZodEnum<[string, ...string[]]>>>)[field]!;
            return choice.removeDefault().options.map((option) => `option.${field}.${option}`);
          }),
      ),
    ];
    for (const lang of ["en", "ru"] as const) for (const key of keys) expect(key in dictionaries[lang], `${lang} ${key}`).toBe(true);
  });

  it("name ticket ids the way the change log accepts them", async () => {
    {
      const entry = { date: "2026-11-24", title: "Cart keeps its items", kind: "fix", basis: "warranty", hours: 1.5, author: "Maria", summary: "The cart no longer empties on login.", lang: "en" };
      for (const type of REQUEST_TYPES) {
        for (const id of [ticketIdFor("ticket-test-secret", type), ticketIdFor("ticket-test-secret", type, "retry-key-0001")]) {
          expect(TICKET_ID_PATTERN.test(id), id).toBe(true);
          expect(ChangelogEntrySchema.safeParse({ ...entry, ticket: id }).success, id).toBe(true);
        }
      }
    }
  });

  it("never throw, whatever arrives (property)", () => {
    const value = fc.oneof(fc.string({ unit: "binary", maxLength: 300 }), fc.boolean(), fc.integer(), fc.constant(null), fc.array(fc.string()), fc.object());
    const keys = fc.constantFrom(...Object.keys(FIELD_KIND), "type", "lang", "consent", "website", "renderedAt", "__proto__", "constructor");
    fc.assert(
      fc.property(fc.dictionary(keys, value), fc.constantFrom(...REQUEST_TYPES, "nope"), (fields, type) => {
        const result = parseRequest({ ...fields, type });
        if (!result.success) expect(issuesFromZod(result.error, translator("en")).every((issue) => issue.message.length > 0)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
