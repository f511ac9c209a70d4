/**
 * The time trap: forms carry their render time signed by the server (HMAC), so a bot cannot
 * invent one. A form sent back too fast, too late, unsigned, or with the hidden honeypot filled
 * is answered like any other but quarantined (a person caught by mistake is not lost).
 */
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import { FORM_TOKEN_PLACEHOLDERS } from "../src/domain/requests";
import type { Clock } from "./clock";

export type FormToken = { renderedAt: string; formSignature: string; idempotencyKey: string };
export type TrapReason = "honeypot" | "unsigned" | "bad-signature" | "too-fast" | "expired";
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

  /** Why a submission looks automated, or undefined when it looks like a person. */
  trap({ website, renderedAt, formSignature }: Submitted): TrapReason | undefined {
    if (website.trim() !== "") return "honeypot";
    if (!renderedAt || !formSignature || !/^\d{1,16}$/.test(renderedAt)) return "unsigned";
    const expected = Buffer.from(this.sign(renderedAt));
    const given = Buffer.from(formSignature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return "bad-signature";
    const age = this.clock.now() - Number(renderedAt);
    if (age < this.window.minFillMs) return "too-fast";
    if (age > this.window.maxAgeMs) return "expired";
    return undefined;
  }
}

/** A form page with its placeholders replaced by a fresh token. */
export function fillFormToken(html: string, token: FormToken): string {
  return html
    .replaceAll(FORM_TOKEN_PLACEHOLDERS.renderedAt, token.renderedAt)
    .replaceAll(FORM_TOKEN_PLACEHOLDERS.formSignature, token.formSignature)
    .replaceAll(FORM_TOKEN_PLACEHOLDERS.idempotencyKey, token.idempotencyKey);
}
