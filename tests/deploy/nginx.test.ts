/**
 * The shipped nginx site (deploy/nginx/service-portal.conf) in front of the real form service,
 * started as systemd starts it with the shipped env file's settings, serving the fixture build:
 * static files with their cache and security headers, the form journey without JavaScript,
 * the body limit, per-client rate limits by the address nginx forwards, and which requests nginx
 * retries on another replica.
 */
import { EventEmitter, once } from "node:events";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import { createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FEEDBACK_COMMENT_PATH, FEEDBACK_VOTE_PATH } from "../../src/domain/article-feedback";
import { SATISFACTION_SLOT } from "../../src/domain/request-status";
import { FORM_TOKEN_PLACEHOLDERS, RECEIPT } from "../../src/domain/requests";
import { dictionaries } from "../../src/i18n";
import { LARGEST_MULTIPART_BYTES } from "../../server/request-body";
import { startSmtpSink, type SmtpSink } from "../server/helpers/smtp-sink";
import { FIXTURE } from "../setup/sites";
import {
  ENV_EXAMPLE,
  SITE_CONF,
  freePort,
  generateSecurityHeaders,
  readEnvFile,
  renderSite,
  request,
  startNginx,
  startServiceProcess,
  type Answer,
  type Nginx,
  type ServiceProcess,
} from "./harness";

const SHIPPED_UPSTREAM = "server 127.0.0.1:4321;";
const RATE_LIMIT_PER_IP = 3;

let dir: string;
let sink: SmtpSink;
let service: ServiceProcess;
let nginx: Nginx;
let publicOrigin: string;
const delivered = new EventEmitter();

/** The site file with this test's paths, port and upstream servers. */
async function site(port: number, upstreamServers: string): Promise<string> {
  return renderSite({
    "listen 80;": `listen 127.0.0.1:${port};`,
    "listen [::]:80;": "",
    [SHIPPED_UPSTREAM]: upstreamServers,
    "/srv/service-portal/dist": FIXTURE.dist,
    "/srv/service-portal/deploy/nginx/security-headers.conf": path.join(dir, "security-headers.conf"),
  });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "deploy-nginx-"));
  sink = await startSmtpSink();
  // The sink calls this before it records a message: announce it once it is in `received`.
  sink.rejectData = () => {
    setImmediate(() => delivered.emit("mail"));
    return undefined;
  };

  // The shipped settings (TRUST_PROXY, PUBLIC_ORIGIN, …) with this machine's paths and mail server.
  const shipped = await readEnvFile(ENV_EXAMPLE);
  publicOrigin = shipped.PUBLIC_ORIGIN!;
  const env = {
    ...shipped,
    PATH: process.env.PATH ?? "",
    PORT: "0",
    CONTENT_DIR: FIXTURE.content,
    DIST_DIR: FIXTURE.dist,
    SPOOL_DIR: path.join(dir, "spool"),
    MAIL_DIR: path.join(dir, "mail"),
    SMTP_URL: sink.url,
    // A person takes seconds to fill a form in; this test posts at once.
    FORM_MIN_FILL_SECONDS: "0",
    RATE_LIMIT_PER_IP: String(RATE_LIMIT_PER_IP),
  };
  service = await startServiceProcess([process.execPath, "--import", "tsx", "server/main.ts"], env);

  const envFile = path.join(dir, "service-portal.env");
  await writeFile(envFile, Object.entries(env).map(([key, value]) => `${key}=${value}\n`).join(""));
  await generateSecurityHeaders(envFile, path.join(dir, "security-headers.conf"));
  nginx = await startNginx(path.join(dir, "nginx"), await site(await freePort(), `server 127.0.0.1:${service.port};`));
}, 60_000);

afterAll(async () => {
  await nginx?.stop();
  await service?.stop();
  await sink?.close();
  await rm(dir, { recursive: true, force: true });
});

const viaNginx = (urlPath: string, options?: Parameters<typeof request>[1]) => request(`${nginx.url}${urlPath}`, options);
const direct = (urlPath: string, options?: Parameters<typeof request>[1]) => request(`http://127.0.0.1:${service.port}${urlPath}`, options);

