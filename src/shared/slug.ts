/**
 * A URL-safe name from a title: lower case, accents dropped, words joined by hyphens, at
 * most `max` characters. The server makes addresses with it; the agent app shows an
 * address before the server has made it, and makes contact-form topic ids with it.
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
