/**
 * The deployment tests serve the fixture build. The `site` project's setup builds it on every run;
 * here it is built only when missing, so running these tests alone costs no build.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { buildEnv, FIXTURE } from "../setup/sites";

export default function buildFixtureSiteIfMissing(): void {
  if (existsSync(path.join(FIXTURE.dist, "index.html"))) return;
  console.log(`Building the fixture site (${FIXTURE.content}) into ${FIXTURE.dist}…`);
  execFileSync("npm", ["run", "build", "--silent", "--", "--outDir", FIXTURE.dist], { stdio: "inherit", env: buildEnv(FIXTURE) });
}
