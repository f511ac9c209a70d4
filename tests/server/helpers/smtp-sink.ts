/**
 * A real SMTP server on 127.0.0.1 (smtp-server) that records what it receives, parsed by
 * mailparser, and fails on demand: `rejectRcpt`/`rejectData` return an SMTP code to refuse with,
 * `down()`/`up()` stop and restart it on the same port (connection refused in between).
 */
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

export type ReceivedMail = { raw: string; recipients: string[]; messageId: string | undefined; parsed: ParsedMail };

export type SmtpSink = {
  port: number;
  url: string;
  received: ReceivedMail[];
  /** SMTP connections opened so far (a pooled sender reuses a few). */
  connections: number;
  /** Called for each RCPT TO; a returned code refuses it. */
  rejectRcpt: (address: string) => number | undefined;
  /**
   * Called for each complete message before it is answered, so the sender is still waiting for
   * the reply while it runs; a returned code refuses the message.
   */
  rejectData: (mail: ReceivedMail) => number | undefined | Promise<number | undefined>;
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
    connections: 0,
    rejectRcpt: () => undefined,
    rejectData: () => undefined,
    async up() {
      server = new SMTPServer({
        authOptional: true,
        disabledCommands: ["AUTH", "STARTTLS"],
        disableReverseLookup: true,
        logger: false,
        closeTimeout: 50,
        onConnect(_session, callback) {
          sink.connections += 1;
          callback();
        },
        onRcptTo(address, _session, callback) {
          const code = sink.rejectRcpt(address.address);
          callback(code ? refusal(code) : undefined);
        },
        onData(stream, session, callback) {
          const chunks: Buffer[] = [];
          stream.on("data", (chunk: Buffer) => chunks.push(chunk));
          stream.on("end", () => {
            const raw = Buffer.concat(chunks).toString("utf8");
            const recipients = session.envelope.rcptTo.map((rcpt) => rcpt.address);
            void (async () => {
              const parsed = await simpleParser(raw);
              const mail: ReceivedMail = { raw, recipients, messageId: parsed.messageId, parsed };
              const code = await sink.rejectData(mail);
              if (code) return callback(refusal(code));
              sink.received.push(mail);
              return callback();
            })().catch((error: Error) => callback(error));
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
