/** The change-log filter works without JavaScript through CSS rules: one for every kind and basis the schema knows. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ChangeKindSchema, WorkBasisSchema } from "../../src/domain/schemas/project-records";

const css = readFileSync("src/styles/global.css", "utf8");

describe("change-log filter CSS", () => {
  it.each([
    ...ChangeKindSchema.options.map((value) => ["kind", value] as const),
    ...WorkBasisSchema.options.map((value) => ["basis", value] as const),
  ])("hides other entries when %s = %s is chosen", (name, value) => {
    expect(css).toContain(`.changelog:has(select[name="${name}"] option[value="${value}"]:checked) .change:not([data-${name}="${value}"])`);
  });
});
