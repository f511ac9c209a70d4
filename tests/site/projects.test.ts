/**
 * Project pages in the built site: every page in both languages for public projects, the index lists
 * only public ones, the cost figures are billable hours × the project's rate, and private projects
 * are reachable only under their capability URL — never listed, indexed, in the sitemap or in the
 * all-projects feed. Team addresses and private tokens never leak anywhere else in dist/.
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { loadServerContent } from "../../src/lib/content-files";
import { useTranslations } from "../../src/i18n";
import { builtSite, distFiles, htmlPages, page, readDist, visibleText } from "./dist";
import { dateAt } from "../../src/domain/sla";
import { FIXTURE, SAMPLE, TEST_NOW, type TestSite } from "../setup/sites";

const content = loadServerContent(FIXTURE.content);
const projects = [...content.projects];
const publicProjects = projects.filter(([, project]) => project.visibility === "public");
const privateProjects = projects.filter(([, project]) => project.visibility === "private");
const LANGS = ["en", "ru"] as const;
const PAGES = ["", "changes/", "prevention/", "sla/"];
const FEEDS = ["atom.xml", "rss.xml", "feed.json"];

/** Front matter of every file in one of a project's record folders, read straight from content/. */
function frontMatters<T>(slug: string, folder: "changelog" | "prevention"): (T & { stem: string })[] {
  const dir = path.join(FIXTURE.content, "projects", slug, folder);
  return readdirSync(dir)
    .filter((name) => /\.mdx?$/.test(name) && !name.startsWith("_"))
    .map((name) => ({ ...(parseYaml(/^---\n([\s\S]*?)\n---/.exec(readFileSync(path.join(dir, name), "utf8"))![1]!, { schema: "failsafe" }) as T), stem: name.replace(/\.mdx?$/, "") }));
}

/** Every change-log entry of a project. */
function changelogFiles(slug: string): { stem: string; date: string; basis: string; hours: number; lang: string }[] {
  return frontMatters<{ date: string; basis: string; hours: string; lang: string }>(slug, "changelog").map((front) => ({ ...front, hours: Number(front.hours) }));
}

type FindingText = string | { en?: string; ru?: string };
/** Every finding of a project's visits still waiting for the client's decision, with the visit's language. */
function awaitingFindings(slug: string): { visit: string; lang: "en" | "ru"; text: FindingText }[] {
  return frontMatters<{ date: string; lang: "en" | "ru"; findings?: { text: FindingText; outcome: string; fixedBy?: string }[] }>(slug, "prevention").flatMap((visit) =>
    (visit.findings ?? []).filter((finding) => finding.outcome === "proposed" && !finding.fixedBy).map((finding) => ({ visit: visit.date, lang: visit.lang, text: finding.text })),
  );
}

/** The month of the pinned test clock, Moscow time. */
const CURRENT_MONTH = dateAt(TEST_NOW, "+03:00").slice(0, 7);

/** Files under a private project's own folders: its pages and feeds in both languages. */
const ownFolders = (token: string) => LANGS.map((lang) => `${lang}/p/${token}/`);

/** Every file of a built site as text; Pagefind's gzipped index files are unpacked first. */
function distTexts(site: TestSite): [file: string, text: string][] {
  return builtSite(site).distFiles().map((file) => {
    const bytes = readFileSync(path.join(site.dist, file));
    const unpacked = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
    return [file, unpacked.toString("utf8")];
  });
}

