/** Check digits of ИНН, ОГРН and ОГРНИП, against numbers of real registered companies and people published by the tax service's register. */
import { describe, expect, it } from "vitest";
import { innProblem, ogrnProblem } from "../../src/domain/legal-ids";
import { SiteSettingsSchema } from "../../src/domain/schemas/settings";
import { VALID_SETTINGS } from "../setup/settings";

const MISTYPED = "its check digit does not match: a digit is mistyped";
const RULES = [
  {
    name: "ИНН",
    problem: innProblem,
    valid: ["7707083893", "7736207543", "500100732259"],
    refused: [
      ["7707083894", MISTYPED],
      ["7737207543", MISTYPED],
      ["500100732250", MISTYPED],
      ["500100732219", MISTYPED],
      ["770708389", "must be 10 or 12 digits"],
      ["77070838930", "must be 10 or 12 digits"],
      ["77O7083893", "must be 10 or 12 digits"],
    ],
  },
  {
    name: "ОГРН and ОГРНИП",
    problem: ogrnProblem,
    valid: ["1027700132195", "1027700229193", "304500116000157"],
    refused: [
      ["1027700132196", MISTYPED],
      ["1027700232193", MISTYPED],
      ["304500116000158", MISTYPED],
      ["102770013219", "must be 13 or 15 digits"],
      ["30450011600015", "must be 13 or 15 digits"],
    ],
  },
];

describe.each(RULES)("$name", ({ problem, valid, refused }) => {
  it.each(valid)("accepts %s", (value) => expect(problem(value)).toBeUndefined());
  it.each(refused)("refuses %s: %s", (value, reason) => expect(problem(value!)).toBe(reason));
});

it("the settings refuse a mistyped number with one message, naming the field", () => {
  const result = SiteSettingsSchema.safeParse({ ...VALID_SETTINGS, legal: { ...VALID_SETTINGS.legal, inn: "7707083894", ogrn: "10277001321" } });
  expect(result.success).toBe(false);
  expect(result.error?.issues.map(({ path, message }) => `${path.join(".")}: ${message}`)).toEqual([
    `legal.inn: ${MISTYPED}`,
    "legal.ogrn: must be 13 or 15 digits",
  ]);
});
