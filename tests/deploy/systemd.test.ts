/**
 * The shipped systemd unit (deploy/systemd/service-portal.service) and env file: systemd's own
 * checks of the unit, the hardening it promises, that unit, env file and nginx site name the same
 * paths and address, and the unit's ExecStart run as systemd would run it (its environment file,
 * its working directory): it serves, and stops cleanly on KillSignal within TimeoutStopSec.
 * The sandbox itself (ProtectSystem=, SystemCallFilter=, …) needs a running systemd to exercise.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EnvSchema } from "../../server/config";
import { FIXTURE } from "../setup/sites";
import { ENV_EXAMPLE, SITE_CONF, readEnvFile, request, startServiceProcess } from "./harness";

const UNIT = path.resolve("deploy/systemd/service-portal.service");
/** Where the README has operators copy the env file example. */
const INSTALLED_ENV_FILE = "/etc/service-portal/service-portal.env";
/** systemd's PATH for services. */
const SYSTEMD_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
const run = promisify(execFile);

/** `[Section]` → key → values (a key may repeat). Continuation lines and quoting are not used in the unit. */
function parseUnit(text: string): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let section: Map<string, string[]> | undefined;
  for (const line of text.split("\n")) {
    if (line.trim() === "" || line.startsWith("#")) continue;
    const header = /^\[(\w+)\]$/.exec(line);
    if (header) {
      section = new Map();
      sections.set(header[1]!, section);
      continue;
    }
    const [, key, value] = /^(\w+)=(.*)$/.exec(line) ?? [];
    if (!section || key === undefined || value === undefined || /["'\\]/.test(value)) throw new Error(`unexpected unit line: ${line}`);
    section.set(key, [...(section.get(key) ?? []), value]);
  }
  return sections;
}

/** systemd time spans as the unit writes them: `30s`, `2min`, or plain seconds. */
function milliseconds(span: string): number {
  const [, amount, unit = "s"] = /^(\d+)(s|min)?$/.exec(span) ?? [];
  if (amount === undefined) throw new Error(`unexpected time span: ${span}`);
  return Number(amount) * (unit === "min" ? 60_000 : 1000);
}

let unitText: string;
let service: Map<string, string[]>;
let shippedEnv: Record<string, string>;
const single = (key: string) => {
  const values = service.get(key) ?? [];
  expect(values, key).toHaveLength(1);
  return values[0]!;
};

beforeAll(async () => {
  unitText = await readFile(UNIT, "utf8");
  service = parseUnit(unitText).get("Service")!;
  shippedEnv = await readEnvFile(ENV_EXAMPLE);
});

describe("the systemd unit", () => {
  it("passes systemd-analyze verify without a warning, and systemd rates its exposure OK", async () => {
    // With this machine's node, so the check does not depend on where node is installed here.
    const dir = await mkdtemp(path.join(tmpdir(), "deploy-systemd-"));
    try {
      const local = path.join(dir, path.basename(UNIT));
      const node = single("ExecStart").split(" ")[0]!;
      await writeFile(local, unitText.replace(`ExecStart=${node} `, `ExecStart=${process.execPath} `));
      const verify = await run("systemd-analyze", ["verify", local]).catch((error: NodeJS.ErrnoException & { stderr?: string }) => {
        if (error.code === "ENOENT") throw new Error("systemd-analyze is missing: install Debian's systemd package (apt-get install systemd)");
        throw new Error(`systemd-analyze verify failed: ${error.stderr ?? error.message}`);
      });
      expect(verify.stdout + verify.stderr).toBe("");
      // --threshold is the exposure score times ten: 2.0 and below is systemd's "OK".
      await run("systemd-analyze", ["security", "--offline=yes", "--threshold=20", local]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("runs the service unprivileged and sandboxed, with V8's JIT still allowed", () => {
    const hardening: Record<string, string> = {
      NoNewPrivileges: "yes",
      CapabilityBoundingSet: "",
      AmbientCapabilities: "",
      ProtectSystem: "strict",
      ProtectHome: "yes",
      PrivateTmp: "yes",
      PrivateDevices: "yes",
      RestrictAddressFamilies: "AF_INET AF_INET6 AF_UNIX",
      SystemCallFilter: "@system-service",
      SystemCallErrorNumber: "EPERM",
      Restart: "on-failure",
      KillSignal: "SIGTERM",
    };
    for (const [key, value] of Object.entries(hardening)) expect(single(key), key).toBe(value);
    expect(single("User")).not.toBe("root");
    expect(service.has("MemoryDenyWriteExecute")).toBe(false);
  });

  it("gives the service time to finish requests in flight and its current e-mail before systemd kills it", async () => {
    const grace = Number(/const SHUTDOWN_GRACE_MS = ([\d_]+);/.exec(await readFile("server/main.ts", "utf8"))?.[1]?.replaceAll("_", ""));
    const smtpTimeout = Number(shippedEnv.SMTP_TIMEOUT_SECONDS ?? 10) * 1000;
    expect(grace).toBeGreaterThan(0);
    expect(milliseconds(single("TimeoutStopSec"))).toBeGreaterThan(grace + smtpTimeout);
  });

  it("agrees with the env file and the nginx site: state directory, build, content and address", async () => {
    expect(single("EnvironmentFile")).toBe(INSTALLED_ENV_FILE);
    const known = Object.keys(EnvSchema.innerType().shape);
    for (const name of Object.keys(shippedEnv)) expect(known, `${name} in ${ENV_EXAMPLE}`).toContain(name);

    // ProtectSystem=strict leaves only the state directory writable.
    const state = `/var/lib/${single("StateDirectory")}/`;
    expect(shippedEnv.SPOOL_DIR).toMatch(new RegExp(`^${state}`));
    expect(shippedEnv.MAIL_DIR).toMatch(new RegExp(`^${state}`));

    const checkout = single("WorkingDirectory");
    const site = await readFile(SITE_CONF, "utf8");
    expect(shippedEnv.CONTENT_DIR).toBe(`${checkout}/content`);
    expect(shippedEnv.DIST_DIR).toBe(`${checkout}/dist`);
    expect(/^\s*root (\S+);/m.exec(site)?.[1]).toBe(shippedEnv.DIST_DIR);
    expect(/^\s*server (\S+);/m.exec(site)?.[1]).toBe(`${shippedEnv.HOST}:${shippedEnv.PORT}`);
    for (const [, include] of site.matchAll(/include (\S+);/g)) expect(include).toBe(`${checkout}/deploy/nginx/security-headers.conf`);
  });
});

describe("the unit's ExecStart, run as systemd runs it", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "deploy-systemd-run-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("serves /api/health, and on KillSignal exits 0 within TimeoutStopSec", async () => {
    // The shipped settings with this machine's paths (the checkout is the working directory).
    expect(service.has("Environment")).toBe(false); // every setting is in the env file
    const env = {
      PATH: SYSTEMD_PATH,
      ...shippedEnv,
      PORT: "0",
      CONTENT_DIR: FIXTURE.content,
      DIST_DIR: FIXTURE.dist,
      SPOOL_DIR: path.join(dir, "spool"),
      MAIL_DIR: path.join(dir, "mail"),
    };
    const [, ...args] = single("ExecStart").split(" ");
    const started = await startServiceProcess([process.execPath, ...args], env, process.cwd());

    const health = await request(`http://${shippedEnv.HOST}:${started.port}/api/health`);
    expect(health.status, health.body).toBe(200);
    expect(JSON.parse(health.body)).toMatchObject({ ready: true });

    const timeoutStop = milliseconds(single("TimeoutStopSec"));
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<"still running">((resolve) => (timer = setTimeout(() => resolve("still running"), timeoutStop)));
    const code = await Promise.race([started.stop(single("KillSignal") as NodeJS.Signals), deadline]);
    clearTimeout(timer);
    if (code === "still running") started.child.kill("SIGKILL");
    expect(code, started.output()).toBe(0);
  }, 60_000);
});
