/**
 * File writes that survive a crash: data fsynced before it is published by rename, and the
 * directory fsynced after (a rename is atomic but not durable until its directory is synced).
 * The file system is passed in so tests can make any single step fail (disk full, EIO).
 */
import { randomBytes } from "node:crypto";
import * as nodeFs from "node:fs/promises";
import path from "node:path";

export type FileSystem = Pick<typeof nodeFs, "access" | "open" | "mkdir" | "rename" | "rm" | "readdir" | "readFile" | "stat" | "statfs">;
export const realFileSystem: FileSystem = nodeFs;

/** Creates `file` (which must not exist), writes and fsyncs it. */
export async function writeNewFileDurably(fs: FileSystem, file: string, data: string | Uint8Array): Promise<void> {
  const handle = await fs.open(file, "wx", 0o600);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Makes the entries of a directory (creations, renames) durable. */
export async function syncDirectory(fs: FileSystem, dir: string): Promise<void> {
  const handle = await fs.open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes `file` so a reader sees either the old or the new content, never a mix, even after a crash. */
export async function replaceFileDurably(fs: FileSystem, file: string, data: string | Uint8Array): Promise<void> {
  const temporary = `${file}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    await writeNewFileDurably(fs, temporary, data);
    await fs.rename(temporary, file);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw error;
  }
  await syncDirectory(fs, path.dirname(file));
}

/** Moves a directory entry and makes both directories durable. */
export async function moveDurably(fs: FileSystem, from: string, to: string): Promise<void> {
  await fs.rename(from, to);
  await syncDirectory(fs, path.dirname(to));
  await syncDirectory(fs, path.dirname(from));
}
