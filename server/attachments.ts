/**
 * Attachment checks. The type comes from the file's structure, never from its name or the
 * client's Content-Type: only PNG, JPEG and WebP pass (no SVG: it can carry script). A magic number
 * alone is not enough (`\x89PNG…<html>` or `FF D8 FF <?php` would pass as images), so each format's
 * framing is checked from the first byte to the last; three small parsers are simpler to audit than
 * a general detection library.
 */
import { ATTACHMENTS, withoutInvisibleFormatting, type AttachmentMime } from "../src/domain/requests";

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Chunk length, type and CRC around a chunk's data. */
const PNG_CHUNK_OVERHEAD = 12;
const PNG_IHDR_LENGTH = 13;

const CRC_TABLE = Array.from({ length: 256 }, (_, byte) => {
  let crc = byte;
  for (let bit = 0; bit < 8; bit += 1) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
  return crc >>> 0;
});

/** CRC-32 as PNG chunks carry it (zlib's `crc32` needs Node 20.15; the service runs on 20.3). */
function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** Signature, an IHDR chunk first (13 bytes, matching CRC, non-zero size), chunks back to back, IEND last. */
function isPng(bytes: Buffer): boolean {
  if (bytes.length < PNG_SIGNATURE.length + PNG_CHUNK_OVERHEAD + PNG_IHDR_LENGTH || !bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return false;
  if (bytes.readUInt32BE(8) !== PNG_IHDR_LENGTH || bytes.toString("latin1", 12, 16) !== "IHDR") return false;
  if (crc32(bytes.subarray(12, 29)) !== bytes.readUInt32BE(29) || bytes.readUInt32BE(16) === 0 || bytes.readUInt32BE(20) === 0) return false;
  let offset = PNG_SIGNATURE.length;
  while (offset + PNG_CHUNK_OVERHEAD <= bytes.length) {
    const type = bytes.toString("latin1", offset + 4, offset + 8);
    const next = offset + PNG_CHUNK_OVERHEAD + bytes.readUInt32BE(offset);
    if (!/^[A-Za-z]{4}$/.test(type) || next > bytes.length) return false;
    if (type === "IEND") return next === bytes.length;
    offset = next;
  }
  return false;
}

/** Markers of the segments that may come before the scan: SOFn, DHT, DAC, DQT, DRI, DNL, DHP, EXP, APPn, COM. */
const isJpegHeaderMarker = (marker: number) => (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc8) || (marker >= 0xdb && marker <= 0xef) || marker === 0xfe;
/** Start-of-frame markers: the segment that says the image's size and encoding. */
const isJpegFrameMarker = (marker: number) => marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker);

/** SOI, well-framed segments including a frame header up to the start of scan, EOI as the last two bytes. */
function isJpeg(bytes: Buffer): boolean {
  if (bytes.length < 8 || bytes[0] !== 0xff || bytes[1] !== 0xd8 || bytes[bytes.length - 2] !== 0xff || bytes[bytes.length - 1] !== 0xd9) return false;
  let offset = 2;
  let frame = false;
  while (offset + 4 <= bytes.length - 2) {
    if (bytes[offset] !== 0xff) return false;
    const marker = bytes[offset + 1]!;
    if (marker === 0xff) {
      offset += 1; // fill byte before a marker
      continue;
    }
    const length = bytes.readUInt16BE(offset + 2);
    if (length < 2 || offset + 2 + length > bytes.length - 2) return false;
    if (marker === 0xda) return frame;
    if (!isJpegHeaderMarker(marker)) return false;
    frame ||= isJpegFrameMarker(marker);
    offset += 2 + length;
  }
  return false;
}

/** RIFF size matching the file, WEBP, and a first chunk that is a VP8 frame, a VP8L bitstream or a VP8X header. */
function isWebp(bytes: Buffer): boolean {
  if (bytes.length < 30 || bytes.toString("latin1", 0, 4) !== "RIFF" || bytes.toString("latin1", 8, 12) !== "WEBP") return false;
  if (bytes.readUInt32LE(4) !== bytes.length - 8) return false;
  const chunkSize = bytes.readUInt32LE(16);
  if (20 + chunkSize > bytes.length) return false;
  switch (bytes.toString("latin1", 12, 16)) {
    case "VP8 ": // frame tag (3 bytes), then the key frame start code
      return chunkSize >= 10 && bytes[23] === 0x9d && bytes[24] === 0x01 && bytes[25] === 0x2a;
    case "VP8L": // lossless signature byte
      return chunkSize >= 5 && bytes[20] === 0x2f;
    case "VP8X": // extended header: flags, reserved bytes, canvas size
      return chunkSize === 10;
    default:
      return false;
  }
}

/** The image type of `bytes`, or undefined when it is not a well-formed accepted image. */
export function sniffImage(bytes: Buffer): AttachmentMime | undefined {
  if (isPng(bytes)) return "image/png";
  if (isJpeg(bytes)) return "image/jpeg";
  if (isWebp(bytes)) return "image/webp";
  return undefined;
}

/**
 * The name shown in the team e-mail: the client's name without path, control, invisible
 * formatting or reserved characters, at most 80 characters, with the extension of the sniffed type.
 */
export function attachmentName(original: string, index: number, type: AttachmentMime): string {
  const stem = withoutInvisibleFormatting(original)
    .normalize("NFC")
    .replace(/^.*[/\\]/, "")
    .replace(/\.[^.]*$/, "")
    .replace(/[\u0000-\u001f\u007f:*?"<>|]/g, "")
    .replace(/\.{2,}/g, ".")
    .replace(/^[.\-\s]+/, "")
    .trim()
    .slice(0, 80);
  return `${stem || `screenshot-${index + 1}`}.${ATTACHMENTS.types[type]}`;
}
