/**
 * The form service's configuration: environment variables, validated once at start-up.
 * An invalid value stops the process with one line naming the variable (see `ConfigError`).
 */
import path from "node:path";
import { z } from "zod";
import { exampleDomainIn, exampleDomainReason } from "../src/domain/readiness";
import { EmailAddressSchema, LangSchema } from "../src/domain/schemas/common";

/** Empty variables count as unset, so `FOO=` falls back to the default. */
const unsetIfBlank = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);

const whole = (min: number, fallback: number) => z.preprocess(unsetIfBlank, z.coerce.number().int().min(min).default(fallback));
const positive = (fallback: number) => z.preprocess(unsetIfBlank, z.coerce.number().positive().default(fallback));
const text = <T extends z.ZodTypeAny>(schema: T) => z.preprocess(unsetIfBlank, schema);
const directory = (fallback: string) => text(z.string().default(fallback)).transform((dir) => path.resolve(dir));

/**
 * `trust proxy` as Express takes it, never blanket `true` (a client could then forge its address):
 * `false`, a hop count, or a comma list of proxy addresses/subnets (`loopback`, `10.0.0.1`, …).
 */
const TrustProxySchema = text(z.string().default("false")).transform((value, ctx): false | number | string[] => {
  if (value === "false") return false;
  if (/^\d+$/.test(value)) return Number(value);
  const list = value.split(",").map((item) => item.trim());
  if (value === "true" || list.some((item) => item === "" || !/^[0-9A-Za-z.:/]+$/.test(item))) {
    ctx.addIssue({ code: "custom", message: "must be false, a hop count, or a comma list of proxy addresses (never true)" });
    return z.NEVER;
  }
  return list;
});

