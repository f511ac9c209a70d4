/**
 * Properties of the e-mails, checked on the exact bytes nodemailer would send (stream transport):
 * one envelope recipient per accepted address, no header injection whatever the strings, and no
 * raw markup from the client in the HTML part (research note §4.4, properties 1, 2 and 6).
 */
import fc from "fast-check";
import { simpleParser } from "mailparser";
import nodemailer from "nodemailer";
import { describe, expect, it } from "vitest";
import { parseRequest } from "../../src/domain/requests";
import { sniffImage } from "../../server/attachments";
import { composeMail } from "../../server/mail-content";
import { toNodemailer } from "../../server/mailer";
import type { LoadedRequest, MailKind, Receipt } from "../../server/spool";
import { IMAGES, VALID, testContent } from "./helpers/service";

const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, disableFileAccess: true, disableUrlAccess: true });
const setup = { mailFrom: "forms@agency.example", mailTeam: "fallback-team@agency.example", teamLang: "ru" as const };
const receipt: Receipt = {
  version: 1,
  id: "W-7K3F9QXM",
  type: "warranty",
  lang: "en",
  project: "test-shop",
  receivedAt: "2026-11-23T10:00:00+03:00",
  deadlines: { processing: "2026-11-23T18:00:00+03:00" },
};

async function send(kind: MailKind, request: LoadedRequest) {
  const info = await transport.sendMail(toNodemailer(composeMail(kind, receipt, request, testContent, setup)));
  return { raw: (info.message as Buffer).toString("utf8"), envelope: info.envelope as { to: string[] } };
}

const fieldsWith = (overrides: Record<string, string>) => ({ ...VALID.warranty, consent: "on", ...overrides }) as Record<string, string>;

/** Strings built from the characters that break address and header parsers. */
const nasty = fc.string({ unit: fc.constantFrom(..."ab.@,;:<>\"'()[]\\ \r\n\t\u0000=?%&/", "é", "ж"), maxLength: 60 });

/** Plain addresses with one list or quoting character in the local part (`a,b@x.example` is two recipients to some parsers). */
const atom = fc.string({ unit: fc.constantFrom(..."ab9_%+-"), minLength: 1, maxLength: 8 });
const nearlyPlain = fc.tuple(atom, fc.constantFrom(..."',;:<>\"()[]\\ "), atom).map(([before, odd, after]) => `${before}${odd}${after}@x.example`);

/** Header names of a message's top-level header block, lower-cased, in order. */
const headerNames = async (raw: string) => (await simpleParser(raw)).headerLines.map((header) => header.key);

describe("e-mail properties", () => {
  it("any e-mail the schema accepts gives exactly one envelope recipient, that address", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.emailAddress(), nasty, nasty.map((s) => `${s}@x.example`), nearlyPlain), async (email) => {
        const parsed = parseRequest({ ...VALID.consultation, email });
        if (!parsed.success) return;
        const { envelope } = await send("client", { fields: { name: "Client", email: parsed.data.email }, attachments: [] });
        expect(envelope.to).toEqual([parsed.data.email]);
      }),
      { numRuns: 400 },
    );
  });

  it("no string in a name, subject part or file name adds a header (header injection)", async () => {
    const teamHeaders = ["x-form-request-id", "from", "to", "reply-to", "subject", "message-id", "date", "mime-version", "content-type"];
    const clientHeaders = ["x-form-request-id", "auto-submitted", "x-auto-response-suppress", "from", "to", "subject", "message-id", "date", "mime-version", "content-type"];
    await fc.assert(
      fc.asyncProperty(fc.oneof(nasty, fc.string({ unit: "binary", maxLength: 80 })), nasty, async (name, fileName) => {
        const request: LoadedRequest = {
          fields: fieldsWith({ name, userLogin: name, browser: name }),
          attachments: [{ name: fileName, contentType: sniffImage(IMAGES.png)!, content: IMAGES.png }],
        };
        expect((await headerNames((await send("team", request)).raw)).sort()).toEqual([...teamHeaders].sort());
        expect((await headerNames((await send("client", request)).raw)).sort()).toEqual([...clientHeaders].sort());
      }),
      { numRuns: 200 },
    );
  });

  it("the team's HTML part never carries the client's markup raw, and links nowhere", async () => {
    const markup = fc.tuple(nasty, fc.constantFrom("<script>", '"><img src=x onerror=alert(1)>', "<a href='javascript:x'>", "&amp;<"), nasty).map((parts) => parts.join(""));
    await fc.assert(
      fc.asyncProperty(markup, async (text) => {
        const { raw } = await send("team", { fields: fieldsWith({ happened: text, expected: text, name: "N" }), attachments: [] });
        const html = (await simpleParser(raw)).html || "";
        expect(html).not.toContain(text);
        expect(html).not.toMatch(/<(script|img|a)\b/i);
      }),
      { numRuns: 200 },
    );
  });
});
