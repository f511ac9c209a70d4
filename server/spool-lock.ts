/**
 * One owner per spool folder (audit D-1: a second process on the same folder destroyed entries the
 * first was acknowledging). The owner holds `owner.lock`, created exclusively, naming its pid, host
 * and process start time. Another process waits for it to go — an overlapping restart or deploy —
 * and then refuses to start with one line. A lock whose process is gone (killed) is taken over; the
 * takeover is serialised by a second exclusive file, so two starting processes never both break it.
 */
import { readFileSync } from "node:fs";
import { open, readFile, rm, stat } from "node:fs/promises";
import { hostname } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { errorCode } from "./store";

const LOCK_FILE = "owner.lock";
/** A lock or breaker file younger than this may still be being written by a starting process. */
const WRITE_GRACE_MS = 5_000;

const OwnerSchema = z.object({
  pid: z.number().int().positive(),
  host: z.string(),
  /** The process's start time in clock ticks since boot (Linux), so a reused pid is not taken for the owner. */
  started: z.string().optional(),
  since: z.string(),
});
type Owner = z.infer<typeof OwnerSchema>;

export type SpoolLock = { release(): Promise<void> };

/** Another live process owns the spool; the message is the one line the service prints. */
export class SpoolLockedError extends Error {
  override name = "SpoolLockedError";
}

/** Field 22 of /proc/<pid>/stat; undefined where there is no /proc. */
function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

function isAlive(owner: Owner): boolean {
  if (owner.host !== hostname()) return true; // cannot look at another machine's processes: assume it runs
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if (errorCode(error) === "ESRCH") return false;
  }
  const started = processStart(owner.pid);
  return owner.started === undefined || started === undefined || started === owner.started;
}

async function ageMs(file: string): Promise<number> {
  return Date.now() - (await stat(file)).mtimeMs;
}

/** Reads the lock; `undefined` when it is gone, `"unreadable"` while it is half-written or damaged. */
async function readOwner(file: string): Promise<{ text: string; owner: Owner | "unreadable" } | undefined> {
  try {
    const text = await readFile(file, "utf8");
    const parsed = OwnerSchema.safeParse((() => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return undefined;
      }
    })());
    return { text, owner: parsed.success ? parsed.data : "unreadable" };
  } catch (error) {
    if (errorCode(error) === "ENOENT") return undefined;
    throw error;
  }
}

async function createExclusive(file: string, text: string): Promise<boolean> {
  try {
    const handle = await open(file, "wx", 0o600);
    try {
      await handle.writeFile(text);
    } finally {
      await handle.close();
    }
    return true;
  } catch (error) {
    if (errorCode(error) === "EEXIST") return false;
    throw error;
  }
}

/** Removes the lock if it still holds `seen` and its owner is gone; only one process at a time may try. */
async function breakIfStale(file: string, seen: string): Promise<void> {
  const breaker = `${file}.break`;
  if (!(await createExclusive(breaker, String(process.pid)))) {
    // A breaker left by a process killed mid-takeover would block everyone for good.
    if (await ageMs(breaker).then((age) => age > WRITE_GRACE_MS, () => false)) await rm(breaker, { force: true });
    return;
  }
  try {
    const current = await readOwner(file);
    if (!current || current.text !== seen) return;
    const stale = current.owner === "unreadable" ? await ageMs(file).then((age) => age > WRITE_GRACE_MS, () => false) : !isAlive(current.owner);
    if (stale) await rm(file, { force: true });
  } finally {
    await rm(breaker, { force: true });
  }
}

/**
 * Takes the spool folder's lock, waiting up to `waitMs` for a live owner to stop; throws
 * `SpoolLockedError` (one line naming the owner) when it does not.
 */
export async function acquireSpoolLock(root: string, { waitMs, pollMs = 100 }: { waitMs: number; pollMs?: number }): Promise<SpoolLock> {
  const file = path.join(root, LOCK_FILE);
  const mine: Owner = { pid: process.pid, host: hostname(), started: processStart(process.pid), since: new Date().toISOString() };
  const text = JSON.stringify(mine);
  const deadline = Date.now() + waitMs;
  for (;;) {
    if (await createExclusive(file, text)) {
      return {
        async release() {
          const current = await readOwner(file).catch(() => undefined);
          if (current?.text === text) await rm(file, { force: true });
        },
      };
    }
    const current = await readOwner(file);
    if (current) {
      const alive = current.owner === "unreadable" || isAlive(current.owner);
      if (!alive || current.owner === "unreadable") await breakIfStale(file, current.text);
      else if (Date.now() >= deadline) {
        const { pid, host, since } = current.owner;
        throw new SpoolLockedError(`The spool ${root} is in use by process ${pid} on ${host} (since ${since}); stop it first, or give this instance its own SPOOL_DIR or a shared DATABASE_URL.`);
      }
    }
    await sleep(pollMs);
  }
}
