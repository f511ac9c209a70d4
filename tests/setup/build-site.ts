/** Builds the fixture and the sample site once, one after the other, before the site and browser tests. */
import { execFileSync } from "node:child_process";
import { buildEnv, FIXTURE, SAMPLE } from "./sites";

export default function buildSites(): void {
  for (const site of [FIXTURE, SAMPLE]) {
    console.log(`Building the ${site.name} site (${site.content}) into ${site.dist}…`);
    execFileSync("npm", ["run", "build", "--silent", "--", "--outDir", site.dist], { stdio: "inherit", env: buildEnv(site) });
  }
}
