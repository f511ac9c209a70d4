/**
 * What the deployment tests start: the form service as a process (as systemd runs it), Debian's
 * nginx with the shipped site file in a throwaway prefix, and plain HTTP requests that can choose
 * their source address (127.0.0.2, 127.0.0.3, … are distinct clients on Linux's loopback /8).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { connect, createServer } from "node:net";
import { userInfo } from "node:os";
import path from "node:path";
import { NGINX } from "../../scripts/system-paths.mjs";

export const SITE_CONF = path.resolve("deploy/nginx/service-portal.conf");
export const ENV_EXAMPLE = path.resolve("deploy/service-portal.env.example");

/**
 * An environment file as systemd reads it, limited to plain `KEY=value` lines (no quotes, escapes
 * or spaces), where systemd, `node --env-file` and this parser all agree; anything else throws.
 */
export async function readEnvFile(file: string): Promise<Record<string, string>> {
  const env: Record<string, string> = {};
  for (const [index, line] of (await readFile(file, "utf8")).split("\n").entries()) {
    if (line.trim() === "" || line.startsWith("#")) continue;
    const match = /^([A-Z][A-Z0-9_]*)=([^\s"'\\]*)$/.exec(line);
    if (!match) throw new Error(`${file}:${index + 1}: not a plain KEY=value line: ${line}`);
    env[match[1]!] = match[2]!;
  }
  return env;
}

/** Runs deploy/nginx/security-headers.ts as the README tells operators to, with `envFile`. */
export async function generateSecurityHeaders(envFile: string, output: string): Promise<void> {
  const child = spawn(process.execPath, [`--env-file=${envFile}`, "--import", "tsx", "deploy/nginx/security-headers.ts", output], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, "exit")) as [number | null];
  if (code !== 0) throw new Error(`security-headers.ts exited with ${code}: ${stderr}`);
}

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, "close");
  return port;
}

export type Answer = { status: number; headers: IncomingHttpHeaders; body: string };

export type RequestOptions = { method?: string; headers?: Record<string, string>; body?: string | Buffer; localAddress?: string };

/** One request on its own connection (no pooling, no decompression, no redirects followed). */
export function request(url: string, { method = "GET", headers = {}, body, localAddress }: RequestOptions = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(url, { method, headers, agent: false, ...(localAddress ? { localAddress } : {}) }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (text += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }));
    });
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

export type ServiceProcess = {
  port: number;
  child: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Sends `signal`; resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
};

/** Starts the service (`argv` as systemd's ExecStart) and waits for its "listening" line. */
export async function startServiceProcess(argv: string[], env: Record<string, string>, cwd = process.cwd()): Promise<ServiceProcess> {
  const child = spawn(argv[0]!, argv.slice(1), { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const exited = once(child, "exit") as Promise<[number | null]>;
  const port = await new Promise<number>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on http:\/\/[^:]+:(\d+)\//.exec(output);
      if (match) resolve(Number(match[1]));
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    void exited.then(([code]) => reject(new Error(`the service exited with ${code} before listening:\n${output}`)));
  });
  return {
    port,
    child,
    output: () => output,
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return (await exited)[0];
    },
  };
}

/**
 * The shipped site file with this machine's values in place of the operator's: each key must occur
 * in the file (so a renamed path fails here instead of silently keeping the shipped value).
 */
export async function renderSite(replacements: Record<string, string>): Promise<string> {
  let text = await readFile(SITE_CONF, "utf8");
  for (const [shipped, local] of Object.entries(replacements)) {
    if (!text.includes(shipped)) throw new Error(`${SITE_CONF} no longer contains "${shipped}"`);
    text = text.replaceAll(shipped, local);
  }
  return text;
}

export type Nginx = { url: string; errorLog(): Promise<string>; stop(): Promise<void> };

/**
 * Debian's nginx in the foreground with everything under `dir`, including the site file `site`
 * as Debian's nginx.conf includes sites-enabled/* (with its mime.types). Resolves once it accepts.
 */
export async function startNginx(dir: string, site: string): Promise<Nginx> {
  await mkdir(dir, { recursive: true });
  const port = Number(/listen 127\.0\.0\.1:(\d+);/.exec(site)?.[1]);
  if (!port) throw new Error("the rendered site listens on no 127.0.0.1 port");
  await writeFile(path.join(dir, "site.conf"), site);
  const file = (name: string) => path.join(dir, name);
  await writeFile(
    file("nginx.conf"),
    `daemon off;
worker_processes 1;
pid ${file("nginx.pid")};
error_log ${file("error.log")} info;
${process.getuid?.() === 0 ? `# As root, workers would run as nobody, who cannot read the temporary folders.\nuser ${userInfo().username};` : ""}
events { worker_connections 64; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log ${file("access.log")};
  client_body_temp_path ${file("body")};
  proxy_temp_path ${file("proxy")};
  fastcgi_temp_path ${file("fastcgi")};
  uwsgi_temp_path ${file("uwsgi")};
  scgi_temp_path ${file("scgi")};
  include ${file("site.conf")};
}
`,
  );
  const child = spawn(NGINX, ["-p", `${dir}/`, "-c", file("nginx.conf"), "-e", file("error.log")], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, "exit");
  let running = true;
  void exited.then(() => (running = false));
  const errorLog = () => readFile(file("error.log"), "utf8").catch(() => "");

  // nginx says nothing when it is ready: poll its port until it accepts.
  for (;;) {
    if (!running) throw new Error(`nginx exited at start-up:\n${stderr}${await errorLog()}`);
    const accepted = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.on("connect", () => {
        socket.end();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (accepted) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    errorLog,
    async stop() {
      if (running) child.kill("SIGTERM");
      await exited;
    },
  };
}
