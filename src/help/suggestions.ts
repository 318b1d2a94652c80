/** What /help/<slug>/search.json answers (routes/knowledge-base.ts). */
export interface Suggestion {
  kind: 'article' | 'thread';
  title: string;
  /** The title with matched words between \u0001 and \u0002. */
  titleHighlight: string;
  snippet: string;
  /** The article or thread itself. */
  url: string;
  /** The same, opened through the help center's counter: for the contact form, where opening one counts as a deflection. */
  suggestionUrl: string;
}

export interface SuggestionList {
  total: number;
  items: Suggestion[];
}

/** Fewer characters than this find too much to be useful; the server answers nothing below it too. */
export const MIN_QUERY_CHARS = 3;
export const MAX_QUERY_CHARS = 200;

/** The query as it is sent: trimmed, inner whitespace collapsed, at most 200 characters. */
export const normalizeQuery = (raw: string) => raw.trim().replace(/\s+/g, ' ').slice(0, MAX_QUERY_CHARS);

/** Whether a (normalised) query is worth asking about. */
export const wantsSuggestions = (q: string) => q.length >= MIN_QUERY_CHARS;

/** The address to ask: the form's endpoint (which may carry its own parameters, ?kinds=thread) with the query and a limit. */
export function suggestionsUrl(endpoint: string, q: string, limit: number, base: string): string {
  const u = new URL(endpoint, base);
  u.searchParams.set('q', q);
  u.searchParams.set('limit', String(limit));
  return u.origin === new URL(base).origin ? `${u.pathname}${u.search}` : u.href;
}

/** Only addresses on this site: a path, never another origin or a javascript: link. */
const isLocalPath = (v: unknown): v is string => typeof v === 'string' && v.startsWith('/') && !v.startsWith('//') && !v.startsWith('/\\');

/** The answer, checked item by item: anything malformed is left out rather than shown half. */
export function parseSuggestions(data: unknown): SuggestionList {
  const d = data as { total?: unknown; items?: unknown } | null;
  const items: Suggestion[] = [];
  for (const raw of Array.isArray(d?.items) ? d.items : []) {
    if (!raw || typeof raw !== 'object') continue;
    const i = raw as Partial<Record<keyof Suggestion, unknown>>;
    if ((i.kind !== 'article' && i.kind !== 'thread') || typeof i.title !== 'string' || !isLocalPath(i.url)) continue;
    items.push({
      kind: i.kind,
      title: i.title,
      titleHighlight: typeof i.titleHighlight === 'string' ? i.titleHighlight : i.title,
      snippet: typeof i.snippet === 'string' ? i.snippet : '',
      url: i.url,
      suggestionUrl: isLocalPath(i.suggestionUrl) ? i.suggestionUrl : i.url,
    });
  }
  return { total: typeof d?.total === 'number' ? d.total : items.length, items };
}
