/**
 * The form service in-process for tests: a temporary spool, a manual clock, the real app on an
 * ephemeral port, and the sender driven by hand (`sender.runDue()`), so nothing sleeps.
 */
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { deflateSync } from "node:zlib";
import { ProjectSchema } from "../../../src/domain/schemas/project";
import { loadServerContent, type ServerContent } from "../../../src/lib/content-files";
import { createApp, type AppDeps } from "../../../server/app";
import type { Clock } from "../../../server/clock";
import { loadConfig, type Config } from "../../../server/config";
import type { FileSystem } from "../../../server/durable-fs";
import { createLogger } from "../../../server/log";
import { createMailer, type Mailer } from "../../../server/mailer";
import { Sender } from "../../../server/sender";
import { FileSpool } from "../../../server/spool";
import { FIXTURE } from "../../setup/sites";

export type ManualClock = Clock & { advance(ms: number): void; set(ms: number): void };

/** Monday 23 November 2026, 10:00 Moscow time: inside working hours. */
export const MONDAY_MORNING = Date.parse("2026-11-23T10:00:00+03:00");

export function manualClock(start = MONDAY_MORNING): ManualClock {
  let now = start;
  return { now: () => now, advance: (ms) => (now += ms), set: (ms) => (now = ms) };
}

const project = (slug: string, extra: Record<string, unknown> = {}) =>
  ProjectSchema.parse({
    name: { en: `Project ${slug}`, ru: `Проект ${slug}` },
    client: "Test Client LLC",
    summary: { en: "A test project.", ru: "Тестовый проект." },
    warranty: { program: "standard", completedOn: "2026-10-01" },
    team: [`${slug}-team@agency.example`],
    ...extra,
  });

/** The capability token of the private test project `hidden-crm`. */
export const PRIVATE_TOKEN = "hiddenCrmT0kenAbcdefghijklmnop12345";

/** The fixture settings and calendars, with test projects whose team addresses the tests know (one of them private). */
export const testContent: ServerContent = {
  ...loadServerContent(FIXTURE.content),
  projects: new Map([
    ["test-shop", project("test-shop")],
    ["two-teams", project("two-teams", { team: ["lead@agency.example", "dev@agency.example"] })],
    ["dev-crm", project("dev-crm", { warranty: { program: "development", completedOn: "2026-10-01" } })],
    [
      "sla-portal",
      project("sla-portal", {
        sla: { since: "2026-01-01", reactionMinutes: 30, restoreHours: 4, availabilityPercent: 99.5, supportPeriod: { en: "Always", ru: "Всегда" } },
      }),
    ],
    ["hidden-crm", project("hidden-crm", { visibility: "private", accessToken: PRIVATE_TOKEN, name: { en: "Hidden CRM", ru: "Скрытая CRM" } })],
  ]),
};

export const PUBLIC_ORIGIN = "http://localhost:4321";

export type ServiceOptions = {
  env?: Record<string, string>;
  smtpUrl?: string;
  fs?: FileSystem;
  distDir?: string;
  clock?: ManualClock;
  dir?: string;
  /** Stands in for the sender's delivery status in `/api/health` (to make it fail). */
  delivery?: AppDeps["delivery"];
  /** Other content than `testContent` (the fixture's own projects and change log, say). */
  content?: ServerContent;
};

export type Service = Awaited<ReturnType<typeof startService>>;

export async function startService(options: ServiceOptions = {}) {
  const dir = options.dir ?? (await mkdtemp(path.join(tmpdir(), "form-service-")));
  const clock = options.clock ?? manualClock();
  const config: Config = loadConfig({
    PORT: "0",
    SPOOL_DIR: path.join(dir, "spool"),
    MAIL_DIR: path.join(dir, "mail"),
    DIST_DIR: options.distDir ?? path.join(dir, "dist"),
    PUBLIC_ORIGIN,
    MAIL_FROM: "forms@agency.example",
    MAIL_TEAM: "fallback-team@agency.example",
    SMTP_TIMEOUT_SECONDS: "2",
    RATE_LIMIT_PER_IP: "10000",
    RATE_LIMIT_GLOBAL_PER_HOUR: "100000",
    CONFIRMATIONS_PER_ADDRESS_PER_DAY: "1000",
    ...(options.smtpUrl ? { SMTP_URL: options.smtpUrl } : {}),
    ...options.env,
  });
  const logs: string[] = [];
  const logger = createLogger((line) => logs.push(line));
  const spool = await FileSpool.open({ dir: config.spoolDir, clock, logger, ...(options.fs ? { fs: options.fs } : {}) });
  const mailer: Mailer = createMailer(config);
  const content = options.content ?? testContent;
  const sender = new Sender({ spool, mailer, content, config, clock, logger, random: () => 1 });
  const app = createApp({ config, clock, spool, mailer, content, logger, delivery: options.delivery ?? sender });
  const server: Server = app.listen(0, "127.0.0.1");
  await once(server, "listening");
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  /** A fresh signed token, with the clock moved past the minimum fill time. */
  const token = async () => {
    const response = await fetch(`${url}/api/form-token`);
    const body = (await response.json()) as { renderedAt: string; formSignature: string; idempotencyKey: string };
    clock.advance(5_000);
    return body;
  };

  return {
    url,
    dir,
    config,
    clock,
    spool,
    sender,
    mailer,
    logs,
    token,
    /** Posts a request as a same-origin browser would (fields signed unless `unsigned`). */
    async post(fields: Record<string, unknown>, init: PostOptions = {}) {
      const signature = init.unsigned ? {} : await token().then(({ renderedAt, formSignature }) => ({ renderedAt, formSignature }));
      const encoded = encode({ ...signature, ...fields, ...init.extraFields }, init);
      return fetch(`${url}/api/requests`, {
        method: "POST",
        body: encoded.body,
        headers: { "Sec-Fetch-Site": "same-origin", Accept: init.accept ?? "application/json", ...encoded.headers, ...init.headers },
      });
    },
    async stop() {
      server.closeAllConnections();
      server.close();
      await sender.stop();
      mailer.close();
      await spool.close();
      if (!options.dir) await rm(dir, { recursive: true, force: true });
    },
  };
}

