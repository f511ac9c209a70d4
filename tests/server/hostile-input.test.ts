/**
 * Hostile input that the schemas and the attachment check must stop (audit D-11, D-17, D-21):
 * image polyglots, addresses that route mail elsewhere (and IDN addresses that must pass), display-
 * name spoofing and invisible bidi/zero-width characters. Checked on the raw messages a real SMTP
 * server receives, parsed by mailparser.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { deflateSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseRequest } from "../../src/domain/requests";
import { dictionaries } from "../../src/i18n";
import { sniffImage } from "../../server/attachments";
import { IMAGES, VALID, pngChunk, startService, type Service } from "./helpers/service";
import { startSmtpSink, type ReceivedMail, type SmtpSink } from "./helpers/smtp-sink";

let sink: SmtpSink;
let service: Service;

beforeAll(async () => {
  sink = await startSmtpSink();
  service = await startService({ smtpUrl: sink.url });
});
afterAll(async () => {
  await service.stop();
  await sink.close();
});

const mailOf = (id: string, kind: "team" | "client"): ReceivedMail => {
  const mail = sink.received.find((received) => received.messageId === `<${id}.${kind}@agency.example>`);
  if (!mail) throw new Error(`no ${kind} mail for ${id}`);
  return mail;
};
const stored = async () => (await Promise.all(["queue", "quarantine", "tmp"].map((folder) => readdir(path.join(service.config.spoolDir, folder))))).flat();
/** The header block of a raw message, unfolded. */
const headerBlock = (raw: string) => raw.slice(0, raw.indexOf("\r\n\r\n")).replace(/\r\n(?=[ \t])/g, "");