/** Headers that describe this representation or connection; every other header the service sets is a policy nginx must repeat. */
const NOT_POLICY = new Set(["date", "connection", "keep-alive", "transfer-encoding", "content-length", "content-type", "content-encoding", "etag", "last-modified", "cache-control", "accept-ranges", "vary", "server"]);
function policyHeaders(answer: Answer): Record<string, string> {
  return Object.fromEntries(Object.entries(answer.headers).filter(([name]) => !NOT_POLICY.has(name)).map(([name, value]) => [name, String(value)]));
}

function builtFiles(folder: string): string[] {
  const root = path.join(FIXTURE.dist, folder);
  return readdirSync(root, { recursive: true, encoding: "utf8" }).map((name) => path.join(folder, name)).filter((name) => statSync(path.join(FIXTURE.dist, name)).isFile());
}

/** A fresh signed token for a JSON post (the enhanced form's way), through nginx. */
async function token(localAddress: string): Promise<Record<string, string>> {
  return JSON.parse((await viaNginx("/api/form-token", { localAddress })).body) as Record<string, string>;
}

function consultation(extra: Record<string, string>): Record<string, string> {
  return { type: "consultation", lang: "en", name: "Pavel", email: "pavel@client.example", consent: "on", question: "Can you build a CRM?", website: "", ...extra };
}

/** A JSON post as the enhanced form sends it, from `localAddress`. */
async function postRequest(localAddress: string, headers: Record<string, string> = {}): Promise<Answer> {
  const { renderedAt, formSignature } = await token(localAddress);
  return viaNginx("/api/requests", {
    method: "POST",
    localAddress,
    headers: { "Content-Type": "application/json", Accept: "application/json", "Sec-Fetch-Site": "same-origin", Origin: publicOrigin, ...headers },
    body: JSON.stringify(consultation({ renderedAt: renderedAt!, formSignature: formSignature! })),
  });
}

describe("the nginx site: static files", () => {
  it("serves pages from dist/ with the service's security headers, revalidated on every visit", async () => {
    const [fromNginx, fromService] = await Promise.all([viaNginx("/en/warranty/"), direct("/en/warranty/")]);
    expect(fromNginx.status).toBe(200);
    expect(fromNginx.body).toBe(readFileSync(path.join(FIXTURE.dist, "en/warranty/index.html"), "utf8"));
    expect(fromNginx.headers["cache-control"]).toBe("no-cache");
    expect(fromService.headers["content-security-policy"]).toContain("script-src 'self'");
    expect(policyHeaders(fromNginx)).toEqual(policyHeaders(fromService));
  });

  it("caches Astro's hashed assets for good and Pagefind's hashed index chunks, revalidates the rest of the index", async () => {
    const assets = builtFiles("_astro");
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets.slice(0, 5)) {
      const answer = await viaNginx(`/${asset}`);
      expect(answer.status, asset).toBe(200);
      expect(answer.headers["cache-control"], asset).toBe("public, max-age=31536000, immutable");
      expect(answer.headers["x-content-type-options"], asset).toBe("nosniff");
    }
    for (const kind of [".pf_fragment", ".pf_index", ".pf_filter", ".pf_meta"]) {
      const chunk = builtFiles("pagefind").find((name) => name.endsWith(kind));
      expect(chunk, kind).toBeDefined();
      expect((await viaNginx(`/${chunk}`)).headers["cache-control"], kind).toBe("public, max-age=31536000, immutable");
    }
    for (const name of ["pagefind/pagefind-entry.json", "pagefind/pagefind.js"]) {
      const answer = await viaNginx(`/${name}`);
      expect(answer.status, name).toBe(200);
      expect(answer.headers["cache-control"], name).toBe("no-cache");
    }
  });

  it("compresses text with gzip", async () => {
    const script = builtFiles("_astro")
      .filter((name) => name.endsWith(".js"))
      .sort((a, b) => statSync(path.join(FIXTURE.dist, b)).size - statSync(path.join(FIXTURE.dist, a)).size)[0]!;
    for (const urlPath of ["/en/warranty/", `/${script}`]) {
      const answer = await viaNginx(urlPath, { headers: { "Accept-Encoding": "gzip" } });
      expect(answer.headers["content-encoding"], urlPath).toBe("gzip");
      expect(answer.headers.vary, urlPath).toMatch(/Accept-Encoding/);
    }
  });

  it("answers unknown addresses 404 with the site's page in the path's language, as the service does", async () => {
    for (const [urlPath, page] of [["/en/no-such-page/", "en/404/index.html"], ["/ru/no-such-page/", "ru/404/index.html"], ["/no-such-page", "404.html"], ["/_astro/missing.js", "404.html"]] as const) {
      const [fromNginx, fromService] = await Promise.all([viaNginx(urlPath), direct(urlPath)]);
      expect(fromNginx.status, urlPath).toBe(404);
      expect(fromNginx.body, urlPath).toBe(readFileSync(path.join(FIXTURE.dist, page), "utf8"));
      expect(fromNginx.body, urlPath).toBe(fromService.body);
      expect(policyHeaders(fromNginx), urlPath).toEqual(policyHeaders(fromService));
    }
  });
});

