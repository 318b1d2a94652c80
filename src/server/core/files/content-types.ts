/** The image types Heard accepts for avatars, recognised by their first bytes rather than by what the client claims. */
export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];

/** The image type of these bytes, by their signature ("magic bytes"), or null when they are none of IMAGE_TYPES. */
export function sniffImage(bytes: Buffer): ImageType | null {
  const starts = (sig: number[], at = 0) => sig.every((b, i) => bytes[at + i] === b);
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (starts([0x47, 0x49, 0x46, 0x38]) && (bytes[4] === 0x37 || bytes[4] === 0x39) && bytes[5] === 0x61) return 'image/gif';
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp';
  return null;
}

/**
 * The types a download may keep: shown by the browser without running anything. Every
 * other type (HTML, SVG, scripts, unknown ones) is served as application/octet-stream.
 */
const SAFE_DOWNLOAD_TYPES = new Set<string>([...IMAGE_TYPES, 'application/pdf', 'text/plain', 'text/csv', 'audio/mpeg', 'audio/ogg', 'audio/wav', 'video/mp4', 'video/webm']);

/** The Content-Type to serve a stored file with: its own when it is on the allowlist, else application/octet-stream. */
export function safeContentType(contentType: string): string {
  const base = contentType.split(';')[0].trim().toLowerCase();
  if (!SAFE_DOWNLOAD_TYPES.has(base)) return 'application/octet-stream';
  return base.startsWith('text/') ? `${base}; charset=utf-8` : base;
}
