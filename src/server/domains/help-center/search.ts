import { sql } from 'drizzle-orm';
import { type Executor, selectRows } from '../../db/client.js';
import type { HelpCenter } from './service.js';

export interface SearchHit {
  kind: 'article' | 'thread';
  id: string;
  title: string;
  /** The title with the matched words between \u0001 and \u0002 (escape, then mark). */
  titleHighlight: string;
  /** Passages of the text around the matched words, marked the same way. */
  snippet: string;
  /** An article's slug, or a thread's number. */
  slug: string;
  number: number | null;
  /** Whether a community thread has an accepted answer. */
  answered: boolean;
  updatedAt: Date;
  /** Found by similar spelling of the title rather than by its words. */
  fuzzy: boolean;
}

export interface SearchResult {
  hits: SearchHit[];
  total: number;
  /** The query found nothing by its words, and these are titles spelt like it. */
  fuzzy: boolean;
  /** Nothing had all the words; these have some of them, the most first. */
  relaxed: boolean;
  /** There are more matches than were counted (COUNTED_MATCHES of a kind): the total is "more than". */
  capped: boolean;
  /** Nothing had the words as typed; these are the results for this spelling of the query ("refnd" → "refund"). */
  corrected?: string;
}

/**
 * How the words must match: `all` of them (the search page; websearch syntax), or `any`
 * of them, ranked by how many and how close (suggestions as people type a sentence:
 * "tent pole broke" still finds "Tent pole broken on day two").
 */
export type MatchMode = 'all' | 'any';

/** Highlight markers: control characters that never occur in stored text, so escaping can come after. */
export const MARK_START = '\u0001';
export const MARK_END = '\u0002';
const HEADLINE = `StartSel=${MARK_START}, StopSel=${MARK_END}, MaxWords=28, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "`;

/** How many matches of each kind are ranked (see the candidates below); deeper pages than these hold are empty. */
export const RANKED_CANDIDATES = 200;
/** Matches are counted up to this many of each kind; past it the total reads "more than" (counting every match of a common word is most of a search's time). */
export const COUNTED_MATCHES = 1000;

/** Queries of up to this many words also look for titles spelt like them (typos), when the words find too little. */
const SHORT_QUERY_WORDS = 3;
/** A quoted phrase or an excluded -word asks for exactly that: spellings are not guessed at then (a guess would bring back what was excluded). */
const PRECISE = /"|(^|\s)-\S/;

/**
 * One search over a help center's published articles and visible community threads:
 * PostgreSQL full-text search in the help center's language (websearch syntax:
 * "quoted phrases", -excluded, or), ranked by cover density with articles ahead of
 * threads of the same rank, with highlighted passages. Short queries that find fewer
 * than a page also match titles by trigram similarity (pg_trgm), which forgives typos.
 */
