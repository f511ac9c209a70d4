/**
 * Durable accepts on loopback: the form service with a temporary spool and the file mailer,
 * loaded by autocannon for a fixed time with JSON warranty claims (each with its own
 * Idempotency-Key). Prints accepted requests/s and p50/p99 latency, then checks that every id
 * answered with 202 is in the spool. The sender is not running, so only accepting is measured.
 */
import { once } from "node:events";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { loadServerContent } from "../src/lib/content-files";
import { createApp } from "../server/app";
import { systemClock } from "../server/clock";
import { loadConfig } from "../server/config";
import { silentLogger } from "../server/log";
import { createMailer } from "../server/mailer";
import { Spool } from "../server/spool";

const CONNECTIONS = 16;
const DURATION_SECONDS = 8;

const dir = await mkdtemp(path.join(tmpdir(), "bench-requests-"));
const config = loadConfig({
  PORT: "0",
  SPOOL_DIR: path.join(dir, "spool"),
  MAIL_DIR: path.join(dir, "mail"),
  DIST_DIR: path.join(dir, "dist"),
  FORM_MIN_FILL_SECONDS: "0",
  RATE_LIMIT_PER_IP: "1000000",
  RATE_LIMIT_GLOBAL_PER_HOUR: "1000000",
  CONFIRMATIONS_PER_ADDRESS_PER_DAY: "1000000",
});
const content = loadServerContent(config.contentDir);
const spool = await Spool.open({ dir: config.spoolDir, clock: systemClock, logger: silentLogger });
const mailer = createMailer(config);
const server = createApp({ config, clock: systemClock, spool, mailer, content, logger: silentLogger }).listen(0, "127.0.0.1");
await once(server, "listening");
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

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

const accepted: string[] = [];
let keys = 0;
const result = await autocannon({
  url: `${url}/api/requests`,
  connections: CONNECTIONS,
  duration: DURATION_SECONDS,
  requests: [
    {
      method: "POST",
      headers: { "Content-Type": "application/json", "Sec-Fetch-Site": "same-origin", Accept: "application/json" },
      body,
      setupRequest: (request) => ({ ...request, headers: { ...request.headers, "Idempotency-Key": `bench-key-${(keys += 1)}` } }),
      onResponse: (status, responseBody) => {
        if (status === 202) accepted.push((JSON.parse(responseBody) as { id: string }).id);
      },
    },
  ],
});

// Requests cut off when the measuring window closed still finish writing their entries (the client
// is gone, the handler is not); wait for tmp/ to empty before checking and removing the spool.
server.close();
server.closeIdleConnections();
await once(server, "close");
for (let waited = 0; waited < 50 && (await readdir(path.join(config.spoolDir, "tmp"))).length > 0; waited += 1) {
  await new Promise((resolve) => setTimeout(resolve, 100));
}
mailer.close();
const stored = new Set(await readdir(path.join(config.spoolDir, "queue")));
const missing = accepted.filter((id) => !stored.has(id));
await rm(dir, { recursive: true, force: true });

console.log(`requests (durable accept, JSON ${body.length} B, ${CONNECTIONS} connections, ${DURATION_SECONDS} s, loopback)`);
console.log(`  accepted:  ${(accepted.length / DURATION_SECONDS).toFixed(0)} requests/s (${accepted.length} × 202, ${result.non2xx} non-2xx, ${result.errors} errors)`);
console.log(`  latency:   p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms`);
console.log(`  spool:     ${missing.length === 0 ? `all ${accepted.length} accepted ids found` : `${missing.length} accepted ids MISSING`}`);
if (missing.length > 0 || accepted.length === 0) process.exit(1);
