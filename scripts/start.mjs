// `npm start`: builds the site when dist/ is missing or older than the sources, then serves it.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const SOURCES = ["content", "src", "public", "astro.config.mjs", "package-lock.json"];

function newestMtime(target) {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(target).reduce((newest, name) => Math.max(newest, newestMtime(path.join(target, name))), stat.mtimeMs);
}

const builtAt = existsSync("dist/index.html") ? statSync("dist/index.html").mtimeMs : 0;
if (SOURCES.some((source) => newestMtime(source) > builtAt)) {
  console.log("Building the site…");
  execFileSync("npm", ["run", "build", "--silent"], { stdio: "inherit" });
}
const port = process.env.PORT ?? "4321";
spawn("npx", ["astro", "preview", "--port", port, "--host", process.env.HOST ?? "localhost"], { stdio: "inherit" }).on("exit", (code) => process.exit(code ?? 0));