describe("the nginx site: what goes to the form service", () => {
  it("sends / to the reader's language", async () => {
    for (const [acceptLanguage, target] of [["ru-RU,ru;q=0.9", "/ru/"], ["en-GB,en;q=0.9", "/en/"]] as const) {
      const answer = await viaNginx("/", { headers: { "Accept-Language": acceptLanguage } });
      expect(answer.status, acceptLanguage).toBe(302);
      expect(answer.headers.location, acceptLanguage).toBe(target);
      expect(answer.headers.vary).toMatch(/Accept-Language/);
    }
  });

  it("without JavaScript: a signed form page, a post answered 303, the receipt page with the id, and the team's e-mail", async () => {
    const client = "127.0.0.10";
    const formPath = "/en/request/consultation/";
    const form = await viaNginx(formPath, { localAddress: client });
    expect(form.status).toBe(200);
    expect(form.headers["cache-control"]).toBe("no-store");
    // One CSP, the service's: nginx adds none of its own to what it proxies.
    expect(form.headers["content-security-policy"]).toBe((await direct(formPath)).headers["content-security-policy"]);
    for (const placeholder of Object.values(FORM_TOKEN_PLACEHOLDERS)) expect(form.body).not.toContain(placeholder);
    const hidden = (name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(form.body)?.[1] ?? "";
    const signed = { renderedAt: hidden("renderedAt"), formSignature: hidden("formSignature"), idempotencyKey: hidden("idempotencyKey") };
    for (const [name, value] of Object.entries(signed)) expect(value, name).toMatch(/^[\w.:+-]{8,}$/);

    const posted = await viaNginx("/api/requests", {
      method: "POST",
      localAddress: client,
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        Origin: publicOrigin,
        "Sec-Fetch-Site": "same-origin",
      },
      body: new URLSearchParams(consultation(signed)).toString(),
    });
    expect(posted.status, posted.body).toBe(303);
    const receiptUrl = new URL(posted.headers.location!, publicOrigin);
    expect(receiptUrl.pathname).toBe(RECEIPT.path("en"));
    const id = receiptUrl.searchParams.get(RECEIPT.idParam)!;
    expect(id).toMatch(/^C-/);

    const receipt = await viaNginx(`${receiptUrl.pathname}${receiptUrl.search}`, { localAddress: client });
    expect(receipt.status).toBe(200);
    expect(receipt.body).toContain(id);
    // The receipt's private status link leads to the request's status page, served by the service.
    const statusHref = /href="(\/en\/request\/status\/\?[^"]+)"/.exec(receipt.body)?.[1]?.replaceAll("&amp;", "&");
    expect(statusHref).toBeDefined();
    const status = await viaNginx(statusHref!, { localAddress: client });
    expect(status.status).toBe(200);
    expect(status.headers["cache-control"]).toBe("no-store");
    expect(status.body).toContain(id);

    const teamAddress = (await readEnvFile(ENV_EXAMPLE)).MAIL_TEAM!;
    for (;;) {
      const mail = sink.received.find((received) => received.raw.includes(`X-Form-Request-ID: ${id}`) && received.recipients.includes(teamAddress));
      if (mail) break;
      await once(delivered, "mail");
    }
  });

  it("without JavaScript: an article's \"no\" answered with the signed comment form, and the comment reaching the team", async () => {
    const client = "127.0.0.11";
    const post = (urlPath: string, fields: Record<string, string>) =>
      viaNginx(urlPath, {
        method: "POST",
        localAddress: client,
        headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "text/html", Origin: publicOrigin, "Sec-Fetch-Site": "same-origin" },
        body: new URLSearchParams(fields).toString(),
      });
    const answered = await post(FEEDBACK_VOTE_PATH, { article: "warranty", lang: "en", helpful: "no", website: "" });
    expect(answered.status, answered.body).toBe(200);
    expect(answered.headers["cache-control"]).toBe("no-store");
    const hidden = (name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(answered.body)?.[1] ?? "";
    const signed = { renderedAt: hidden("renderedAt"), formSignature: hidden("formSignature"), idempotencyKey: hidden("idempotencyKey") };
    for (const [name, value] of Object.entries(signed)) expect(value, name).toMatch(/^[\w.:+-]{8,}$/);

    const sent = await post(FEEDBACK_COMMENT_PATH, { article: "warranty", lang: "en", ...signed, website: "", comment: "What happens at night?" });
    expect(sent.status, sent.body).toBe(200);
    const id = /F-[0-9A-Z]{8}/.exec(sent.body)?.[0];
    expect(id).toBeDefined();
    const teamAddress = (await readEnvFile(ENV_EXAMPLE)).MAIL_TEAM!;
    for (;;) {
      const mail = sink.received.find((received) => received.raw.includes(`X-Form-Request-ID: ${id}`) && received.recipients.includes(teamAddress));
      if (mail) break;
      await once(delivered, "mail");
    }
  });

  it("SLA reports, public and private, come from the service with the current satisfaction figures filled in", async () => {
    const privateToken = /accessToken: (\S+)/.exec(readFileSync(path.join(FIXTURE.content, "projects/fx-private/project.yaml"), "utf8"))![1]!;
    for (const urlPath of ["/en/projects/fx-shop/sla/", `/ru/p/${privateToken}/sla/`]) {
      const built = readFileSync(path.join(FIXTURE.dist, urlPath, "index.html"), "utf8");
      expect(built, urlPath).toContain(SATISFACTION_SLOT.start);
      const answer = await viaNginx(urlPath);
      expect(answer.status, urlPath).toBe(200);
      expect(answer.body, urlPath).not.toContain(SATISFACTION_SLOT.start);
      expect(answer.body, urlPath).toContain(dictionaries[urlPath.startsWith("/ru/") ? "ru" : "en"]["status.satisfaction.none"]);
    }
  });

  it("refuses a body over the service's largest request with 413 itself, and passes one at the limit on", async () => {
    const limitMiB = Number(/client_max_body_size (\d+)m;/.exec(readFileSync(SITE_CONF, "utf8"))?.[1]);
    const limit = limitMiB * 1024 * 1024;
    // The service's largest request fits with room for multipart framing (45 parts), and the limit tracks it.
    expect(limit).toBeGreaterThanOrEqual(LARGEST_MULTIPART_BYTES + 45 * 256);
    expect(limit).toBeLessThanOrEqual(LARGEST_MULTIPART_BYTES + 1024 * 1024);

    const headers = { "Content-Type": "application/octet-stream", Accept: "application/json", "Sec-Fetch-Site": "same-origin" };
    // nginx answers from the declared length alone, so the body need not be sent.
    const refused = await new Promise<Answer>((resolve, reject) => {
      const outgoing = httpRequest(`${nginx.url}/api/requests`, { method: "POST", agent: false, localAddress: "127.0.0.20", headers: { ...headers, "Content-Length": String(limit + 1) } }, (response) => {
        let body = "";
        response.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
      });
      outgoing.on("error", reject);
      outgoing.flushHeaders();
    });
    expect(refused.status).toBe(413);
    expect(refused.body).toContain("<center>nginx</center>");

    const passed = await viaNginx("/api/requests", { method: "POST", localAddress: "127.0.0.21", headers, body: Buffer.alloc(limit) });
    expect(passed.status).toBe(415); // the service's answer to the media type
    expect(JSON.parse(passed.body)).toMatchObject({ error: "unsupported_media_type" });
  });

  it("passes on the service's answer to an upload it refuses before reading it, never a 502", async () => {
    // The service answers these (415) while nginx is still sending the body. Closing the connection
    // then would race nginx's writes (about one in three over HTTP/1.0), so try enough of them.
    const headers = { "Content-Type": "application/octet-stream", Accept: "application/json", "Sec-Fetch-Site": "same-origin" };
    for (let client = 1; client <= 12; client += 1) {
      const answer = await viaNginx("/api/requests", { method: "POST", localAddress: `127.0.1.${client}`, headers, body: Buffer.alloc(4 * 1024 * 1024) });
      expect(answer.status, `upload ${client}`).toBe(415);
    }
  });

  it("rate-limits each client by the address nginx forwards, whatever X-Forwarded-For the client sends", async () => {
    const [clientA, clientB] = ["127.0.0.2", "127.0.0.3"];
    for (let sent = 0; sent < RATE_LIMIT_PER_IP; sent += 1) expect((await postRequest(clientA)).status).toBe(202);
    expect((await postRequest(clientA)).status).toBe(429);
    // A forged address does not give client A a fresh bucket…
    expect((await postRequest(clientA, { "X-Forwarded-For": "198.51.100.7" })).status).toBe(429);
    // …and client B is neither blocked by A nor can it spend A's bucket by naming A.
    expect((await postRequest(clientB)).status).toBe(202);
    expect((await postRequest(clientB, { "X-Forwarded-For": clientA })).status).toBe(202);
    expect(service.output()).not.toMatch(/proxy\.untrusted/);
  });
});

