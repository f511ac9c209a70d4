/**
 * The audit's faults (part A) against the file spool and the sender, each reproduced for real:
 * transient read errors (D-3), health that tells the truth at a cost that does not grow with the
 * queue (D-4, D-6, D-20), a refused confirmation (D-7), a partly refused team (D-12), and a pooled
 * sender that one stalled message does not hold up (D-13).
 */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { FileSystem } from "../../server/durable-fs";
import { silentLogger } from "../../server/log";
import { FileSpool } from "../../server/spool";
import { observedFileSystem, type FsCall } from "./helpers/observed-fs";
import { VALID, startService, type Service } from "./helpers/service";
import { startSmtpSink, type SmtpSink } from "./helpers/smtp-sink";

let sink: SmtpSink;
beforeEach(async () => {
  sink = await startSmtpSink();
});
afterEach(async () => {
  await sink.close();
});

type Accepted = { id: string };
const acceptOn = async (service: Service, fields: Record<string, unknown> = VALID.warranty) => {
  const response = await service.post(fields);
  expect(response.status).toBe(202);
  return ((await response.json()) as Accepted).id;
};
const folderOf = async (service: Service, id: string) => {
  for (const folder of ["queue", "done", "dead", "corrupt"]) if ((await readdir(path.join(service.config.spoolDir, folder))).some((name) => name.startsWith(id))) return folder;
  return undefined;
};
const health = async (service: Service) => {
  const response = await fetch(`${service.url}/api/health`);
  return { status: response.status, body: (await response.json()) as Record<string, any> };
};

/** The real file system, with a switchable fault: `fail(call)` returns an errno code to throw, or undefined. */
function faultyFs(control: { fail?: (call: FsCall) => string | undefined; ffree?: number }): FileSystem {
  const fs = observedFileSystem((call) => {
    const code = control.fail?.(call);
    if (code) throw Object.assign(new Error(`${call.op} failed`), { code });
  });
  return {
    ...fs,
    statfs: (async (target: string) => {
      const stats = await fs.statfs(target);
      return control.ffree === undefined ? stats : { ...stats, ffree: control.ffree };
    }) as FileSystem["statfs"],
  };
}

