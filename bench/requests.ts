/**
 * The form service on loopback, in one run:
 * 1. durable accepts: the service with a temporary file spool, loaded by autocannon for a fixed time
 *    with JSON warranty claims (each with its own Idempotency-Key); checks that every id answered
 *    with 202 is in the spool;
 * 2. the same load on a bare Express app that parses the JSON and answers 202 without storing it:
 *    the accept path's cost as a ratio;
 * 3. the sender draining what was accepted into a local SMTP server (smtp-server, counting only):
 *    requests/s with both e-mails accepted, and the SMTP connections it took.
 */
import { once } from "node:events";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import express from "express";
import { SMTPServer } from "smtp-server";
import { loadServerContent } from "../src/lib/content-files";
import { createApp } from "../server/app";
import { systemClock } from "../server/clock";
import { loadConfig } from "../server/config";
import { silentLogger } from "../server/log";
import { createMailer } from "../server/mailer";
import { Sender } from "../server/sender";
import { FileSpool } from "../server/spool";

const CONNECTIONS = 16;
const DURATION_SECONDS = 8;

const listen = async (server: Server) => {
  await once(server, "listening");
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

/** An SMTP server that accepts everything and counts messages and connections. */
async function countingSmtp() {
  const counts = { messages: 0, connections: 0 };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    disableReverseLookup: true,
    logger: false,
    onConnect: (_session, callback) => ((counts.connections += 1), callback()),
    onData: (stream, _session, callback) => {
      stream.resume();
      stream.on("end", () => ((counts.messages += 1), callback()));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return { counts, url: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const dir = await mkdtemp(path.join(tmpdir(), "bench-requests-"));
const smtp = await countingSmtp();
const config = loadConfig({
  PORT: "0",
  SPOOL_DIR: path.join(dir, "spool"),
  MAIL_DIR: path.join(dir, "mail"),
  DIST_DIR: path.join(dir, "dist"),
  SMTP_URL: smtp.url,
  MAIL_FROM: "forms@agency.example",
  MAIL_TEAM: "team@agency.example",
  FORM_MIN_FILL_SECONDS: "0",
  RATE_LIMIT_PER_IP: "1000000",
  RATE_LIMIT_GLOBAL_PER_HOUR: "1000000",
  CONFIRMATIONS_PER_ADDRESS_PER_DAY: "1000000",
});
const content = loadServerContent(config.contentDir);
const spool = await FileSpool.open({ dir: config.spoolDir, clock: systemClock, logger: silentLogger });
const mailer = createMailer(config);
const server = createApp({ config, clock: systemClock, spool, mailer, content, logger: silentLogger }).listen(0, "127.0.0.1");
const url = await listen(server);

const token = (await (await fetch(`${url}/api/form-token`)).json()) as { renderedAt: string; formSignature: string };
const project = [...content.projects.keys()][0];
const body = JSON.stringify({
  type: "warranty",
  name: "Bench Client",
  email: "bench@client.example",
  lang: "en",
  consent: true,
  project,
  pageUrl: "https://shop.example/cart",
  happened: "The cart is empty after login. ".repeat(20),
  expected: "The cart keeps its items.",
  ...token,
});

/** Posts `body` for DURATION_SECONDS over CONNECTIONS, each request with its own Idempotency-Key. */
async function load(target: string, onAccepted: (responseBody: string) => void) {
  let keys = 0;
  return autocannon({
    url: `${target}/api/requests`,
    connections: CONNECTIONS,
    duration: DURATION_SECONDS,
    requests: [
      {
        method: "POST",
        headers: { "Content-Type": "application/json", "Sec-Fetch-Site": "same-origin", Accept: "application/json" },
        body,
        setupRequest: (request) => ({ ...request, headers: { ...request.headers, "Idempotency-Key": `bench-key-${(keys += 1)}` } }),
        onResponse: (status, responseBody) => {
          if (status === 202) onAccepted(responseBody);
        },
      },
    ],
  });
}

const accepted: string[] = [];
const result = await load(url, (responseBody) => accepted.push((JSON.parse(responseBody) as { id: string }).id));

// Requests cut off when the measuring window closed still finish writing their entries (the client
// is gone, the handler is not); wait for tmp/ to empty before checking the spool.
server.close();
server.closeIdleConnections();
await once(server, "close");
for (let waited = 0; waited < 50 && (await readdir(path.join(config.spoolDir, "tmp"))).length > 0; waited += 1) {
  await new Promise((resolve) => setTimeout(resolve, 100));
}
const stored = new Set(await readdir(path.join(config.spoolDir, "queue")));
const missing = accepted.filter((id) => !stored.has(id));

const bare = express();
bare.post("/api/requests", express.json(), (_req, res) => void res.status(202).json({ id: "X" }));
const bareServer = bare.listen(0, "127.0.0.1");
let bareAccepted = 0;
const bareResult = await load(await listen(bareServer), () => (bareAccepted += 1));
bareServer.close();

const sender = new Sender({ spool, mailer, content, config, clock: systemClock, logger: silentLogger });
const drainStart = performance.now();
await sender.runDue();
const drainSeconds = (performance.now() - drainStart) / 1000;
const drained = stored.size - (await spool.stats()).depth;
mailer.close();
await spool.close();
await smtp.close();
await rm(dir, { recursive: true, force: true });

const perSecond = (count: number) => count / DURATION_SECONDS;
console.log(`requests (JSON ${body.length} B, ${CONNECTIONS} connections, ${DURATION_SECONDS} s, loopback)`);
console.log(`  durable accept:  ${perSecond(accepted.length).toFixed(0)} requests/s (${accepted.length} × 202, ${result.non2xx} non-2xx, ${result.errors} errors), p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms`);
console.log(`  bare Express:    ${perSecond(bareAccepted).toFixed(0)} requests/s, p50 ${bareResult.latency.p50} ms, p99 ${bareResult.latency.p99} ms (parses JSON, stores nothing)`);
console.log(`  ratio:           ${(accepted.length / Math.max(1, bareAccepted)).toFixed(2)} of a bare Express app`);
console.log(`  spool:           ${missing.length === 0 ? `all ${accepted.length} accepted ids found` : `${missing.length} accepted ids MISSING`}`);
console.log(`  drain to SMTP:   ${(drained / drainSeconds).toFixed(0)} requests/s (${drained} requests, ${smtp.counts.messages} e-mails in ${drainSeconds.toFixed(1)} s over ${smtp.counts.connections} SMTP connections, ${config.senderConcurrency} at once)`);
if (missing.length > 0 || accepted.length === 0 || drained < stored.size) process.exit(1);
