/** Configuration from the environment: defaults, and one clear line for anything invalid (T17). */
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, productionConfigProblems } from "../../server/config";

const failure = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error("expected a ConfigError");
};

describe("configuration", () => {
  it("has safe defaults: loopback, port 4321, file mail, no blanket proxy trust", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ host: "127.0.0.1", port: 4321, publicOrigin: "http://localhost:4321", smtpUrl: undefined, trustProxy: false, rateLimitPerIp: 5 });
    expect(config.spoolDir).toMatch(/var[/\\]spool$/);
    expect(config.mailDir).toMatch(/var[/\\]mail$/);
  });

  it("treats empty variables as unset", () => {
    expect(loadConfig({ PORT: "", RATE_LIMIT_PER_IP: " " })).toMatchObject({ port: 4321, rateLimitPerIp: 5 });
  });

  it("takes a hop count or a proxy list for TRUST_PROXY, never true", () => {
    expect(loadConfig({ TRUST_PROXY: "1" }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: "loopback, 10.0.0.0/8" }).trustProxy).toEqual(["loopback", "10.0.0.0/8"]);
    expect(failure({ TRUST_PROXY: "true" })).toMatch(/^Invalid configuration: TRUST_PROXY: .*never true/);
  });

  it("refuses bad limits with one line naming the variable", () => {
    for (const [name, value] of [["RATE_LIMIT_PER_IP", "abc"], ["BODY_LIMIT_KB", "-1"], ["PORT", "70000"], ["RETRY_BASE_SECONDS", "0"]] as const) {
      const message = failure({ [name]: value });
      expect(message.split("\n"), name).toHaveLength(1);
      expect(message).toContain(`${name}:`);
    }
  });

  it("needs MAIL_FROM and MAIL_TEAM with SMTP, and never echoes values (they may be secrets)", () => {
    const message = failure({ SMTP_URL: "smtp://user:s3cret@mail.example:587", FORM_SECRET: "short" });
    expect(message).toContain("MAIL_FROM: is required when SMTP_URL is set");
    expect(message).toContain("MAIL_TEAM:");
    expect(message).toContain("FORM_SECRET:");
    expect(message).not.toContain("s3cret");
    expect(message).not.toContain("short");
  });

  it("requires one FORM_SECRET for every replica with DATABASE_URL, and never echoes the URL's password", () => {
    const message = failure({ DATABASE_URL: "postgres://portal:pa55word@db.example/portal" });
    expect(message).toMatch(/^Invalid configuration: FORM_SECRET: required with DATABASE_URL/);
    expect(message).not.toContain("pa55word");
    expect(loadConfig({ DATABASE_URL: "postgres://db.example/portal", FORM_SECRET: "x".repeat(32) }).databaseUrl).toBe("postgres://db.example/portal");
    expect(failure({ DATABASE_URL: "mysql://db.example/portal", FORM_SECRET: "x".repeat(32) })).toContain("DATABASE_URL:");
  });

  it("accepts only a strict single address for MAIL_FROM", () => {
    expect(failure({ MAIL_FROM: "a@b.example, c@d.example" })).toContain("MAIL_FROM:");
  });
});

describe("what production needs (npm run doctor)", () => {
  const READY = {
    SMTP_URL: "smtp://forms:s3cret@smtp.agency.ru:587",
    MAIL_FROM: "forms@agency.ru",
    MAIL_TEAM: "support@agency.ru",
    PUBLIC_ORIGIN: "https://portal.agency.ru",
  };

  it("names each setting whose default suits only one machine on loopback, one line each", () => {
    expect(productionConfigProblems({ MAIL_FROM: " " })).toEqual([
      "SMTP_URL: unset: requests would only be written as .eml files in MAIL_DIR, never e-mailed",
      "MAIL_FROM: unset: e-mails would come from noreply@localhost.localdomain",
      "MAIL_TEAM: unset: requests of projects without a team would go to team@localhost.localdomain",
      "PUBLIC_ORIGIN: unset: posts from the site would be refused as cross-site (the default is http://localhost:<PORT>)",
    ]);
  });

  it("has nothing to say about a production environment for the site's own address", () => {
    expect(productionConfigProblems(READY, "https://portal.agency.ru/")).toEqual([]);
  });

  it("names an invalid variable once, by the config schema's own line, and never echoes a secret", () => {
    const lines = productionConfigProblems({ ...READY, MAIL_FROM: "", FORM_SECRET: "short" });
    expect(lines).toEqual(["FORM_SECRET: must be at least 32 characters", "MAIL_FROM: is required when SMTP_URL is set"]);
    expect(lines.join("\n")).not.toMatch(/s3cret|short/);
  });

  it("names addresses on domains reserved for examples, as the example env file has them", () => {
    const lines = productionConfigProblems({ ...READY, PUBLIC_ORIGIN: "https://portal.agency.example", MAIL_FROM: "forms@agency.example", OPERATOR_EMAIL: "ops@example.com" });
    expect(lines).toEqual([
      "PUBLIC_ORIGIN: names portal.agency.example, a domain reserved for examples: use the agency's real one",
      "MAIL_FROM: names agency.example, a domain reserved for examples: use the agency's real one",
      "OPERATOR_EMAIL: names example.com, a domain reserved for examples: use the agency's real one",
    ]);
  });

  it("names a PUBLIC_ORIGIN other than the site's address, whose posts would be refused", () => {
    expect(productionConfigProblems(READY, "https://service.agency.ru")).toEqual([
      "PUBLIC_ORIGIN: is not https://service.agency.ru, the site's address (siteUrl in settings.yaml): posts from the site would be refused",
    ]);
  });
});
