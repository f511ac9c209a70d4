/** The Nu Html Checker (the `vnu-jar` package's jar, run with Debian's Java), one JVM for many files. */
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";

const JAVA = process.env.JAVA ?? "java";
const VNU_JAR = String(createRequire(import.meta.url)("vnu-jar"));

type Message = { type: "error" | "info" | "non-document-error"; subType?: string; url?: string; lastLine?: number; message: string; extract?: string };

/** Every error in these HTML files, as "file:line message «extract»" with paths relative to `base`. */
export function vnuErrors(files: string[], base: string): string[] {
  const run = spawnSync(JAVA, ["-Xss1024k", "-jar", VNU_JAR, "--format", "json", "--skip-non-html", ...files], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (run.error) throw new Error(`could not run ${JAVA} (npm test installs Debian's default-jre-headless): ${run.error.message}`);
  const output = run.stderr || run.stdout;
  let messages: Message[];
  try {
    messages = (JSON.parse(output) as { messages: Message[] }).messages;
  } catch {
    throw new Error(`the Nu Html Checker did not answer in JSON (exit ${run.status}): ${output.slice(0, 500)}`);
  }
  return messages
    .filter((message) => message.type !== "info" || message.subType === "error")
    .map((message) => {
      const file = path.relative(base, decodeURIComponent(new URL(message.url ?? "file:///?").pathname));
      return `${file}:${message.lastLine ?? "?"} ${message.message}${message.extract ? ` «${message.extract.trim()}»` : ""}`;
    });
}
