export { slugify } from '../../shared/slug';

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
