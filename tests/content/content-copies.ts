/** Copies of the fixture content in temp folders, each with one file edited, for the content tests. */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export const FIXTURE_CONTENT = path.resolve("tests/fixtures/content");
const temps: string[] = [];

/** A copy of the fixture content in a temp folder (`<temp>/content`), with `edit` applied to one file. */
export function brokenCopy(file: string, edit: (text: string) => string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "portal-content-"));
  temps.push(dir);
  const root = path.join(dir, "content");
  cpSync(FIXTURE_CONTENT, root, { recursive: true });
  const target = path.join(root, file);
  writeFileSync(target, edit(readFileSync(target, "utf8")));
  return root;
}

/** Removes every copy made so far (run after each test). */
export function removeCopies(): void {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** The fixture settings (settings.yaml) with every sample confirmed and every address on a real-looking domain. */
export function confirmSettings(text: string): string {
  const confirmed = text
    .replaceAll(/\{ sample: (.*) \}$/gm, "$1")
    .replace(/nightHours:\n  sample:\n    start: (.*)\n    end: (.*)\n/, "nightHours:\n  start: $1\n  end: $2\n")
    .replaceAll("fixture.example", "fixture-studio.ru");
  if (/: \{ sample:|^\s+sample:/m.test(confirmed)) throw new Error("confirmSettings: the fixture's samples changed; update this edit");
  return confirmed;
}
