/**
 * Which option is active after a key in a combobox's list: -1 is none (the reader is
 * back in the text they typed). Down from the last and up from the first return to the
 * text, as search boxes do, so the query is never lost.
 */
export function moveActive(current: number, count: number, key: string): number {
  if (count <= 0) return -1;
  switch (key) {
    case 'ArrowDown':
      return current >= count - 1 ? -1 : current + 1;
    case 'ArrowUp':
      return current < 0 ? count - 1 : current - 1;
    default:
      return current;
  }
}
