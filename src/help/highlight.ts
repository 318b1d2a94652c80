/** Search highlights arrive as text with the matched words between these two control characters (src/server/domains/help-center/search.ts). */
export const MARK_START = '\u0001';
export const MARK_END = '\u0002';

export interface Segment {
  text: string;
  marked: boolean;
}

/**
 * Splits highlighted text into plain and marked runs, the way the server's pages do
 * (render.tsx, Highlighted): an unpaired marker is dropped, never shown. The script builds
 * text nodes and <mark>s from the runs, so nothing the server sends can become markup.
 */
export function markedSegments(text: string): Segment[] {
  const out: Segment[] = [];
  const push = (t: string, marked: boolean) => {
    if (t) out.push({ text: t, marked });
  };
  let rest = text;
  for (;;) {
    const start = rest.indexOf(MARK_START);
    if (start < 0) break;
    const end = rest.indexOf(MARK_END, start);
    if (end < 0) break;
    push(strip(rest.slice(0, start)), false);
    push(strip(rest.slice(start + 1, end)), true);
    rest = rest.slice(end + 1);
  }
  push(strip(rest), false);
  return out;
}

const strip = (s: string) => s.replaceAll(MARK_START, '').replaceAll(MARK_END, '');

/** The text without its markers. */
export const plainText = (text: string) => strip(text);