export async function searchHelpCenter(
  db: Executor,
  hc: Pick<HelpCenter, 'workspaceId' | 'language' | 'communityEnabled'>,
  query: string,
  opts: { limit?: number; offset?: number; kinds?: ('article' | 'thread')[]; match?: MatchMode } = {},
): Promise<SearchResult> {
  // Control characters are no words, and PostgreSQL refuses a NUL in text outright.
  const clean = query.replace(/[\u0000-\u001f\u007f]/g, ' ').trim();
  // Cut long queries at a word: half a word finds nothing.
  const q = clean.length > 200 ? clean.slice(0, 201).replace(/\s+\S*$/, '').slice(0, 200) : clean;
  if (!q) return { hits: [], total: 0, fuzzy: false, relaxed: false, capped: false };
  const limit = opts.limit ?? 10;
  const offset = opts.offset ?? 0;
  const kinds = (opts.kinds ?? ['article', 'thread']).filter((k) => k === 'article' || hc.communityEnabled);
  const wantArticles = kinds.includes('article');
  const wantThreads = kinds.includes('thread');
  const lang = hc.language;

  // Any of the words: each one a quoted lexeme (letters and digits only, so nothing in it is query syntax), joined by or.
  const words = q.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 1).slice(0, 12);
  const anyOf = words.map((w) => `'${w}'`).join(' | ');
  /*
   * websearch_to_tsquery never fails on user input. The query is a materialized CTE: the
   * planner then cannot see which words it holds, and finds matches through the GIN
   * index, which answers without reading each row's text vector. Seeing a word in most
   * rows, it would scan the table instead and read (de-TOAST) every vector: 90 ms, not 20.
   */
  const tsqOf = (mode: MatchMode) =>
    mode === 'any'
      ? sql`tsq as materialized (select to_tsquery(${lang}::regconfig, ${anyOf || "''"}) as q)`
      : sql`tsq as materialized (select websearch_to_tsquery(${lang}::regconfig, ${q}) as q)`;

  const articleMatch = sql`a.workspace_id = ${hc.workspaceId} and a.status = 'published' and a.search @@ tsq.q`;
  const threadMatch = sql`t.workspace_id = ${hc.workspaceId} and t.hidden_at is null and t.deleted_at is null and t.search @@ tsq.q`;
  const none = sql`select null::uuid as id where false`;
  /*
   * Ranking reads each match's whole text vector, which for a word found in most
   * articles is most of the knowledge base. So only the likeliest candidates are ranked:
   * per kind, those whose title has the words (the small title vector), then the most
   * read (or voted). The total still counts every match.
   */
  const candidates = sql`
    cand_a as (${wantArticles ? sql`select a.id from kb_articles a left join kb_article_views v on v.article_id = a.id, tsq where ${articleMatch}
      order by (a.title_search @@ tsq.q) desc, v.views desc nulls last limit ${RANKED_CANDIDATES}` : none}),
    cand_t as (${wantThreads ? sql`select t.id from community_threads t, tsq where ${threadMatch}
      order by (t.title_search @@ tsq.q) desc, t.score desc, t.last_activity_at desc limit ${RANKED_CANDIDATES}` : none}),
    found as (
      select 'article' as kind, a.id, a.title, a.plain as body, a.slug, null::int as number, false as answered, a.updated_at,
        ts_rank_cd(a.search, tsq.q, 32) * 1.2 as rank
      from cand_a join kb_articles a on a.id = cand_a.id, tsq
      union all
      select 'thread', t.id, t.title, t.plain || ' ' || t.answers_plain, t.number::text, t.number, t.accepted_post_id is not null, t.last_activity_at,
        ts_rank_cd(t.search, tsq.q, 32) * (case when t.accepted_post_id is not null then 1.0 else 0.8 end)
      from cand_t join community_threads t on t.id = cand_t.id, tsq
    ),
    total as (select
      ${wantArticles ? sql`(select count(*) from (select 1 from kb_articles a, tsq where ${articleMatch} limit ${COUNTED_MATCHES + 1}) m)` : sql`0`} as articles,
      ${wantThreads ? sql`(select count(*) from (select 1 from community_threads t, tsq where ${threadMatch} limit ${COUNTED_MATCHES + 1}) m)` : sql`0`} as threads)`;
  const ftsPage = async (tsq: ReturnType<typeof sql>) => {
    const rows = await selectRows<Row>(
      db,
      sql`
      with ${tsq}, ${candidates},
      page as (select * from found order by rank desc, updated_at desc, id limit ${limit} offset ${offset})
      select page.kind, page.id, page.title, page.slug, page.number, page.answered, page.updated_at,
        ts_headline(${lang}::regconfig, page.title, tsq.q, ${`HighlightAll=true, StartSel=${MARK_START}, StopSel=${MARK_END}`}) as title_highlight,
        ts_headline(${lang}::regconfig, page.body, tsq.q, ${HEADLINE}) as snippet,
        total.articles::int as articles, total.threads::int as threads
      from total cross join tsq left join page on true
      order by page.rank desc, page.updated_at desc, page.id`,
    );
    // Past the last page there is still the total's one row, without a hit.
    const counts = [rows[0]?.articles ?? 0, rows[0]?.threads ?? 0];
    return { rows: rows.filter((r) => r.id !== null), total: counts.reduce((n, c) => n + Math.min(c, COUNTED_MATCHES), 0), capped: counts.some((c) => c > COUNTED_MATCHES) };
  };

  let mode: MatchMode = opts.match === 'any' && anyOf ? 'any' : 'all';
  let page = await ftsPage(tsqOf(mode));
  // Nothing has all the words of a plain query of several: those with some of them are better than nothing.
  if (!page.total && mode === 'all' && offset === 0 && words.length > 1 && !PRECISE.test(q)) {
    mode = 'any';
    page = await ftsPage(tsqOf(mode));
  }
  // Nothing has the words as typed: words the articles never use are spelt as the articles spell them, and searched again.
  if (!page.total && !PRECISE.test(q) && wantArticles) {
    const corrected = await correctSpelling(db, hc.workspaceId, q, words);
    if (corrected) {
      const result = await searchHelpCenter(db, hc, corrected, { ...opts, limit, offset });
      if (result.total) return { ...result, corrected };
    }
  }
  const relaxed = mode === 'any' && opts.match !== 'any';
  const { total, capped } = page;
  const hits = page.rows.map((r) => toHit(r, false));
  const wordCount = q.split(/\s+/).filter(Boolean).length;
  if (wordCount > SHORT_QUERY_WORDS || hits.length >= limit || offset > 0 || PRECISE.test(q)) return { hits, total, fuzzy: false, relaxed, capped };

  // Typos: titles spelt like the query (word similarity, so "pasword" finds "Reset your password").
  const seen = new Set(hits.map((h) => h.id));
  const similar = sql`
    ${wantArticles ? sql`select 'article' as kind, a.id, a.title, a.plain as body, a.slug, null::int as number, false as answered, a.updated_at, word_similarity(${q}, a.title) as rank
      from kb_articles a where a.workspace_id = ${hc.workspaceId} and a.status = 'published' and ${q} <% a.title` : sql`select null::text as kind, null::uuid as id, null::text as title, null::text as body, null::text as slug, null::int as number, false as answered, null::timestamptz as updated_at, 0::real as rank where false`}
    union all
    ${wantThreads ? sql`select 'thread', t.id, t.title, t.plain, t.number::text, t.number, t.accepted_post_id is not null, t.last_activity_at, word_similarity(${q}, t.title) * 0.9
      from community_threads t where t.workspace_id = ${hc.workspaceId} and t.hidden_at is null and t.deleted_at is null and ${q} <% t.title` : sql`select null, null, null, null, null, null, false, null, 0 where false`}`;
  const fuzzyRows = await selectRows<Row>(
    db,
    sql`
      select kind, id, title, slug, number, answered, updated_at, title as title_highlight, left(body, 200) as snippet
      from (${similar}) s order by rank desc, updated_at desc limit ${limit}`,
  );
  for (const r of fuzzyRows) {
    if (hits.length >= limit) break;
    if (seen.has(r.id)) continue;
    seen.add(r.id);
    hits.push(toHit(r, true));
  }
  return { hits, total: Math.max(total, hits.length), fuzzy: total === 0 && hits.length > 0, relaxed: relaxed && total > 0, capped };
}

