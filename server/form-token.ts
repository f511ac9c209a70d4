/**
 * The time trap: forms carry their render time signed by the server (HMAC), so a bot cannot
 * invent one. Only what no person does is quarantined (answered like any request, never sent): a
 * filled honeypot or a forged signature. A person can send a form too fast (autofill), from a page
 * a static host served without a token, or from a tab left open for days: the first is asked to
 * send again (nothing is stored, so the retry with the same key is taken), the others are sent
 * with a flag telling the team the form carried no valid token.
 */
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import { FORM_TOKEN_PLACEHOLDERS } from "../src/domain/requests";
import type { Clock } from "./clock";

export type FormToken = { renderedAt: string; formSignature: string; idempotencyKey: string };
/** Why a submission carries no valid token, for the team's e-mail. */
export type MissingToken = "missing" | "expired";
export type FormVerdict =
  /** Signed, old enough, honeypot empty. */
  | { kind: "person" }
  /** No token or an expired one: sent, flagged for the team. */
  | { kind: "unsigned"; token: MissingToken }
  /** Sent back sooner than a person fills a form: 422, send again. */
  | { kind: "too-fast" }
  /** Honeypot filled or signature forged: quarantined. */
  | { kind: "bot"; reason: "honeypot" | "bad-signature" };
type Submitted = { website: string; renderedAt?: string | undefined; formSignature?: string | undefined };

export class FormTokens {
  constructor(
    private readonly secret: string,
    private readonly clock: Clock,
    private readonly window: { minFillMs: number; maxAgeMs: number },
  ) {}

  private sign(renderedAt: string): string {
    return createHmac("sha256", this.secret).update(`form:${renderedAt}`).digest("base64url");
  }

  /** A fresh token for one rendering of a form. */
  issue(): FormToken {
    const renderedAt = String(this.clock.now());
    return { renderedAt, formSignature: this.sign(renderedAt), idempotencyKey: randomUUID() };
  }

  /** What the form's hidden fields say about who sent it (placeholders count as absent: the schema drops them). */
  check({ website, renderedAt, formSignature }: Submitted): FormVerdict {
    if (website.trim() !== "") return { kind: "bot", reason: "honeypot" };
    if (!renderedAt || !formSignature) return { kind: "unsigned", token: "missing" };
    const expected = Buffer.from(this.sign(renderedAt));
    const given = Buffer.from(formSignature);
    if (!/^\d{1,16}$/.test(renderedAt) || given.length !== expected.length || !timingSafeEqual(given, expected)) return { kind: "bot", reason: "bad-signature" };
    const age = this.clock.now() - Number(renderedAt);
    if (age < this.window.minFillMs) return { kind: "too-fast" };
    if (age > this.window.maxAgeMs) return { kind: "unsigned", token: "expired" };
    return { kind: "person" };
  }
}

/** A form page with its placeholders replaced by a fresh token. */
export function fillFormToken(html: string, token: FormToken): string {
  return html
    .replaceAll(FORM_TOKEN_PLACEHOLDERS.renderedAt, token.renderedAt)
    .replaceAll(FORM_TOKEN_PLACEHOLDERS.formSignature, token.formSignature)
    .replaceAll(FORM_TOKEN_PLACEHOLDERS.idempotencyKey, token.idempotencyKey);
}
