/** The request form pages as built: one per type and language, each control labelled, wired to the API. */
import { describe, expect, it } from "vitest";
import type { ZodTypeAny } from "zod";
import { formatRubles, priceOf } from "../../src/domain/pricing";
import { FORM_TOKEN_PLACEHOLDERS, RECEIPT, REQUEST_SCHEMAS, REQUEST_TYPES, REQUESTS_PATH, acceptsAttachments, requestFields, takesProject } from "../../src/domain/requests";
import { loadServerContent } from "../../src/lib/content-files";
import { FIXTURE } from "../setup/sites";
import { distFiles, page, readDist, visibleText } from "./dist";

const content = loadServerContent(FIXTURE.content);
const projects = [...content.projects];

describe.each(["en", "ru"] as const)("request forms (%s)", (lang) => {
  it.each(REQUEST_TYPES)("%s: posts to the API with every field of its schema, each labelled", (type) => {
    const root = page(`${lang}/request/${type}/index.html`);
    const form = root.querySelector("form.request-form")!;
    expect(form.getAttribute("action")).toBe(REQUESTS_PATH);
    expect(form.getAttribute("method")).toBe("post");
    expect(form.getAttribute("enctype")).toBe(acceptsAttachments(type) ? "multipart/form-data" : "application/x-www-form-urlencoded");
    for (const field of [...requestFields(type), "consent", "website"]) {
      const control = form.querySelector(`[name="${field}"]`);
      expect(control, `${type}.${field}`).not.toBeNull();
      const label = root.querySelector(`label[for="${control!.id}"]`);
      expect(label?.textContent.trim(), `${type}.${field} label`).toBeTruthy();
    }
    for (const [name, placeholder] of Object.entries(FORM_TOKEN_PLACEHOLDERS)) {
      expect(form.querySelector(`input[type="hidden"][name="${name}"]`)?.getAttribute("value")).toBe(placeholder);
    }
    expect(form.querySelector('input[name="type"]')?.getAttribute("value")).toBe(type);
    expect(form.querySelector('input[name="lang"]')?.getAttribute("value")).toBe(lang);
    expect(form.querySelector('input[name="consent"]')?.hasAttribute("required")).toBe(true);
    expect(root.querySelector(`label[for="field-consent"] a[href="/${lang}/privacy/"]`)).not.toBeNull();
  });

  it.each(REQUEST_TYPES)("%s: every free-text control stops at the length its schema accepts", (type) => {
    const form = page(`${lang}/request/${type}/index.html`).querySelector("form.request-form")!;
    const controls = form.querySelectorAll('textarea, input[type="text"], input[type="email"], input[type="url"], input[type="tel"]').filter((control) => requestFields(type).includes(control.getAttribute("name") as never));
    expect(controls.length, type).toBeGreaterThan(0);
    for (const control of controls) {
      const name = control.getAttribute("name")!;
      const limit = Number(control.getAttribute("maxlength"));
      expect(limit, `${type}.${name} maxlength`).toBeGreaterThan(0);
      // For plain text the limit is exactly the schema's: the longest accepted value fits, one more character does not.
      if (control.tagName === "TEXTAREA" || control.getAttribute("type") === "text") {
        const schema = (REQUEST_SCHEMAS[type].shape as Record<string, ZodTypeAny>)[name]!;
        expect(schema.safeParse("x".repeat(limit)).success, `${type}.${name} at ${limit}`).toBe(true);
        expect(schema.safeParse("x".repeat(limit + 1)).success, `${type}.${name} at ${limit + 1}`).toBe(false);
      }
    }
  });

  it("keep the honeypot away from people and assistive technology", () => {
    const trap = page(`${lang}/request/warranty/index.html`).querySelector(".request-form__trap")!;
    expect(trap.getAttribute("aria-hidden")).toBe("true");
    expect(trap.querySelector("input")?.getAttribute("tabindex")).toBe("-1");
  });

  it.each(REQUEST_TYPES.filter(takesProject))("%s: the public form offers every public project and no private one", (type) => {
    const options = page(`${lang}/request/${type}/index.html`).querySelectorAll("#field-project option").map((option) => option.getAttribute("value"));
    const expected = projects.filter(([, project]) => project.visibility === "public").map(([slug]) => slug);
    expect(options.filter(Boolean).sort()).toEqual(expected.sort());
    expect(projects.some(([, project]) => project.visibility === "private")).toBe(true); // the fixture has one to leave out
  });

  it("shows the price list's price on the extension and prevention order forms", () => {
    const extension = visibleText(page(`${lang}/request/extension/index.html`).querySelector(".order-price")!);
    expect(extension).toContain(formatRubles(priceOf(content.prices, "warrantyExtension"), lang).replace(/\u00a0/g, " "));
    const plans = page(`${lang}/request/prevention/index.html`).querySelectorAll(".order-price li");
    expect(plans.map((plan) => plan.getAttribute("data-price"))).toEqual(content.prices.preventionPlans.map((plan) => plan.id));
    for (const [index, plan] of content.prices.preventionPlans.entries()) {
      expect(visibleText(plans[index]!)).toContain(formatRubles(plan.pricePerMonth, lang).replace(/\u00a0/g, " "));
    }
  });

  it("has a receipt page the form service fills, heading included, kept out of search engines", () => {
    const root = page(`${lang}/request/received/index.html`);
    const html = readDist(`${lang}/request/received/index.html`);
    expect(html.indexOf(RECEIPT.slot)).toBeGreaterThan(0);
    expect(html.slice(html.indexOf(RECEIPT.slot), html.indexOf(RECEIPT.slotEnd))).toContain("<h1>");
    expect(root.querySelector('meta[name="robots"]')?.getAttribute("content")).toMatch(/noindex/);
  });
});

