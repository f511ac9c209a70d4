/**
 * The spool's promises (research note R1–R7, T25–T27): a failure at any write step is a 503 with
 * nothing left behind; a full disk is refused before the body is read; corrupt entries are moved
 * aside at start-up; interrupted sends are requeued.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FileSystem } from "../../server/durable-fs";
import { observedFileSystem, type FsCall } from "./helpers/observed-fs";
import { IMAGES, VALID, manualClock, startService, type Service } from "./helpers/service";
import { startSmtpSink, type SmtpSink } from "./helpers/smtp-sink";

type Step = "mkdir" | "write" | "sync" | "rename";
/** The real file system, except that `failing` steps under the spool's tmp/ or queue/ throw ENOSPC or EIO. */
function faultyFileSystem(control: { failing?: { step: Step; code: string } | undefined; freeBytes?: number }): FileSystem {
  const fs = observedFileSystem((call) => {
    const failing = control.failing;
    const target = call.op === "rename" ? call.to : call.path;
    if (failing?.step === call.op && /[/\\](tmp|queue)([/\\]|$)/.test(target)) throw Object.assign(new Error(`${call.op} failed`), { code: failing.code });
  });
  return {
    ...fs,
    statfs: (async (target: string) => {
      const stats = await fs.statfs(target);
      return control.freeBytes === undefined ? stats : { ...stats, bavail: Math.floor(control.freeBytes / stats.bsize) };
    }) as FileSystem["statfs"],
  };
}

let sink: SmtpSink;
beforeAll(async () => {
  sink = await startSmtpSink();
});
afterAll(async () => {
  await sink.close();
});

const listing = async (service: Service) =>
  Object.fromEntries(await Promise.all(["tmp", "queue", "quarantine"].map(async (folder) => [folder, (await readdir(path.join(service.config.spoolDir, folder))).length])));

describe("durable accept", () => {
  it("T25: answers 503 + Retry-After when any write, fsync, rename or mkdir fails, leaving no partial entry", async () => {
    const control: Parameters<typeof faultyFileSystem>[0] = {};
    const service = await startService({ smtpUrl: sink.url, fs: faultyFileSystem(control) });
    try {
      for (const [step, code] of [["write", "ENOSPC"], ["sync", "EIO"], ["rename", "ENOSPC"], ["mkdir", "EDQUOT"]] as const) {
        const before = await listing(service);
        control.failing = { step, code };
        const response = await service.post(VALID.warranty, { files: [{ name: "a.png", content: IMAGES.png }] });
        control.failing = undefined;
        expect(response.status, step).toBe(503);
        expect(response.headers.get("retry-after"), step).toBe("30");
        expect(((await response.json()) as { error: string }).error).toBe("unavailable");
        expect(await listing(service), step).toEqual(before);
      }
      expect((await service.post(VALID.warranty)).status).toBe(202); // and it recovers
      expect(service.logs.filter((line) => line.includes("spool.unavailable"))).toHaveLength(4);
    } finally {
      await service.stop();
    }
  });

  it("T26: refuses with 503 before reading the body when the disk is nearly full", async () => {
    const service = await startService({ smtpUrl: sink.url, fs: faultyFileSystem({ freeBytes: 1024 * 1024 }) });
    try {
      const url = new URL(`${service.url}/api/requests`);
      // Headers only, body never sent: the answer can only come before the body is read.
      const status = await new Promise<number>((resolve, reject) => {
        const request = httpRequest({
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: "POST",
          headers: { "Sec-Fetch-Site": "same-origin", "Content-Type": "multipart/form-data; boundary=XYZ", "Content-Length": String(20 * 1024 * 1024) },
        });
        request.on("response", (response) => {
          resolve(response.statusCode ?? 0);
          request.destroy();
        });
        request.on("error", reject);
        request.flushHeaders();
      });
      expect(status).toBe(503);
      const health = await fetch(`${service.url}/api/health`);
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({ status: "unavailable", ready: false });
    } finally {
      await service.stop();
    }
  });
});

