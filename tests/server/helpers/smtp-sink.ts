/**
 * A real SMTP server on 127.0.0.1 (smtp-server) that records what it receives and fails on
 * demand: `rejectRcpt`/`rejectData` return an SMTP code to refuse with, `down()`/`up()` stop and
 * restart it on the same port (connection refused in between).
 */
import { SMTPServer } from "smtp-server";

export type ReceivedMail = { raw: string; recipients: string[]; messageId: string | undefined };

export type SmtpSink = {
  port: number;
  url: string;
  received: ReceivedMail[];
  /** Called for each RCPT TO; a returned code refuses it. */
  rejectRcpt: (address: string) => number | undefined;
  /** Called for each complete message; a returned code refuses it. */
  rejectData: (mail: ReceivedMail) => number | undefined;
  /** Milliseconds to wait before answering DATA. */
  dataDelayMs: number;
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
};

const refusal = (code: number) => Object.assign(new Error(code >= 500 ? "no such user here" : "try again later"), { responseCode: code });

export async function startSmtpSink(port = 0): Promise<SmtpSink> {
  let server: SMTPServer | undefined;
  const sink: SmtpSink = {
    port,
    url: "",
    received: [],
    rejectRcpt: () => undefined,
    rejectData: () => undefined,
    dataDelayMs: 0,
    async up() {
      server = new SMTPServer({
        authOptional: true,
        disabledCommands: ["AUTH", "STARTTLS"],
        disableReverseLookup: true,
        logger: false,
        closeTimeout: 50,
        onRcptTo(address, _session, callback) {
          const code = sink.rejectRcpt(address.address);
          callback(code ? refusal(code) : undefined);
        },
        onData(stream, session, callback) {
          const chunks: Buffer[] = [];
          stream.on("data", (chunk: Buffer) => chunks.push(chunk));
          stream.on("end", () => {
            const raw = Buffer.concat(chunks).toString("utf8");
            const mail = { raw, recipients: session.envelope.rcptTo.map((rcpt) => rcpt.address), messageId: /^Message-ID:\s*(<[^>]+>)/im.exec(raw)?.[1] };
            setTimeout(() => {
              const code = sink.rejectData(mail);
              if (code) return callback(refusal(code));
              sink.received.push(mail);
              return callback();
            }, sink.dataDelayMs);
          });
        },
      });
      server.on("error", () => {}); // clients killed mid-session must not fail the test
      await new Promise<void>((resolve) => server!.listen(sink.port, "127.0.0.1", () => resolve()));
      sink.port = (server.server.address() as { port: number }).port;
      sink.url = `smtp://127.0.0.1:${sink.port}`;
    },
    async down() {
      const closing = server;
      server = undefined;
      if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
    },
    close: () => sink.down(),
  };
  await sink.up();
  return sink;
}

export type MimePart = { type: string; filename: string | undefined; body: Buffer };

/** The leaf parts of a raw message, decoded (multipart containers are walked into). */
export function mimeParts(raw: string): MimePart[] {
  const [head = "", ...rest] = raw.split(/\r?\n\r?\n/);
  const body = rest.join("\r\n\r\n");
  const type = /content-type:\s*([^;\s]+)/i.exec(head)?.[1]?.toLowerCase() ?? "text/plain";
  if (type.startsWith("multipart/")) {
    const boundary = /boundary="?([^"\s;]+)"?/i.exec(head)?.[1];
    if (!boundary) return [];
    return body.split(`--${boundary}`).slice(1, -1).flatMap((section) => mimeParts(section.replace(/^\r?\n/, "")));
  }
  const encoding = /content-transfer-encoding:\s*(\S+)/i.exec(head)?.[1]?.toLowerCase();
  const filename = /filename="?([^";\r\n]+)"?/i.exec(head)?.[1];
  const decoded =
    encoding === "base64" ? Buffer.from(body.replace(/\s+/g, ""), "base64")
    : encoding === "quoted-printable"
      ? Buffer.from(body.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/gi, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16))), "latin1")
      : Buffer.from(body);
  return [{ type, filename, body: decoded }];
}

/** The decoded text of the first part of a type (`text/plain`, `text/html`). */
export function partText(raw: string, type: string): string {
  return mimeParts(raw).find((part) => part.type === type)?.body.toString("utf8") ?? "";
}

/** Header names of a raw message's top-level header block, lower-cased, in order. */
export function headerNames(raw: string): string[] {
  const head = raw.split(/\r?\n\r?\n/)[0] ?? "";
  return head.split(/\r?\n/).filter((line) => /^[^\s]/.test(line)).map((line) => line.split(":")[0]!.toLowerCase());
}