describe("the nginx site: two replicas, one of them failing", () => {
  /** A replica that takes each request and dies before answering; remembers the request lines. */
  async function crashingReplica() {
    const seen: string[] = [];
    const server = createServer((socket: Socket) => {
      socket.once("data", (chunk: Buffer) => {
        seen.push(chunk.toString().split("\r\n")[0]!);
        socket.destroy();
      });
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    return { port: (server.address() as { port: number }).port, seen, close: () => new Promise((resolve) => server.close(resolve)) };
  }

  /** nginx with `firstPort` listed before the service: its first request goes there (round robin starts at the top). */
  async function withFirstReplica(firstPort: number, run: (proxy: Nginx) => Promise<void>) {
    const proxy = await startNginx(await mkdtemp(path.join(dir, "nginx-replicas-")), await site(await freePort(), `server 127.0.0.1:${firstPort};\n    server 127.0.0.1:${service.port};`));
    try {
      await run(proxy);
    } finally {
      await proxy.stop();
    }
  }

  async function withCrashingFirst(run: (proxy: Nginx, crashing: Awaited<ReturnType<typeof crashingReplica>>) => Promise<void>) {
    const crashing = await crashingReplica();
    try {
      await withFirstReplica(crashing.port, (proxy) => run(proxy, crashing));
    } finally {
      await crashing.close();
    }
  }

  /** A JSON post straight to the given proxy, signed by the service. */
  async function postThrough(proxy: Nginx, localAddress: string): Promise<Answer> {
    const { renderedAt, formSignature } = JSON.parse((await direct("/api/form-token")).body) as Record<string, string>;
    return request(`${proxy.url}/api/requests`, {
      method: "POST",
      localAddress,
      headers: { "Content-Type": "application/json", Accept: "application/json", "Sec-Fetch-Site": "same-origin" },
      body: JSON.stringify(consultation({ renderedAt: renderedAt!, formSignature: formSignature! })),
    });
  }

  it("passes any request, a post too, to the next replica when one refuses the connection", async () => {
    const refused = /connect\(\) failed \(111: Connection refused\) while connecting to upstream/;
    await withFirstReplica(await freePort(), async (proxy) => {
      expect((await request(`${proxy.url}/api/health`)).status).toBe(200);
      expect(await proxy.errorLog()).toMatch(refused);
    });
    await withFirstReplica(await freePort(), async (proxy) => {
      expect((await postThrough(proxy, "127.0.0.31")).status).toBe(202);
      expect(await proxy.errorLog()).toMatch(refused);
    });
  });

  it("retries an idempotent request on the next replica", async () => {
    await withCrashingFirst(async (proxy, crashing) => {
      const answer = await request(`${proxy.url}/api/health`);
      expect(crashing.seen).toEqual(["GET /api/health HTTP/1.1"]);
      expect(answer.status).toBe(200);
    });
  });

  it("never resends a post a replica may have accepted", async () => {
    await withCrashingFirst(async (proxy, crashing) => {
      const answer = await postThrough(proxy, "127.0.0.30");
      expect(crashing.seen).toEqual(["POST /api/requests HTTP/1.1"]);
      expect(answer.status).toBe(502);
    });
  });
});