describe("attachments that only look like images (D-11)", () => {
  const html = Buffer.from("<html><script>alert(document.domain)</script></html>");
  const php = Buffer.from("<?php system($_GET['c']); ?>");
  const pngSignature = IMAGES.png.subarray(0, 8);
  const [ihdr, idat, iend] = [IMAGES.png.subarray(8, 33), IMAGES.png.subarray(33, IMAGES.png.length - 12), IMAGES.png.subarray(-12)];
  const withByte = (bytes: Buffer, index: number, value: number) => {
    const copy = Buffer.from(bytes);
    copy[index] = value;
    return copy;
  };
  const jpeg = (...parts: number[][]) => Buffer.from(parts.flat());
  const riff = (chunks: Buffer) => Buffer.concat([Buffer.from("RIFF"), Buffer.from(Uint32Array.of(chunks.length + 4).buffer), Buffer.from("WEBP"), chunks]);

  const fakes: Record<string, Buffer> = {
    "PNG signature, then HTML": Buffer.concat([pngSignature, html]),
    "JPEG start, then PHP": Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), php]),
    "JPEG start, PHP, then an end-of-image marker": Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), php, Buffer.from([0xff, 0xd9])]),
    "a real PNG with HTML after its IEND": Buffer.concat([IMAGES.png, html]),
    "a real JPEG with PHP after its EOI": Buffer.concat([IMAGES.jpeg, php]),
    "a real WebP with HTML after it": Buffer.concat([IMAGES.webp, html]),
    "a PNG whose IHDR checksum is wrong": withByte(IMAGES.png, 29, IMAGES.png[29]! ^ 0xff),
    "a PNG whose first chunk is HTML": Buffer.concat([pngSignature, pngChunk("tEXt", html), ihdr, idat, iend]),
    "a PNG of no pixels": Buffer.concat([pngSignature, pngChunk("IHDR", Buffer.from([0, 0, 0, 0, 0, 0, 0, 1, 8, 2, 0, 0, 0])), idat, iend]),
    "a PNG with a chunk running past the end": Buffer.concat([pngSignature, ihdr, withByte(idat, 2, 0x10), iend]),
    "a PNG without IEND": Buffer.concat([pngSignature, ihdr, idat]),
    "a JPEG with no frame header": jpeg([0xff, 0xd8], [0xff, 0xfe, 0x00, 0x04, 0x3c, 0x3f], [0xff, 0xda, 0x00, 0x08, 1, 1, 0, 0, 0x3f, 0], [0x3f, 0xff, 0xd9]),
    "a JPEG segment longer than the file": jpeg([0xff, 0xd8], [0xff, 0xe0, 0xff, 0xf0], [...php], [0xff, 0xd9]),
    "a JPEG whose first marker is no segment an encoder writes": Buffer.concat([IMAGES.jpeg.subarray(0, 2), jpeg([0xff, 0x3c, 0x00, 0x04, 0x3f, 0x70]), IMAGES.jpeg.subarray(2)]),
    "a WebP whose RIFF size is not the file's": withByte(IMAGES.webp, 4, 0x40),
    "a WebP whose first chunk is HTML": riff(Buffer.concat([Buffer.from("HTML"), Buffer.from(Uint32Array.of(html.length).buffer), html])),
    "a VP8L chunk without its signature byte": withByte(IMAGES.webp, 20, 0x3c),
  };

  it("are not images to the sniffer, which still knows real ones however they are laid out", () => {
    for (const [name, bytes] of Object.entries(fakes)) expect(sniffImage(bytes), name).toBeUndefined();
    const scanlines = deflateSync(Buffer.from([0, 255, 0, 0]));
    const realistic = {
      // Text before the pixels, the pixels split over two IDAT chunks: how encoders write bigger files.
      png: Buffer.concat([pngSignature, ihdr, pngChunk("tEXt", Buffer.from("Software\0test")), pngChunk("IDAT", scanlines.subarray(0, 4)), pngChunk("IDAT", scanlines.subarray(4)), iend]),
      // A comment segment and fill bytes (0xFF) before the quantisation table.
      jpeg: Buffer.concat([IMAGES.jpeg.subarray(0, 2), jpeg([0xff, 0xfe, 0x00, 0x05, 0x68, 0x69, 0x21], [0xff, 0xff]), IMAGES.jpeg.subarray(2)]),
    };
    expect(sniffImage(realistic.png)).toBe("image/png");
    expect(sniffImage(realistic.jpeg)).toBe("image/jpeg");
    expect([IMAGES.png, IMAGES.jpeg, IMAGES.webp].map((bytes) => sniffImage(bytes))).toEqual(["image/png", "image/jpeg", "image/webp"]);
  });

  it("are refused with 415 and nothing stored, whatever name and type the client gives them", async () => {
    const before = await stored();
    for (const [name, bytes] of Object.entries(fakes)) {
      const extension = name.includes("JPEG") ? "jpg" : name.includes("WebP") || name.includes("VP8L") ? "webp" : "png";
      const response = await service.post(VALID.warranty, { files: [{ name: `screenshot.${extension}`, type: `image/${extension === "jpg" ? "jpeg" : extension}`, content: bytes }] });
      expect(response.status, name).toBe(415);
    }
    expect(await stored()).toEqual(before);
  });
});

describe("e-mail addresses (D-17)", () => {
  const valid = (email: string) => parseRequest({ ...VALID.consultation, email }).success;

  it("take internationalised domains and refuse IP hosts, the percent hack and bang paths", () => {
    for (const email of ["ivan@пример.рф", "Ivan.Petrov+work@ПРИМЕР.РФ", "ivan@xn--e1afmkfd.xn--p1ai", "user@münchen.de", "a_b-c@mail.example.co.uk", "x@1e100.net"]) {
      expect(valid(email), email).toBe(true);
    }
    const routedElsewhere = [
      "a@127.0.0.1",
      "a@[127.0.0.1]",
      "a@[IPv6:::1]",
      "a@0x7f.1", // an IPv4 address in another spelling
      "a@example.123",
      "victim%evil.example@agency.example",
      "evil.example!victim@agency.example",
      "a@localhost",
      "a@exa_mple.com",
      "a@-example.com",
      "a@example.com.",
      "a@ex\u200bample.com",
    ];
    for (const email of routedElsewhere) expect(valid(email), email).toBe(false);
  });

  it("send mail for an IDN address to its mailbox, written in punycode in the headers", async () => {
    const response = await service.post({ ...VALID.warranty, email: "ivan@пример.рф" });
    expect(response.status).toBe(202);
    const { id } = (await response.json()) as { id: string };
    await service.sender.runDue();
    const [team, client] = [mailOf(id, "team"), mailOf(id, "client")];
    expect(client.recipients).toEqual(["ivan@пример.рф"]); // smtp-server decodes the RCPT's punycode; the envelope nodemailer sends is in mail-properties
    expect(headerBlock(client.raw)).toMatch(/^To: ivan@xn--e1afmkfd\.xn--p1ai$/m);
    expect(headerBlock(team.raw)).toMatch(/^Reply-To: ivan@xn--e1afmkfd\.xn--p1ai$/m);
    expect(team.parsed.text).toContain("ivan@пример.рф"); // the team reads the address as the client typed it
  });

  it("refuse the rest with 422 on the e-mail field, in the form's language", async () => {
    for (const email of ["a@127.0.0.1", "a@[127.0.0.1]", "victim%evil.example@agency.example"]) {
      const response = await service.post({ ...VALID.extension, email });
      expect(response.status, email).toBe(422);
      expect(((await response.json()) as { issues: unknown[] }).issues, email).toEqual([{ path: "email", message: dictionaries.en["field.email.invalid"] }]);
    }
  });
});

