import { debounce } from './debounce';
import { normalizeQuery, parseSuggestions, type SuggestionList, suggestionsUrl, wantsSuggestions } from './suggestions';

export interface SuggesterOptions {
  endpoint: string;
  limit: number;
  /** The page's address, to resolve the endpoint against. */
  base: string;
  delay?: number;
  fetch?: typeof fetch;
  /** Suggestions for the query as it stands now (never for one typed over since). */
  onResult(q: string, list: SuggestionList): void;
  /** The query is too short to ask about: nothing to show. */
  onClear(): void;
}

export interface Suggester {
  /** The field's value changed. */
  update(raw: string): void;
  /** Stops whatever is pending or in flight. */
  cancel(): void;
}

const CACHE_SIZE = 30;

/**
 * Asks the help center for suggestions as someone types: after a pause of `delay` ms,
 * from 3 characters on, once per distinct query. A newer query aborts the request of an
 * older one, so answers never arrive out of order; answers are kept for the page's life,
 * so typing back to a query shows its answer at once. A failed request shows nothing.
 */
export function createSuggester(opts: SuggesterOptions): Suggester {
  const doFetch = opts.fetch ?? fetch.bind(globalThis);
  const cache = new Map<string, SuggestionList>();
  let current = '';
  let inFlight: AbortController | undefined;

  const abort = () => {
    inFlight?.abort();
    inFlight = undefined;
  };

  const ask = debounce(async (q: string) => {
    abort();
    const controller = new AbortController();
    inFlight = controller;
    try {
      const res = await doFetch(suggestionsUrl(opts.endpoint, q, opts.limit, opts.base), {
        signal: controller.signal,
        credentials: 'same-origin',
        headers: { accept: 'application/json' },
      });
      if (!res.ok) return;
      const list = parseSuggestions(await res.json());
      if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      cache.set(q, list);
      if (q === current && !controller.signal.aborted) opts.onResult(q, list);
    } catch {
      // Aborted for a newer query, or the network failed: the form works without suggestions.
    } finally {
      if (inFlight === controller) inFlight = undefined;
    }
  }, opts.delay ?? 150);

  return {
    update(raw) {
      const q = normalizeQuery(raw);
      if (q === current) return;
      current = q;
      if (!wantsSuggestions(q)) {
        ask.cancel();
        abort();
        opts.onClear();
        return;
      }
      const known = cache.get(q);
      if (known) {
        ask.cancel();
        abort();
        opts.onResult(q, known);
        return;
      }
      ask(q);
    },
    cancel() {
      ask.cancel();
      abort();
    },
  };
}