export const EnvSchema = z
  .object({
    /** Port to listen on; 0 picks a free one. Default 4321. */
    PORT: whole(0, 4321).pipe(z.number().max(65535)),
    /** Interface to bind; default loopback only, so nothing but a local proxy or browser can reach it. */
    HOST: text(z.string().default("127.0.0.1")),
    /** Origin the site is served from (for the Origin check and links); default http://localhost:<PORT>. */
    PUBLIC_ORIGIN: text(z.string().url().optional()),
    /** Site content (settings, calendars, projects with team addresses). Default `content`. */
    CONTENT_DIR: directory("content"),
    /** Built site to serve. Default `dist`. */
    DIST_DIR: directory("dist"),
    /** Durable request spool. Default `var/spool`. */
    SPOOL_DIR: directory("var/spool"),
    /** PostgreSQL spool shared by replicas, `postgres://` or `postgresql://`; unset → the file spool in SPOOL_DIR. */
    DATABASE_URL: text(z.string().regex(/^postgres(ql)?:\/\/\S+$/, "must be a postgres:// or postgresql:// URL").optional()),
    /** Where `.eml` files go when no SMTP_URL is set. Default `var/mail`. */
    MAIL_DIR: directory("var/mail"),
    /** `smtp://user:pass@host:587` or `smtps://…:465`; unset → write `.eml` files to MAIL_DIR. */
    SMTP_URL: text(z.string().regex(/^smtps?:\/\/[^\s]+$/, "must be an smtp:// or smtps:// URL").optional()),
    /** Seconds to wait for the SMTP server to connect, greet or answer. Default 10. */
    SMTP_TIMEOUT_SECONDS: positive(10),
    /** E-mails sent at once, each on its own pooled SMTP connection, so one slow message blocks no other. Default 4. */
    SENDER_CONCURRENCY: whole(1, 4).pipe(z.number().max(32)),
    /** Where a dead-lettered request is reported (id and error only); default MAIL_TEAM. */
    OPERATOR_EMAIL: text(EmailAddressSchema.optional()),
    /** Seconds a new process waits for the one holding SPOOL_DIR to stop before refusing to start. Default 30. */
    SPOOL_LOCK_WAIT_SECONDS: z.preprocess(unsetIfBlank, z.coerce.number().min(0).default(30)),
    /** Sender address of every e-mail; required with SMTP_URL. Default noreply@localhost.localdomain. */
    MAIL_FROM: text(EmailAddressSchema.optional()),
    /** Team address for requests whose project has no team (or no project); required with SMTP_URL. */
    MAIL_TEAM: text(EmailAddressSchema.optional()),
    /** Language of the team e-mails. Default ru. */
    TEAM_LANG: text(LangSchema.default("ru")),
    /** HMAC key for form render timestamps and ticket ids; unset → generated once, kept in SPOOL_DIR. */
    FORM_SECRET: text(z.string().min(32, "must be at least 32 characters").optional()),
    /** A form sent back sooner than this after rendering is treated as a bot. Default 3 s. */
    FORM_MIN_FILL_SECONDS: z.preprocess(unsetIfBlank, z.coerce.number().min(0).default(3)),
    /** A form older than this is treated as a replay. Default 24 h. */
    FORM_MAX_AGE_HOURS: positive(24),
    /** Express `trust proxy`: false (default), hop count, or proxy address list; never true. */
    TRUST_PROXY: TrustProxySchema,
    /** Requests one client address may send per window. Default 5. */
    RATE_LIMIT_PER_IP: whole(1, 5),
    /** Length of that window, minutes. Default 10. */
    RATE_LIMIT_WINDOW_MINUTES: positive(10),
    /** Requests all clients together may send per hour (protects the mail quota). Default 200. */
    RATE_LIMIT_GLOBAL_PER_HOUR: whole(1, 200),
    /** Confirmations one address may receive per day; more are suppressed (team mail still goes). Default 3. */
    CONFIRMATIONS_PER_ADDRESS_PER_DAY: whole(1, 3),
    /** Largest urlencoded or JSON body, KB. Default 64. */
    BODY_LIMIT_KB: whole(1, 64),
    /** Multipart uploads held in memory at once; more get 503 + Retry-After. Default 8. */
    UPLOADS_IN_FLIGHT: whole(1, 8),
    /** Time a client has to send a whole request, seconds. Default 60. */
    REQUEST_TIMEOUT_SECONDS: positive(60),
    /** First retry delay of a failed e-mail, seconds (doubles per attempt, full jitter). Default 30. */
    RETRY_BASE_SECONDS: positive(30),
    /** Longest retry delay, seconds. Default 3600. */
    RETRY_CAP_SECONDS: positive(3600),
    /** Team e-mail still failing after this long → dead letter. Default 48 h. */
    MAIL_MAX_AGE_HOURS: positive(48),
    /** Confirmation still failing after this long → dead letter. Default 6 h. */
    CONFIRMATION_MAX_AGE_HOURS: positive(6),
    /** Days quarantined requests (honeypot hits, forged form tokens; personal data included) are kept. Default 7. Delivered receipts: content setting `requestStatusRetentionDays`. */
    RETENTION_DAYS: positive(7),
  })
  .superRefine((env, ctx) => {
    for (const name of ["MAIL_FROM", "MAIL_TEAM"] as const) {
      if (env.SMTP_URL && !env[name]) ctx.addIssue({ code: "custom", path: [name], message: "is required when SMTP_URL is set" });
    }
    if (env.DATABASE_URL && !env.FORM_SECRET) {
      ctx.addIssue({ code: "custom", path: ["FORM_SECRET"], message: "required with DATABASE_URL: every replica must sign forms and ticket ids with the same key" });
    }
  });

const HOUR = 3_600_000;
/** The team address of the embedded default (no SMTP: mail only lands in MAIL_DIR). */
const LOCAL_TEAM = "team@localhost.localdomain";

export type Config = ReturnType<typeof toConfig>;

