/**
 * The real file system with every call reported to an observer just before it runs, through the
 * spool's `fs` seam: tests record the order of opens, writes, fsyncs and renames, or throw from the
 * observer to make that one step fail (the throw becomes a rejected promise, as from node:fs).
 */
import type { FileHandle } from "node:fs/promises";
import { realFileSystem, type FileSystem } from "../../../server/durable-fs";

/** One call; `write`, `sync` and `close` are calls on a handle opened on `path`. */
export type FsCall =
  | { op: "open"; path: string; flags: string }
  | { op: "write" | "sync" | "close"; path: string }
  | { op: "rename"; path: string; to: string }
  | { op: "access" | "mkdir" | "rm" | "readdir" | "readFile" | "stat" | "statfs"; path: string };

const HANDLE_OPS: Record<string, "write" | "sync" | "close"> = { writeFile: "write", write: "write", sync: "sync", close: "close" };

export function observedFileSystem(observe: (call: FsCall) => void): FileSystem {
  const observedHandle = (handle: FileHandle, target: string) =>
    new Proxy(handle, {
      get(object, key) {
        const value = Reflect.get(object, key) as unknown;
        if (typeof value !== "function") return value;
        const op = typeof key === "string" ? HANDLE_OPS[key] : undefined;
        if (!op) return value.bind(object);
        return async (...args: unknown[]) => {
          observe({ op, path: target });
          return value.apply(object, args);
        };
      },
    });
  const plain = <K extends "access" | "mkdir" | "rm" | "readdir" | "readFile" | "stat" | "statfs">(op: K) =>
    (async (target: string, ...rest: unknown[]) => {
      observe({ op, path: String(target) });
      return (realFileSystem[op] as (...args: unknown[]) => Promise<unknown>)(target, ...rest);
    }) as unknown as FileSystem[K];
  return {
    open: (async (target: string, flags = "r", mode?: number) => {
      observe({ op: "open", path: String(target), flags: String(flags) });
      return observedHandle(await realFileSystem.open(target, flags, mode), String(target));
    }) as FileSystem["open"],
    rename: async (from, to) => {
      observe({ op: "rename", path: String(from), to: String(to) });
      return realFileSystem.rename(from, to);
    },
    access: plain("access"),
    mkdir: plain("mkdir"),
    rm: plain("rm"),
    readdir: plain("readdir"),
    readFile: plain("readFile"),
    stat: plain("stat"),
    statfs: plain("statfs"),
  };
}