describe("what reaches the disk, in which order", () => {
  let service: Service;
  let calls: FsCall[] | undefined;
  beforeAll(async () => {
    service = await startService({ smtpUrl: sink.url, fs: observedFileSystem((call) => calls?.push(call)) });
  });
  afterAll(() => service.stop());

  /** The file-system calls made while `run` runs, paths relative to the spool. */
  async function record<T>(run: () => Promise<T>): Promise<{ result: T; calls: FsCall[] }> {
    calls = [];
    try {
      const result = await run();
      const relative = (file: string) => path.relative(service.config.spoolDir, file);
      return { result, calls: calls.map((call) => ({ ...call, path: relative(call.path), ...(call.op === "rename" ? { to: relative(call.to) } : {}) })) };
    } finally {
      calls = undefined;
    }
  }

  /** What was done to one path, with each call's position in the whole record. */
  const stepsOn = (record: FsCall[], file: string) =>
    record.flatMap((call, index) => (call.path === file ? [{ step: call.op === "open" ? `open ${call.flags}` : call.op, index }] : []));

  it("an accepted request: every file opened new, written, fsynced and closed before its folder is fsynced and renamed into queue/, which is fsynced after", async () => {
    const { result: response, calls } = await record(() =>
      service.post(VALID.warranty, { files: [{ name: "a.png", content: IMAGES.png }, { name: "b.jpg", content: IMAGES.jpeg }] }),
    );
    const { id } = (await response.json()) as { id: string };
    const entry = path.join("queue", id);
    const published = calls.findIndex((call) => call.op === "rename" && call.to === entry);
    expect(published).toBeGreaterThan(-1);
    const staging = calls[published]!.path;
    expect(path.dirname(staging)).toBe("tmp");

    const folder = stepsOn(calls, staging);
    expect(folder.map(({ step }) => step)).toEqual(["mkdir", "open r", "sync", "close", "rename"]);
    const folderSynced = folder[2]!.index;
    const files = (await readdir(path.join(service.config.spoolDir, entry))).sort();
    expect(files).toEqual(["att-1.png", "att-2.jpg", "receipt.json", "request.json", "state.json"]);
    for (const file of files) {
      const steps = stepsOn(calls, path.join(staging, file));
      expect(steps.map(({ step }) => step), file).toEqual(["open wx", "write", "sync", "close"]);
      expect(steps.at(-1)!.index, file).toBeLessThan(folderSynced);
    }
    expect(stepsOn(calls, "queue").filter(({ index }) => index > published).map(({ step }) => step)).toEqual(["open r", "sync", "close"]);
  });

  it("a state update after a failed attempt: a new temporary file, fsynced, renamed over state.json, the folder fsynced; never rewritten in place", async () => {
    const { id } = (await (await service.post(VALID.support)).json()) as { id: string };
    sink.rejectData = () => 451;
    const { calls } = await record(() => service.sender.runDue()).finally(() => (sink.rejectData = () => undefined));
    const folder = path.join("queue", id);
    const state = path.join(folder, "state.json");
    expect(stepsOn(calls, state).filter(({ step }) => /^open .*[wa+]/.test(step))).toEqual([]); // read, never opened to write
    const replaced = calls.flatMap((call, index) => (call.op === "rename" && call.to === state ? [index] : []));
    expect(replaced).toHaveLength(4); // before and after each attempt, team and client
    for (const [n, renamed] of replaced.entries()) {
      const temporary = calls[renamed]!.path;
      expect(path.dirname(temporary)).toBe(folder);
      expect(stepsOn(calls, temporary).map(({ step }) => step)).toEqual(["open wx", "write", "sync", "close", "rename"]);
      const next = replaced[n + 1] ?? calls.length;
      expect(stepsOn(calls, folder).filter(({ index }) => index > renamed && index < next).map(({ step }) => step)).toEqual(["open r", "sync", "close"]);
    }
    const saved = JSON.parse(await readFile(path.join(service.config.spoolDir, state), "utf8"));
    expect(saved.team).toMatchObject({ status: "queued", attempts: 1 });
  });
});

describe("start-up recovery", () => {
  it("T27: moves a corrupt entry to corrupt/ and still sends the others", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "form-service-"));
    try {
      await sink.down();
      const clock = manualClock();
      const first = await startService({ smtpUrl: sink.url, dir, clock });
      const ids: string[] = [];
      for (const fields of [VALID.warranty, VALID.support]) ids.push(((await (await first.post(fields)).json()) as { id: string }).id);
      await first.stop();
      await writeFile(path.join(first.config.spoolDir, "queue", ids[0]!, "request.json"), '{"version":1,"fields":{"name":"Iv');
      await sink.up();

      const second = await startService({ smtpUrl: sink.url, dir, clock });
      try {
        expect(await readdir(path.join(second.config.spoolDir, "queue"))).toEqual([ids[1]]);
        expect((await readdir(path.join(second.config.spoolDir, "corrupt")))[0]).toMatch(new RegExp(`^${ids[0]}-`));
        expect(second.logs.some((line) => line.includes("spool.corrupt-entry") && line.includes(ids[0]!))).toBe(true);
        await second.sender.runDue();
        expect(sink.received.filter((mail) => mail.messageId?.startsWith(`<${ids[1]}.`))).toHaveLength(2);
        expect((await (await fetch(`${second.url}/api/health`)).json()).spool).toMatchObject({ depth: 0, corrupt: 1 });
      } finally {
        await second.stop();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("R7: requeues a send that was in flight when the process died, clears tmp/, keeps the form secret", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "form-service-"));
    try {
      const clock = manualClock();
      const first = await startService({ smtpUrl: sink.url, dir, clock });
      const id = ((await (await first.post(VALID.extension)).json()) as { id: string }).id;
      const secret = first.spool.secret;
      await first.stop();
      const stateFile = path.join(first.config.spoolDir, "queue", id, "state.json");
      const state = JSON.parse(await readFile(stateFile, "utf8"));
      await writeFile(stateFile, JSON.stringify({ ...state, team: { ...state.team, status: "sending", attempts: 1 } }));
      await writeFile(path.join(first.config.spoolDir, "tmp", "half-written"), "x");

      const second = await startService({ smtpUrl: sink.url, dir, clock });
      try {
        expect(second.spool.secret).toBe(secret);
        expect(await readdir(path.join(second.config.spoolDir, "tmp"))).toEqual([]);
        expect(JSON.parse(await readFile(stateFile, "utf8")).team).toMatchObject({ status: "queued", attempts: 1 });
        await second.sender.runDue();
        expect(JSON.parse(await readFile(path.join(second.config.spoolDir, "done", id, "state.json"), "utf8")).team).toMatchObject({ status: "sent", attempts: 2 });
      } finally {
        await second.stop();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
