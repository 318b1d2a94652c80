/**
 * Editing the Markdown of an article around the writer's cursor: an image goes in on a line
 * of its own, first as a placeholder while it uploads, then as the Markdown the server gave.
 * Pure, so the editor's behaviour can be tested without a browser.
 */

export interface Selection {
  start: number;
  end: number;
}

export interface Edit {
  text: string;
  /** Where the cursor goes: just after what was inserted. */
  caret: number;
}

/** The line breaks that make `block` a paragraph of its own next to `side` (the text before or after it). */
function breaks(side: string, atEnd: boolean): string {
  if (side === '') return '';
  const run = atEnd ? /\n*$/.exec(side)![0].length : /^\n*/.exec(side)![0].length;
  return '\n'.repeat(Math.max(0, 2 - run));
}

/** Puts `block` in place of the selection as a paragraph of its own: blank lines are added before and after where needed. */
export function insertBlock(text: string, sel: Selection, block: string): Edit {
  const start = Math.max(0, Math.min(sel.start, text.length));
  const end = Math.max(start, Math.min(sel.end, text.length));
  const before = text.slice(0, start);
  const after = text.slice(end);
  const lead = breaks(before, true);
  const trail = breaks(after, false);
  const inserted = `${lead}${block}${trail}`;
  return { text: before + inserted + after, caret: before.length + lead.length + block.length };
}

/** What stands in the text while an image uploads; `key` tells two uploads of the same name apart. */
export function uploadPlaceholder(name: string, key: string | number): string {
  const label = name.replace(/[[\]\n]/g, '').trim() || 'image';
  return `![Uploading ${label}…](#uploading-${key})`;
}

/**
 * Replaces the placeholder with the finished Markdown, wherever the writer's typing has moved it.
 * When they deleted it meanwhile, the text stays as they left it.
 */
export function replacePlaceholder(text: string, placeholder: string, replacement: string): string {
  const at = text.indexOf(placeholder);
  if (at < 0) return text;
  return text.slice(0, at) + replacement + text.slice(at + placeholder.length);
}

/** Takes a placeholder out again (the upload failed), and the blank lines it was given: no more than one blank line is left. */
export function removePlaceholder(text: string, placeholder: string): string {
  const at = text.indexOf(placeholder);
  if (at < 0) return text;
  const head = text.slice(0, at).replace(/\n+$/, '');
  const tail = text.slice(at + placeholder.length).replace(/^\n+/, '');
  if (head === '' || tail === '') return head + tail;
  const gap = text.length - placeholder.length - head.length - tail.length;
  return head + '\n'.repeat(Math.min(2, gap)) + tail;
}

export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'];
export const IMAGE_MAX_BYTES = 5 * 1024 * 1024;

/** Why the server would refuse this file as an article image, or null when it may be sent. */
export function imageProblem(file: { type: string; size: number }): 'type' | 'size' | null {
  if (!IMAGE_TYPES.includes(file.type)) return 'type';
  if (file.size > IMAGE_MAX_BYTES) return 'size';
  return null;
}
