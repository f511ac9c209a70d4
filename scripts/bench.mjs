// `npm run bench`: runs every bench/*.ts in turn (with tsx) and fails if any of them fails.
// A bench either does its work when loaded, or exports `run()`, which is then awaited.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const RUN_EXPORT = 'const bench = await import(process.argv[1]); if (typeof bench.run === "function") await bench.run();';

const benches = readdirSync("bench").filter((name) => name.endsWith(".ts")).sort();
let failed = 0;
for (const name of benches) {
  console.log(`\n== bench/${name}`);
  const file = pathToFileURL(path.resolve("bench", name)).href;
  const { status } = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", RUN_EXPORT, file], { stdio: "inherit" });
  if (status !== 0) failed += 1;
}
process.exit(failed > 0 ? 1 : 0);
