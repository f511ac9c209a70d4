/** The time trap (research note §3.5): which submissions look automated, and why. */
import { describe, expect, it } from "vitest";
import { FORM_TOKEN_PLACEHOLDERS } from "../../src/domain/requests";
import { FormTokens, fillFormToken } from "../../server/form-token";
import { manualClock } from "./helpers/service";

const HOUR = 3_600_000;

describe("form tokens", () => {
  const clock = manualClock();
  const tokens = new FormTokens("a-secret-of-at-least-thirty-two-characters", clock, { minFillMs: 3_000, maxAgeMs: 24 * HOUR });
  const other = new FormTokens("another-secret-of-at-least-32-characters!", clock, { minFillMs: 3_000, maxAgeMs: 24 * HOUR });

  it("lets a person through and names every kind of bot", () => {
    const { renderedAt, formSignature } = tokens.issue();
    const submitted = { website: "", renderedAt, formSignature };
    expect(tokens.trap(submitted)).toBe("too-fast");
    clock.advance(10_000);
    expect(tokens.trap(submitted)).toBeUndefined();
    expect(tokens.trap({ ...submitted, website: "https://spam.example" })).toBe("honeypot");
    expect(tokens.trap({ website: "" })).toBe("unsigned");
    expect(tokens.trap({ website: "", renderedAt: FORM_TOKEN_PLACEHOLDERS.renderedAt, formSignature: FORM_TOKEN_PLACEHOLDERS.formSignature })).toBe("unsigned");
    expect(tokens.trap({ ...submitted, renderedAt: String(Number(renderedAt) - 60_000) })).toBe("bad-signature");
    expect(other.trap(submitted)).toBe("bad-signature");
    clock.advance(25 * HOUR);
    expect(tokens.trap(submitted)).toBe("expired");
  });

  it("fills every placeholder of a form page", () => {
    const token = tokens.issue();
    const page = fillFormToken(Object.values(FORM_TOKEN_PLACEHOLDERS).join(" "), token);
    expect(page).toBe(`${token.renderedAt} ${token.formSignature} ${token.idempotencyKey}`);
  });
});