describe("D-3: a transient read error never sends a healthy request to corrupt/", () => {
  for (const code of ["EMFILE", "EIO"]) {
    it(`${code} while the sender reads a request: it stays queued and goes out on a later pass`, async () => {
      const control: Parameters<typeof faultyFs>[0] = {};
      const service = await startService({ smtpUrl: sink.url, fs: faultyFs(control) });
      try {
        const id = await acceptOn(service);
        control.fail = (call) => (call.op === "readFile" && call.path.includes(`${id}${path.sep}request.json`) ? code : undefined);
        expect(await service.sender.runDue()).toBe(0);
        expect(await folderOf(service, id)).toBe("queue");
        expect((await health(service)).body.spool).toMatchObject({ depth: 1, corrupt: 0 });
        control.fail = undefined;
        service.clock.advance(service.config.retryBaseMs); // retried after a backoff, like a failed send
        expect(await service.sender.runDue()).toBe(2);
        expect(await folderOf(service, id)).toBe("done");
      } finally {
        await service.stop();
      }
    });
  }

  it("a request that stays unreadable (EACCES after a restore) is retried with backoff, then dead-lettered and the operator told", async () => {
    const control: Parameters<typeof faultyFs>[0] = {};
    const reads: string[] = [];
    const service = await startService({ smtpUrl: sink.url, fs: faultyFs(control) });
    try {
      const id = await acceptOn(service);
      control.fail = (call) => {
        if (call.op !== "readFile" || !call.path.includes(`${id}${path.sep}request.json`)) return undefined;
        reads.push(call.path);
        return "EACCES";
      };
      await service.sender.runDue();
      const state = JSON.parse(await readFile(path.join(service.config.spoolDir, "queue", id, "state.json"), "utf8"));
      expect(state.team).toMatchObject({ status: "queued", attempts: 0, lastError: "EACCES", nextAttemptAt: service.clock.now() + service.config.retryBaseMs });
      await service.sender.runDue(); // not due yet: not read again
      expect(reads).toHaveLength(1);
      expect((await health(service)).body.spool).toMatchObject({ depth: 1, corrupt: 0 });

      service.clock.advance(service.config.teamMaxAgeMs);
      await service.sender.runDue();
      expect(await folderOf(service, id)).toBe("dead");
      expect(sink.received.filter((mail) => mail.messageId === `<${id}.operator@agency.example>`)).toHaveLength(1);
    } finally {
      await service.stop();
    }
  });

  it("EMFILE while a restart reads the queue: the start fails and the entry is untouched; the next start sends it", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "faults-restart-"));
    const first = await startService({ smtpUrl: sink.url, dir });
    const id = await acceptOn(first);
    const spoolDir = first.config.spoolDir;
    await first.stop();
    const failing = faultyFs({ fail: (call) => (call.op === "readFile" && call.path.endsWith(`${id}${path.sep}state.json`) ? "EMFILE" : undefined) });
    await expect(FileSpool.open({ dir: spoolDir, clock: first.clock, logger: silentLogger, fs: failing })).rejects.toMatchObject({ code: "EMFILE" });
    expect(await readdir(path.join(spoolDir, "queue"))).toEqual([id]);
    expect(await readdir(path.join(spoolDir, "corrupt"))).toEqual([]);
    // The failed start released the lock: the next one opens at once.
    const again = await FileSpool.open({ dir: spoolDir, clock: first.clock, logger: silentLogger, lockWaitMs: 0 });
    expect((await again.stats()).depth).toBe(1);
    await again.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("a request file really missing from a published entry is corruption, and is moved aside", async () => {
    const service = await startService({ smtpUrl: sink.url });
    try {
      const id = await acceptOn(service);
      await rm(path.join(service.config.spoolDir, "queue", id, "request.json"));
      await service.sender.runDue();
      expect(await folderOf(service, id)).toBe("corrupt");
    } finally {
      await service.stop();
    }
  });
});

describe("a state that cannot be written", () => {
  it("leaves that request queued, sends the others in the same pass, and sends it once the disk is back", async () => {
    const control: Parameters<typeof faultyFs>[0] = {};
    const service = await startService({ smtpUrl: sink.url, fs: faultyFs(control) });
    try {
      const stuck = await acceptOn(service, { ...VALID.support, wanted: "The stuck one" });
      const others = [await acceptOn(service, VALID.consultation), await acceptOn(service, VALID.extension)];
      control.fail = (call) => (call.op === "open" && call.path.includes(`${stuck}${path.sep}state.json.`) ? "ENOSPC" : undefined);
      await service.sender.runDue();
      expect(service.logs.some((line) => line.includes("sender.delivery-failed") && line.includes(stuck) && line.includes("ENOSPC"))).toBe(true);
      for (const id of others) expect(await folderOf(service, id)).toBe("done");
      expect(await folderOf(service, stuck)).toBe("queue");
      control.fail = undefined;
      await service.sender.runDue();
      expect(await folderOf(service, stuck)).toBe("done");
      expect(sink.received.filter((mail) => mail.messageId === `<${stuck}.team@agency.example>`)).toHaveLength(1);
    } finally {
      await service.stop();
    }
  });
});

