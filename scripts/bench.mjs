// `npm run bench`: runs every bench/*.ts in turn (with tsx) and fails if any of them fails;
// `npm run bench -- build search` only those whose file name contains one of the words.
// A bench either does its work when loaded, or exports `run()`, which is then awaited.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const RUN_EXPORT = 'const bench = await import(process.argv[1]); if (typeof bench.run === "function") await bench.run();';

const only = process.argv.slice(2);
const benches = readdirSync("bench")
  .filter((name) => name.endsWith(".ts") && (only.length === 0 || only.some((word) => name.includes(word))))
  .sort();
if (benches.length === 0) {
  console.error(`No bench/*.ts matches ${only.join(", ")}`);
  process.exit(1);
}
let failed = 0;
for (const name of benches) {
  console.log(`\n== bench/${name}`);
  const file = pathToFileURL(path.resolve("bench", name)).href;
  const { status } = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", RUN_EXPORT, file], { stdio: "inherit" });
  if (status !== 0) failed += 1;
}
process.exit(failed > 0 ? 1 : 0);
