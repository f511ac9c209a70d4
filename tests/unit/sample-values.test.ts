/**
 * Sample values: a field the schema wraps in `sampleable` may be written `{ sample: … }`, every
 * reader gets the bare value, and the lines that keep content out of production name file and field.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { formatProblem } from "../../src/domain/content-problems";
import { contentReadiness, exampleDomainIn, SAMPLE_REASON } from "../../src/domain/readiness";
import { PriceListSchema } from "../../src/domain/schemas/prices";
import { findSamples, sampleable, type ContentSampleable } from "../../src/domain/schemas/sample";
import { SiteSettingsSchema } from "../../src/domain/schemas/settings";
import { dictionaries } from "../../src/i18n";
import { sampleFieldKey, sampleNotice } from "../../src/lib/sample-notice";
import { VALID_SETTINGS as SETTINGS } from "../setup/settings";

const SAMPLED = {
  ...SETTINGS,
  contacts: { ...SETTINGS.contacts, email: { sample: "help@agency.ru" } },
  nightHours: { sample: { start: "22:00", end: "08:00" } },
};
const issues = (result: z.SafeParseReturnType<unknown, unknown>) => result.error?.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);

describe("a sampleable field", () => {
  it("gives every reader the bare value, whether it is written bare or as a sample", () => {
    expect(SiteSettingsSchema.parse(SAMPLED)).toEqual(SiteSettingsSchema.parse(SETTINGS));
    expect(PriceListSchema.parse({ effectiveFrom: "2025-01-01", supportHourlyRate: { sample: 1500 }, warrantyExtension: { price: 15000 }, preventionPlans: [{ id: "twice-monthly", visitsPerMonth: 2, hoursPerVisit: 1.5, pricePerMonth: 4500 }] }).supportHourlyRate).toBe(1500);
  });

  it("validates a sample as strictly as a bare value, naming the field", () => {
    expect(issues(SiteSettingsSchema.safeParse({ ...SETTINGS, contacts: { ...SETTINGS.contacts, email: { sample: "not an address" } } }))).toEqual(["contacts.email: Invalid email"]);
    expect(issues(SiteSettingsSchema.safeParse({ ...SETTINGS, nightHours: { sample: { start: "22:00", end: "8 am" } } }))).toEqual(["nightHours.end: must be a time written as HH:MM (00:00–23:59)"]);
    expect(SiteSettingsSchema.safeParse({ ...SETTINGS, siteUrl: { sample: "https://a.ru", note: "extra" } }).success).toBe(false);
  });
});

describe("a retention period the privacy page prints", () => {
  const RETENTIONS = ["unansweredSearchRetentionDays", "articleFeedbackRetentionDays", "ratingRetentionDays", "requestStatusRetentionDays"] as const;

  it.each(RETENTIONS)("%s may be a sample, read as the plain number of days and listed by the production check", (name) => {
    const raw = { ...SETTINGS, [name]: { sample: 45 } };
    expect(SiteSettingsSchema.parse(raw)[name]).toBe(45);
    const found = findSamples(SiteSettingsSchema, raw).fields.map((one) => ({ ...one, file: "content/settings.yaml" }));
    expect(contentReadiness(found).map(formatProblem)).toEqual([`content/settings.yaml: ${name}: ${SAMPLE_REASON}`]);
  });

  it.each(RETENTIONS)("%s has no default: content that leaves it out is invalid, not silently given a figure", (name) => {
    const without: Record<string, unknown> = { ...SETTINGS };
    delete without[name];
    expect(issues(SiteSettingsSchema.safeParse(without))).toEqual([`${name}: Required`]);
  });

  it("validates a sample period as strictly as a bare one", () => {
    expect(issues(SiteSettingsSchema.safeParse({ ...SETTINGS, ratingRetentionDays: { sample: 0 } }))).toEqual(["ratingRetentionDays: Number must be greater than or equal to 1"]);
  });
});

describe("findSamples", () => {
  it("lists every sampleable field of a file, with whether it is a sample and its bare value", () => {
    const { fields, misplaced } = findSamples(SiteSettingsSchema, SAMPLED);
    expect(fields.filter(({ sample }) => sample)).toEqual([
      { field: "contacts.email", sample: true, value: "help@agency.ru" },
      { field: "nightHours", sample: true, value: { start: "22:00", end: "08:00" } },
    ]);
    expect(fields.map(({ field }) => field)).toEqual([
      "brand.logo",
      "brand.accentColor",
      "legal.name",
      "legal.address",
      "legal.inn",
      "legal.ogrn",
      "siteUrl",
      "contacts.whatsapp",
      "contacts.email",
      "contacts.phone",
      "links.componentDemo",
      "links.solutionDemo",
      "workingHours",
      "nightHours",
      "unansweredSearchRetentionDays",
      "articleFeedbackRetentionDays",
      "ratingRetentionDays",
      "requestStatusRetentionDays",
    ]);
    expect(misplaced).toEqual([]);
  });

  it("lists a field the file leaves out as confirmed, with no value", () => {
    expect(findSamples(PriceListSchema, {}).fields).toEqual([{ field: "supportHourlyRate", sample: false, value: undefined }]);
  });

  it("finds samples inside lists, by index", () => {
    const schema = z.object({ plans: z.array(z.object({ price: sampleable(z.number()), name: z.string() })) });
    const found = findSamples(schema, { plans: [{ price: 1, name: "a" }, { price: { sample: 2 }, name: { sample: "b" } }] });
    expect(found.fields.filter(({ sample }) => sample).map(({ field }) => field)).toEqual(["plans.1.price"]);
    expect(found.misplaced).toEqual(["plans.1.name"]);
  });

  it("names every sample on a field the schema does not wrap, at any depth", () => {
    const raw = { ...SAMPLED, agencyName: { sample: { en: "A", ru: "Б" } }, timeZone: { sample: "Europe/Moscow" }, workingHours: { start: { sample: "09:00" }, end: "18:00" } };
    expect(findSamples(SiteSettingsSchema, raw).misplaced).toEqual(["agencyName", "workingHours.start", "timeZone"]);
  });
});

const field = (name: string, sample: boolean, value: unknown, file = "content/settings.yaml"): ContentSampleable => ({ file, field: name, sample, value });

describe("contentReadiness", () => {
  it("names every sample, and every confirmed value on a domain reserved for examples, by file and field", () => {
    const lines = contentReadiness([
      field("siteUrl", false, "https://service.example.com"),
      field("contacts.email", true, "support@agency.ru"),
      field("contacts.phone", false, "+7 495 000-00-00"),
      field("workingHours", true, { start: "09:00", end: "18:00" }),
      field("links.componentDemo", false, "https://demo.agency.ru/components"),
      field("supportHourlyRate", true, 1500, "content/prices.yaml"),
    ]).map(formatProblem);
    expect(lines).toEqual([
      "content/settings.yaml: siteUrl: names service.example.com, a domain reserved for examples: use the agency's real one",
      `content/settings.yaml: contacts.email: ${SAMPLE_REASON}`,
      `content/settings.yaml: workingHours: ${SAMPLE_REASON}`,
      `content/prices.yaml: supportHourlyRate: ${SAMPLE_REASON}`,
    ]);
  });

  it("has nothing to say when every value is confirmed and real", () => {
    expect(contentReadiness(findSamples(SiteSettingsSchema, SETTINGS).fields.map((found) => ({ ...found, file: "content/settings.yaml" })))).toEqual([]);
  });

  it.each([
    ["https://service.example.com/", "service.example.com"],
    ["https://example.org", "example.org"],
    ["support@example.net", "example.net"],
    ["help@fixture.example", "fixture.example"],
    ["https://portal.test", "portal.test"],
    ["http://localhost:4321", "localhost"],
    ["noreply@x.invalid", "x.invalid"],
    ["https://example.com.agency.ru", undefined],
    ["https://myexample.com", undefined],
    ["support@agency.ru", undefined],
    ["+7 495 000-00-00", undefined],
    [1500, undefined],
  ])("exampleDomainIn(%j) is %j", (value, domain) => {
    expect(exampleDomainIn(value)).toBe(domain);
  });
});

describe("the sample notice", () => {
  const sampleableFields = [SiteSettingsSchema, PriceListSchema].flatMap((schema) => findSamples(schema, {}).fields.map(({ field }) => field));

  it("has words for every sampleable field in both languages, and no two files share a field name", () => {
    expect(new Set(sampleableFields).size).toBe(sampleableFields.length);
    for (const lang of ["en", "ru"] as const) {
      for (const name of sampleableFields) expect(dictionaries[lang][sampleFieldKey(name)], `${lang} ${name}`).toBeTruthy();
    }
  });

  it("names exactly the values that are samples, as a list in the page's language", () => {
    const fields = [field("contacts.phone", true, "+7"), field("contacts.email", false, "a@agency.ru"), field("supportHourlyRate", true, 1500, "content/prices.yaml")];
    expect(sampleNotice("en", fields)).toEqual({
      title: "Sample configuration",
      text: "These are placeholders, not our confirmed details: the phone number and the price of an hour of technical support. Please do not rely on them.",
    });
    expect(sampleNotice("ru", fields)?.text).toBe(
      "Это условные значения, а не наши подтверждённые данные: номер телефона и стоимость часа технической поддержки. Пожалуйста, не полагайтесь на них.",
    );
  });

  it("is not shown when every value is confirmed", () => {
    expect(sampleNotice("en", [field("contacts.phone", false, "+7")])).toBeUndefined();
  });
});