describe("D-4: /api/health costs the same whatever the backlog, and changes nothing", () => {
  it("makes the same file-system calls with 1 and with 60 queued requests, none of them inside queue/", async () => {
    const calls: FsCall[] = [];
    let recording = false;
    const service = await startService({ smtpUrl: sink.url, fs: observedFileSystem((call) => void (recording && calls.push(call))) });
    try {
      const callsOfOneCheck = async () => {
        service.clock.advance(5_000); // past the one-second cache of folder counts
        calls.length = 0;
        recording = true;
        await health(service);
        recording = false;
        return calls.map((call) => `${call.op} ${path.relative(service.config.spoolDir, call.path)}`).sort();
      };
      await acceptOn(service);
      const withOne = await callsOfOneCheck();
      for (let index = 0; index < 59; index += 1) await acceptOn(service, { ...VALID.support, wanted: `Change ${index}` });
      const withSixty = await callsOfOneCheck();
      expect(withSixty).toEqual(withOne);
      expect(withOne.some((call) => call.includes("queue/"))).toBe(false);
      expect(withOne.every((call) => /^(access|statfs|readdir) /.test(call))).toBe(true);
      expect((await health(service)).body.spool).toMatchObject({ depth: 60 });
    } finally {
      await service.stop();
    }
  });
});

describe("D-6: health says when requests cannot be stored or mail cannot go out", () => {
  it("is degraded during an SMTP outage, with how long it has failed and the oldest pending age; ok again after", async () => {
    const service = await startService({ smtpUrl: sink.url });
    try {
      expect((await health(service)).body.status).toBe("ok");
      await sink.down();
      await acceptOn(service);
      await service.sender.runDue();
      service.clock.advance(50_000);
      const during = await health(service);
      expect(during.status).toBe(200);
      expect(during.body).toMatchObject({ status: "degraded", ready: true, spool: { depth: 1, oldestPendingSeconds: 50 }, mail: { transport: "smtp", state: "failing", failingForSeconds: 50 } });
      expect(during.body.mail.lastError).toMatch(/ECONNECTION|ECONNREFUSED/);
      expect(JSON.stringify(during.body)).not.toContain(String(sink.port)); // D-20: no mail-server address
      await sink.up();
      service.clock.advance(service.config.retryCapMs);
      await service.sender.runDue();
      expect((await health(service)).body).toMatchObject({ status: "ok", spool: { depth: 0 }, mail: { state: "ok" } });
    } finally {
      await service.stop();
    }
  });

  for (const [fault, reason] of [
    ["read-only", "read-only"],
    ["inodes", "inodes-exhausted"],
  ] as const) {
    it(`is not ready (503) when the spool is ${fault}, and a post gets 503 too`, async () => {
      const control: Parameters<typeof faultyFs>[0] = {};
      const service = await startService({ smtpUrl: sink.url, fs: faultyFs(control) });
      try {
        if (fault === "read-only") control.fail = (call) => (call.op === "access" || call.op === "open" || call.op === "mkdir" ? "EROFS" : undefined);
        else control.ffree = 0;
        const answer = await health(service);
        expect(answer.status).toBe(503);
        expect(answer.body).toMatchObject({ status: "unavailable", ready: false, reason });
        expect((await service.post(VALID.warranty)).status).toBe(503);
      } finally {
        await service.stop();
      }
    });
  }
});

describe("health when the spool cannot even be counted", () => {
  it("answers 503 unavailable in its own shape, not a 500", async () => {
    const control: Parameters<typeof faultyFs>[0] = {};
    const service = await startService({ smtpUrl: sink.url, fs: faultyFs(control) });
    try {
      control.fail = (call) => (call.op === "readdir" ? "EIO" : undefined);
      service.clock.advance(5_000); // past the one-second cache of folder counts
      const answer = await health(service);
      expect(answer.status).toBe(503);
      expect(answer.body).toMatchObject({ status: "unavailable", ready: false, reason: "spool-unreadable" });
    } finally {
      await service.stop();
    }
  });
});

