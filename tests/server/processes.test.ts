/**
 * The service as a process: invalid configuration stops it with one line (T17), SIGTERM lets
 * in-flight requests finish (T28), SIGKILL at random moments while sending loses nothing (T24), and
 * one process owns a spool folder at a time, so an overlapping restart loses nothing (audit D-1).
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { once } from "node:events";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { IMAGES, VALID, manualClock, startService } from "./helpers/service";
import { startSmtpSink } from "./helpers/smtp-sink";
import { FIXTURE, TEST_NOW } from "../setup/sites";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "form-service-process-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function run(script: string, env: Record<string, string>): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ["--import", "tsx", script], { env: { PATH: process.env.PATH ?? "", ...env }, stdio: "pipe" });
}

/** Resolves with the first stdout line matching `pattern`. */
function waitForLine(child: ChildProcessWithoutNullStreams, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let text = "";
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      const match = pattern.exec(text);
      if (match) {
        child.stdout.off("data", onData);
        resolve(match);
      }
    };
    child.stdout.on("data", onData);
    child.once("exit", (code) => reject(new Error(`exited with ${code} before printing ${pattern}`)));
  });
}

const serviceEnv = () => ({ PORT: "0", CONTENT_DIR: FIXTURE.content, SPOOL_DIR: path.join(dir, "spool"), MAIL_DIR: path.join(dir, "mail"), DIST_DIR: path.join(dir, "dist") });

