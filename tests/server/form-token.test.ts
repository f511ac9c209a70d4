/** The time trap (research note §3.5): which submissions look automated, which a person may send, and why. */
import { describe, expect, it } from "vitest";
import { FORM_TOKEN_PLACEHOLDERS, parseRequest } from "../../src/domain/requests";
import { FormTokens, fillFormToken } from "../../server/form-token";
import { VALID, manualClock } from "./helpers/service";

const HOUR = 3_600_000;

describe("form tokens", () => {
  const clock = manualClock();
  const tokens = new FormTokens("a-secret-of-at-least-thirty-two-characters", clock, { minFillMs: 3_000, maxAgeMs: 24 * HOUR });
  const other = new FormTokens("another-secret-of-at-least-32-characters!", clock, { minFillMs: 3_000, maxAgeMs: 24 * HOUR });

  it("lets a person through, asks for a resend when too fast, flags a missing or expired token, and names bots", () => {
    const { renderedAt, formSignature } = tokens.issue();
    const submitted = { website: "", renderedAt, formSignature };
    expect(tokens.check(submitted)).toEqual({ kind: "too-fast" });
    clock.advance(10_000);
    expect(tokens.check(submitted)).toEqual({ kind: "person" });
    expect(tokens.check({ ...submitted, website: "https://spam.example" })).toEqual({ kind: "bot", reason: "honeypot" });
    expect(tokens.check({ website: "https://spam.example" })).toEqual({ kind: "bot", reason: "honeypot" });
    expect(tokens.check({ website: "" })).toEqual({ kind: "unsigned", token: "missing" });
    const unfilled = parseRequest({ ...VALID.extension, ...Object.fromEntries(Object.entries(FORM_TOKEN_PLACEHOLDERS)) });
    expect(unfilled.success && tokens.check(unfilled.data)).toEqual({ kind: "unsigned", token: "missing" });
    expect(tokens.check({ ...submitted, renderedAt: String(Number(renderedAt) - 60_000) })).toEqual({ kind: "bot", reason: "bad-signature" });
    expect(other.check(submitted)).toEqual({ kind: "bot", reason: "bad-signature" });
    clock.advance(25 * HOUR);
    expect(tokens.check(submitted)).toEqual({ kind: "unsigned", token: "expired" });
  });

  it("fills every placeholder of a form page", () => {
    const token = tokens.issue();
    const page = fillFormToken(Object.values(FORM_TOKEN_PLACEHOLDERS).join(" "), token);
    expect(page).toBe(`${token.renderedAt} ${token.formSignature} ${token.idempotencyKey}`);
  });
});
