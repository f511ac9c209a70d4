/**
 * Mail transports. With SMTP_URL: nodemailer over a pool of SMTP connections (one per message sent
 * at once, reused, so draining a backlog is not a TCP and TLS handshake per message) with short
 * timeouts; a message some recipients refused resolves with them in `refused`. Without: the embedded
 * default, each message written whole as `<id>.<kind>.eml` in MAIL_DIR (atomic rename, so a
 * reader never sees half a file, and a re-send after a crash overwrites the same file).
 * Both refuse to read files or URLs named in a message: attachments are Buffers only.
 */
import { constants as osConstants } from "node:os";
import path from "node:path";
import nodemailer from "nodemailer";
import type { SendMailOptions } from "nodemailer/lib/mailer";
import type { Config } from "./config";
import { realFileSystem, replaceFileDurably } from "./durable-fs";
import type { MailMessage } from "./mail-content";

/** Where mail goes, for the start-up line and the operator (not for anonymous callers: it names a host or a path). */
export type MailTransportInfo = { kind: "smtp"; server: string } | { kind: "file"; directory: string };

/** Recipients the server refused while accepting the message for the others. */
export type SendResult = { refused: string[] };

export type Mailer = {
  send(message: MailMessage): Promise<SendResult>;
  close(): void;
  readonly info: MailTransportInfo;
};

const NO_FILE_OR_URL_ACCESS = { disableFileAccess: true, disableUrlAccess: true } as const;

/** The message as nodemailer takes it. */
export function toNodemailer(message: MailMessage): SendMailOptions {
  return {
    messageId: message.messageId,
    from: message.from,
    to: message.to,
    ...(message.replyTo ? { replyTo: message.replyTo } : {}),
    subject: message.subject,
    text: message.text,
    html: message.html,
    headers: message.headers,
    attachments: message.attachments.map(({ name, contentType, content }) => ({ filename: name, contentType, content })),
  };
}

export function createMailer(config: Pick<Config, "smtpUrl" | "smtpTimeoutMs" | "mailDir" | "senderConcurrency">): Mailer {
  return config.smtpUrl ? smtpMailer(config.smtpUrl, config.smtpTimeoutMs, config.senderConcurrency) : fileMailer(config.mailDir);
}

function smtpMailer(url: string, timeoutMs: number, connections: number): Mailer {
  const transport = nodemailer.createTransport({
    url,
    pool: true,
    maxConnections: connections,
    maxMessages: 100,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: 3 * timeoutMs,
    dnsTimeout: timeoutMs,
    logger: false,
    ...NO_FILE_OR_URL_ACCESS,
  });
  const { hostname, port, protocol } = new URL(url);
  return {
    info: { kind: "smtp", server: `${protocol}//${hostname}:${port || (protocol === "smtps:" ? 465 : 587)}` },
    async send(message) {
      const info = await transport.sendMail(toNodemailer(message));
      return { refused: info.rejected.map(String) };
    },
    close: () => transport.close(),
  };
}

function fileMailer(directory: string): Mailer {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, ...NO_FILE_OR_URL_ACCESS });
  return {
    info: { kind: "file", directory },
    async send(message) {
      const { message: raw } = await transport.sendMail(toNodemailer(message));
      await realFileSystem.mkdir(directory, { recursive: true });
      await replaceFileDurably(realFileSystem, path.join(directory, `${message.requestId}.${message.kind}.eml`), raw as Buffer);
      return { refused: [] };
    },
    close: () => transport.close(),
  };
}

/** Permanent failures are dead-lettered at once; anything else is retried. */
export type MailFailure = { permanent: boolean; code: string };

const PERMANENT_CODES = new Set(["EAUTH", "ENOAUTH", "ECONFIG", "EFILEACCESS", "EURLACCESS"]);

/**
 * Classifies a send error by its code and SMTP reply code (5xx is permanent: the team address is
 * fixed, so it means our configuration is wrong or the client's address does not exist). The code
 * never includes the server's text, which may quote an address.
 */
export function classifyMailError(error: unknown): MailFailure {
  const { code, responseCode, message } = (error ?? {}) as { code?: string; responseCode?: number; message?: string };
  // Only a system error name (ECONNREFUSED, ETIMEDOUT…): the rest of the message may quote the server's reply and an address.
  const cause = (message ?? "").match(/\bE[A-Z0-9_]{3,}\b/g)?.find((word) => word in osConstants.errno);
  const parts = [code ?? "ERROR", responseCode, cause !== code ? cause : undefined].filter((part) => part !== undefined);
  return {
    permanent: (responseCode !== undefined && responseCode >= 500) || PERMANENT_CODES.has(code ?? ""),
    code: parts.join(" "),
  };
}
