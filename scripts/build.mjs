// `npm run build`: `astro build` with the NODE_ENV it was started with passed on as PORTAL_NODE_ENV.
// Astro sets NODE_ENV=production itself for every build, so only this tells a production build
// (`NODE_ENV=production npm run build`, which refuses sample values) from a preview such as `npm start`'s.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";

const astro = path.join(path.dirname(createRequire(import.meta.url).resolve("astro/package.json")), "astro.js");
const build = spawnSync(process.execPath, [astro, "build", ...process.argv.slice(2)], {
  stdio: "inherit",
  env: { ...process.env, PORTAL_NODE_ENV: process.env.NODE_ENV ?? "" },
});
process.exit(build.status ?? 1);
