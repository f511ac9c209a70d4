/**
 * The file spool reads each rating file once: the SLA reports the service serves ask for the
 * ratings on every request, and a rating never changes once written. What another process adds or
 * removes in the folder still shows on the next request.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { createLogger } from "../../server/log";
import { FileSpool } from "../../server/spool";
import { observedFileSystem, type FsCall } from "./helpers/observed-fs";

let dir: string;
let spool: FileSpool;
const calls: FsCall[] = [];
const ratingReads = () => calls.filter((call) => call.op === "readFile" && call.path.includes(`${path.sep}ratings${path.sep}`)).map((call) => path.basename(call.path));

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "portal-ratings-"));
  spool = await FileSpool.open({ dir, secret: "ratings-test-secret-0123456789abcdef", clock: { now: () => Date.parse("2026-11-23T10:00:00+03:00") }, logger: createLogger(() => undefined), fs: observedFileSystem((call) => calls.push(call)) });
  calls.length = 0;
});
afterEach(async () => {
  await spool.close();
  await rm(dir, { recursive: true, force: true });
});

it("reads each rating file once however often the ratings are asked for, and sees files added and removed by another process", async () => {
  await spool.rate({ id: "S-7K3F9QXM", project: "shop", day: "2026-11-20", score: 4 }, "2026-01-01");
  await spool.rate({ id: "W-7K3F9QXM", project: "shop", day: "2026-11-21", score: 5 }, "2026-01-01");
  for (let page = 0; page < 5; page += 1) expect((await spool.ratings("2026-01-01", "shop")).map(({ score }) => score)).toEqual([4, 5]);
  expect(ratingReads()).toEqual([]);

  // `npm run spool` or a second process: a file appears, another goes.
  await writeFile(path.join(dir, "ratings", "I-7K3F9QXM.json"), JSON.stringify({ id: "I-7K3F9QXM", project: "shop", day: "2026-11-22", score: 2 }));
  await rm(path.join(dir, "ratings", "S-7K3F9QXM.json"));
  for (let page = 0; page < 5; page += 1) expect((await spool.ratings("2026-01-01", "shop")).map(({ score }) => score)).toEqual([5, 2]);
  expect(ratingReads()).toEqual(["I-7K3F9QXM.json"]);
});