describe("names, free text and file names (D-21)", () => {
  const invisible = /[\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/;

  it("never become a display name: the team's Reply-To is the bare address the client gave", async () => {
    const response = await service.post({ ...VALID.support, name: 'Director <director@agency.example>, "CEO" <ceo@agency.example>' });
    expect(response.status).toBe(202);
    const { id } = (await response.json()) as { id: string };
    await service.sender.runDue();
    const team = mailOf(id, "team");
    const headers = headerBlock(team.raw);
    expect(headers).toMatch(/^Reply-To: anna@client\.example$/m);
    expect(headers).not.toMatch(/director|ceo@/i);
    expect(team.parsed.replyTo?.value).toEqual([{ address: "anna@client.example", name: "" }]);
    expect(team.parsed.text).toContain("Director <director@agency.example>"); // the body still shows what the client typed
    expect(headerBlock(mailOf(id, "client").raw)).not.toMatch(/director|ceo@/i);
  });

  it("lose bidi controls and zero-width characters, in the spool and in the mail", async () => {
    const response = await service.post(
      {
        ...VALID.warranty,
        name: "Ivan\u202e vorteP\u202c\u200b",
        userLogin: "\u2066admin\u2069\ufeff",
        happened: "Paid \u202e0001\u202c roubles,\u200d twice.\u2067",
        expected: "The cart\u200c keeps its items.\u200f",
      },
      { files: [{ name: "invoice\u202egpj.exe", content: IMAGES.png }] },
    );
    expect(response.status).toBe(202);
    const { id } = (await response.json()) as { id: string };
    const request = await readFile(path.join(service.config.spoolDir, "queue", id, "request.json"), "utf8");
    expect(JSON.parse(request)).toMatchObject({
      fields: { name: "Ivan vorteP", userLogin: "admin", happened: "Paid 0001 roubles, twice.", expected: "The cart keeps its items." },
      attachments: [{ name: "invoicegpj.png" }],
    });
    expect(request).not.toMatch(/\\u(061c|200[b-f]|202[a-e]|2060|206[6-9]|feff)/i);
    await service.sender.runDue();
    const { parsed } = mailOf(id, "team");
    for (const part of [parsed.subject ?? "", parsed.text ?? "", parsed.html || "", ...parsed.attachments.map((attachment) => attachment.filename ?? "")]) {
      expect(part).not.toMatch(invisible);
    }
    expect(parsed.attachments.map((attachment) => attachment.filename)).toEqual(["invoicegpj.png"]);
  });

  it("count as not given when nothing visible is left", async () => {
    const response = await service.post({ ...VALID.extension, name: "\u202e\u200b\u2066\u2069" });
    expect(response.status).toBe(422);
    expect(((await response.json()) as { issues: unknown[] }).issues).toEqual([{ path: "name", message: dictionaries.en["validation.required"] }]);
    const optional = await service.post({ ...VALID.warranty, userLogin: "\u2066\u2069", browser: "\ufeff\u200b" });
    expect(optional.status).toBe(202);
    const { id } = (await optional.json()) as { id: string };
    const { fields } = JSON.parse(await readFile(path.join(service.config.spoolDir, "queue", id, "request.json"), "utf8")) as { fields: Record<string, string> };
    expect(Object.keys(fields)).not.toContain("userLogin");
    expect(Object.keys(fields)).not.toContain("browser");
  });
});
