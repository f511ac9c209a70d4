// Makes sure Debian's Chromium is installed for the browser tests; installs it with apt-get when
// missing (never a browser download). Fails loudly rather than letting browser tests skip.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

if (!existsSync(CHROMIUM)) {
  console.log(`Chromium not found at ${CHROMIUM}; installing Debian's chromium package…`);
  const apt = (args) => {
    const command = process.getuid?.() === 0 ? ["apt-get", ...args] : ["sudo", "apt-get", ...args];
    execFileSync(command[0], command.slice(1), { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  };
  try {
    apt(["update", "-qq"]);
    apt(["install", "-y", "-qq", "--no-install-recommends", "chromium"]);
  } catch {
    console.error("Could not install Chromium. Install it with `apt-get install -y chromium` (or set CHROMIUM_PATH) and run the tests again.");
    process.exit(1);
  }
  if (!existsSync(CHROMIUM)) {
    console.error(`apt-get finished but ${CHROMIUM} is still missing.`);
    process.exit(1);
  }
}
