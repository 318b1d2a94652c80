import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { debounce } from './debounce';
import { createSuggester } from './suggester';
import type { SuggestionList } from './suggestions';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('debounce', () => {
  it('runs once, after the pause, with the last arguments; cancel drops the run', () => {
    const fn = vi.fn();
    const d = debounce(fn, 150);
    d('g');
    d('gp');
    d('gps');
    vi.advanceTimersByTime(149);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledExactlyOnceWith('gps');
    d('x');
    d.cancel();
    vi.advanceTimersByTime(500);
    expect(fn).toHaveBeenCalledTimes(1);
  });
});

/** A fetch that answers when the test says so, and rejects when its request is aborted (as the real one does). */
function fakeFetch() {
  const calls: { url: string; signal: AbortSignal; answer(body: unknown): void }[] = [];
  const fetch = vi.fn(
    (url: string, init: RequestInit) =>
      new Promise<Response>((resolve, reject) => {
        const signal = init.signal!;
        signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
        calls.push({ url, signal, answer: (body) => resolve({ ok: true, json: async () => body } as Response) });
      }),
  );
  return { fetch: fetch as unknown as typeof globalThis.fetch, calls };
}

const list = (title: string): SuggestionList => ({ total: 1, items: [{ kind: 'article', title, titleHighlight: title, snippet: '', url: `/a/${title}`, suggestionUrl: `/s/${title}` }] });

describe('createSuggester', () => {
  const setup = () => {
    const f = fakeFetch();
    const results: string[] = [];
    const clears = vi.fn();
    const s = createSuggester({ endpoint: '/help/acme/search.json', limit: 6, base: 'http://h.example/help/acme', fetch: f.fetch, onResult: (q, l) => results.push(`${q}:${l.items.map((i) => i.title).join(',')}`), onClear: clears });
    return { ...f, results, clears, s };
  };
  const flush = async () => {
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };

  it('asks once the typing pauses, from three characters on', async () => {
    const { s, calls, results, clears } = setup();
    s.update('g');
    s.update('gp');
    vi.advanceTimersByTime(500);
    expect(calls).toHaveLength(0);
    expect(clears).toHaveBeenCalled();
    s.update('gps');
    s.update('gps ');
    s.update('gps r');
    vi.advanceTimersByTime(150);
    expect(calls.map((c) => c.url)).toEqual(['/help/acme/search.json?q=gps+r&limit=6']);
    calls[0].answer(list('GPS'));
    await flush();
    expect(results).toEqual(['gps r:GPS']);
  });

  it('aborts the request of a query typed over, and never shows its answer', async () => {
    const { s, calls, results } = setup();
    s.update('tent');
    vi.advanceTimersByTime(150);
    s.update('tent pole');
    vi.advanceTimersByTime(150);
    expect(calls).toHaveLength(2);
    expect(calls[0].signal.aborted).toBe(true);
    calls[1].answer(list('Pole'));
    await flush();
    expect(results).toEqual(['tent pole:Pole']);
  });

  it('clears when the query gets too short, and a late answer does not come back', async () => {
    const { s, calls, results, clears } = setup();
    s.update('gum');
    vi.advanceTimersByTime(150);
    s.update('gu');
    expect(clears).toHaveBeenCalledTimes(1);
    expect(calls[0].signal.aborted).toBe(true);
    await flush();
    expect(results).toEqual([]);
  });

  it('answers a query asked before from what it kept, without asking again', async () => {
    const { s, calls, results } = setup();
    s.update('underlay');
    vi.advanceTimersByTime(150);
    calls[0].answer(list('Underlay'));
    await flush();
    s.update('underlay basement');
    vi.advanceTimersByTime(150);
    calls[1].answer(list('Basement'));
    await flush();
    s.update('underlay');
    expect(calls).toHaveLength(2);
    expect(results).toEqual(['underlay:Underlay', 'underlay basement:Basement', 'underlay:Underlay']);
  });

  it('shows nothing when the request fails', async () => {
    const failing = vi.fn(async () => ({ ok: false, status: 500, json: async () => ({}) }) as Response);
    const onResult = vi.fn();
    const s = createSuggester({ endpoint: '/s.json', limit: 5, base: 'http://h.example/', fetch: failing as unknown as typeof fetch, onResult, onClear: () => {} });
    s.update('brake pads');
    vi.advanceTimersByTime(150);
    await flush();
    expect(failing).toHaveBeenCalledOnce();
    expect(onResult).not.toHaveBeenCalled();
  });
});
