/**
 * A URL-safe name from a title, as the server makes it (src/server/core/slug.ts): lower case,
 * accents dropped, words joined by hyphens. The app uses it to show an address before the
 * server has made it, and for ids it makes itself (contact-form topics).
 */
export function slugify(text: string, max = 80): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/g, '');
}

/** `base`, or `base-2`, `base-3`… : the first that is not in `taken`. */
export function uniqueId(base: string, taken: Iterable<string>, max = 60): string {
  const used = new Set(taken);
  const root = base.slice(0, max) || 'item';
  if (!used.has(root)) return root;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const candidate = `${root.slice(0, max - suffix.length).replace(/-+$/, '')}${suffix}`;
    if (!used.has(candidate)) return candidate;
  }
}
