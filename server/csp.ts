/**
 * Security headers (helmet) with a Content-Security-Policy the built site satisfies: scripts only
 * from our origin, plus the inline scripts the build emits (the root page's language redirect,
 * any small script Astro inlines) allowed by their SHA-256, found by scanning `dist/` at start-up.
 * `'wasm-unsafe-eval'` is for Pagefind's WebAssembly search; `blob:` images for pasted screenshot
 * previews. HSTS and upgrade-insecure-requests only when the public origin is https.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { RequestHandler } from "express";
import helmet from "helmet";

const INLINE_SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script>/gi;
/** Non-executable script blocks (JSON-LD, data) need no CSP entry. */
const DATA_SCRIPT_TYPE = /\btype\s*=\s*["']?application\/(ld\+)?json/i;

function htmlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".html"))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** `'sha256-…'` sources for every distinct inline script in the built site. */
export function inlineScriptHashes(distDir: string): string[] {
  const hashes = new Set<string>();
  for (const file of htmlFiles(distDir)) {
    for (const [, attributes = "", body = ""] of readFileSync(file, "utf8").matchAll(INLINE_SCRIPT)) {
      if (/\bsrc\s*=/i.test(attributes) || DATA_SCRIPT_TYPE.test(attributes) || body.trim() === "") continue;
      hashes.add(`'sha256-${createHash("sha256").update(body).digest("base64")}'`);
    }
  }
  return [...hashes].sort();
}

export function securityHeaders({ distDir, publicOrigin }: { distDir: string; publicOrigin: string }): RequestHandler {
  const https = publicOrigin.startsWith("https:");
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", "data:"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        imgSrc: ["'self'", "data:", "blob:"],
        objectSrc: ["'none'"],
        scriptSrc: ["'self'", "'wasm-unsafe-eval'", ...inlineScriptHashes(distDir)],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        ...(https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    xFrameOptions: { action: "deny" }, // as frame-ancestors 'none', for browsers without CSP
    strictTransportSecurity: https,
    // "same-origin" (not helmet's "no-referrer") so old browsers still send Origin/Referer on our own form posts.
    referrerPolicy: { policy: "same-origin" },
  });
}
