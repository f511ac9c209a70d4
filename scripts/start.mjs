// `npm start`: builds the site when dist/ is missing or older than the sources, then runs the form
// service, which serves dist/ and /api on one port (PORT, default 4321).
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

const server = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], { stdio: "inherit" });
// The service shuts down gracefully on SIGTERM/SIGINT; pass them on and leave with its exit code.
for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