export type PostOptions = {
  as?: "json" | "multipart" | "urlencoded";
  files?: { name: string; type?: string; content: Uint8Array }[];
  headers?: Record<string, string>;
  accept?: string;
  unsigned?: boolean;
  extraFields?: Record<string, unknown>;
};

function encode(fields: Record<string, unknown>, { as = "json", files = [] }: PostOptions): { body: BodyInit; headers?: Record<string, string> } {
  const kind = files.length > 0 ? "multipart" : as;
  if (kind === "json") return { body: JSON.stringify(fields), headers: { "Content-Type": "application/json" } };
  if (kind === "urlencoded") return { body: new URLSearchParams(Object.entries(fields).map(([key, value]) => [key, String(value)])) };
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, String(value));
  for (const file of files) form.append("attachments", new Blob([new Uint8Array(file.content)], { type: file.type ?? "application/octet-stream" }), file.name);
  return { body: form };
}

/** A valid request of each type (signed fields are added by `post`). */
export const VALID = {
  warranty: {
    type: "warranty",
    name: "Ivan Petrov",
    email: "ivan@client.example",
    phone: "+7 495 123-45-67",
    lang: "ru",
    consent: "on",
    project: "test-shop",
    pageUrl: "https://shop.example/cart",
    userLogin: "manager1",
    browser: "Firefox 140",
    happened: "The cart is empty after login.",
    expected: "The cart keeps its items.",
  },
  support: { type: "support", name: "Anna", email: "anna@client.example", lang: "en", consent: true, project: "test-shop", wanted: "Add a CSV export.", priority: "high" },
  prevention: { type: "prevention", name: "Oleg", email: "oleg@client.example", lang: "ru", consent: true, plan: "four-times-monthly", siteUrl: "https://site.example", serverKind: "linux-vps" },
  extension: { type: "extension", name: "Olga", email: "olga@client.example", lang: "en", consent: true, project: "test-shop" },
  consultation: { type: "consultation", name: "Pavel", email: "pavel@client.example", lang: "en", consent: true, question: "Can you build a CRM?" },
  incident: { type: "incident", name: "Irina", email: "irina@client.example", lang: "ru", consent: true, project: "sla-portal", url: "https://portal.example/", since: "2026-11-23T09:40", impact: "Nobody can log in." },
} satisfies Record<string, Record<string, unknown>>;

const CRC_TABLE = Array.from({ length: 256 }, (_, byte) => {
  let crc = byte;
  for (let bit = 0; bit < 8; bit += 1) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
  return crc >>> 0;
});
const crc32 = (bytes: Buffer) => (bytes.reduce((crc, byte) => CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8), 0xffffffff) ^ 0xffffffff) >>> 0;

/** One PNG chunk: length, type, data, CRC of type and data. */
export function pngChunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const framing = Buffer.alloc(8);
  framing.writeUInt32BE(data.length, 0);
  framing.writeUInt32BE(crc32(body), 4);
  return Buffer.concat([framing.subarray(0, 4), body, framing.subarray(4)]);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** IHDR data of a 1 × 1 truecolour image, 8 bits per sample. */
const PNG_1X1 = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);

/** Real minimal images (each decodes to one pixel), and files that only look like images. */
export const IMAGES = {
  // Signature, IHDR, one red pixel deflated (filter byte 0, then RGB), IEND.
  png: Buffer.concat([PNG_SIGNATURE, pngChunk("IHDR", PNG_1X1), pngChunk("IDAT", deflateSync(Buffer.from([0, 255, 0, 0]))), pngChunk("IEND", Buffer.alloc(0))]),
  // Baseline JPEG, one grey pixel: SOI, DQT (all 1), SOF0 1 × 1 × 1 component, DC and AC Huffman tables of one
  // code each (DC difference 0, end of block), SOS, the two 0 bits of that block padded with 1s, EOI.
  jpeg: Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    Buffer.from([0xff, 0xdb, 0x00, 0x43, 0x00]),
    Buffer.alloc(64, 1),
    Buffer.from([0xff, 0xc0, 0x00, 0x0b, 0x08, 0x00, 0x01, 0x00, 0x01, 0x01, 0x01, 0x11, 0x00]),
    Buffer.from([0xff, 0xc4, 0x00, 0x14, 0x00, 0x01]),
    Buffer.alloc(16),
    Buffer.from([0xff, 0xc4, 0x00, 0x14, 0x10, 0x01]),
    Buffer.alloc(16),
    Buffer.from([0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00, 0x3f]),
    Buffer.from([0xff, 0xd9]),
  ]),
  // Lossless WebP, one transparent pixel: RIFF (size = file − 8), WEBP, a VP8L chunk of 13 bytes (0x2f signature).
  webp: Buffer.from("524946461a000000574542505650384c0d0000002f00000010071011118888fe0700", "hex"),
  wave: Buffer.concat([Buffer.from("RIFF"), Buffer.from([0x20, 0, 0, 0]), Buffer.from("WAVEfmt "), Buffer.alloc(64, 5)]),
  avi: Buffer.concat([Buffer.from("RIFF"), Buffer.from([0x20, 0, 0, 0]), Buffer.from("AVI LIST"), Buffer.alloc(64, 6)]),
  exe: Buffer.concat([Buffer.from("MZ"), Buffer.alloc(64, 4)]),
  svg: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
};
