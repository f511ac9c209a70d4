// Where Debian puts the system programs the tests start themselves (overridable for other layouts).
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";

export const NGINX = process.env.NGINX ?? "/usr/sbin/nginx";

/** Debian installs each PostgreSQL major under /usr/lib/postgresql/<major>/bin; the newest one wins. */
export function postgresBin() {
  if (process.env.PG_BIN) return existsSync(path.join(process.env.PG_BIN, "initdb")) ? process.env.PG_BIN : undefined;
  const root = "/usr/lib/postgresql";
  const majors = existsSync(root) ? readdirSync(root).filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a)) : [];
  return majors.map((major) => path.join(root, major, "bin")).find((bin) => existsSync(path.join(bin, "initdb")));
}
