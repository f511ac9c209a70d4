/**
 * The whole portal in-process for browser journeys: the real app factory serving the built `dist/`
 * and `/api` with the real content, a temporary spool, a real SMTP server on loopback, and a clock
 * the test sets (the browser's clock is set to the same instant, so both compute the same deadlines).
 */
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { createApp } from "../../server/app";
import { loadConfig } from "../../server/config";
import { createLogger } from "../../server/log";
import { createMailer } from "../../server/mailer";
import { Sender } from "../../server/sender";
import { FileSpool } from "../../server/spool";
import { loadServerContent } from "../../src/lib/content-files";
import { startSmtpSink, type SmtpSink } from "../server/helpers/smtp-sink";

export type Portal = Awaited<ReturnType<typeof startPortal>>;

/** The portal over a built site and its content; the tests use the fixture site, the benches `dist/` and `content/`. */
export async function startPortal(startAt: number, site: { dist: string; content: string } = { dist: path.resolve("dist"), content: path.resolve("content") }) {
  const dir = await mkdtemp(path.join(tmpdir(), "portal-"));
  const smtp: SmtpSink = await startSmtpSink();
  let now = startAt;
  const clock = { now: () => now };
  const config = loadConfig({
    PORT: "0",
    SPOOL_DIR: path.join(dir, "spool"),
    DIST_DIR: site.dist,
    CONTENT_DIR: site.content,
    SMTP_URL: smtp.url,
    MAIL_FROM: "forms@agency.example",
    MAIL_TEAM: "fallback-team@agency.example",
    RATE_LIMIT_PER_IP: "100", // journeys send more than a person would in ten minutes
  });
  const logger = createLogger(() => undefined);
  const content = loadServerContent(config.contentDir);
  const spool = await FileSpool.open({ dir: config.spoolDir, clock, logger });
  const mailer = createMailer(config);
  const sender = new Sender({ spool, mailer, content, config, clock, logger });
  const server: Server = createServer(createApp({ config, clock, spool, mailer, content, logger, delivery: sender }));
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    smtp,
    spool,
    content,
    /** Moves the service's clock, e.g. past the minimum time a person needs to fill a form. */
    advance: (ms: number) => (now += ms),
    now: () => now,
    /** Sends whatever is due, as the sender loop would. */
    deliver: () => sender.runDue(),
    async stop() {
      server.closeAllConnections();
      server.close();
      await sender.stop();
      mailer.close();
      await spool.close();
      await smtp.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
