import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { pipeline } from 'node:stream/promises';
import { Joiner, Rewriter, Splitter } from '@zone-eu/mailsplit';
import iconv from 'iconv-lite';

/**
 * Mail that lies about its charset, repaired before parsing so the agent reads words,
 * not "caf�":
 * - text declared UTF-8 (or declaring nothing) whose bytes are not UTF-8 is, in practice,
 *   Windows-1252 (Outlook and old clients): decoded as such;
 * - UTF-7, which mailparser refuses (it could smuggle "<script>" past a filter that looks
 *   before decoding). Heard sanitises after decoding, so it is decoded here, body and
 *   encoded words in the headers.
 * Only mail that shows the symptoms is rewritten (see needsRepair); everything else is
 * parsed as it came.
 */

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** UTF-7 (RFC 2152): "+" starts modified base64 of UTF-16BE, "-" (or any other character) ends it; "+-" is "+". */
export function decodeUtf7(s: string): string {
  return s.replace(/\+([A-Za-z0-9+/]*)-?/g, (_m, b64: string) => {
    if (!b64) return '+';
    const bytes = Buffer.from(b64, 'base64');
    let out = '';
    for (let i = 0; i + 1 < bytes.length; i += 2) out += String.fromCharCode((bytes[i] << 8) | bytes[i + 1]);
    return out;
  });
}

/** Whether the first parse shows a charset that lied: replacement characters, or UTF-7 anywhere. */
export function needsRepair(raw: Buffer, parsed: { text?: string; html?: string | false; subject?: string }): boolean {
  if (/utf-7/i.test(raw.subarray(0, 2 * 1024 * 1024).toString('latin1'))) return true;
  return [parsed.text, parsed.html || '', parsed.subject].some((s) => s?.includes('\uFFFD'));
}

const LIES = new Set(['', 'utf-8', 'utf8', 'us-ascii', 'ascii']);

function repairText(bytes: Buffer, charset: string): Buffer | undefined {
  if (charset === 'utf-7' || charset === 'unicode-1-1-utf-7') return Buffer.from(decodeUtf7(bytes.toString('latin1')), 'utf8');
  if (!LIES.has(charset)) return undefined;
  try {
    utf8.decode(bytes);
    return undefined;
  } catch {
    // Node 20's TextDecoder reads windows-1252 as Latin-1 (no curly quotes): iconv-lite has the real table.
    return Buffer.from(iconv.decode(bytes, 'windows-1252'), 'utf8');
  }
}

/** Encoded words in UTF-7 (=?utf-7?Q?…?= / =?utf-7?B?…?=) as UTF-8 encoded words. */
function repairHeaderWords(head: string): string {
  return head.replace(/=\?(?:utf-7|unicode-1-1-utf-7)\?([QqBb])\?([^?]*)\?=/gi, (_m, enc: string, text: string) => {
    const raw = enc.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('latin1') : text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16)));
    return `=?utf-8?B?${Buffer.from(decodeUtf7(raw), 'utf8').toString('base64')}?=`;
  });
}

/** The message with every text part re-labelled UTF-8 and its bytes decoded as what they really are. */
export async function repairCharsets(raw: Buffer): Promise<Buffer> {
  const splitter = new Splitter();
  const joiner = new Joiner();
  const rewriter = new Rewriter((node) => (node.contentType || 'text/plain').startsWith('text/') && node.disposition !== 'attachment');
  rewriter.on('node', ({ node, decoder, encoder }) => {
    void buffer(decoder).then((bytes) => {
      const charset = String(node.charset || '').toLowerCase();
      const fixed = repairText(bytes, charset);
      // The part keeps its transfer encoding; a 7bit or 8bit part carries the UTF-8 bytes as they are, which parsers accept.
      if (fixed) node.setCharset('utf-8');
      encoder.end(fixed ?? bytes);
    });
  });
  // Headers of the message itself (not of its parts) may carry UTF-7 encoded words, or raw 8-bit text.
  const end = raw.indexOf('\r\n\r\n') >= 0 ? raw.indexOf('\r\n\r\n') : raw.indexOf('\n\n');
  const head = end >= 0 ? raw.subarray(0, end) : raw;
  const fixedHead = Buffer.from(repairHeaderWords(head.toString('latin1')), 'latin1');
  const input = end >= 0 ? Buffer.concat([fixedHead, raw.subarray(end)]) : fixedHead;
  const out: Buffer[] = [];
  joiner.on('data', (c: Buffer) => out.push(c));
  await pipeline(Readable.from([input]), splitter, rewriter, joiner);
  return Buffer.concat(out);
}
