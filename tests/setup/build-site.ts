/** Builds the real site once before the site and browser tests; they read `dist/`. */
import { execFileSync } from "node:child_process";

export default function buildSite(): void {
  execFileSync("npm", ["run", "build", "--silent"], { stdio: "inherit" });
}
