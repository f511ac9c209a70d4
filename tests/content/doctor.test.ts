/**
 * `npm run doctor` on fixture content folders: every sample value and example address with file and
 * field, every form-service setting production needs, a non-zero exit while anything is listed; a
 * "ready" line and exit 0 once the content is confirmed and the environment set.
 */
import { spawnSync } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { brokenCopy, confirmSettings, FIXTURE_CONTENT, removeCopies } from "./content-copies";

afterEach(removeCopies);

/** Runs the doctor with only this environment (and PATH/HOME for npm), so the machine's own settings cannot leak in. */
function doctor(env: Record<string, string>) {
  const run = spawnSync("npm", ["run", "--silent", "doctor"], { encoding: "utf8", timeout: 60_000, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } });
  return { status: run.status, lines: run.stdout.trim().split("\n"), stderr: run.stderr };
}

const PRODUCTION_ENV = {
  SMTP_URL: "smtp://forms:s3cret@smtp.fixture-studio.ru:587",
  MAIL_FROM: "forms@fixture-studio.ru",
  MAIL_TEAM: "help@fixture-studio.ru",
  PUBLIC_ORIGIN: "https://portal.fixture-studio.ru",
};

describe("npm run doctor", () => {
  it("lists each sample value, example address and missing production setting, one line each, and fails", () => {
    const run = doctor({ CONTENT_DIR: FIXTURE_CONTENT });
    expect(run.status).toBe(1);
    expect(run.lines).toEqual([
      "content/settings.yaml: siteUrl: names portal.fixture.example, a domain reserved for examples: use the agency's real one",
      "content/settings.yaml: contacts.email: names fixture.example, a domain reserved for examples: use the agency's real one",
      "content/settings.yaml: contacts.phone: sample value, not confirmed by the agency",
      "content/settings.yaml: links.componentDemo: names demo.fixture.example, a domain reserved for examples: use the agency's real one",
      "content/settings.yaml: links.solutionDemo: names demo.fixture.example, a domain reserved for examples: use the agency's real one",
      "content/settings.yaml: nightHours: sample value, not confirmed by the agency",
      "content/settings.yaml: unansweredSearchRetentionDays: sample value, not confirmed by the agency",
      "environment: SMTP_URL: unset: requests would only be written as .eml files in MAIL_DIR, never e-mailed",
      "environment: MAIL_FROM: unset: e-mails would come from noreply@localhost.localdomain",
      "environment: MAIL_TEAM: unset: requests of projects without a team would go to team@localhost.localdomain",
      "environment: PUBLIC_ORIGIN: unset: posts from the site would be refused as cross-site (the default is http://localhost:<PORT>)",
    ]);
    expect(run.stderr).toContain("11 things to settle before production");
  }, 60_000);

  it("says ready and succeeds once every value is confirmed and the service is set up for production", () => {
    const run = doctor({ CONTENT_DIR: brokenCopy("settings.yaml", confirmSettings), ...PRODUCTION_ENV });
    expect(run).toMatchObject({ status: 0, lines: ["Ready for production: every value confirmed, the form service configured."] });
  }, 60_000);

  it("names one remaining sample, an invalid setting and a PUBLIC_ORIGIN that is not the site's, and never echoes a secret", () => {
    const root = brokenCopy("settings.yaml", (t) => confirmSettings(t).replace('phone: "+7 000 000-00-01"', 'phone: { sample: "+7 000 000-00-01" }'));
    const run = doctor({ CONTENT_DIR: root, ...PRODUCTION_ENV, PUBLIC_ORIGIN: "https://forms.fixture-studio.ru", FORM_SECRET: "too-short" });
    expect(run.status).toBe(1);
    expect(run.lines).toEqual([
      "content/settings.yaml: contacts.phone: sample value, not confirmed by the agency",
      "environment: FORM_SECRET: must be at least 32 characters",
    ]);
    // An invalid environment stops the checks that read it; once valid, the origin is compared.
    const fixed = doctor({ CONTENT_DIR: root, ...PRODUCTION_ENV, PUBLIC_ORIGIN: "https://forms.fixture-studio.ru" });
    expect(fixed.lines).toContain(
      "environment: PUBLIC_ORIGIN: is not https://portal.fixture-studio.ru, the site's address (siteUrl in settings.yaml): posts from the site would be refused",
    );
    expect(run.lines.join("\n") + fixed.lines.join("\n")).not.toMatch(/s3cret|too-short/);
  }, 60_000);

  it("lists invalid content with file, field and reason", () => {
    const run = doctor({ CONTENT_DIR: brokenCopy("prices.yaml", (t) => t.replace("price: 16000", "price: -1")), ...PRODUCTION_ENV });
    expect(run.status).toBe(1);
    expect(run.lines).toEqual(["content/prices.yaml: warrantyExtension.price: Number must be greater than 0"]);
  }, 60_000);
});
