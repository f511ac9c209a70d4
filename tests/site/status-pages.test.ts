/**
 * The built fixture site's side of issue 13: every project's SLA report carries the satisfaction
 * section with the slot the form service fills (and, served as a plain file, says so); the privacy
 * page says what the status link and the ratings keep, and for how long, from the settings.
 */
import { describe, expect, it } from "vitest";
import { SATISFACTION_SLOT } from "../../src/domain/request-status";
import { dictionaries } from "../../src/i18n";
import { loadServerContent } from "../../src/lib/content-files";
import { paths } from "../../src/lib/paths";
import { FIXTURE } from "../setup/sites";
import { page, readDist, visibleText } from "./dist";

const content = loadServerContent(FIXTURE.content);

describe.each(["en", "ru"] as const)("request status and ratings (%s)", (lang) => {
  it.each([...content.projects].map(([slug, project]) => ({ slug, project })))("the SLA report of $slug has the satisfaction slot", ({ slug, project }) => {
    const url = paths.project(lang, { slug, visibility: project.visibility, accessToken: project.accessToken }, "sla");
    const html = readDist(`${url.slice(1)}index.html`);
    const start = html.indexOf(SATISFACTION_SLOT.start);
    expect(start, url).toBeGreaterThan(0);
    expect(html.indexOf(SATISFACTION_SLOT.end), url).toBeGreaterThan(start);
    expect(html.slice(start, html.indexOf(SATISFACTION_SLOT.end))).toContain(dictionaries[lang]["status.satisfaction.static"]);
  });

  it("the privacy page says how long ratings and status links are kept, from the settings, and what the status link shows", () => {
    const { ratingRetentionDays: days, requestStatusRetentionDays: linkDays } = content.settings;
    const text = visibleText(page(`${lang}/privacy/index.html`).querySelector("main")!);
    expect(text).toContain(lang === "en" ? `for ${days} days` : `${days} дней`);
    expect(text).toContain(lang === "en" ? `until ${linkDays} days after the team has received it` : `ещё ${linkDays} дней после того, как заявку получила команда`);
    expect(text).toMatch(lang === "en" ? /only for that request, and only while the form service keeps the request.s receipt/ : /только для этой заявки и только пока сервис заявок хранит её квитанцию/);
  });
});
