/**
 * D-16: a service that receives X-Forwarded-For while TRUST_PROXY is false is behind a proxy it
 * does not trust (every client shares the proxy's rate-limit bucket): it says so once, in one line.
 */
import { afterEach, describe, expect, it } from "vitest";
import { VALID, startService, type Service } from "../server/helpers/service";

let service: Service | undefined;
afterEach(async () => {
  await service?.stop();
  service = undefined;
});

const forwarded = { "X-Forwarded-For": "203.0.113.5" };
const warnings = (logs: string[]) => logs.filter((line) => line.includes("proxy.untrusted"));

describe("the untrusted-proxy warning", () => {
  it("is logged once, as one line naming TRUST_PROXY", async () => {
    service = await startService();
    for (let round = 0; round < 3; round += 1) {
      expect((await fetch(`${service.url}/api/health`, { headers: forwarded })).status).toBe(200);
      expect((await service.post(VALID.support, { headers: forwarded })).status).toBe(202);
    }
    const lines = warnings(service.logs);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\S+ warn proxy\.untrusted hint="[^\n]*Set TRUST_PROXY to the proxy's address[^\n]*"$/);
  });

  it("is not logged without X-Forwarded-For, nor when TRUST_PROXY names the proxy", async () => {
    service = await startService();
    expect((await service.post(VALID.support)).status).toBe(202);
    expect(warnings(service.logs)).toEqual([]);
    await service.stop();
    service = undefined;

    service = await startService({ env: { TRUST_PROXY: "loopback" } });
    expect((await service.post(VALID.support, { headers: forwarded })).status).toBe(202);
    expect(warnings(service.logs)).toEqual([]);
  });
});
