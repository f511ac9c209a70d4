/**
 * What was not found (issue 12): `POST /api/searches` counts a search no page fully answered — the
 * normalised query, its language and a count per day, nothing about the visitor — behind the same
 * guards as requests (rate limit, same origin, body size, media type, zod schema); the counts
 * expire after the agency's `unansweredSearchRetentionDays`; the operator lists the top ones with
 * `npm run spool -- searches`. Real HTTP, a real file spool, the manual clock.
 */
import { execFile } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MAX_QUERY_LENGTH, normaliseQuery, SEARCHES_PATH } from "../../src/domain/search-log";
import { startService, testContent, type Service } from "./helpers/service";

const DAY = 86_400_000;
let service: Service;
beforeEach(async () => {
  service = await startService();
});
afterEach(async () => {
  await service.stop();
});

function report(body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${service.url}${SEARCHES_PATH}`, {
    method: "POST",
    body: typeof body === "string" ? body : JSON.stringify(body),
    headers: { "Sec-Fetch-Site": "same-origin", "Content-Type": "application/json", "User-Agent": "Mozilla/5.0 (visitor-agent)", ...headers },
  });
}
const stored = () => service.spool.unanswered("2000-01-01", 100);

describe("POST /api/searches", () => {
  it("counts an unanswered search by its normalised text, language and day", async () => {
    expect((await report({ query: "  Сайт   УПАЛ, что делать?! ", lang: "ru" })).status).toBe(204);
    expect((await report({ query: "сайт упал, что делать?!", lang: "ru" })).status).toBe(204);
    expect((await report({ query: "site down", lang: "en" })).status).toBe(204);
    expect(await stored()).toEqual([
      { lang: "ru", query: "сайт упал, что делать?!", count: 2, days: 1, lastDay: "2026-11-23" },
      { lang: "en", query: "site down", count: 1, days: 1, lastDay: "2026-11-23" },
    ]);
  });

  it("keeps nothing that points at the visitor: no address, no browser, no e-mail or phone typed into the query", async () => {
    await report({ query: "refund to anna.petrova@client.example or +7 915 123-45-67", lang: "en" }, { "X-Forwarded-For": "203.0.113.9" });
    expect((await stored()).map((search) => search.query)).toEqual(["refund to [email] or [number]"]);
    const folder = path.join(service.config.spoolDir, "searches");
    const files = await readdir(folder);
    expect(files).toEqual(["2026-11-23.json"]);
    const text = await readFile(path.join(folder, files[0]!), "utf8");
    expect(JSON.parse(text)).toEqual([{ lang: "en", query: "refund to [email] or [number]", count: 1 }]);
    expect(text).not.toMatch(/127\.0\.0\.1|203\.0\.113|visitor-agent|anna|915/);
  });

  it("cuts a long query and ignores one with nothing left to keep", async () => {
    await report({ query: `warranty ${"x".repeat(300)}`, lang: "en" });
    expect((await report({ query: "\u0000\u200b   ", lang: "en" })).status).toBe(204);
    const [search, ...others] = await stored();
    expect(others).toEqual([]);
    expect(search!.query).toHaveLength(MAX_QUERY_LENGTH);
    expect(normaliseQuery("Ёлка")).toBe("елка");
  });

  it("refuses other sites, other media types, large bodies and anything but { query, lang }", async () => {
    expect((await report({ query: "cross", lang: "en" }, { "Sec-Fetch-Site": "cross-site" })).status).toBe(403);
    expect((await report("query=form&lang=en", { "Content-Type": "application/x-www-form-urlencoded" })).status).toBe(415);
    expect((await report({ query: "x".repeat(2000), lang: "en" })).status).toBe(413);
    expect((await report({ query: "ok", lang: "de" })).status).toBe(422);
    expect((await report({ query: "ok", lang: "en", ip: "1.2.3.4" })).status).toBe(422);
    expect((await report({ query: "", lang: "en" })).status).toBe(422);
    expect((await report("{not json")).status).toBe(400);
    expect(await stored()).toEqual([]);
  });

  it("limits how many searches one client reports", async () => {
    const statuses: number[] = [];
    for (let index = 0; index < 31; index += 1) statuses.push((await report({ query: `question ${index}`, lang: "en" })).status);
    expect(statuses.slice(0, 30).every((status) => status === 204)).toBe(true);
    expect(statuses[30]).toBe(429);
    service.clock.advance(10 * 60_000);
    expect((await report({ query: "later", lang: "en" })).status).toBe(204);
  });

  it("forgets a day's counts once they are older than the agency's retention", async () => {
    const retention = testContent.settings.unansweredSearchRetentionDays;
    await report({ query: "first day", lang: "en" });
    service.clock.advance((retention - 1) * DAY);
    await report({ query: "last day the first is kept", lang: "en" });
    expect((await stored()).map((search) => search.query).sort()).toEqual(["first day", "last day the first is kept"]);
    service.clock.advance(DAY);
    await report({ query: "the day after", lang: "en" });
    expect((await stored()).map((search) => search.query).sort()).toEqual(["last day the first is kept", "the day after"]);
    expect(await readdir(path.join(service.config.spoolDir, "searches"))).toHaveLength(2);
  });
});

describe("npm run spool -- searches", () => {
  it("lists the most asked unanswered searches beside the running service", async () => {
    for (const query of ["сайт упал", "сайт упал", "refund"]) await report({ query, lang: query === "refund" ? "en" : "ru" });
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/spool.ts", "searches", "--days", "3650"], {
      env: { PATH: process.env.PATH ?? "", SPOOL_DIR: service.config.spoolDir },
    });
    const lines = stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^\s+2 {2}ru {2}\s*1 d {2}2026-11-23 {2}сайт упал$/);
    expect(lines[1]).toMatch(/^\s+1 {2}en .* refund$/);
    expect(lines.at(-1)).toMatch(/^2 unanswered queries since \d{4}-\d{2}-\d{2}/);
  });
});
