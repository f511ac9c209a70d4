/**
 * Properties of the e-mails, checked on the exact bytes nodemailer would send (stream transport):
 * one envelope recipient per accepted address, no header injection whatever the strings, and no
 * raw markup from the client in the HTML part (research note §4.4, properties 1, 2 and 6).
 */
import { domainToASCII } from "node:url";
import fc from "fast-check";
import { simpleParser } from "mailparser";
import nodemailer from "nodemailer";
import { describe, expect, it } from "vitest";
import { parseRequest } from "../../src/domain/requests";
import { sniffImage } from "../../server/attachments";
import { composeMail } from "../../server/mail-content";
import { toNodemailer } from "../../server/mailer";
import type { LoadedRequest, MailKind, Receipt } from "../../server/store";
import { IMAGES, VALID, testContent } from "./helpers/service";

const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, disableFileAccess: true, disableUrlAccess: true });
const setup = { mailFrom: "forms@agency.example", mailTeam: "fallback-team@agency.example", teamLang: "ru" as const };
const links = { status: "http://localhost:4321/en/request/status/?id=W-7K3F9QXM&key=test-key" };
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
  const info = await transport.sendMail(toNodemailer(composeMail(kind, receipt, request, testContent, setup, links)));
  return { raw: (info.message as Buffer).toString("utf8"), envelope: info.envelope as { to: string[] } };
}

const fieldsWith = (overrides: Record<string, string>) => ({ ...VALID.warranty, consent: "on", ...overrides }) as Record<string, string>;

/** Strings built from the characters that break address and header parsers. */
const nasty = fc.string({ unit: fc.constantFrom(..."ab.@,;:<>\"'()[]\\ \r\n\t\u0000=?%&/", "é", "ж"), maxLength: 60 });

/** Plain addresses with one list or quoting character in the local part (`a,b@x.example` is two recipients to some parsers). */
const atom = fc.string({ unit: fc.constantFrom(..."ab9_%+-"), minLength: 1, maxLength: 8 });
const nearlyPlain = fc.tuple(atom, fc.constantFrom(..."',;:<>\"()[]\\ "), atom).map(([before, odd, after]) => `${before}${odd}${after}@x.example`);
/** Addresses at internationalised domains, in any case: `ivan@пример.рф`, `a+b@ПОЧТА.example`. */
const label = fc.string({ unit: fc.constantFrom(..."абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВЯ-", "ö", "中", "a", "1"), minLength: 1, maxLength: 12 });
const idn = fc.tuple(atom, fc.array(label, { minLength: 1, maxLength: 3 }), fc.constantFrom("рф", "РФ", "example", "xn--p1ai")).map(([local, labels, top]) => `${local}@${[...labels, top].join(".")}`);

/** The address as it travels: the domain in its ASCII (punycode) form, by Node's own IDNA, not the schema's. */
const onTheWire = (address: string) => {
  const at = address.lastIndexOf("@");
  return `${address.slice(0, at)}@${domainToASCII(address.slice(at + 1))}`;
};

/** Header names of a message's top-level header block, lower-cased, in order. */
const headerNames = async (raw: string) => (await simpleParser(raw)).headerLines.map((header) => header.key);

describe("e-mail properties", () => {
  it("any e-mail the schema accepts gives exactly one envelope recipient, that address (its domain in ASCII)", async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.emailAddress(), nasty, nasty.map((s) => `${s}@x.example`), nearlyPlain, idn), async (email) => {
        const parsed = parseRequest({ ...VALID.consultation, email });
        if (!parsed.success) return;
        accepted += 1;
        const { envelope, raw } = await send("client", { fields: { name: "Client", email: parsed.data.email }, attachments: [] });
        expect(envelope.to).toEqual([onTheWire(parsed.data.email)]);
        expect(envelope.to[0]).toMatch(/^[\x21-\x7e]+$/); // plain ASCII on the wire: no SMTPUTF8 needed
        const headers = raw.slice(0, raw.indexOf("\r\n\r\n")).replace(/\r\n(?=[ \t])/g, ""); // unfolded (RFC 5322 §2.2.3)
        expect(headers.split("\r\n").filter((line) => line.startsWith("To:"))).toEqual([`To: ${onTheWire(parsed.data.email)}`]);
      }),
      { numRuns: 400 },
    );
    expect(accepted).toBeGreaterThan(25); // the property says something only about addresses that pass
  });

  it("no address the schema accepts routes elsewhere: no IP literal, dotted IP, `%` or `!`", () => {
    const routed = fc.oneof(
      fc.ipV4().map((ip) => `a@${ip}`),
      fc.ipV4().map((ip) => `a@[${ip}]`),
      fc.ipV6().map((ip) => `a@[IPv6:${ip}]`),
      fc.tuple(atom, fc.domain(), fc.domain()).map(([local, other, own]) => `${local}%${other}@${own}`),
      fc.tuple(atom, fc.domain(), fc.domain()).map(([local, other, own]) => `${other}!${local}@${own}`),
    );
    fc.assert(
      fc.property(routed, (email) => {
        expect(parseRequest({ ...VALID.consultation, email }).success, email).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it("no string in a name, subject part or file name adds a header (header injection)", async () => {
    const teamHeaders = ["x-form-request-id", "from", "to", "reply-to", "subject", "message-id", "date", "mime-version", "content-type"];
    const clientHeaders = ["x-form-request-id", "auto-submitted", "x-auto-response-suppress", "from", "to", "reply-to", "subject", "message-id", "date", "mime-version", "content-type"];
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