describe("D-7: a refused confirmation does not bury a request the team has", () => {
  it("completes the request, keeps no personal data, and health stays ok", async () => {
    const service = await startService({ smtpUrl: sink.url });
    try {
      sink.rejectRcpt = (address) => (address === VALID.warranty.email ? 550 : undefined);
      const id = await acceptOn(service);
      await service.sender.runDue();
      expect(await folderOf(service, id)).toBe("done");
      expect((await readdir(path.join(service.config.spoolDir, "done", id))).sort()).toEqual(["receipt.json", "state.json"]);
      const state = JSON.parse(await readFile(path.join(service.config.spoolDir, "done", id, "state.json"), "utf8"));
      expect(state).toMatchObject({ team: { status: "sent" }, client: { status: "dead", lastError: "EENVELOPE 550" } });
      expect(sink.received.filter((mail) => mail.messageId === `<${id}.team@agency.example>`)).toHaveLength(1);
      expect((await health(service)).body).toMatchObject({ status: "ok", spool: { deadLetters: 0 }, mail: { state: "ok" } });
      expect(service.logs.some((line) => line.includes("mail.confirmation-undeliverable"))).toBe(true);
    } finally {
      await service.stop();
    }
  });
});

describe("D-12: a team address refused while the other accepts", () => {
  it("is logged and retried alone until it accepts; the other gets one copy", async () => {
    const service = await startService({ smtpUrl: sink.url });
    try {
      let refuseDev = true;
      sink.rejectRcpt = (address) => (address === "dev@agency.example" && refuseDev ? 450 : undefined);
      const id = await acceptOn(service, { ...VALID.support, project: "two-teams" });
      await service.sender.runDue();
      const state = JSON.parse(await readFile(path.join(service.config.spoolDir, "queue", id, "state.json"), "utf8"));
      expect(state.team).toMatchObject({ status: "queued", attempts: 1, remaining: ["dev@agency.example"], lastError: "PARTLY_REFUSED" });
      expect(service.logs.some((line) => line.includes("mail.partly-refused") && line.includes(`"${id}"`) && line.includes("refused=1"))).toBe(true);
      expect(service.logs.join("\n")).not.toContain("dev@agency.example"); // logs carry no addresses

      refuseDev = false;
      service.clock.set(state.team.nextAttemptAt);
      await service.sender.runDue();
      const teamCopies = sink.received.filter((mail) => mail.messageId === `<${id}.team@agency.example>`);
      expect(teamCopies.map((mail) => mail.recipients)).toEqual([["lead@agency.example"], ["dev@agency.example"]]);
      expect(await folderOf(service, id)).toBe("done");
    } finally {
      await service.stop();
    }
  });
});

describe("D-13: a pooled sender", () => {
  it("reuses a few SMTP connections for many messages", async () => {
    const service = await startService({ smtpUrl: sink.url });
    try {
      for (let index = 0; index < 12; index += 1) await acceptOn(service, { ...VALID.support, wanted: `Change ${index}` });
      await service.sender.runDue();
      expect(sink.received).toHaveLength(24);
      expect(sink.connections).toBeLessThanOrEqual(service.config.senderConcurrency);
    } finally {
      await service.stop();
    }
  });

  it("delivers the rest of the queue while one message is stalled by the server", async () => {
    const service = await startService({ smtpUrl: sink.url, env: { SMTP_TIMEOUT_SECONDS: "30" } });
    try {
      const stalled = await acceptOn(service, { ...VALID.support, wanted: "The stalled one" });
      const others: string[] = [];
      for (let index = 0; index < 5; index += 1) others.push(await acceptOn(service, { ...VALID.consultation, question: `Question ${index}` }));
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      sink.rejectData = async (mail) => {
        if (mail.messageId === `<${stalled}.team@agency.example>`) await released;
        return undefined;
      };
      const pass = service.sender.runDue();
      // Every other request's team e-mail arrives while the stalled one is still waiting for its reply.
      await expect
        .poll(() => others.every((id) => sink.received.some((mail) => mail.messageId === `<${id}.team@agency.example>`)), { timeout: 20_000, interval: 20 })
        .toBe(true);
      expect(sink.received.some((mail) => mail.messageId === `<${stalled}.team@agency.example>`)).toBe(false);
      release();
      await pass;
      expect(await folderOf(service, stalled)).toBe("done");
    } finally {
      await service.stop();
    }
  });
});
