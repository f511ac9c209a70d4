/**
 * The operator's tool (`npm run spool`, audit D-8) on the file spool, run as the operator runs it:
 * a separate process beside the running service. A dead letter is listed without personal data,
 * shown whole on request, retried (and really delivered this time), and purged.
 */
import { execFile } from "node:child_process";
import { writeFile, mkdir, readdir } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { VALID, startService, type Service } from "./helpers/service";
import { startSmtpSink, type SmtpSink } from "./helpers/smtp-sink";

const run = promisify(execFile);

let sink: SmtpSink;
let service: Service;
beforeEach(async () => {
  sink = await startSmtpSink();
  service = await startService({ smtpUrl: sink.url });
});
afterEach(async () => {
  await service.stop();
  await sink.close();
});

/** Runs the tool; resolves with its exit code and output whatever the code. */
async function spoolTool(...args: string[]) {
  try {
    const { stdout } = await run(process.execPath, ["--import", "tsx", "scripts/spool.ts", ...args], { env: { PATH: process.env.PATH ?? "", SPOOL_DIR: service.config.spoolDir } });
    return { code: 0, stdout };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, stdout: stdout + stderr };
  }
}

const PERSONAL = [VALID.warranty.name, VALID.warranty.email, VALID.warranty.phone, VALID.warranty.happened];

describe("npm run spool", () => {
  it("lists, shows, retries and purges a dead letter beside the running service", async () => {
    sink.rejectRcpt = (address) => (address === "test-shop-team@agency.example" ? 550 : undefined);
    const dead = ((await (await service.post(VALID.warranty)).json()) as { id: string }).id;
    await service.sender.runDue();
    const queued = ((await (await service.post({ ...VALID.support, wanted: "Still queued" })).json()) as { id: string }).id;

    const stats = await spoolTool("stats");
    expect(stats.code).toBe(0);
    expect(stats.stdout).toMatch(/^queued: +1 /m);
    expect(stats.stdout).toMatch(/^dead: +1$/m);

    const list = await spoolTool("list", "dead");
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(dead);
    expect(list.stdout).toContain("team:dead/1 (EENVELOPE 550)");
    for (const value of PERSONAL) expect(list.stdout).not.toContain(value);

    const show = await spoolTool("show", dead);
    expect(show.code).toBe(0);
    expect(JSON.parse(show.stdout)).toMatchObject({ id: dead, folder: "dead", request: { fields: { email: VALID.warranty.email } } });

    // The cause is fixed; the retried entry goes out with fresh attempts, not buried again at once.
    sink.rejectRcpt = () => undefined;
    sink.rejectData = (mail) => (mail.raw.includes("Still queued") ? 451 : undefined); // keeps the other request queued
    expect(await spoolTool("retry", dead)).toMatchObject({ code: 0, stdout: `${dead}: queued again\n` });
    await service.sender.runDue();
    expect(sink.received.filter((mail) => mail.messageId === `<${dead}.team@agency.example>`)).toHaveLength(1);
    expect(await readdir(path.join(service.config.spoolDir, "done"))).toContain(dead);
    expect(await readdir(path.join(service.config.spoolDir, "dead"))).toEqual([]);

    expect(await spoolTool("purge", dead)).toMatchObject({ code: 0, stdout: `${dead}: deleted\n` });
    expect(await readdir(path.join(service.config.spoolDir, "done"))).not.toContain(dead);
    // A queued request is never purged behind the sender's back.
    expect(await spoolTool("purge", queued)).toMatchObject({ code: 1 });
    expect(await readdir(path.join(service.config.spoolDir, "queue"))).toContain(queued);
  });

  it("retries a corrupt entry only when its request is readable again", async () => {
    const corrupt = path.join(service.config.spoolDir, "corrupt", "W-0000ABCD-0a0b0c");
    await mkdir(corrupt);
    await writeFile(path.join(corrupt, "receipt.json"), "{ not json");
    const retried = await spoolTool("retry", "W-0000ABCD");
    expect(retried.code).not.toBe(0);
    expect(await readdir(path.join(service.config.spoolDir, "corrupt"))).toEqual(["W-0000ABCD-0a0b0c"]);
    expect((await spoolTool("list", "corrupt")).stdout).toContain("W-0000ABCD-0a0b0c");
  });

  it("answers a wrong command with its usage and exit code 2", async () => {
    const wrong = await spoolTool("explode");
    expect(wrong.code).toBe(2);
    expect(wrong.stdout).toMatch(/^usage: npm run spool -- stats/);
  });
});
