/** Check digits of ИНН, ОГРН and ОГРНИП, against numbers of real registered companies and people published by the tax service's register. */
import { describe, expect, it } from "vitest";
import { innProblem, ogrnProblem } from "../../src/domain/legal-ids";
import { SiteSettingsSchema } from "../../src/domain/schemas/settings";
import { VALID_SETTINGS } from "../setup/settings";

describe("ИНН", () => {
  it.each(["7707083893", "7736207543", "500100732259"])("accepts %s", (inn) => expect(innProblem(inn)).toBeUndefined());
  it.each([
    ["7707083894", "its check digit does not match: a digit is mistyped"],
    ["7737207543", "its check digit does not match: a digit is mistyped"],
    ["500100732250", "its check digit does not match: a digit is mistyped"],
    ["500100732219", "its check digit does not match: a digit is mistyped"],
    ["770708389", "must be 10 or 12 digits"],
    ["77070838930", "must be 10 or 12 digits"],
    ["77O7083893", "must be 10 or 12 digits"],
  ])("refuses %s: %s", (inn, reason) => expect(innProblem(inn)).toBe(reason));
});

describe("ОГРН and ОГРНИП", () => {
  it.each(["1027700132195", "1027700229193", "304500116000157"])("accepts %s", (ogrn) => expect(ogrnProblem(ogrn)).toBeUndefined());
  it.each([
    ["1027700132196", "its check digit does not match: a digit is mistyped"],
    ["1027700232193", "its check digit does not match: a digit is mistyped"],
    ["304500116000158", "its check digit does not match: a digit is mistyped"],
    ["102770013219", "must be 13 or 15 digits"],
    ["30450011600015", "must be 13 or 15 digits"],
  ])("refuses %s: %s", (ogrn, reason) => expect(ogrnProblem(ogrn)).toBe(reason));
});

it("the settings refuse a mistyped number with one message, naming the field", () => {
  const result = SiteSettingsSchema.safeParse({ ...VALID_SETTINGS, legal: { ...VALID_SETTINGS.legal, inn: "7707083894", ogrn: "10277001321" } });
  expect(result.success).toBe(false);
  expect(result.error?.issues.map(({ path, message }) => `${path.join(".")}: ${message}`)).toEqual([
    "legal.inn: its check digit does not match: a digit is mistyped",
    "legal.ogrn: must be 13 or 15 digits",
  ]);
});
