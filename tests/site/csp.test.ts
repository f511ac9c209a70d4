/**
 * The built site needs nothing the form service's Content-Security-Policy forbids: inline scripts
 * are allowed by hash only, inline event handlers and scripts from elsewhere not at all.
 */
import { describe, expect, it } from "vitest";
import { inlineScriptHashes } from "../../server/csp";
import { DIST, distFiles, readDist } from "./dist";

describe("content security policy", () => {
  it("the built site needs nothing the CSP forbids", () => {
    const hashes = inlineScriptHashes(DIST);
    expect(hashes.length).toBeGreaterThan(0); // the root page's language redirect
    for (const page of distFiles().filter((name) => name.endsWith(".html"))) {
      const html = readDist(page);
      expect(html, page).not.toMatch(/\son[a-z]+\s*=\s*["']/i); // inline event handlers (script-src-attr 'none')
      expect(html, page).not.toMatch(/<script[^>]+src=["']https?:/i); // scripts from elsewhere
      expect(html, page).not.toMatch(/javascript:/i);
    }
  });
});
