/**
 * Every key fact from the agency's documents appears on the pages built from the agency's content
 * (the sample site: these are the terms themselves, not sample values), in both languages.
 * Figures are looked for in the rendered text, so an article that drops a fact fails here.
 */
import { describe, expect, it } from "vitest";
import en from "../../src/i18n/en.json";
import ru from "../../src/i18n/ru.json";
import { CHECKLIST_POINTS } from "../../src/domain/schemas/project-records";
import { SAMPLE } from "../setup/sites";
import { builtSite, sectionItems, visibleText } from "./dist";

const { page } = builtSite(SAMPLE);

const text = (file: string) => visibleText(page(file));

describe.each([
  {
    lang: "en",
    figures: {
      "warranty/": ["3 months", "1 year", "15,000 ₽", "10 working days", "2 working days"],
      "development-warranty/": ["80%"],
      "support/": ["2 hours", "15 minutes", "1,500 ₽"],
      "prevention/": ["1.5 hours", "4,500 ₽", "9,000 ₽"],
      "prices/": ["1,500 ₽", "15,000 ₽", "4,500 ₽", "9,000 ₽"],
    },
    supportWork: [/new pages/i, /existing pages/i, /layout|design|texts/i, /new platform features/i, /speed/i, /core/i, /integration/i, /advice|consult/i],
    exclusions: [/third-party software/i, /hosting/i, /hack/i, /spelling|stylistic/i, /speed/i],
    voiding: [/10 working days/i, /hosting/i, /code/i, /links/i, /sell|sold/i],
    checklist: CHECKLIST_POINTS.map((point) => en[`checklist.${point}`]),
    demos: [/tables, forms, modal windows, charts/i, /look.*business logic.*structure of the database/i, /free of charge.*best solution/i],
  },
  {
    lang: "ru",
    figures: {
      "warranty/": ["3 месяца", "1 год", "15 000 ₽", "10 рабочих дней", "2 рабочих дн"],
      "development-warranty/": ["80%"],
      "support/": ["2 час", "15 минут", "1 500 ₽"],
      "prevention/": ["1,5 часа", "4 500 ₽", "9 000 ₽"],
      "prices/": ["1 500 ₽", "15 000 ₽", "4 500 ₽", "9 000 ₽"],
    },
    supportWork: [/нов\S* страниц/i, /существующ\S* страниц/i, /вёрстк|верстк|дизайн|текст/i, /возможност\S* платформ/i, /скорост|быстродейств/i, /ядр/i, /интеграц/i, /консульт/i],
    exclusions: [/стороннее|сторонн/i, /хостинг/i, /взлом/i, /орфограф|стилист/i, /скорост|быстродейств/i],
    voiding: [/10 рабочих дней/i, /хостинг/i, /код/i, /ссыл/i, /прода/i],
    checklist: CHECKLIST_POINTS.map((point) => ru[`checklist.${point}`]),
    demos: [/таблицы, формы, модальные окна, диаграммы/i, /внешний вид.*бизнес-логику.*структуру базы данных/i, /бесплатно.*оптимальное решение/i],
  },
])("facts on the $lang pages", ({ lang, figures, supportWork, exclusions, voiding, checklist, demos }) => {
  it.each(Object.entries(figures))("%s states its figures", (slug, expected) => {
    const body = text(`${lang}/${slug}index.html`);
    for (const figure of expected) expect(body, `${lang}/${slug} should mention "${figure}"`).toContain(figure);
  });

  it("lists all 8 kinds of support work", () => {
    const items = sectionItems(page(`${lang}/support/index.html`), "kinds-of-work");
    expect(items.length).toBeGreaterThanOrEqual(8);
    const list = items.join("\n");
    for (const kind of supportWork) expect(list).toMatch(kind);
  });

  it("lists all 5 exclusions and all 5 voiding conditions", () => {
    const warranty = page(`${lang}/warranty/index.html`);
    const notCovered = sectionItems(warranty, "not-covered");
    const voids = sectionItems(warranty, "voiding");
    expect(notCovered.length).toBeGreaterThanOrEqual(5);
    expect(voids.length).toBeGreaterThanOrEqual(5);
    exclusions.forEach((pattern) => expect(notCovered.join("\n")).toMatch(pattern));
    voiding.forEach((pattern) => expect(voids.join("\n")).toMatch(pattern));
  });

  it("describes the component demo, the solutions demo and the free consultation, each with its link", () => {
    const root = page(`${lang}/how-to-request/index.html`);
    const items = sectionItems(root, "new-project").map((item) => item.replace(/\s+/g, " "));
    demos.forEach((pattern, index) => expect(items[index]).toMatch(pattern));
    const hrefs = root.querySelectorAll("h2#new-project + p + ul a").map((a) => a.getAttribute("href"));
    expect(hrefs.slice(0, 2).every((href) => /^https?:\/\//.test(href ?? "")), "the demos link to the demo sites").toBe(true);
    expect(hrefs[2]).toBe(`/${lang}/request/consultation/`);
  });

  it("shows all 12 prevention checklist points", () => {
    const items = page(`${lang}/prevention/index.html`).querySelectorAll(".checklist li").map((li) => li.textContent.trim());
    expect(items).toEqual(checklist);
  });
});
