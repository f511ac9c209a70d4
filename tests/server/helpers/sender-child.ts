/**
 * A sender process for the crash test: opens the spool named by the environment (recovering what
 * a kill left), sends until the queue is empty, exits 0. The test SIGKILLs it at random moments.
 */
import { systemClock } from "../../../server/clock";
import { loadConfig } from "../../../server/config";
import { silentLogger } from "../../../server/log";
import { createMailer } from "../../../server/mailer";
import { Sender } from "../../../server/sender";
import { Spool } from "../../../server/spool";
import { testContent } from "./service";

const config = loadConfig();
const spool = await Spool.open({ dir: config.spoolDir, clock: systemClock, logger: silentLogger });
const mailer = createMailer(config);
const sender = new Sender({ spool, mailer, content: testContent, config, clock: systemClock, logger: silentLogger });
process.stdout.write("ready\n");
while ((await spool.stats()).depth > 0) {
  await sender.runDue();
  await new Promise((resolve) => setTimeout(resolve, 10));
}
mailer.close();
process.exit(0);
