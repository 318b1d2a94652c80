import { type SQL, sql } from 'drizzle-orm';
import { type Executor, selectRows } from '../../db/client.js';
import type { Actor } from '../../core/actor.js';
import { Invalid } from '../../core/errors.js';
import { type Attribute, attributeDefinitions, normalizeValue } from './attributes.js';
import { type Product, presentProduct } from './products.js';

/** An attribute filter in a query: `key:value`, `key>=n`, `key.axis<=n` (for dimensions). */
const FILTER = /(?<=^|\s)([a-z][a-z0-9_]*)(?:\.([a-z][a-z0-9_]*))?(>=|<=|:|=|>|<)("[^"]*"|\S+)/gi;
const OPS: Record<string, string> = { '>=': '>=', '<=': '<=', '>': '>', '<': '<' };

/**
 * What a query asks: its attribute filters as SQL over `p` (each through the GIN index
 * on attributes when it is an equality), and the words left for full-text search.
 * A key that is no attribute stays a word.
 */
function parseQuery(defs: Attribute[], q: string, field: string) {
  const filters: SQL[] = [];
  const text = q.replace(FILTER, (whole, key: string, axis: string | undefined, op: string, raw: string) => {
    const a = defs.find((d) => d.key === key.toLowerCase());
    if (!a) return whole;
    const value = raw.startsWith('"') ? raw.slice(1, -1) : raw;
    const range = OPS[op];
    if (a.type === 'dimensions') {
      if (axis && !a.axes.includes(axis.toLowerCase())) throw new Invalid(field, `${a.key} has the axes ${a.axes.join(', ')}`);
      if (axis) {
        const n = normalizeValue({ ...a, type: 'number' }, value);
        if ('problem' in n) throw new Invalid(field, `${a.key}.${axis} ${n.problem}`);
        filters.push(sql`(p.attributes -> ${a.key} ->> ${axis.toLowerCase()})::numeric ${sql.raw(range ?? '=')} ${n.value}`);
        return ' ';
      }
      if (range) throw new Invalid(field, `compare one axis of ${a.key}, like ${a.key}.${a.axes[0]}${op}${value}`);
    } else if (axis) return whole;
    if (range) {
      if (a.type !== 'number') throw new Invalid(field, `${a.key} is no number: use ${a.key}:value`);
      const n = normalizeValue(a, value);
      if ('problem' in n) throw new Invalid(field, `${a.key} ${n.problem}`);
      filters.push(sql`(p.attributes ->> ${a.key})::numeric ${sql.raw(range)} ${n.value}`);
      return ' ';
    }
    if (a.type === 'text') {
      filters.push(sql`p.attributes ->> ${a.key} ilike ${`%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`);
      return ' ';
    }
    const n = normalizeValue(a, value);
    if ('problem' in n) throw new Invalid(field, `${a.key} ${n.problem}`);
    filters.push(sql`p.attributes @> ${JSON.stringify({ [a.key]: n.value })}::jsonb`);
    return ' ';
  });
  return { filters, text: text.trim() };
}

/** Letters and digits only, so nothing in a word is query syntax. */
const wordsOf = (s: string) =>
  s
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0)
    .slice(0, 16);

export interface ProductSearch {
  q?: string;
  limit?: number;
  offset?: number;
  /**
   * `all` the words, each also as the start of a word (as an agent types: "cel" finds
   * cello); or `any` of them, the most matched first (suggestions from a sentence).
   */
  match?: 'all' | 'any';
  /** The field a bad filter is named as. */
  field?: string;
}

/**
 * Searches the workspace's catalog: attribute filters (`length>=1200`, `wheels:yes`,
 * `size.width<=400`, `colour:black`) narrow it, and the other words are matched by
 * full-text search over SKU, name, description and attribute values (GIN index on
 * `products.search`), best first. When the words find nothing, names spelt like them
 * (pg_trgm) are offered instead.
 */
export async function searchProducts(db: Executor, actor: Pick<Actor, 'workspaceId'>, opts: ProductSearch) {
  const limit = opts.limit ?? 20;
  const offset = opts.offset ?? 0;
  const defs = await attributeDefinitions(db, actor.workspaceId);
  const q = (opts.q ?? '').replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, 200);
  const { filters, text } = parseQuery(defs, q, opts.field ?? 'querystring.q');
  const words = wordsOf(text);
  const where = [sql`p.workspace_id = ${actor.workspaceId}`, ...filters];
  const page = async (match: SQL | null, rank: SQL) =>
    selectRows<Product & { rank: number }>(
      db,
      sql`select p.id, p.sku, p.name, p.description, p.url, p.price, p.currency, p.attributes, p.created_at as "createdAt", p.updated_at as "updatedAt", ${rank} as rank
        from products p where ${sql.join(match ? [...where, match] : where, sql` and `)}
        order by rank desc, p.name, p.id limit ${limit + 1} offset ${offset}`,
    );

  let rows: (Product & { rank: number })[];
  let fuzzy = false;
  if (!words.length) rows = await page(null, sql`0`);
  else {
    const terms = words.map((w) => `'${w.toLowerCase()}'${opts.match === 'any' ? '' : ':*'}`).join(opts.match === 'any' ? ' | ' : ' & ');
    const tsq = sql`to_tsquery('english', ${terms})`;
    rows = await page(sql`p.search @@ ${tsq}`, sql`ts_rank(p.search, ${tsq})`);
    if (!rows.length && offset === 0 && opts.match !== 'any') {
      // Typos: names spelt like the words (word similarity, through the trigram index on name).
      rows = await page(sql`${text} <% p.name`, sql`word_similarity(${text}, p.name)`);
      fuzzy = rows.length > 0;
    }
  }
  // Any of a sentence's words: those far behind the best match share only a common word with it ("case").
  if (opts.match === 'any' && rows.length) rows = rows.filter((r) => Number(r.rank) >= Number(rows[0].rank) / 2);
  return { items: rows.slice(0, limit).map(presentProduct), hasMore: rows.length > limit, fuzzy };
}
