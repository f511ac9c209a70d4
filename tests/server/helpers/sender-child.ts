/**
 * A sender process for the crash test: opens the spool named by the environment (recovering what
 * a kill left), sends until the queue is empty, exits 0. The test SIGKILLs it at random moments.
 * Its clock jumps to the next retry when nothing is due, so it never sleeps through a backoff.
 */
import type { Clock } from "../../../server/clock";
import { loadConfig } from "../../../server/config";
import { silentLogger } from "../../../server/log";
import { createMailer } from "../../../server/mailer";
import { Sender } from "../../../server/sender";
import { FileSpool } from "../../../server/spool";
import { MAIL_KINDS } from "../../../server/store";
import { TEST_NOW } from "../../setup/sites";
import { testContent } from "./service";

// An hour after the test accepted its requests at TEST_NOW, so everything is due.
let now = TEST_NOW + 3_600_000;
const clock: Clock = { now: () => now };
const config = loadConfig();
// A killed predecessor's lock is taken over at once; a live one would be waited for.
const spool = await FileSpool.open({ dir: config.spoolDir, clock, logger: silentLogger });
const mailer = createMailer(config);
const sender = new Sender({ spool, mailer, content: testContent, config, clock, logger: silentLogger });
process.stdout.write("ready\n");
for (;;) {
  if ((await sender.runDue()) > 0) continue;
  const pending = await spool.list("queue", Number.POSITIVE_INFINITY);
  if (pending.length === 0) break;
  const retries = pending.flatMap(({ state }) => MAIL_KINDS.filter((kind) => state?.[kind].status === "queued").map((kind) => state![kind].nextAttemptAt));
  if (retries.length === 0) throw new Error("entries pending with nothing left to send");
  now = Math.max(now, Math.min(...retries));
}
mailer.close();
await spool.close();
process.exit(0);
