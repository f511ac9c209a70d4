/**
 * N replicas for real (audit D-2): two form-service processes sharing one PostgreSQL store behind the
 * shipped nginx site, while a loop SIGKILLs one of them at random moments and starts it again.
 * Clients post through nginx as browsers do, each request with its own Idempotency-Key, and retry a
 * failed post with the same key. Afterwards every acknowledged request has reached the team and the
 * client, each key has exactly one ticket, and any duplicate e-mail (a kill inside the window between
 * the SMTP server's 250 and the state write) carries the same Message-ID.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSmtpSink, type SmtpSink } from "../server/helpers/smtp-sink";
import { startPostgres, type PostgresServer } from "../setup/postgres";
import { FIXTURE } from "../setup/sites";
import { ENV_EXAMPLE, freePort, generateSecurityHeaders, readEnvFile, renderSite, request, startNginx, startServiceProcess, type Nginx, type ServiceProcess } from "./harness";

/** At least this many requests; clients go on until the kill loop has run all its rounds. */
const REQUESTS = 48;
const KILL_ROUNDS = 6;
const CLIENTS = 4;
const SERVICE = [process.execPath, "--import", "tsx", "server/main.ts"];

let dir: string;
let postgres: PostgresServer;
let sink: SmtpSink;
let nginx: Nginx;
let env: Record<string, string>;
const replicas: { port: number; process?: ServiceProcess | undefined }[] = [];

const startReplica = async (replica: (typeof replicas)[number]) => {
  replica.process = await startServiceProcess(SERVICE, { ...env, PORT: String(replica.port) });
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "deploy-replicas-"));
  postgres = await startPostgres();
  sink = await startSmtpSink();
  // A mail server that takes a moment to answer 250 widens the window a kill can land in.
  sink.rejectData = () => new Promise((resolve) => setTimeout(() => resolve(undefined), 20));
  env = {
    ...(await readEnvFile(ENV_EXAMPLE)),
    PATH: process.env.PATH ?? "",
    CONTENT_DIR: FIXTURE.content,
    DIST_DIR: FIXTURE.dist,
    SPOOL_DIR: path.join(dir, "unused-spool"),
    MAIL_DIR: path.join(dir, "unused-mail"),
    DATABASE_URL: await postgres.createDatabase(),
    FORM_SECRET: "replicas-test-secret-shared-by-every-replica-0123456789",
    SMTP_URL: sink.url,
    SMTP_TIMEOUT_SECONDS: "0.5",
    RETRY_BASE_SECONDS: "0.05",
    RETRY_CAP_SECONDS: "0.2",
    FORM_MIN_FILL_SECONDS: "0",
    RATE_LIMIT_PER_IP: "100000",
    RATE_LIMIT_GLOBAL_PER_HOUR: "100000",
    CONFIRMATIONS_PER_ADDRESS_PER_DAY: "100000",
  };
  for (let index = 0; index < 2; index += 1) replicas.push({ port: await freePort() });
  await Promise.all(replicas.map(startReplica));
  const envFile = path.join(dir, "service-portal.env");
  await writeFile(envFile, Object.entries(env).map(([key, value]) => `${key}=${value}\n`).join(""));
  await generateSecurityHeaders(envFile, path.join(dir, "security-headers.conf"));
  const site = await renderSite({
    "listen 80;": `listen 127.0.0.1:${await freePort()};`,
    "listen [::]:80;": "",
    "server 127.0.0.1:4321;": replicas.map(({ port }) => `server 127.0.0.1:${port};`).join("\n    "),
    "/srv/service-portal/dist": FIXTURE.dist,
    "/srv/service-portal/deploy/nginx/security-headers.conf": path.join(dir, "security-headers.conf"),
  });
  nginx = await startNginx(path.join(dir, "nginx"), site);
}, 120_000);

