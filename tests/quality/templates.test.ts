/** Every built page belongs to a known template, so the browser checks cover every kind of page. */
import { describe, expect, it } from "vitest";
import { htmlPages } from "../site/dist";
import { representativePages, templateOf } from "./templates";

describe("page templates", () => {
  it("every built page matches a template (add new kinds of page to tests/quality/templates.ts)", () => {
    expect(htmlPages().filter((file) => !templateOf(file))).toEqual([]);
  });

  it("the core templates exist in both languages", () => {
    const names = (lang: string) => new Set(representativePages().filter((entry) => entry.lang === lang).map((entry) => entry.template));
    for (const lang of ["en", "ru"]) {
      for (const name of ["home", "article", "404", "warranty checker", "request form", "request received"]) expect(names(lang), `${lang}: ${name}`).toContain(name);
    }
    expect(names("ru")).toEqual(names("en"));
  });
});