function toConfig(env: z.output<typeof EnvSchema>) {
  return {
    port: env.PORT,
    host: env.HOST,
    publicOrigin: new URL(env.PUBLIC_ORIGIN ?? `http://localhost:${env.PORT}`).origin,
    contentDir: env.CONTENT_DIR,
    distDir: env.DIST_DIR,
    spoolDir: env.SPOOL_DIR,
    databaseUrl: env.DATABASE_URL,
    mailDir: env.MAIL_DIR,
    smtpUrl: env.SMTP_URL,
    smtpTimeoutMs: env.SMTP_TIMEOUT_SECONDS * 1000,
    senderConcurrency: env.SENDER_CONCURRENCY,
    spoolLockWaitMs: env.SPOOL_LOCK_WAIT_SECONDS * 1000,
    mailFrom: env.MAIL_FROM ?? "noreply@localhost.localdomain",
    mailTeam: env.MAIL_TEAM ?? LOCAL_TEAM,
    operatorEmail: env.OPERATOR_EMAIL ?? env.MAIL_TEAM ?? LOCAL_TEAM,
    teamLang: env.TEAM_LANG,
    formSecret: env.FORM_SECRET,
    formMinFillMs: env.FORM_MIN_FILL_SECONDS * 1000,
    formMaxAgeMs: env.FORM_MAX_AGE_HOURS * HOUR,
    trustProxy: env.TRUST_PROXY,
    rateLimitPerIp: env.RATE_LIMIT_PER_IP,
    rateLimitWindowMs: env.RATE_LIMIT_WINDOW_MINUTES * 60_000,
    rateLimitGlobalPerHour: env.RATE_LIMIT_GLOBAL_PER_HOUR,
    confirmationsPerAddressPerDay: env.CONFIRMATIONS_PER_ADDRESS_PER_DAY,
    bodyLimitBytes: env.BODY_LIMIT_KB * 1024,
    uploadsInFlight: env.UPLOADS_IN_FLIGHT,
    requestTimeoutMs: env.REQUEST_TIMEOUT_SECONDS * 1000,
    retryBaseMs: env.RETRY_BASE_SECONDS * 1000,
    retryCapMs: env.RETRY_CAP_SECONDS * 1000,
    teamMaxAgeMs: env.MAIL_MAX_AGE_HOURS * HOUR,
    confirmationMaxAgeMs: env.CONFIRMATION_MAX_AGE_HOURS * HOUR,
    quarantineRetentionMs: env.RETENTION_DAYS * 24 * HOUR,
  };
}

/** Thrown for invalid configuration; the message is one line naming every bad variable. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/** One `VARIABLE: reason` per issue (values are never echoed: some are secrets). */
function issueLines(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.join(".") || "(environment)"}: ${issue.message}`);
}

/** Reads the configuration from an environment (values are never echoed: some are secrets). */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const result = EnvSchema.safeParse(env);
  if (result.success) return toConfig(result.data);
  throw new ConfigError(`Invalid configuration: ${issueLines(result.error).join("; ")}`);
}

/** Variables whose defaults suit only the embedded default on one machine, and what each default would do in production. */
const PRODUCTION_NEEDS = {
  SMTP_URL: "unset: requests would only be written as .eml files in MAIL_DIR, never e-mailed",
  MAIL_FROM: "unset: e-mails would come from noreply@localhost.localdomain",
  MAIL_TEAM: "unset: requests of projects without a team would go to team@localhost.localdomain",
  PUBLIC_ORIGIN: "unset: posts from the site would be refused as cross-site (the default is http://localhost:<PORT>)",
} as const;

/**
 * What the environment lacks for production, one `VARIABLE: reason` line each: invalid variables,
 * the settings in PRODUCTION_NEEDS left unset, addresses on domains reserved for examples, and a
 * PUBLIC_ORIGIN other than the site's address (`siteUrl` from content/settings.yaml, when known).
 */
export function productionConfigProblems(env: Record<string, string | undefined>, siteUrl?: string): string[] {
  const result = EnvSchema.safeParse(env);
  const lines = result.success ? [] : issueLines(result.error);
  const named = new Set(lines.map((line) => line.slice(0, line.indexOf(":"))));
  for (const [name, reason] of Object.entries(PRODUCTION_NEEDS)) {
    if (unsetIfBlank(env[name]) === undefined && !named.has(name)) lines.push(`${name}: ${reason}`);
  }
  if (!result.success) return lines;
  const { PUBLIC_ORIGIN, MAIL_FROM, MAIL_TEAM, OPERATOR_EMAIL } = result.data;
  for (const [name, value] of Object.entries({ PUBLIC_ORIGIN, MAIL_FROM, MAIL_TEAM, OPERATOR_EMAIL })) {
    const domain = exampleDomainIn(value);
    if (domain) lines.push(`${name}: ${exampleDomainReason(domain)}`);
  }
  const siteOrigin = siteUrl === undefined ? undefined : new URL(siteUrl).origin;
  if (PUBLIC_ORIGIN && siteOrigin && new URL(PUBLIC_ORIGIN).origin !== siteOrigin) {
    lines.push(`PUBLIC_ORIGIN: is not ${siteOrigin}, the site's address (siteUrl in settings.yaml): posts from the site would be refused`);
  }
  return lines;
}
