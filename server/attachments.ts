/**
 * Attachment checks. The type comes from the file's first bytes, never from its name or the
 * client's Content-Type: only PNG, JPEG and WebP pass (no SVG: it can carry script). Three fixed
 * signatures are simpler to audit than a general detection library.
 */
import { ATTACHMENTS, type AttachmentMime } from "../src/domain/requests";

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The image type of `bytes`, or undefined when it is not an accepted image. */
export function sniffImage(bytes: Buffer): AttachmentMime | undefined {
  if (bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return "image/png";
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "image/jpeg";
  if (bytes.length >= 12 && bytes.toString("latin1", 0, 4) === "RIFF" && bytes.toString("latin1", 8, 12) === "WEBP") return "image/webp";
  return undefined;
}

/**
 * The name shown in the team e-mail: the client's name without path, control or reserved
 * characters, at most 80 characters, with the extension of the sniffed type.
 */
export function attachmentName(original: string, index: number, type: AttachmentMime): string {
  const stem = original
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
