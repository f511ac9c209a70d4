// Makes sure the system programs the tests need are installed, from Debian's packages: Chromium for
// the browser tests, a headless Java runtime for the Nu Html Checker (`vnu-jar`), libfaketime for
// the runs at other dates (scripts/test-at-dates.mjs), PostgreSQL for the replicated spool, nginx and
// systemd-analyze for the shipped deployment (the tests start their own throwaway instances). Installs what
// is missing with apt-get (never a browser or JDK download) and fails loudly rather than letting
// those tests skip.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { NGINX, postgresBin } from "./system-paths.mjs";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const JAVA = process.env.JAVA ?? "java";
/** The Nu Html Checker needs Java 11 or later. */
function javaVersion() {
  const run = spawnSync(JAVA, ["-version"], { encoding: "utf8" });
  if (run.error || run.status !== 0) return undefined;
  const match = /version "(\d+)(?:\.(\d+))?/.exec(run.stderr + run.stdout);
  if (!match) return undefined;
  return match[1] === "1" ? Number(match[2]) : Number(match[1]);
}

const needs = [
  { what: "Chromium", package: "chromium", ok: () => existsSync(CHROMIUM), hint: "or set CHROMIUM_PATH" },
  { what: "Java 11+", package: "default-jre-headless", ok: () => (javaVersion() ?? 0) >= 11, hint: "or set JAVA to a java executable" },
  { what: "faketime", package: "faketime", ok: () => !spawnSync("faketime", ["-f", "+0d", "true"]).error, hint: "it provides the faketime command" },
  { what: "PostgreSQL", package: "postgresql", ok: () => postgresBin() !== undefined, hint: "or set PG_BIN to the folder holding initdb and postgres" },
  { what: "nginx", package: "nginx", ok: () => existsSync(NGINX), hint: "or set NGINX to the nginx executable" },
  { what: "systemd-analyze", package: "systemd", ok: () => !spawnSync("systemd-analyze", ["--version"]).error, hint: "it checks the shipped systemd unit" },
];

const missing = needs.filter((need) => !need.ok());
if (missing.length > 0) {
  const packages = missing.map((need) => need.package);
  console.log(`${missing.map((need) => need.what).join(" and ")} not found; installing Debian's ${packages.join(" ")}…`);
  const apt = (args) => {
    const command = process.getuid?.() === 0 ? ["apt-get", ...args] : ["sudo", "apt-get", ...args];
    execFileSync(command[0], command.slice(1), { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  };
  try {
    apt(["update", "-qq"]);
    apt(["install", "-y", "-qq", "--no-install-recommends", ...packages]);
  } catch {
    console.error(`Could not install ${packages.join(" ")}. Install them with \`apt-get install -y ${packages.join(" ")}\` and run the tests again.`);
    process.exit(1);
  }
  for (const need of missing) {
    if (!need.ok()) {
      console.error(`apt-get finished but ${need.what} is still missing (${need.hint}).`);
      process.exit(1);
    }
  }
}