/** A word counts as misspelt for a known one this similar (pg_trgm's similarity, 0 to 1): "refnd"/"refund" is 0.44, "retrns"/"returns" 0.5. */
const SPELLING_SIMILARITY = 0.35;

/**
 * The query with each word the workspace's published articles never use replaced by the
 * most similar word they do use (the most used of equally similar ones), or undefined when
 * no word changes. Words are looked up in help_center_words, which a trigger keeps.
 */
async function correctSpelling(db: Executor, workspaceId: string, q: string, words: string[]): Promise<string | undefined> {
  const asked = [...new Set(words.map((w) => w.toLowerCase()).filter((w) => w.length >= 3 && w.length <= 40 && /^\p{L}+$/u.test(w)))];
  if (!asked.length) return undefined;
  const rows = await selectRows<{ asked: string; known: string }>(
    db,
    sql`
      select distinct on (a.word) a.word as asked, w.word as known
      from unnest(${sql.param(asked)}::text[]) as a(word)
      join help_center_words w on w.workspace_id = ${workspaceId} and w.articles > 0 and w.word % a.word and similarity(w.word, a.word) >= ${SPELLING_SIMILARITY}
      where not exists (select 1 from help_center_words k where k.workspace_id = ${workspaceId} and k.word = a.word and k.articles > 0)
      order by a.word, similarity(w.word, a.word) desc, w.articles desc, w.word`,
  );
  if (!rows.length) return undefined;
  const fix = new Map(rows.map((r) => [r.asked, r.known]));
  return q.replace(/[\p{L}\p{N}]+/gu, (w) => fix.get(w.toLowerCase()) ?? w);
}

interface Row {
  kind: 'article' | 'thread';
  id: string;
  title: string;
  slug: string;
  number: number | null;
  answered: boolean;
  updated_at: Date | string;
  title_highlight: string;
  snippet: string;
  articles?: number;
  threads?: number;
}

function toHit(r: Row, fuzzy: boolean): SearchHit {
  return {
    kind: r.kind,
    id: r.id,
    title: r.title,
    titleHighlight: r.title_highlight,
    snippet: fuzzy ? excerpt(r.snippet) : r.snippet,
    slug: r.slug,
    number: r.number,
    answered: r.answered,
    updatedAt: new Date(r.updated_at),
    fuzzy,
  };
}

const excerpt = (s: string) => (s.length > 180 ? `${s.slice(0, 180).replace(/\s+\S*$/, '')} …` : s);
