/** How a client's question becomes the words search looks for (src/scripts/search-query.ts). */
import { describe, expect, it } from "vitest";
import { alternativesOf, queryWords } from "../../src/scripts/search-query";

describe("query words", () => {
  it.each([
    ["en", "How long does the warranty last?", ["long", "warranty", "last"]],
    ["en", "we moved to a new host, is it covered", ["moved", "new", "host", "covered"]],
    ["en", "How much does prevention cost?", ["prevention", "cost", "price"]],
    ["en", "how much?", ["price"]],
    ["ru", "Сколько длится гарантия?", ["длится", "гарантия"]],
    ["ru", "сайт упал, что делать?", ["сайт", "упал", "делать"]],
    ["ru", "Ещё раз: почём профилактика", ["раз", "почем", "профилактика"]],
  ] as const)("%s «%s» → %j", (lang, text, words) => {
    expect(queryWords(text, lang)).toEqual(words);
  });

  it("keeps a query made only of question words as typed rather than searching for nothing", () => {
    expect(queryWords("what is it", "en")).toEqual(["what", "is", "it"]);
  });

  it("searches at most eight words of a long description", () => {
    expect(queryWords("one two three four five six seven eight nine ten", "en")).toHaveLength(8);
  });

  it("gives a client's word the terms' words for the same thing", () => {
    expect(alternativesOf("down", "en")).toContain("outage");
    expect(alternativesOf("упал", "ru")).toContain("сбой");
    expect(alternativesOf("гарантия", "ru")).toEqual(["гарантия"]);
  });
});
