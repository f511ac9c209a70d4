/**
 * A throwaway PostgreSQL for tests: Debian's binaries (`scripts/system-paths.mjs`; `npm test` installs
 * the package when missing), a cluster in a temporary folder, listening on 127.0.0.1 on a free port
 * with `trust` authentication. No vitest imports, so a test file's `beforeAll` and a `globalSetup`
 * can both start one.
 *
 * PostgreSQL refuses to run as root: as root, its programs run as the `postgres` user the Debian
 * package creates, in a folder owned by that user.
 */
import { execFile } from "node:child_process";
import { chown, mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { z } from "zod";
import { postgresBin } from "../../scripts/system-paths.mjs";

const run = promisify(execFile);

export type PostgresServer = {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` */
  url: string;
  /** A new empty database on this server; returns its URL. */
  createDatabase(): Promise<string>;
  /** Stops the server (fast shutdown: sessions are ended), keeping its data. */
  shutdown(): Promise<void>;
  /** Starts it again on the same port after `shutdown`. */
  start(): Promise<void>;
  /**
   * Holds the WAL writer still (SIGSTOP) until the next `crash`, so only a commit that flushes its own
   * WAL (a synchronous one) reaches the disk; an asynchronous commit waits for a writer that never comes.
   */
  holdWalWriter(): Promise<void>;
  /**
   * A crash: the WAL writer is killed, so the server drops every session and all shared memory, replays
   * its WAL from disk and accepts connections again (this waits for that).
   */
  crash(): Promise<void>;
  /** Fast shutdown, then the cluster's folder is removed. */
  stop(): Promise<void>;
};

const SETTINGS = [
  "-c listen_addresses=127.0.0.1",
  "-c fsync=on",
  "-c max_connections=50",
  // The server's default is made unsafe on purpose, so a store that left durability to it would
  // lose acknowledged requests in the crash tests: the store must ask for synchronous commits itself.
  "-c synchronous_commit=off",
];

export async function startPostgres(): Promise<PostgresServer> {
  const bin = postgresBin();
  if (!bin) throw new Error("PostgreSQL is not installed: run `node scripts/ensure-test-deps.mjs` (installs Debian's postgresql) or set PG_BIN");
  const asRoot = process.getuid?.() === 0;
  const dir = await mkdtemp(path.join(tmpdir(), "portal-pg-"));
  if (asRoot) await chown(dir, Number(await idOf("-u")), Number(await idOf("-g")));
  const data = path.join(dir, "data");
  const log = path.join(dir, "postgres.log");
  const program = (name: string, args: string[]) =>
    asRoot ? run("runuser", ["-u", "postgres", "--", path.join(bin, name), ...args]) : run(path.join(bin, name), args);
  const port = await freePort();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;

  const start = async () => {
    try {
      // -w: pg_ctl returns once the server accepts connections (it polls like pg_isready).
      await program("pg_ctl", ["start", "-D", data, "-l", log, "-w", "-t", "60", "-o", [...SETTINGS, `-p ${port}`, `-k ${dir}`].join(" ")]);
    } catch (error) {
      throw new Error(`PostgreSQL did not start (${describe(error)}); the end of its log:\n${await logTail(log)}`);
    }
  };
  const shutdown = async () => {
    await program("pg_ctl", ["stop", "-D", data, "-m", "fast", "-w", "-t", "60"]);
  };
  const walWriter = async () => {
    const { rows } = await query(url, "SELECT pid FROM pg_stat_activity WHERE backend_type = 'walwriter'");
    return z.object({ pid: z.number() }).parse(rows[0]).pid;
  };

  try {
    await program("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync"]).catch((error: unknown) => {
      throw new Error(`initdb failed: ${describe(error)}`);
    });
    await start();
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }

  let databases = 0;
  return {
    url,
    async createDatabase() {
      const name = `portal_test_${++databases}`;
      await query(url, `CREATE DATABASE ${name}`);
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    shutdown,
    start,
    async holdWalWriter() {
      process.kill(await walWriter(), "SIGSTOP");
    },
    async crash() {
      const killed = await walWriter();
      process.kill(killed, "SIGKILL");
      // Back once a new WAL writer runs; until then connections fail (or reach the server being reset).
      const deadline = Date.now() + 60_000;
      while (!(await walWriter().then((pid) => pid !== killed, () => false))) {
        if (Date.now() > deadline) throw new Error(`PostgreSQL did not come back after a crash; the end of its log:\n${await logTail(log)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async stop() {
      await shutdown().catch(() => {}); // already stopped by a test: nothing to stop
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function query(url: string, text: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

async function idOf(flag: "-u" | "-g"): Promise<string> {
  try {
    return (await run("id", [flag, "postgres"])).stdout.trim();
  } catch {
    throw new Error("PostgreSQL refuses to run as root and there is no `postgres` user to run it as (Debian's postgresql package creates it)");
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const describe = (error: unknown) => {
  const failed = error as { stderr?: string; message?: string };
  return (failed.stderr || failed.message || String(error)).trim();
};

async function logTail(log: string): Promise<string> {
  const text = await readFile(log, "utf8").catch(() => "(no log written)");
  return text.trimEnd().split("\n").slice(-20).join("\n");
}
