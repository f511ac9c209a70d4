/** The request form pages as built: one per type and language, each control labelled, wired to the API. */
import { describe, expect, it } from "vitest";
import type { ZodTypeAny } from "zod";
import { FORM_TOKEN_PLACEHOLDERS, RECEIPT, REQUEST_SCHEMAS, REQUEST_TYPES, REQUESTS_PATH, acceptsAttachments, requestFields } from "../../src/domain/requests";
import { page, readDist } from "./dist";

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

  it("has a receipt page the form service fills, kept out of search engines", () => {
    const root = page(`${lang}/request/received/index.html`);
    expect(readDist(`${lang}/request/received/index.html`)).toContain(RECEIPT.slot);
    expect(root.querySelector('meta[name="robots"]')?.getAttribute("content")).toMatch(/noindex/);
  });
});