describe("the service process", () => {
  it("T17: exits at start-up with one line naming the bad variable", async () => {
    // Side by side: each process stops as soon as it has read its configuration, before touching the spool.
    const bad = [["RATE_LIMIT_PER_IP", "abc"], ["TRUST_PROXY", "true"], ["BODY_LIMIT_KB", "0"]] as const;
    const exits = await Promise.all(
      bad.map(async ([name, value]) => {
        const child = run("server/main.ts", { ...serviceEnv(), [name]: value });
        let stderr = "";
        child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        const [code] = (await once(child, "exit")) as [number];
        return { name, code, stderr };
      }),
    );
    for (const { name, code, stderr } of exits) {
      expect(code, name).toBe(1);
      expect(stderr.trim().split("\n"), name).toHaveLength(1);
      expect(stderr, name).toMatch(new RegExp(`^Invalid configuration: ${name}: `));
    }
  });

  it("T28: on SIGTERM refuses new connections, finishes the request in flight with 202, and exits 0", async () => {
    const child = run("server/main.ts", { ...serviceEnv(), FORM_MIN_FILL_SECONDS: "0" });
    const [, port] = await waitForLine(child, /listening on http:\/\/localhost:(\d+)\//);
    const token = (await (await fetch(`http://127.0.0.1:${port}/api/form-token`)).json()) as Record<string, string>;
    const payload = Buffer.from(JSON.stringify({ ...VALID.extension, project: "fx-shop", renderedAt: token.renderedAt, formSignature: token.formSignature }));

    // `Expect: 100-continue` holds the body back until the server has taken the request: its
    // "100 Continue" says the request is in flight before the signal is sent.
    const request = httpRequest({
      host: "127.0.0.1",
      port,
      path: "/api/requests",
      method: "POST",
      headers: { "Sec-Fetch-Site": "same-origin", "Content-Type": "application/json", "Content-Length": String(payload.length), Expect: "100-continue" },
    });
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      request.on("response", (response) => {
        let text = "";
        response.on("data", (chunk: Buffer) => (text += chunk.toString()));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, text }));
      });
      request.on("error", reject);
    });
    request.flushHeaders();
    await once(request, "continue");
    const exited = once(child, "exit") as Promise<[number]>;
    child.kill("SIGTERM");
    await waitForLine(child, /shutdown\.start/);
    const refused = await new Promise((settle) => connect(Number(port), "127.0.0.1").on("connect", () => settle("connected")).on("error", (error: NodeJS.ErrnoException) => settle(error.code)));
    expect(refused).toBe("ECONNREFUSED");
    request.end(payload);
    const { status, text } = await answer;
    expect(status).toBe(202);
    const { id } = JSON.parse(text) as { id: string };
    const [code] = await exited;
    expect(code).toBe(0);
    const spool = path.join(dir, "spool");
    const kept = [...(await readdir(path.join(spool, "queue"))), ...(await readdir(path.join(spool, "done")))];
    expect(kept).toContain(id);
  });

  it("T24: SIGKILL at random moments while sending: every accepted request is delivered at least once, duplicates share a Message-ID", async () => {
    const sink = await startSmtpSink();
    let deliveries = 0;
    // Each message takes the server 100 ms, so sending everything outlasts several kills.
    sink.rejectData = () => new Promise((resolve) => setTimeout(() => resolve(++deliveries % 7 === 0 ? 451 : undefined), 100));
    const accepting = await startService({ smtpUrl: sink.url, dir, clock: manualClock(TEST_NOW) });
    const ids: string[] = [];
    for (let index = 0; index < 20; index += 1) {
      const fields = [VALID.warranty, VALID.support, VALID.consultation][index % 3]!;
      ids.push(((await (await accepting.post(fields, { files: index % 6 === 0 ? [{ name: "s.png", content: IMAGES.png }] : [] })).json()) as { id: string }).id);
    }
    await accepting.stop();

    const env = { ...serviceEnv(), SMTP_URL: sink.url, MAIL_FROM: "forms@agency.example", MAIL_TEAM: "fallback@agency.example", RETRY_BASE_SECONDS: "0.02", RETRY_CAP_SECONDS: "0.1", SENDER_CONCURRENCY: "2" };
    let kills = 0;
    try {
      const KILL_ROUNDS = 12;
      for (let round = 0; round <= KILL_ROUNDS; round += 1) {
        const child = run("tests/server/helpers/sender-child.ts", env);
        const exited = once(child, "exit") as Promise<[number | null, string | null]>;
        await waitForLine(child, /ready/);
        const killer = round === KILL_ROUNDS ? undefined : setTimeout(() => child.kill("SIGKILL"), 100 + Math.random() * 400);
        const [code, signal] = await exited;
        clearTimeout(killer);
        if (signal === "SIGKILL") kills += 1;
        if (code === 0) break;
      }
      const spool = path.join(dir, "spool");
      expect(await readdir(path.join(spool, "queue"))).toEqual([]);
      expect(await readdir(path.join(spool, "dead"))).toEqual([]);
      expect(kills).toBeGreaterThanOrEqual(3);
      for (const id of ids) {
        for (const kind of ["team", "client"]) {
          const copies = sink.received.filter((mail) => mail.raw.includes(`X-Form-Request-ID: ${id}`) && mail.raw.includes(`.${kind}@`));
          expect(copies.length, `${id} ${kind}`).toBeGreaterThanOrEqual(1);
          expect(new Set(copies.map((mail) => mail.messageId)), `${id} ${kind}`).toEqual(new Set([`<${id}.${kind}@agency.example>`]));
        }
      }
    } finally {
      await sink.close();
    }
  }, 90_000);
});

