/**
 * "How to send a request" publishes the fixture's promises file as one table, in both languages:
 * each promise with its figure, its clock, its qualifier and a link to the clause that makes it.
 */
import { describe, expect, it } from "vitest";
import { page, visibleText } from "./dist";

/** The table's rows as [request, promises, clause links]. */
function table(lang: "en" | "ru") {
  const rows = page(`${lang}/how-to-request/index.html`).querySelectorAll(".promise-table tbody tr");
  return rows.map((row) => {
    const [request, promises, clauses] = row.querySelectorAll("th, td");
    return {
      request: visibleText(request!).trim(),
      promises: promises!.innerHTML.split("<br>").map((line) => line.trim()),
      links: clauses!.querySelectorAll("a").map((a) => a.getAttribute("href")),
    };
  });
}

describe.each([
  {
    lang: "en" as const,
    expected: [
      { request: "Warranty claim (standard warranty)", promises: ["We take it up: the same working day", "We fix the problem: within 3 working days of submission"], links: ["/en/warranty/#response-times"] },
      { request: "Warranty claim (development and implementation warranty)", promises: ["An engineer starts on it: as a rule, in simple cases, the same working day"], links: ["/en/development-warranty/#same-day"] },
      { request: "Support request", promises: ["First response: within 90 minutes, not counting the night"], links: ["/en/support/#reaction-times"] },
      { request: "Preventive maintenance order", promises: ["No deadline is promised. We agree the plan with you; prevention is set out in a supplementary agreement to the contract."], links: ["/en/prevention/#checklist"] },
      { request: "Warranty extension", promises: ["No deadline is promised. We agree the purchase with you; the extended warranty runs from the date of purchase."], links: ["/en/warranty/#extension"] },
      { request: "Project consultation", promises: ["No deadline is promised. We answer your first questions free of charge and recommend the best solution."], links: [] },
      { request: "Outage report (projects with an SLA)", promises: ["First response: within the reaction time set by your SLA, not counting the night"], links: ["/en/sla/#metrics"] },
      { request: "Outage report (projects without an SLA)", promises: ["First response: within 90 minutes, not counting the night"], links: ["/en/support/#reaction-times"] },
    ],
    note: "All times are Moscow time. Working hours are 09:00–18:00 on working days; the night is 22:00–08:00.",
  },
  {
    lang: "ru" as const,
    expected: [
      { request: "Гарантийная заявка (стандартная гарантия)", promises: ["Берём заявку в работу: в тот же рабочий день", "Устраняем проблему: в течение 3 рабочих дней с момента подачи"], links: ["/ru/warranty/#response-times"] },
      { request: "Гарантийная заявка (гарантия на разработку и внедрение)", promises: ["Специалист приступает к исправлению: как правило, в простых случаях, в тот же рабочий день"], links: ["/ru/development-warranty/#same-day"] },
    ],
    note: "Все сроки — по московскому времени. Рабочее время — 09:00–18:00 в рабочие дни; ночь — 22:00–08:00.",
  },
])("the promise table on the $lang 'How to send a request'", ({ lang, expected, note }) => {
  it("shows each promise with its figure, clock, qualifier and clause", () => {
    const rows = table(lang);
    expect(rows.length).toBe(8);
    for (const row of expected) expect(rows).toContainEqual(row);
    if (lang === "ru") {
      expect(rows.map((row) => row.promises.join(" "))).toContain("Первый ответ: в течение 90 минут, не считая ночного времени");
      expect(rows.filter((row) => row.promises[0]!.startsWith("Срок не устанавливается.")).length).toBe(3);
    }
  });

  it("links every clause to a section that exists on its article, named after it", () => {
    const links = page(`${lang}/how-to-request/index.html`).querySelectorAll(".promise-table a.promise-table__clause");
    expect(links.length).toBeGreaterThanOrEqual(6);
    for (const link of links) {
      const [articlePath, id] = link.getAttribute("href")!.split("#");
      const article = page(`${articlePath!.slice(1)}index.html`);
      const heading = article.getElementById(id!);
      expect(heading, link.getAttribute("href")!).not.toBeNull();
      expect(link.textContent).toBe(`${article.querySelector("h1")!.textContent.trim()}: ${visibleText(heading!).trim()}`);
    }
  });

  it("names the working hours and the night the clocks follow", () => {
    expect(visibleText(page(`${lang}/how-to-request/index.html`).querySelector(".promise-table__note")!).trim()).toBe(note);
  });
});
