/**
 * The site as the service serves it: language redirect, signed form pages, the receipt page,
 * localised 404s, and the CSP it sends. Uses a small fixture `dist/` (the real build is checked
 * against the CSP in tests/site/csp.test.ts).
 */
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FORM_TOKEN_PLACEHOLDERS, RECEIPT } from "../../src/domain/requests";
import { dictionaries } from "../../src/i18n";
import { PRIVATE_TOKEN, VALID, startService, type Service } from "./helpers/service";

const ROOT_SCRIPT = `location.replace("/en/");`;
const FORM_PAGE = `<!doctype html><html lang="en"><body><form method="post" action="/api/requests">
<input type="hidden" name="renderedAt" value="${FORM_TOKEN_PLACEHOLDERS.renderedAt}">
<input type="hidden" name="formSignature" value="${FORM_TOKEN_PLACEHOLDERS.formSignature}">
<input type="hidden" name="idempotencyKey" value="${FORM_TOKEN_PLACEHOLDERS.idempotencyKey}">
</form></body></html>`;

let dist: string;
let service: Service;

beforeAll(async () => {
  dist = await mkdtemp(path.join(tmpdir(), "form-service-dist-"));
  const files: Record<string, string> = {
    "index.html": `<html><head><script>${ROOT_SCRIPT}</script><script type="application/ld+json">{"a":1}</script><script type="module" src="/_astro/x.js"></script></head></html>`,
    "404.html": "<html><body>bilingual not found</body></html>",
    "ru/404/index.html": `<html lang="ru"><body>страница не найдена</body></html>`,
    "en/404/index.html": `<html lang="en"><body>page not found</body></html>`,
    "en/request/warranty/index.html": FORM_PAGE,
    "ru/request/received/index.html": `<html lang="ru"><body><header>site header</header><main>${RECEIPT.slot}<h1>Заявка принята</h1>${RECEIPT.slotEnd}</main></body></html>`,
    [`en/p/${PRIVATE_TOKEN}/request/warranty/index.html`]: FORM_PAGE,
    "_astro/app.1a2b3c.js": "console.log(1)",
    "_astro/site.4d5e6f.css": ".rule { color: #1d4ed8; }\n".repeat(200),
  };
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dist, name)), { recursive: true });
    await writeFile(path.join(dist, name), text);
  }
  service = await startService({ distDir: dist });
});
afterAll(async () => {
  await service.stop();
  await rm(dist, { recursive: true, force: true });
});

const get = (url: string, headers: Record<string, string> = {}) => fetch(`${service.url}${url}`, { headers, redirect: "manual" });

