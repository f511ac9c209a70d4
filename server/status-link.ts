/**
 * The private link to a request's status page: the ticket id and a key, an HMAC of the id with the
 * spool's secret (the same on every replica), so only the service can make one and a key opens one
 * request's page only. It needs no storage of its own: it works while the spool keeps the
 * request's receipt (until the content setting `requestStatusRetentionDays` after delivery) and
 * answers 404 after, like a forged one.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { STATUS_PAGE } from "../src/domain/request-status";
import type { Receipt } from "./store";

/** The key of a ticket's status link (43 URL-safe characters). */
export function statusKey(secret: string, id: string): string {
  return createHmac("sha256", secret).update(`status:${id}`).digest("base64url");
}

/** Whether `key` opens the status page of `id`. */
export function isStatusKey(secret: string, id: string, key: string): boolean {
  const expected = Buffer.from(statusKey(secret, id));
  const given = Buffer.from(key);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The status page of a request, as a path on the site's own origin, in the request's language. */
export function statusPath(secret: string, receipt: Pick<Receipt, "id" | "lang">): string {
  const query = new URLSearchParams({ [STATUS_PAGE.idParam]: receipt.id, [STATUS_PAGE.keyParam]: statusKey(secret, receipt.id) });
  return `${STATUS_PAGE.path(receipt.lang)}?${query}`;
}

/** The same, absolute on the site's origin (`PUBLIC_ORIGIN`), for the confirmation e-mail. */
export function statusUrl(origin: string, secret: string, receipt: Pick<Receipt, "id" | "lang">): string {
  return new URL(statusPath(secret, receipt), origin).href;
}