afterAll(async () => {
  await nginx?.stop();
  await Promise.all(replicas.map((replica) => replica.process?.stop()));
  await sink?.close();
  await postgres?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** Posts one request through nginx until some replica acknowledges it; returns its ticket id. */
async function send(key: string, index: number): Promise<string> {
  for (;;) {
    try {
      const token = await request(`${nginx.url}/api/form-token`);
      if (token.status === 200) {
        const { renderedAt, formSignature } = JSON.parse(token.body) as Record<string, string>;
        const body = JSON.stringify({ type: "consultation", name: "Client", email: `client${index}@client.example`, lang: "en", consent: true, question: `Question ${index}`, renderedAt, formSignature });
        const answer = await request(`${nginx.url}/api/requests`, {
          method: "POST",
          body,
          headers: { "Content-Type": "application/json", Accept: "application/json", "Sec-Fetch-Site": "same-origin", "Idempotency-Key": key },
        });
        if (answer.status === 202) return (JSON.parse(answer.body) as { id: string }).id;
        // 502/503 while a replica dies or starts: the client tries again with the same key.
        if (answer.status !== 502 && answer.status !== 503 && answer.status !== 504) throw new Error(`unexpected ${answer.status}: ${answer.body}`);
      }
    } catch (error) {
      if ((error as Error).message.startsWith("unexpected")) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("two replicas on PostgreSQL behind nginx, one SIGKILLed again and again", () => {
  it("loses no acknowledged request, gives each key one ticket, and duplicates share a Message-ID", async () => {
    const acknowledged = new Map<string, string>();
    let kills = 0;
    let next = 0;
    const clients = Array.from({ length: CLIENTS }, async () => {
      while (next < REQUESTS || kills < KILL_ROUNDS) {
        const index = next++;
        const key = `replica-key-${String(index).padStart(4, "0")}`;
        acknowledged.set(key, await send(key, index));
        // The same key again, as a browser retrying after a lost answer would: the same ticket.
        expect(await send(key, index)).toBe(acknowledged.get(key));
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    });
    const killer = (async () => {
      for (let round = 0; round < KILL_ROUNDS; round += 1) {
        const replica = replicas[Math.floor(Math.random() * replicas.length)]!;
        await new Promise((resolve) => setTimeout(resolve, 200 + Math.random() * 500));
        await replica.process?.stop("SIGKILL");
        kills += 1;
        await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 300));
        await startReplica(replica);
      }
    })();
    await killer;
    await Promise.all(clients);

    // Both replicas run again: whatever a killed one had claimed is taken over once its lease ends.
    await expect
      .poll(
        async () => {
          const health = JSON.parse((await request(`${nginx.url}/api/health`)).body) as { spool: { depth: number; deadLetters: number } };
          return health.spool;
        },
        { timeout: 60_000, interval: 250 },
      )
      .toEqual(expect.objectContaining({ depth: 0, deadLetters: 0 }));

    expect(acknowledged.size).toBe(next);
    expect(new Set(acknowledged.values()).size).toBe(next);
    let duplicates = 0;
    for (const id of acknowledged.values()) {
      for (const kind of ["team", "client"]) {
        const copies = sink.received.filter((mail) => mail.raw.includes(`X-Form-Request-ID: ${id}`) && mail.messageId?.includes(`.${kind}@`));
        expect(copies.length, `${id} ${kind}`).toBeGreaterThanOrEqual(1);
        expect(new Set(copies.map((mail) => mail.messageId)), `${id} ${kind}`).toEqual(new Set([`<${id}.${kind}@agency.example>`]));
        duplicates += copies.length - 1;
      }
      // Either replica answers the receipt page of any ticket.
      expect((await request(`${nginx.url}/en/request/received/?id=${id}`)).status).toBe(200);
    }
    console.log(`replicas: ${next} requests acknowledged through ${kills} SIGKILLs, ${sink.received.length} e-mails, ${duplicates} duplicates (same Message-ID)`);
  }, 240_000);
});
