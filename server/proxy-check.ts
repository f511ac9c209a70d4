/**
 * D-16: behind a proxy the service does not trust, every client has the proxy's address, so all
 * of them share one rate-limit bucket. A request with X-Forwarded-For while TRUST_PROXY is false is
 * the sign of it: say so once, in one line, with what to set.
 */
import type { RequestHandler } from "express";
import type { Config } from "./config";
import type { Logger } from "./log";

export function untrustedProxyWarning(config: Pick<Config, "trustProxy">, logger: Logger): RequestHandler {
  let warned = false;
  return (req, _res, next) => {
    if (config.trustProxy !== false || req.headers["x-forwarded-for"] === undefined) return next();
    if (!warned) {
      warned = true;
      logger.warn("proxy.untrusted", {
        hint: "X-Forwarded-For received but TRUST_PROXY is false, so all clients behind the proxy share one rate limit. Set TRUST_PROXY to the proxy's address (loopback for nginx on this machine).",
      });
    }
    return next();
  };
}