describe("pages", () => {
  it("sends / to the reader's language", async () => {
    for (const [acceptLanguage, target] of [["ru-RU,ru;q=0.9,en;q=0.8", "/ru/"], ["en-GB,en;q=0.9", "/en/"], ["uk", "/ru/"], ["de", "/en/"], ["", "/en/"]]) {
      const response = await get("/", acceptLanguage ? { "Accept-Language": acceptLanguage } : {});
      expect(response.status, acceptLanguage).toBe(302);
      expect(response.headers.get("location"), acceptLanguage).toBe(target);
      expect(response.headers.get("vary")).toMatch(/Accept-Language/);
    }
  });

  it("signs each form page as it serves it, and the signed form is accepted as a person's", async () => {
    const pages = await Promise.all([get("/en/request/warranty/"), get("/en/request/warranty/")]);
    const [first, second] = await Promise.all(pages.map((response) => response.text()));
    expect(pages[0]?.headers.get("cache-control")).toBe("no-store");
    for (const placeholder of Object.values(FORM_TOKEN_PLACEHOLDERS)) expect(first).not.toContain(placeholder);
    const value = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(html)?.[1] ?? "";
    expect(value(first!, "idempotencyKey")).not.toBe(value(second!, "idempotencyKey"));

    service.clock.advance(10_000);
    const fields = { ...VALID.warranty, renderedAt: value(first!, "renderedAt"), formSignature: value(first!, "formSignature"), idempotencyKey: value(first!, "idempotencyKey") };
    expect((await service.post(fields, { unsigned: true, as: "urlencoded" })).status).toBe(202);
    expect(service.logs.some((line) => line.includes("request.accepted"))).toBe(true);
    expect(service.logs.some((line) => line.includes("request.quarantined"))).toBe(false);
  });

  it("puts the receipt into the site's own received page", async () => {
    const { id } = (await (await service.post(VALID.warranty)).json()) as { id: string };
    const page = await (await get(`${RECEIPT.path("ru")}?${RECEIPT.idParam}=${id}`)).text();
    expect(page).toContain("<header>site header</header>");
    expect(page).toContain(`<dd>${id}</dd>`);
    expect(page).toContain(`<h1>${dictionaries.ru["received.title"]}</h1>`);
    expect(page).not.toContain(RECEIPT.slot);
  });

  it("says in the heading, not only below it, that a number is unknown", async () => {
    const response = await get(`${RECEIPT.path("ru")}?${RECEIPT.idParam}=W-00000000`);
    expect(response.status).toBe(404);
    const page = await response.text();
    expect(page).toContain("<header>site header</header>");
    expect(page).toContain(`<h1>${dictionaries.ru["received.notFoundTitle"]}</h1>`);
    expect(page).not.toContain(dictionaries.ru["received.title"]);
    expect(page).toContain(dictionaries.ru["received.notFound"]);
  });

  it("signs a private project's form pages under its capability URL, and no other token gets one", async () => {
    const response = await get(`/en/p/${PRIVATE_TOKEN}/request/warranty/`);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const html = await response.text();
    for (const placeholder of Object.values(FORM_TOKEN_PLACEHOLDERS)) expect(html).not.toContain(placeholder);
    expect((await get(`/en/p/${PRIVATE_TOKEN.replace(/.$/, "x")}/request/warranty/`)).status).toBe(404);
  });

  it("shows a stand-in receipt page where the site has none, with the sample notice while the contacts on it may be samples", async () => {
    const { id } = (await (await service.post(VALID.warranty)).json()) as { id: string };
    const response = await get(`${RECEIPT.path("en")}?${RECEIPT.idParam}=${id}`);
    const page = await response.text();
    expect(response.status).toBe(200);
    expect(page).toContain(`<dd>${id}</dd>`);
    // The fixture gives the phone, the night hours and the unanswered searches' retention as samples.
    expect(page).toMatch(/<section aria-labelledby="sample-notice"><p><strong id="sample-notice">Sample configuration<\/strong>\. [^<]*the phone number, night hours [^<]* and how long searches that found no answer are kept/);
  });

  it("answers unknown pages with the 404 of their language, and unknown API paths with JSON", async () => {
    const ru = await get("/ru/nothing-here/");
    expect(ru.status).toBe(404);
    expect(await ru.text()).toContain("страница не найдена");
    expect(await (await get("/en/nothing/")).text()).toContain("page not found");
    expect(await (await get("/nothing")).text()).toContain("bilingual not found");
    const api = await get("/api/nothing");
    expect(api.status).toBe(404);
    expect(await api.json()).toEqual({ error: "not_found", message: "Nothing here." });
  });

  it("compresses what it sends to browsers that accept gzip", async () => {
    const response = await fetch(`${service.url}/_astro/site.4d5e6f.css`, { headers: { "Accept-Encoding": "gzip" } });
    expect(response.headers.get("content-encoding")).toBe("gzip");
    expect(response.headers.get("vary")).toMatch(/Accept-Encoding/i);
    expect(await response.text()).toContain(".rule { color: #1d4ed8; }");
  });

  it("caches hashed assets for good", async () => {
    expect((await get("/_astro/app.1a2b3c.js")).headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
  });

  it("sends a CSP that allows the site's inline scripts by hash and nothing else inline", async () => {
    const csp = (await get("/en/request/warranty/")).headers.get("content-security-policy") ?? "";
    const scriptSrc = /script-src ([^;]+)/.exec(csp)?.[1] ?? "";
    const rootHash = `'sha256-${createHash("sha256").update(ROOT_SCRIPT).digest("base64")}'`;
    expect(scriptSrc.split(" ").sort()).toEqual(["'self'", "'wasm-unsafe-eval'", rootHash].sort());
    expect(csp).toContain("script-src-attr 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("upgrade-insecure-requests"); // plain-http localhost
  });
});
