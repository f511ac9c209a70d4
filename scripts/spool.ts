/**
 * The operator's tool for the request spool (either store, as the environment configures the service):
 *
 *   npm run spool -- stats                  counts per folder, oldest pending age
 *   npm run spool -- list [folder] [--limit N]
 *                                           entries without personal data (default folder: dead)
 *   npm run spool -- show <id>              one entry whole, with what the client sent
 *   npm run spool -- retry <id>...          send dead, quarantined or corrupt entries again
 *   npm run spool -- purge <id>...          delete entries that are not queued
 *   npm run spool -- searches [--days N] [--limit N]
 *                                           the searches no page fully answered in the last N days
 *                                           (default 30), most asked first: what the terms lack
 *   npm run spool -- feedback [--days N] [--limit N]
 *                                           "Was this page helpful?" per article and language in the
 *                                           last N days: yes/no counts, then the latest N comments
 *   npm run spool -- ratings [--days N]     clients' answers to "How did we do?" in the last N days
 *                                           (default 30), oldest first, comments included
 *
 * It runs beside a running service: on the file spool a retried entry waits in `incoming/` until
 * the owner picks it up (at once, or when the service next starts).
 */
import { parseArgs } from "node:util";
import { systemClock } from "../server/clock";
import { ConfigError, loadConfig } from "../server/config";
import { silentLogger } from "../server/log";
import { inspectSpool } from "../server/open-spool";
import { FOLDERS, MAIL_KINDS, type EntrySummary, type Folder } from "../server/store";
import { searchDay } from "../src/domain/search-log";

const USAGE =
  "usage: npm run spool -- stats | list [queue|done|dead|quarantine|corrupt] [--limit N] | show <id> | retry <id>... | purge <id>... | searches [--days N] [--limit N] | feedback [--days N] [--limit N] | ratings [--days N]";

const { positionals, values } = parseArgs({ allowPositionals: true, options: { limit: { type: "string", default: "50" }, days: { type: "string", default: "30" } } });
const [command, ...rest] = positionals;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

function mailColumn(entry: EntrySummary): string {
  if (!entry.state) return "-";
  return MAIL_KINDS.map((kind) => {
    const mail = entry.state![kind];
    return `${kind}:${mail.status}/${mail.attempts}${mail.lastError ? ` (${mail.lastError})` : ""}`;
  }).join(" ");
}

let config;
try {
  config = loadConfig();
} catch (error) {
  fail(error instanceof ConfigError ? error.message : String(error));
}
if (!command || !["stats", "list", "show", "retry", "purge", "searches", "feedback", "ratings"].includes(command)) fail(USAGE);

function positiveWhole(name: "limit" | "days"): number {
  const value = Number(values[name]);
  if (!Number.isInteger(value) || value < 1) fail(`--${name} must be a positive whole number`);
  return value;
}

const spool = await inspectSpool(config, { clock: systemClock, logger: silentLogger });
let exitCode = 0;
try {
  switch (command) {
    case "stats": {
      const stats = await spool.stats();
      console.log(`store:        ${spool.description}`);
      console.log(`queued:       ${stats.depth}${stats.oldestPendingMs === null ? "" : ` (oldest ${Math.round(stats.oldestPendingMs / 1000)} s)`}`);
      console.log(`dead:         ${stats.dead}`);
      console.log(`quarantined:  ${stats.quarantined}`);
      console.log(`corrupt:      ${stats.corrupt}`);
      break;
    }
    case "list": {
      const folder = (rest[0] ?? "dead") as Folder;
      if (!FOLDERS.includes(folder)) fail(USAGE);
      const entries = await spool.list(folder, positiveWhole("limit"));
      for (const entry of entries) console.log([entry.id, entry.receivedAt || "-", entry.type ?? "-", entry.project ?? "-", mailColumn(entry)].join("  "));
      console.log(`${entries.length} in ${folder}`);
      break;
    }
    case "show": {
      if (rest.length !== 1) fail(USAGE);
      const entry = await spool.show(rest[0]!);
      if (!entry) fail(`no entry ${rest[0]}`);
      console.log(JSON.stringify(entry, null, 2));
      break;
    }
    case "searches": {
      const days = positiveWhole("days");
      const since = searchDay(systemClock.now() - (days - 1) * 86_400_000);
      const searches = await spool.unanswered(since, positiveWhole("limit"));
      for (const search of searches) console.log([String(search.count).padStart(5), search.lang, `${search.days} d`.padStart(5), search.lastDay, search.query].join("  "));
      console.log(`${searches.length} unanswered ${searches.length === 1 ? "query" : "queries"} since ${since} (count, language, days asked, last asked, query)`);
      break;
    }
    case "feedback": {
      const days = positiveWhole("days");
      const since = searchDay(systemClock.now() - (days - 1) * 86_400_000);
      const articles = await spool.articleFeedback(since, positiveWhole("limit"));
      for (const { lang, article, yes, no, comments } of articles) {
        console.log([String(yes).padStart(5), String(no).padStart(5), lang, article].join("  "));
        for (const comment of comments) console.log(`       ${comment.id}  ${comment.receivedAt.slice(0, 10)}  ${comment.text.replace(/\s+/g, " ")}`);
      }
      console.log(`${articles.length} ${articles.length === 1 ? "article" : "articles"} answered since ${since} (yes, no, language, article; under each its latest comments: number, day, text)`);
      break;
    }
    case "ratings": {
      const since = searchDay(systemClock.now() - (positiveWhole("days") - 1) * 86_400_000);
      const ratings = await spool.ratings(since);
      // The comment as a JSON string: one line, and no control character reaches the terminal.
      for (const rating of ratings) console.log([rating.day, rating.id, rating.project ?? "-", `${rating.score}/5`, rating.comment === undefined ? "" : JSON.stringify(rating.comment)].join("  "));
      console.log(`${ratings.length} ${ratings.length === 1 ? "rating" : "ratings"} since ${since} (day, request, project, score, comment)`);
      break;
    }
    case "retry":
    case "purge": {
      if (rest.length === 0) fail(USAGE);
      for (const id of rest) {
        try {
          const done = await (command === "retry" ? spool.retry(id) : spool.purge(id));
          console.log(`${id}: ${done ? (command === "retry" ? "queued again" : "deleted") : `not found${command === "retry" ? " in dead, quarantine or corrupt" : " outside the queue"}`}`);
          if (!done) exitCode = 1;
        } catch (error) {
          console.log(`${id}: not done: ${error instanceof Error ? error.message : String(error)}`);
          exitCode = 1;
        }
      }
      break;
    }
  }
} finally {
  await spool.close();
}
process.exit(exitCode);
