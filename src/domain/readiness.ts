/**
 * What content must settle before it goes to production: every sample value, and every confirmed
 * value that still names a domain reserved for examples (RFC 2606/6761: example.com, *.example,
 * *.test, …). `npm run doctor` and the production build both list these lines.
 */
import type { ContentProblem } from "./content-problems";
import type { ContentSampleable } from "./schemas/sample";

export const SAMPLE_REASON = "sample value, not confirmed by the agency";

export function contentReadiness(fields: ContentSampleable[]): ContentProblem[] {
  return fields.flatMap(({ file, field, sample, value }) => {
    if (sample) return [{ file, field, reason: SAMPLE_REASON }];
    const domain = exampleDomainIn(value);
    return domain ? [{ file, field, reason: exampleDomainReason(domain) }] : [];
  });
}

/** Why a value naming `domain` cannot go to production. */
export function exampleDomainReason(domain: string): string {
  return `names ${domain}, a domain reserved for examples: use the agency's real one`;
}

const RESERVED_DOMAIN = /(^|\.)(example|test|invalid|localhost)$|(^|\.)example\.(com|net|org)$/i;

/** The host of an http(s) URL or the domain of an e-mail address, when it is reserved for examples; else undefined. */
export function exampleDomainIn(value: unknown): string | undefined {
  const host = typeof value === "string" ? hostIn(value) : undefined;
  return host && RESERVED_DOMAIN.test(host) ? host : undefined;
}

function hostIn(value: string): string | undefined {
  if (/^https?:\/\//i.test(value)) {
    try {
      return new URL(value).hostname;
    } catch {
      return undefined;
    }
  }
  const at = value.lastIndexOf("@");
  return at > 0 ? value.slice(at + 1) : undefined;
}