describe("public project pages", () => {
  it("has sample projects of both kinds", () => {
    expect(publicProjects.length).toBeGreaterThanOrEqual(2);
    expect(privateProjects.length).toBeGreaterThanOrEqual(1);
  });

  it.each(publicProjects.map(([slug]) => slug))("%s has every page and feed in both languages", (slug) => {
    const files = new Set(distFiles());
    for (const lang of LANGS) {
      for (const sub of PAGES) expect(files.has(`${lang}/projects/${slug}/${sub}index.html`), `${lang} ${sub}`).toBe(true);
      for (const feed of FEEDS) expect(files.has(`${lang}/projects/${slug}/${feed}`), `${lang} ${feed}`).toBe(true);
    }
  });

  it("the index lists every public project and no private one, in both languages", () => {
    for (const lang of LANGS) {
      const root = page(`${lang}/projects/index.html`);
      const listed = root.querySelectorAll(".project-list__item").map((item) => item.getAttribute("data-project"));
      expect(listed.sort()).toEqual(publicProjects.map(([slug]) => slug).sort());
      const hrefs = root.querySelectorAll("a").map((a) => a.getAttribute("href") ?? "");
      expect(hrefs.some((href) => href.includes("/p/"))).toBe(false);
      for (const [, project] of privateProjects) {
        expect(visibleText(root)).not.toContain(project.name[lang]);
      }
    }
  });

  it("pages are indexed for search with section and project filters, and the kind of each change", () => {
    for (const [slug, project] of publicProjects) {
      for (const lang of LANGS) {
        const root = page(`${lang}/projects/${slug}/changes/index.html`);
        const body = root.querySelector("[data-pagefind-body]");
        expect(body?.getAttribute("data-pagefind-filter"), `${slug} ${lang}`).toMatch(/^section:.+/);
        expect(root.querySelector('[data-pagefind-filter="project"]')?.textContent).toBe(project.name[lang]);
        const kinds = root.querySelectorAll('.change [data-pagefind-filter="kind"]');
        expect(kinds.length).toBe(changelogFiles(slug).length);
      }
    }
  });

  it("the change log lists every entry newest first, each with its own anchor", () => {
    for (const [slug] of publicProjects) {
      const files = changelogFiles(slug);
      for (const lang of LANGS) {
        const root = page(`${lang}/projects/${slug}/changes/index.html`);
        const dates = root.querySelectorAll(".change time").map((time) => time.getAttribute("datetime")!);
        expect(dates).toEqual([...dates].sort().reverse());
        expect(dates.length).toBe(files.length);
        for (const file of files) expect(root.querySelector(`.change h3[id="${file.stem}"]`), `${slug} ${file.stem}`).not.toBeNull();
      }
    }
  });

  it("each month's billable cost is the support hours × the project's rate (its own, else the price list's)", () => {
    let checked = 0;
    for (const [slug, project] of publicProjects) {
      const rate = project.supportRate ?? content.prices.supportHourlyRate;
      const byMonth = new Map<string, number>();
      for (const file of changelogFiles(slug)) {
        const month = file.date.slice(0, 7);
        byMonth.set(month, (byMonth.get(month) ?? 0) + (file.basis === "support" ? file.hours : 0));
      }
      for (const lang of LANGS) {
        const root = page(`${lang}/projects/${slug}/changes/index.html`);
        for (const [month, hours] of byMonth) {
          const cell = root.querySelector(`.changelog__month[data-month="${month}"] .hours__cost td`);
          expect(cell, `${slug} ${month}`).not.toBeNull();
          expect(Number(cell!.getAttribute("data-billable-hours"))).toBe(hours);
          expect(Number(cell!.getAttribute("data-rate"))).toBe(rate);
          expect(Number(cell!.getAttribute("data-cost"))).toBe(hours * rate);
          const amount = new Intl.NumberFormat(lang === "en" ? "en-GB" : "ru-RU").format(hours * rate);
          expect(visibleText(cell!)).toContain(`${amount.replace(/[\s\u00a0\u202f]/g, " ")} ₽`);
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(10);
  });

  it("the project's rate is the agreed one where the project overrides the price list", () => {
    const overriding = publicProjects.find(([, project]) => project.supportRate !== undefined);
    expect(overriding).toBeDefined();
    const [slug, project] = overriding!;
    expect(project.supportRate).not.toBe(content.prices.supportHourlyRate);
    const root = page(`en/projects/${slug}/changes/index.html`);
    const rates = root.querySelectorAll(".hours__cost td").map((td) => Number(td.getAttribute("data-rate")));
    expect(new Set(rates)).toEqual(new Set([project.supportRate]));
  });

  it("the project page shows the warranty status with its date, the plan and the latest changes", () => {
    for (const [slug] of publicProjects) {
      for (const lang of LANGS) {
        const root = page(`${lang}/projects/${slug}/index.html`);
        expect(root.querySelector("warranty-status .warranty-status__when")?.textContent).toMatch(/\d{4}/);
        expect(root.querySelector("warranty-status .warranty-status__text")?.textContent.trim()).toBeTruthy();
        expect(root.querySelectorAll(".latest li").length).toBe(Math.min(5, changelogFiles(slug).length));
        expect(root.getElementById("plan")).not.toBeNull();
      }
    }
  });

  it("the SLA report shows the agreed targets and computes availability from the incidents", () => {
    // fx-clinic, October 2026: one outage, 02:14–03:50 on 9 October = 96 minutes of 44,640.
    const root = page("en/projects/fx-clinic/sla/index.html");
    const october = root.querySelectorAll('td[data-period="2026-10"]').map((td) => visibleText(td).trim());
    expect(october).toContain(`${((100 * (44_640 - 96)) / 44_640).toFixed(3)} % target met`);
    expect(visibleText(root)).toContain("at least 99.5 %");
    expect(root.querySelectorAll("svg[role=img] title").length).toBeGreaterThanOrEqual(2);
  });

  it.each(LANGS)("the availability chart (%s) draws inside its box, on a scale where 99.5 %% and 100 %% differ", (lang) => {
    // fx-clinic: September 2026 at 100 %, a 99.5 % target line, and months just under 100 %.
    const svg = page(`${lang}/projects/fx-clinic/sla/index.html`).querySelector("#availability-chart-title")!.parentNode!;
    const [left, top, width, height] = svg.getAttribute("viewBox")!.split(" ").map(Number) as [number, number, number, number];
    const rects = svg.querySelectorAll("rect").map((rect) => ({
      x: Number(rect.getAttribute("x")),
      y: Number(rect.getAttribute("y")),
      width: Number(rect.getAttribute("width")),
      height: Number(rect.getAttribute("height")),
      title: rect.querySelector("title")!.textContent,
    }));
    expect(rects.length).toBeGreaterThanOrEqual(3);
    for (const rect of rects) {
      expect(rect.x, rect.title).toBeGreaterThanOrEqual(left);
      expect(rect.y, rect.title).toBeGreaterThanOrEqual(top);
      expect(rect.x + rect.width, rect.title).toBeLessThanOrEqual(left + width);
      expect(rect.y + rect.height, rect.title).toBeLessThanOrEqual(top + height);
    }
    const tickYs = svg.querySelectorAll(".chart__tick line").map((line) => Number(line.getAttribute("y1")));
    const plotHeight = Math.max(...tickYs) - Math.min(...tickYs);
    const full = rects.find((rect) => /:\s100\s%$/.test(rect.title))!;
    const targetY = Number(svg.querySelector(".chart__target line")!.getAttribute("y1"));
    expect(targetY - full.y).toBeGreaterThanOrEqual(0.2 * plotHeight);
    // Each bar's top is where its value sits on the labelled axis, which does not start at 0 and
    // which the page states in words.
    const percent = (text: string) => Number(text.replace(",", ".").replace(/[^\d.]/g, ""));
    const tickLabels = svg.querySelectorAll(".chart__tick text").map((text) => text.textContent);
    const [min, max] = [percent(tickLabels.at(0)!), percent(tickLabels.at(-1)!)];
    expect(min).toBeGreaterThan(0);
    for (const rect of rects) {
      const value = percent(rect.title.split(": ").at(-1)!);
      // Within 2 units: the title rounds the value to two decimals.
      expect(Math.abs(rect.y - (Math.max(...tickYs) - ((value - min) / (max - min)) * plotHeight)), rect.title).toBeLessThan(2);
    }
    expect(svg.parentNode!.querySelector(".chart__note")!.textContent).toContain(tickLabels.at(0)!);
  });

  it("Russian project pages write months in lower case mid-sentence and never end a sentence in «г..»", () => {
    for (const [slug] of publicProjects) {
      for (const sub of PAGES) {
        const text = visibleText(page(`ru/projects/${slug}/${sub}index.html`));
        expect(text, `${slug}/${sub}`).not.toContain("г..");
        expect(text, `${slug}/${sub}`).not.toMatch(/(Часы за|стоимость,) [А-ЯЁ]/);
      }
    }
    expect(visibleText(page(`ru/projects/${publicProjects[0]![0]}/changes/index.html`))).toMatch(/Часы за [а-я]+ \d{4} г\./);
  });

  it("the prevention log links each fixed finding to the change that fixed it", () => {
    const root = page("en/projects/fx-shop/prevention/index.html");
    const fixes = root.querySelectorAll('.findings li[data-outcome="fixed"] a').map((a) => a.getAttribute("href"));
    expect(fixes).toContain("/en/projects/fx-shop/changes/#2026-10-20-slow-catalogue-index");
    expect(root.querySelectorAll(".checklist-table tbody tr").length % 12).toBe(0);
  });
});

describe("the month's cost, entry languages and findings", () => {
  /** Where each project's pages live: public ones under their slug, private ones under their token. */
  const base = (lang: string, slug: string) => {
    const project = content.projects.get(slug)!;
    return project.visibility === "private" ? `${lang}/p/${project.accessToken}/` : `${lang}/projects/${slug}/`;
  };
  /** The plan fee a month owes, worked out from the project file and the price list; 0 outside the agreement. */
  const feeOf = (slug: string, month: string) => {
    const prevention = content.projects.get(slug)!.prevention;
    if (!prevention || month < prevention.since.slice(0, 7) || (prevention.until && month > prevention.until.slice(0, 7))) return 0;
    return content.prices.preventionPlans.find((plan) => plan.id === prevention.plan)!.pricePerMonth;
  };

  it("each month's cost is its billed hours plus the prevention fee for the months the agreement covers", () => {
    const seen = { fee: 0, noFee: 0 };
    for (const [slug, project] of projects) {
      const rate = project.supportRate ?? content.prices.supportHourlyRate;
      for (const lang of LANGS) {
        const root = page(`${base(lang, slug)}changes/index.html`);
        for (const section of root.querySelectorAll(".changelog__month")) {
          const month = section.getAttribute("data-month")!;
          const hours = changelogFiles(slug).filter((file) => file.date.startsWith(month) && file.basis === "support").reduce((sum, file) => sum + file.hours, 0);
          const fee = feeOf(slug, month);
          const feeCell = section.querySelector(".hours__fee td");
          if (fee > 0) {
            expect(Number(feeCell?.getAttribute("data-fee")), `${slug} ${month}`).toBe(fee);
            expect(visibleText(section.querySelector(".hours__fee")!)).toContain(useTranslations(lang)("project.cost.fee"));
            seen.fee += 1;
          } else {
            expect(feeCell, `${slug} ${month}`).toBeNull();
            seen.noFee += 1;
          }
          expect(Number(section.querySelector(".hours__total td")!.getAttribute("data-total")), `${slug} ${month}`).toBe(hours * rate + fee);
        }
      }
    }
    // Months with a fee and months before or after an agreement, in both languages.
    expect(seen.fee).toBeGreaterThanOrEqual(8);
    expect(seen.noFee).toBeGreaterThanOrEqual(8);
  });

  it("a month the agreement covers is listed for its fee even without work (fx-private, July 2026)", () => {
    const root = page(`${base("en", "fx-private")}changes/index.html`);
    const july = root.querySelector('.changelog__month[data-month="2026-07"]');
    expect(july).not.toBeNull();
    expect(july!.querySelectorAll(".change").length).toBe(0);
    expect(visibleText(july!)).toContain(useTranslations("en")("project.cost.noWork"));
    expect(Number(july!.querySelector(".hours__total td")!.getAttribute("data-total"))).toBe(feeOf("fx-private", "2026-07"));
  });

  it("the overview's running cost includes this month's prevention fee as its own line (fx-shop)", () => {
    const rate = content.projects.get("fx-shop")!.supportRate ?? content.prices.supportHourlyRate;
    const hours = changelogFiles("fx-shop").filter((file) => file.date.startsWith(CURRENT_MONTH) && file.basis === "support").reduce((sum, file) => sum + file.hours, 0);
    const fee = feeOf("fx-shop", CURRENT_MONTH);
    expect(hours).toBeGreaterThan(0);
    expect(fee).toBeGreaterThan(0);
    for (const lang of LANGS) {
      const card = page(`${lang}/projects/fx-shop/index.html`).querySelector('section[aria-labelledby="cost"]')!;
      expect(Number(card.querySelector(".project-card__figure")!.getAttribute("data-total"))).toBe(hours * rate + fee);
      expect(Number(card.querySelector(".project-card__fee")!.getAttribute("data-fee"))).toBe(fee);
      const amount = new Intl.NumberFormat(lang === "en" ? "en-GB" : "ru-RU").format(fee).replace(/[\s\u00a0\u202f]/g, " ");
      expect(visibleText(card.querySelector(".project-card__fee")!)).toBe(`${useTranslations(lang)("project.cost.fee")}: ${amount} ₽`);
    }
  });

  it("the SLA report's cost by month includes the prevention fee (fx-shop)", () => {
    // The by-month table (the second): its rows are metrics, its columns months.
    const rows = page("en/projects/fx-shop/sla/index.html").querySelectorAll(".sla-table")[1]!.querySelectorAll("tr");
    const row = (label: string) => rows.find((tr) => tr.querySelector("th")?.textContent === label)!;
    const t = useTranslations("en");
    const fee = row(t("project.cost.fee"));
    const rubles = (amount: number) => `${new Intl.NumberFormat("en-GB").format(amount)} ₽`;
    for (const month of ["2026-09", "2026-10", CURRENT_MONTH]) {
      expect(visibleText(fee.querySelector(`td[data-period="${month}"]`)!).trim(), month).toBe(rubles(feeOf("fx-shop", month)));
      const billed = visibleText(row(t("project.sla.cost")).querySelector(`td[data-period="${month}"]`)!).trim();
      const total = visibleText(row(t("project.sla.totalCost")).querySelector(`td[data-period="${month}"]`)!).trim();
      expect(total, month).toBe(rubles(Number(billed.replace(/\D/g, "")) + feeOf("fx-shop", month)));
    }
    expect(feeOf("fx-shop", CURRENT_MONTH)).toBeGreaterThan(0);
  });

  it("the current month with no work logged yet says so, on the overview and in the change log", () => {
    // fx-expired has never logged anything; fx-private logged work only in June.
    for (const slug of ["fx-expired", "fx-private"]) {
      expect(changelogFiles(slug).some((file) => file.date.startsWith(CURRENT_MONTH)), slug).toBe(false);
      for (const lang of LANGS) {
        const t = useTranslations(lang);
        const card = page(`${base(lang, slug)}index.html`).querySelector('section[aria-labelledby="cost"]')!;
        expect(visibleText(card), `${slug} ${lang}`).toContain(t("project.cost.noWorkYet"));
        expect(card.querySelector(".project-card__figure")!.getAttribute("data-total")).toBe("0");
        const month = page(`${base(lang, slug)}changes/index.html`).querySelector(`.changelog__month[data-month="${CURRENT_MONTH}"]`);
        expect(month, `${slug} ${lang}`).not.toBeNull();
        expect(visibleText(month!)).toContain(t("project.cost.noWorkYet"));
      }
    }
    // A month with work does not say it has none.
    expect(visibleText(page("en/projects/fx-shop/index.html"))).not.toContain(useTranslations("en")("project.cost.noWorkYet"));
  });

  it("an entry written in Russian shows on the English pages marked with its language, its text in lang=\"ru\"", () => {
    const files = changelogFiles("fx-shop");
    const russian = files.filter((file) => file.lang === "ru");
    expect(russian.length).toBeGreaterThanOrEqual(2);
    const root = page("en/projects/fx-shop/changes/index.html");
    for (const file of files) {
      const entry = root.querySelector(`h3[id="${file.stem}"]`)!.closest("article")!;
      const mark = entry.querySelector(".lang-mark");
      expect(entry.querySelector("h3")!.getAttribute("lang"), file.stem).toBe(file.lang);
      expect(entry.querySelector(".change__body")!.getAttribute("lang"), file.stem).toBe(file.lang);
      if (file.lang === "ru") expect(mark?.textContent, file.stem).toBe("Written in Russian");
      else expect(mark, file.stem).toBeNull();
    }
    // The same on the Russian page for the English ones, and on the overview's latest changes.
    const ruRoot = page("ru/projects/fx-shop/changes/index.html");
    for (const file of files.filter((f) => f.lang === "en")) {
      expect(ruRoot.querySelector(`h3[id="${file.stem}"]`)!.closest("article")!.querySelector(".lang-mark")?.textContent, file.stem).toBe("Написано на английском");
    }
    const latest = page("en/projects/fx-shop/index.html").querySelectorAll(".latest li");
    const marked = latest.filter((li) => li.querySelector(".lang-mark"));
    expect(marked.length).toBeGreaterThanOrEqual(1);
    for (const li of marked) expect(li.querySelector("a")!.getAttribute("lang")).toBe("ru");
  });

  it("a finding waiting for the client's decision shows in the client's language on both pages, marked on the other", () => {
    // fx-clinic's is written only in Russian, its client's language, in a visit written in English.
    const [finding] = awaitingFindings("fx-clinic");
    const clientLang = content.projects.get("fx-clinic")!.clientLanguage;
    expect(clientLang).toBe("ru");
    expect(finding?.lang).toBe("en");
    const text = (finding!.text as { ru: string }).ru;
    for (const lang of LANGS) {
      const root = page(`${lang}/projects/fx-clinic/prevention/index.html`);
      const shown = root.querySelectorAll(".finding__text").filter((span) => span.textContent === text);
      // In the list of findings waiting for a decision and under its visit.
      expect(shown.length, lang).toBe(2);
      for (const span of shown) {
        expect(span.getAttribute("lang")).toBe("ru");
        const mark = span.parentNode!.querySelector(".lang-mark");
        if (lang === "en") expect(mark?.textContent).toBe("Written in Russian");
        else expect(mark).toBeNull();
      }
    }
  });

  it("a finding written in both languages shows in each page's own", () => {
    const [finding] = awaitingFindings("fx-shop");
    const texts = finding!.text as { en: string; ru: string };
    for (const lang of LANGS) {
      const open = page(`${lang}/projects/fx-shop/prevention/index.html`).querySelector("#open-findings")!.parentNode!;
      const span = open.querySelector(".finding__text")!;
      expect([span.textContent, span.getAttribute("lang")]).toEqual([texts[lang], lang]);
    }
  });

  it("Russian counts of findings waiting for a decision agree with their number", () => {
    expect(awaitingFindings("fx-shop").length).toBe(1);
    expect(visibleText(page("ru/projects/fx-shop/index.html"))).toContain("1 найденная проблема ждёт вашего решения.");
    expect(visibleText(page("en/projects/fx-shop/index.html"))).toContain("1 finding is waiting for your decision.");
  });
});

describe("private projects", () => {
  it.each(privateProjects.map(([slug, project]) => [slug, project.accessToken!]))("%s is reachable under its token path in both languages, with noindex and no search body", (_slug, token) => {
    for (const lang of LANGS) {
      for (const sub of PAGES) {
        const file = `${lang}/p/${token}/${sub}index.html`;
        const root = page(file);
        expect(root.querySelector('meta[name="robots"]')?.getAttribute("content"), file).toMatch(/noindex/);
        expect(root.querySelector("[data-pagefind-body]"), file).toBeNull();
        expect(root.querySelector("[data-pagefind-filter]"), file).toBeNull();
      }
      for (const feed of FEEDS) expect(distFiles()).toContain(`${lang}/p/${token}/${feed}`);
    }
  });

  it("private pages show their content (so the search test's 0 results is meaningful)", () => {
    const [, atlas] = privateProjects.find(([slug]) => slug === "fx-private")!;
    expect(readDist(`en/p/${atlas.accessToken}/changes/index.html`)).toContain("Quokkaplex");
  });

  it("are not in the sitemap", () => {
    const sitemaps = distFiles().filter((file) => /^sitemap.*\.xml$/.test(file)).map(readDist).join("\n");
    expect(sitemaps).toContain("/en/projects/");
    expect(sitemaps).not.toMatch(/\/(en|ru)\/p\//);
    for (const [, project] of privateProjects) expect(sitemaps).not.toContain(project.accessToken!);
  });

  it("are not in the all-projects feeds nor in any page outside their own folder", () => {
    for (const lang of LANGS) {
      for (const feed of FEEDS) {
        const text = readDist(`${lang}/projects/${feed}`);
        for (const [slug, project] of privateProjects) {
          expect(text, `${lang} ${feed}`).not.toContain(project.accessToken!);
          expect(text).not.toContain(project.name[lang]);
          expect(text).not.toContain(`/${slug}/`);
        }
      }
    }
    for (const file of htmlPages()) {
      for (const [, project] of privateProjects) {
        if (ownFolders(project.accessToken!).some((folder) => file.startsWith(folder))) continue;
        const text = readDist(file);
        expect(text.includes(project.name.en) || text.includes(project.name.ru), file).toBe(false);
      }
    }
  });

});

// What must hold for any content, so it is checked on the agency's own content too.
describe.each([FIXTURE, SAMPLE])("the $name site", (site) => {
  const siteProjects = [...loadServerContent(site.content).projects];
  const privateOnes = siteProjects.filter(([, project]) => project.visibility === "private");

  it("no file anywhere (page, script, data attribute, index) holds a team address, a warranty note, or a private token, slug or project text outside its own pages and feeds", () => {
    const addresses = siteProjects.flatMap(([, project]) => project.team);
    const tokens = privateOnes.map(([, project]) => project.accessToken!);
    const notes = siteProjects.flatMap(([, project]) => project.warranty.events.map((event) => event.note).filter((note): note is string => Boolean(note)));
    // The slug too: public pages once carried it in the forms' data attributes (audit D-15).
    const privateTexts = privateOnes.flatMap(([slug, project]) => [slug, project.name.en, project.name.ru, project.summary.en, project.summary.ru]);
    const inOwnFolder = (file: string) => tokens.some((token) => ownFolders(token).some((folder) => file.startsWith(folder)));
    const leaks: string[] = [];
    const texts = distTexts(site);
    expect(texts.some(([file]) => file.startsWith("pagefind/"))).toBe(true);
    for (const [file, text] of texts) {
      for (const address of addresses) if (text.includes(address)) leaks.push(`${file}: team address ${address}`);
      for (const note of notes) if (text.includes(note)) leaks.push(`${file}: warranty note`);
      if (inOwnFolder(file)) continue;
      for (const token of tokens) if (text.includes(token)) leaks.push(`${file}: private token`);
      for (const privateText of privateTexts) if (text.includes(privateText)) leaks.push(`${file}: private project text`);
    }
    expect(leaks).toEqual([]);
  });
});

describe("the fixture gives the leak check something to find", () => {
  it("has team addresses, a warranty note and a private project", () => {
    expect(projects.flatMap(([, project]) => project.team).length).toBeGreaterThanOrEqual(3);
    expect(projects.some(([, project]) => project.warranty.events.some((event) => event.note))).toBe(true);
    expect(privateProjects.length).toBeGreaterThanOrEqual(1);
  });
});
