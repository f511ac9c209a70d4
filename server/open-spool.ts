/** The store the configuration names: PostgreSQL for replicas (`DATABASE_URL`), else the file spool. */
import type { Clock } from "./clock";
import type { Config } from "./config";
import type { Logger } from "./log";
import { FileSpool } from "./spool";
import type { Spool } from "./store";

export async function openSpool(config: Config, { clock, logger }: { clock: Clock; logger: Logger }): Promise<Spool> {
  if (config.databaseUrl) {
    const { PostgresSpool } = await import("./pg-spool");
    return PostgresSpool.open({ url: config.databaseUrl, secret: config.formSecret, clock, logger });
  }
  return FileSpool.open({ dir: config.spoolDir, secret: config.formSecret, clock, logger, lockWaitMs: config.spoolLockWaitMs });
}

/** The same store for the operator's tool, beside a running service (the file spool without taking its lock). */
export async function inspectSpool(config: Config, { clock, logger }: { clock: Clock; logger: Logger }): Promise<Spool> {
  if (config.databaseUrl) return openSpool(config, { clock, logger });
  return FileSpool.inspect({ dir: config.spoolDir, secret: config.formSecret, clock, logger });
}