describe.each(["en", "ru"] as const)("a private project's request forms (%s)", (lang) => {
  const privateOnes = projects.filter(([, project]) => project.visibility === "private");

  it.each(privateOnes.flatMap(([slug, project]) => REQUEST_TYPES.filter(takesProject).map((type) => [slug, type, project.accessToken!] as const)))(
    "%s: the %s form lives under the capability URL, its project fixed, its token sent, out of search engines",
    (slug, type, token) => {
      const root = page(`${lang}/p/${token}/request/${type}/index.html`);
      const form = root.querySelector("form.request-form")!;
      expect(form.getAttribute("action")).toBe(REQUESTS_PATH);
      const options = form.querySelectorAll("#field-project option").filter((option) => option.getAttribute("value"));
      expect(options.map((option) => [option.getAttribute("value"), option.hasAttribute("selected")])).toEqual([[slug, true]]);
      expect(form.querySelector('input[type="hidden"][name="projectAccess"]')?.getAttribute("value")).toBe(token);
      expect(root.querySelector('meta[name="robots"]')?.getAttribute("content")).toMatch(/noindex/);
      expect(readDist("sitemap-0.xml")).not.toContain(token);
    },
  );

  it("has no form for a type that names no project, and its pages link to its own forms, never naming it in a query", () => {
    for (const [, project] of privateOnes) {
      const own = `/${lang}/p/${project.accessToken}/`;
      const forms = REQUEST_TYPES.filter(takesProject).map((type) => `${own}request/${type}/`);
      expect(distFiles().filter((file) => file.startsWith(`${own.slice(1)}request/`)).sort()).toEqual(forms.map((form) => `${form.slice(1)}index.html`).sort());
      const links = ["", "changes/", "prevention/", "sla/"].flatMap((sub) => page(`${own.slice(1)}${sub}index.html`).querySelectorAll("a[href*='/request/']").map((link) => link.getAttribute("href")!));
      expect(links).toContain(`${own}request/warranty/`); // "report a problem"
      expect(links.filter((href) => href.includes("?project="))).toEqual([]);
    }
  });
});
