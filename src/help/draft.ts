/** The contact form's fields that are kept while the customer reads a suggestion (files cannot be, and need not be). */
export const DRAFT_FIELDS = ['name', 'email', 'topic', 'subject', 'message'] as const;
export type DraftField = (typeof DRAFT_FIELDS)[number];
export type Draft = Partial<Record<DraftField, string>>;

/** One draft per form address, so two help centers (or languages) on one site keep their own. */
export const draftKey = (path: string) => `heard-help-draft:${path}`;

/** A stored draft, or nothing when it is missing, unreadable or not a draft. */
export function parseDraft(raw: string | null): Draft {
  if (!raw) return {};
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return {};
  }
  const out: Draft = {};
  if (!data || typeof data !== 'object') return out;
  for (const f of DRAFT_FIELDS) {
    const v = (data as Record<string, unknown>)[f];
    if (typeof v === 'string' && v) out[f] = v.slice(0, 20_000);
  }
  return out;
}

/** What to keep: the filled-in fields only; null when nothing is filled in (the stored draft is removed). */
export function serializeDraft(values: Draft): string | null {
  const kept: Draft = {};
  for (const f of DRAFT_FIELDS) if (values[f]?.trim()) kept[f] = values[f];
  return Object.keys(kept).length ? JSON.stringify(kept) : null;
}

/**
 * The values to put back on load: a field the page already filled in (a signed-in
 * customer's address, a subject from the link, what the server sent back with an error)
 * keeps its value; only empty fields get the draft's.
 */
export function draftToRestore(draft: Draft, shown: Draft): Draft {
  const out: Draft = {};
  for (const f of DRAFT_FIELDS) if (draft[f] && !shown[f]?.trim()) out[f] = draft[f];
  return out;
}
