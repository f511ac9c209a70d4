/**
 * The display name of an attachment (server/attachments.ts): whatever file name the client sends,
 * the name stored and mailed has no directory part to climb out with. busboy already drops the
 * directory before the service sees it, so only these tests notice when the service's own rule goes.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { attachmentName } from "../../server/attachments";

describe("attachment display names", () => {
  it("keep only the last part of a path, with the sniffed type's extension", () => {
    const cases: [string, Parameters<typeof attachmentName>[2], string][] = [
      ["../../etc/passwd.png", "image/png", "passwd.png"],
      ["..\\..\\windows\\system32\\evil.exe", "image/png", "evil.png"],
      ["/home/ivan/shot.jpeg", "image/jpeg", "shot.jpg"],
      ["a/../../b.webp", "image/webp", "b.webp"],
      ["C:\\Users\\ivan\\..\\scan.PNG", "image/png", "scan.png"],
      ["..", "image/png", "screenshot-1.png"],
      ["../", "image/png", "screenshot-1.png"],
      [".hidden.png", "image/png", "hidden.png"],
    ];
    for (const [original, type, expected] of cases) expect(attachmentName(original, 0, type), original).toBe(expected);
  });

  it("never carry a path separator or start with a dot, whatever the name (property)", () => {
    const name = fc.string({ unit: fc.oneof(fc.constantFrom(".", "/", "\\", "..", "a", " ", "-"), fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 })), maxLength: 40 });
    fc.assert(
      fc.property(name, fc.constantFrom("image/png" as const, "image/jpeg" as const, "image/webp" as const), (original, type) => {
        const shown = attachmentName(original, 0, type);
        expect(shown).not.toMatch(/[/\\]/);
        expect(shown).not.toMatch(/^\./);
        expect(shown).toMatch(/\.(png|jpg|webp)$/);
      }),
      { numRuns: 500 },
    );
  });
});
