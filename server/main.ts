/**
 * Entry point, and the only file that listens: reads the configuration and content, opens the
 * spool (recovering anything a crash left), starts the sender, serves the site and `/api`.
 * SIGTERM/SIGINT: stop accepting connections, let in-flight requests finish, stop the sender
 * after its current message, close the mail transport, exit.
 */
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { loadServerContent } from "../src/lib/content-files";
import { createApp } from "./app";
import { systemClock } from "./clock";
import { ConfigError, loadConfig, type Config } from "./config";
import { createLogger } from "./log";
import { createMailer } from "./mailer";
import { Sender } from "./sender";
import { openSpool } from "./open-spool";

/** How long in-flight requests get to finish on shutdown before their connections are cut. */
const SHUTDOWN_GRACE_MS = 10_000;

function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

async function main(): Promise<void> {
  const config = configOrExit();
  const logger = createLogger();
  const clock = systemClock;
  const content = loadServerContent(config.contentDir);
  const spool = await openSpool(config, { clock, logger });
  const mailer = createMailer(config);
  const sender = new Sender({ spool, mailer, content, config, clock, logger });
  const app = createApp({ config, clock, spool, mailer, content, logger, delivery: sender });

  const server = createServer(app);
  server.requestTimeout = config.requestTimeoutMs;
  server.headersTimeout = Math.min(config.requestTimeoutMs, 60_000);
  server.listen(config.port, config.host);
  await once(server, "listening");
  sender.start();

  const { port } = server.address() as AddressInfo;
  const shownHost = config.host === "127.0.0.1" || config.host === "::1" || config.host === "0.0.0.0" ? "localhost" : config.host;
  process.stdout.write(`Service portal listening on http://${shownHost}:${port}/ (site and /api; bound to ${config.host})\n`);
  process.stdout.write(
    mailer.info.kind === "file"
      ? `No SMTP_URL set: e-mails are written as .eml files to ${mailer.info.directory}\n`
      : `E-mails go to ${mailer.info.server}\n`,
  );
  process.stdout.write(`Accepted requests are kept in ${spool.description}\n`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const closed = once(server, "close");
    server.close();
    logger.info("shutdown.start", { signal });
    // Keep-alive connections go as soon as their request is answered, not after their idle timeout.
    const reaper = setInterval(() => server.closeIdleConnections(), 100);
    const grace = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
    await closed;
    clearInterval(reaper);
    clearTimeout(grace);
    await sender.stop();
    mailer.close();
    await spool.close();
    logger.info("shutdown.done");
    process.exit(0);
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((error: unknown) => {
  // Content errors list one problem per line; anything else is a start-up failure in one line.
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
