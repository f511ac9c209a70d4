/**
 * Page weight and Lighthouse. Builds the site, then prints per template the heaviest page's gzipped
 * bytes (HTML, JavaScript run before any interaction, CSS, and what is transferred in total; the
 * budgets that tests/quality/budgets.test.ts asserts are in the header), and Lighthouse's four
 * category scores (mobile profile, its default) for the home page, an article and a request form,
 * served by the real app with Debian's Chromium.
 */
import { execFileSync } from "node:child_process";
import { launch } from "chrome-launcher";
import lighthouse from "lighthouse";
import { htmlPages } from "../tests/site/dist";
import { CHROMIUM, CHROMIUM_ARGS } from "../tests/browser/launch";
import { startPortal } from "../tests/browser/portal";
import { pageWeight, templateOf, TEMPLATES } from "../tests/quality/templates";

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const pad = (text: string, width: number) => (text.length >= width ? text : text + " ".repeat(width - text.length));
const left = (text: string, width: number) => (text.length >= width ? text : " ".repeat(width - text.length) + text);

function weightTable(): void {
  const rows = TEMPLATES.flatMap((template) => {
    const files = htmlPages().filter((file) => templateOf(file) === template);
    if (files.length === 0) return [];
    const weights = files.map((file) => ({ file, ...pageWeight(file) }));
    const heaviest = weights.reduce((max, weight) => (weight.total > max.total ? weight : max));
    return [{ template: template.name, pages: files.length, ...heaviest }];
  });
  console.log("Page weight, gzipped bytes of the heaviest page of each template (budgets for every page: HTML ≤ 40 KB, JS ≤ 10 KB, CSS ≤ 20 KB)");
  const header = `  ${pad("template", 26)}${left("pages", 6)}  ${pad("heaviest page", 44)}${left("HTML", 10)}${left("JS", 10)}${left("CSS", 10)}${left("total", 10)}`;
  console.log(header);
  for (const row of rows) {
    const page = `/${row.file.replace(/index\.html$/, "")}`;
    console.log(`  ${pad(row.template, 26)}${left(String(row.pages), 6)}  ${pad(page.length > 43 ? `${page.slice(0, 40)}…` : page, 44)}${left(kb(row.html), 10)}${left(kb(row.js), 10)}${left(kb(row.css), 10)}${left(kb(row.total), 10)}`);
  }
}

const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"] as const;

async function lighthouseScores(): Promise<void> {
  const portal = await startPortal(Date.now());
  const chrome = await launch({ chromePath: CHROMIUM, chromeFlags: ["--headless=new", ...CHROMIUM_ARGS] });
  try {
    console.log("\nLighthouse (mobile profile, simulated throttling), served by the real app on loopback");
    console.log(`  ${pad("page", 28)}${CATEGORIES.map((category) => left(category, 16)).join("")}`);
    for (const path of ["/en/", "/en/warranty/", "/en/request/warranty/", "/ru/", "/ru/warranty/", "/ru/request/warranty/"]) {
      const result = await lighthouse(`${portal.origin}${path}`, { port: chrome.port, logLevel: "error", output: "json", onlyCategories: [...CATEGORIES] });
      if (!result) throw new Error(`Lighthouse returned nothing for ${path}`);
      const { categories, audits } = result.lhr;
      console.log(`  ${pad(path, 28)}${CATEGORIES.map((category) => left(String(Math.round((categories[category]?.score ?? 0) * 100)), 16)).join("")}`);
      // What cost points, so a score below 100 says why.
      const failing = Object.values(categories)
        .flatMap((category) => category.auditRefs.filter((ref) => ref.weight > 0).map((ref) => audits[ref.id]!))
        .filter((audit) => audit.score !== null && audit.score < 1 && audit.scoreDisplayMode !== "informative" && audit.scoreDisplayMode !== "manual");
      for (const audit of new Map(failing.map((audit) => [audit.id, audit])).values()) {
        console.log(`      - ${audit.id} scored ${audit.score}: ${audit.title}${audit.displayValue ? ` (${audit.displayValue})` : ""}`);
      }
    }
  } finally {
    chrome.kill();
    await portal.stop();
  }
}

export async function run(): Promise<void> {
  execFileSync("npm", ["run", "build", "--silent"], { stdio: "ignore" });
  weightTable();
  await lighthouseScores();
}
