/** `npm run new` scaffolds files that pass the content check, dated today in Moscow, and never overwrites. */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { scaffold, ScaffoldError, slugFromTitle } from "../../scripts/new-entry";
import { formatProblem } from "../../src/domain/content-problems";
import { calendarDate } from "../../src/domain/service-clock";
import { checkContent, readSiteSettings } from "../../src/lib/content-files";

let root: string;

beforeEach(() => {
  const dir = mkdtempSync(path.join(tmpdir(), "portal-new-"));
  root = path.join(dir, "content");
  cpSync(path.resolve("tests/fixtures/content"), root, { recursive: true });
});

afterEach(() => rmSync(path.dirname(root), { recursive: true, force: true }));

const relative = (file: string) => path.relative(root, file).split(path.sep).join("/");

describe("npm run new", () => {
  it.each([
    { title: "Faster checkout page", slug: "faster-checkout-page" },
    { title: "Ускорена страница оформления заказа", slug: "uskorena-stranitsa-oformleniya-zakaza" },
    { title: "  Fix: 1C export (prices) — again!  ", slug: "fix-1c-export-prices-again" },
    { title: "!!!", slug: "change" },
  ])("makes a file-name slug of «$title»", ({ title, slug }) => {
    expect(slugFromTitle(title, "change")).toBe(slug);
  });

  it("scaffolds a change-log entry dated today in Moscow that passes the content check", () => {
    const now = new Date("2026-11-30T22:30:00Z"); // already 1 December in Moscow
    const file = scaffold({ type: "changelog", project: "fx-shop", title: "Faster checkout page", root, now, author: "Ivan Petrov" });
    expect(relative(file)).toBe("projects/fx-shop/changelog/2026-12-01-faster-checkout-page.mdx");
    expect(checkContent(root).map(formatProblem)).toEqual([]);
    const text = readFileSync(file, "utf8");
    expect(text).toMatch(/^date: 2026-12-01$/m);
    expect(text).toMatch(/^lang: en$/m);
  });

  it("takes today's date from the Moscow clock by default, and the language from the title", () => {
    const file = scaffold({ type: "changelog", project: "fx-clinic", title: "Новый отчёт для регистратуры", root, kind: "feature", basis: "support", hours: "2.5" });
    const today = calendarDate(new Date(), readSiteSettings(root));
    expect(path.basename(file)).toBe(`${today}-novyy-otchet-dlya-registratury.mdx`);
    expect(readFileSync(file, "utf8")).toMatch(/^lang: ru$/m);
    expect(checkContent(root).map(formatProblem)).toEqual([]);
  });

  it("scaffolds a prevention visit with the plan's hours and an incident, both valid", () => {
    const now = new Date("2026-12-07T09:15:00Z");
    const visit = scaffold({ type: "prevention", project: "fx-clinic", root, now, author: "Alexey Kuznetsov" });
    const incident = scaffold({ type: "incident", project: "fx-clinic", title: "Booking form errors", root, now });
    expect(relative(visit)).toBe("projects/fx-clinic/prevention/2026-12-07.mdx");
    expect(readFileSync(visit, "utf8")).toMatch(/^hours: 1.5$/m);
    expect(relative(incident)).toBe("projects/fx-clinic/incidents/2026-12-07-booking-form-errors.yaml");
    expect(readFileSync(incident, "utf8")).toMatch(/^started: 2026-12-07T12:15:00\+03:00$/m);
    expect(checkContent(root).map(formatProblem)).toEqual([]);
  });

  it("refuses to overwrite, to guess a project, or to take a kind the schema does not know", () => {
    const first = scaffold({ type: "changelog", project: "fx-shop", title: "Faster checkout page", root, date: "2026-12-01" });
    const before = readFileSync(first, "utf8");
    expect(() => scaffold({ type: "changelog", project: "fx-shop", title: "Faster checkout page", root, date: "2026-12-01", kind: "fix" })).toThrow(/already exists/);
    expect(readFileSync(first, "utf8")).toBe(before);
    expect(() => scaffold({ type: "changelog", project: "nowhere", root })).toThrow(/no project "nowhere".*fx-shop/);
    expect(() => scaffold({ type: "changelog", project: "fx-shop", kind: "magic", root })).toThrow(ScaffoldError);
    expect(() => scaffold({ type: "changelog", project: "fx-shop", hours: "1.3", root })).toThrow(/quarter hours/);
  });

  it("runs from the command line and exits non-zero on a second run", () => {
    const run = () =>
      spawnSync("npx", ["tsx", "scripts/new-entry.ts", "changelog", "--project", "fx-shop", "--title", "Dealer search by tax id", "--date", "2026-12-02", "--root", root], { encoding: "utf8" });
    const first = run();
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/Created .*2026-12-02-dealer-search-by-tax-id\.mdx/);
    const second = run();
    expect(second.status).toBe(1);
    expect(second.stderr).toMatch(/already exists; not overwriting it/);
  }, 30_000);
});
