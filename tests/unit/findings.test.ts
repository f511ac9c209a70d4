/** Which findings wait for the client's decision, and in which language a page shows a finding. */
import { describe, expect, it } from "vitest";
import { awaitsDecision, findingTextFor } from "../../src/domain/findings";

describe("findings", () => {
  it("wait for the client's decision while proposed and not yet done", () => {
    expect(awaitsDecision({ outcome: "proposed" })).toBe(true);
    expect(awaitsDecision({ outcome: "proposed", fixedBy: "2026-11-17-order-export-pages" })).toBe(false);
    expect(awaitsDecision({ outcome: "fixed", fixedBy: "2026-10-20-slow-catalogue-index" })).toBe(false);
  });

  it("show the page's language when written, else the one that is", () => {
    const both = { en: "Move the exchange to 03:00.", ru: "Перенести обмен на 03:00." };
    expect(findingTextFor(both, "en", "ru")).toEqual({ text: both.ru, lang: "ru" });
    expect(findingTextFor(both, "ru", "en")).toEqual({ text: both.en, lang: "en" });
    // Written only in the client's language: both pages show it.
    expect(findingTextFor({ ru: both.ru }, "en", "en")).toEqual({ text: both.ru, lang: "ru" });
    // A plain string is in the visit's language.
    expect(findingTextFor("Added an index.", "en", "ru")).toEqual({ text: "Added an index.", lang: "en" });
    expect(findingTextFor("Добавлен индекс.", "ru", "en")).toEqual({ text: "Добавлен индекс.", lang: "ru" });
  });
});