describe("one owner per spool (D-1)", () => {
  /** Starts the service and resolves with its port once it listens. */
  const start = async (env: Record<string, string> = {}) => {
    const child = run("server/main.ts", { ...serviceEnv(), FORM_MIN_FILL_SECONDS: "0", RATE_LIMIT_PER_IP: "100000", RATE_LIMIT_GLOBAL_PER_HOUR: "100000", ...env });
    const [, port] = await waitForLine(child, /listening on http:\/\/localhost:(\d+)\//);
    return { child, port: Number(port), exited: once(child, "exit") as Promise<[number | null, string | null]> };
  };
  const post = async (port: number, key: string) => {
    const token = (await (await fetch(`http://127.0.0.1:${port}/api/form-token`)).json()) as Record<string, string>;
    const body = JSON.stringify({ ...VALID.consultation, renderedAt: token.renderedAt, formSignature: token.formSignature });
    const response = await fetch(`http://127.0.0.1:${port}/api/requests`, {
      method: "POST",
      body,
      headers: { "Content-Type": "application/json", "Sec-Fetch-Site": "same-origin", Accept: "application/json", "Idempotency-Key": key },
    });
    return response.status === 202 ? ((await response.json()) as { id: string }).id : undefined;
  };
  const stored = async () => {
    const spool = path.join(dir, "spool");
    const kept = [...(await readdir(path.join(spool, "queue"))), ...(await readdir(path.join(spool, "done")))];
    return { kept, corrupt: await readdir(path.join(spool, "corrupt")) };
  };

  it("a second process refuses with one line naming the owner, and touches nothing of the first one's", async () => {
    const first = await start();
    try {
      // A request the first process is still writing: the second one must not clear it.
      const staging = path.join(dir, "spool", "tmp", "in-flight");
      await mkdir(staging);
      await writeFile(path.join(staging, "request.json"), "{}");
      const second = run("server/main.ts", { ...serviceEnv(), SPOOL_LOCK_WAIT_SECONDS: "0.3" });
      let stderr = "";
      second.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      const [code] = (await once(second, "exit")) as [number];
      expect(code).toBe(1);
      expect(stderr.trim().split("\n")).toHaveLength(1);
      expect(stderr).toContain(`is in use by process ${first.child.pid}`);
      expect(await readdir(staging)).toEqual(["request.json"]);
      expect(await post(first.port, "after-the-refusal-0001")).toBeDefined();
    } finally {
      first.child.kill("SIGTERM");
      await first.exited;
    }
  });

  it("an overlapping restart waits for the old process and loses no acknowledged request", async () => {
    const old = await start();
    const acknowledged: string[] = [];
    let posting = true;
    let target = old.port;
    const client = (async () => {
      for (let index = 0; posting; index += 1) {
        const id = await post(target, `overlap-key-${String(index).padStart(6, "0")}`).catch(() => undefined);
        if (id) acknowledged.push(id);
      }
    })();
    const replacement = run("server/main.ts", { ...serviceEnv(), FORM_MIN_FILL_SECONDS: "0", RATE_LIMIT_PER_IP: "100000", RATE_LIMIT_GLOBAL_PER_HOUR: "100000" });
    const listening = waitForLine(replacement, /listening on http:\/\/localhost:(\d+)\//);
    await expect.poll(() => acknowledged.length, { timeout: 20_000, interval: 20 }).toBeGreaterThanOrEqual(20);
    const beforeStop = acknowledged.length;
    old.child.kill("SIGTERM");
    await old.exited;
    const [, port] = await listening;
    target = Number(port);
    await expect.poll(() => acknowledged.length, { timeout: 20_000, interval: 20 }).toBeGreaterThanOrEqual(beforeStop + 20);
    posting = false;
    await client;
    const exited = once(replacement, "exit");
    replacement.kill("SIGTERM");
    await exited;
    const { kept, corrupt } = await stored();
    expect(corrupt).toEqual([]);
    expect(acknowledged.filter((id) => !kept.includes(id))).toEqual([]);
  }, 60_000);

  it("a killed owner's lock is taken over at once", async () => {
    const killed = await start();
    const id = await post(killed.port, "before-the-kill-0001");
    killed.child.kill("SIGKILL");
    await killed.exited;
    const next = await start({ SPOOL_LOCK_WAIT_SECONDS: "0" });
    try {
      expect(await post(next.port, "before-the-kill-0001")).toBe(id);
    } finally {
      next.child.kill("SIGTERM");
      await next.exited;
    }
  });
});
