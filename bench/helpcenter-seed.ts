/**
 * Seeds the help-center benchmark's database, in a process of its own before Heard starts
 * (only one process at a time may open a PGlite directory): a workspace with a published
 * help center through the services (ensureMember, updateHelpCenter, createCategory), then
 * the articles, community threads and answers with multi-row INSERTs in batches. The
 * Markdown goes through renderMarkdown once per template (opening paragraphs, sections,
 * questions, answers), and an article is its title, one opening and sections of its
 * category; the `search` tsvector columns are computed by PostgreSQL itself (they are
 * generated columns), and the GIN indexes are built once the rows are in.
 */
import { uuidv7 } from 'uuidv7';
import { loadConfig } from '../src/server/config.js';
import type { Actor } from '../src/server/core/actor.js';
import { type Ctx, inTransaction } from '../src/server/core/context.js';
import { excerptOf, renderMarkdown } from '../src/server/core/markdown.js';
import { openDatabase, type Database } from '../src/server/db/client.js';
import { updateHelpCenter } from '../src/server/domains/help-center/service.js';
import { createCategory } from '../src/server/domains/knowledge-base/service.js';
import { ensureMember } from '../src/server/domains/workspaces/service.js';
import {
  answerMarkdown,
  articleTitle,
  type BenchQuery,
  CATEGORIES,
  int,
  introMarkdown,
  makeQueries,
  pick,
  questionMarkdown,
  sectionMarkdown,
  threadTitle,
} from './helpcenter-corpus.js';
import { rng } from './workload.js';

export const HELP_SLUG = 'bench';

export interface SeedJob {
  dataDir?: string;
  databaseUrl?: string;
  articles: number;
  threads: number;
  seed: number;
  /** VACUUM ANALYZE afterwards (what autovacuum does on PostgreSQL; PGlite has no autovacuum). */
  analyze: boolean;
  queries: number;
}

export interface SeedResult {
  slug: string;
  /** Every article, with its views (the Zipf-like popularity readers follow). */
  articles: { slug: string; title: string; views: number }[];
  searchQueries: BenchQuery[];
  suggestQueries: BenchQuery[];
  seconds: { total: number; render: number; articles: number; threads: number; indexes: number; analyze: number };
  rows: Record<string, number>;
  words: { min: number; avg: number; max: number };
  databaseBytes: number | null;
}

const SECTIONS_PER_CATEGORY = 100;
const INTROS_PER_CATEGORY = 150;
const QUESTIONS_PER_CATEGORY = 60;
const ANSWERS_PER_CATEGORY = 120;
const CONTACTS = 500;
const BATCH_BYTES = 1_000_000;
const DAY = 86_400_000;

/** An article's address from its title, as Heard makes them: lower case, words joined by hyphens (titles here are plain ASCII). */
const slugify = (title: string) =>
  title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/g, '');

const wordCount = (plain: string) => plain.split(/\s+/).filter(Boolean).length;

interface Rendered {
  md: string;
  html: string;
  plain: string;
  words: number;
}
function render(md: string, author: 'staff' | 'customer'): Rendered {
  const r = renderMarkdown(md, author);
  return { md, html: r.html, plain: r.plain, words: wordCount(r.plain) };
}

/** Multi-row INSERTs of `rows` (arrays in `columns` order), about BATCH_BYTES of values per statement. */
async function insertMany(database: Database, table: string, columns: string[], rows: unknown[][]) {
  let batch: unknown[][] = [];
  let bytes = 0;
  const flush = async () => {
    if (!batch.length) return;
    const params: unknown[] = [];
    const tuples = batch.map((row) => `(${row.map((v) => (params.push(v), `$${params.length}`)).join(', ')})`);
    await database.raw.query(`insert into ${table} (${columns.join(', ')}) values ${tuples.join(', ')}`, params);
    batch = [];
    bytes = 0;
  };
  for (const row of rows) {
    batch.push(row);
    bytes += row.reduce<number>((a, v) => a + (typeof v === 'string' ? v.length : 16), 0);
    // PostgreSQL takes at most 65,535 parameters per statement.
    if (bytes >= BATCH_BYTES || (batch.length + 1) * columns.length > 60_000) await flush();
  }
  await flush();
}

export async function seedHelpCenter(job: SeedJob): Promise<SeedResult> {
  const t0 = performance.now();
  const r = rng(job.seed);
  const config = loadConfig({ LOG_LEVEL: 'silent', HEARD_DATA_DIR: job.dataDir, DATABASE_URL: job.databaseUrl });
  // As Heard opens it: PostgreSQL, or file-backed PGlite under HEARD_DATA_DIR/db.
  // One connection, so that the session settings below hold for every statement.
  const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATABASE_URL ? undefined : `${config.dataDir}/db`, poolSize: 1 });
  try {
    await database.migrate();
    const ctx: Ctx = { config, database, db: database.db, secret: 'bench', kick: () => undefined, retryBaseMs: 30_000 };

    // The workspace, its published help center and its categories, through the services.
    const { member, workspace } = await inTransaction(ctx, (tx) =>
      ensureMember(tx, { workspaceName: 'Bench Outfitters', email: 'owner@bench.example', name: 'Olivia Owner', password: 'correct horse battery', role: 'owner' }),
    );
    const actor: Actor = { workspaceId: workspace.id, memberId: member.id, userId: member.userId, role: member.role, via: 'session', scopes: ['read', 'write', 'admin'] };
    const hc = await inTransaction(ctx, (tx) => updateHelpCenter(tx, actor, { slug: HELP_SLUG, title: 'Bench Outfitters Help', published: true, communityEnabled: true, language: 'english' }));
    const categories = [];
    for (const [i, c] of CATEGORIES.entries()) {
      categories.push(await inTransaction(ctx, (tx) => createCategory(tx, actor, { name: c.name, description: c.description, position: i })));
    }

    // Templates, rendered once each.
    const tr = performance.now();
    const intros = CATEGORIES.map((c) => Array.from({ length: INTROS_PER_CATEGORY }, () => render(introMarkdown(r, c), 'staff')));
    const sections = CATEGORIES.map((c) => Array.from({ length: SECTIONS_PER_CATEGORY }, () => render(sectionMarkdown(r, c), 'staff')));
    const questions = CATEGORIES.map((c) => Array.from({ length: QUESTIONS_PER_CATEGORY }, () => render(questionMarkdown(r, c), 'customer')));
    const answers = CATEGORIES.map((c) => Array.from({ length: ANSWERS_PER_CATEGORY }, (_, i) => ({ staff: i % 3 === 0, ...render(answerMarkdown(r, c, i % 3 === 0), 'customer') })));
    const renderMs = performance.now() - tr;

    const contactIds = Array.from({ length: CONTACTS }, () => uuidv7());
    const FIRST = ['Ann', 'Bo', 'Chen', 'Dana', 'Eli', 'Fatima', 'Gus', 'Hana', 'Ivan', 'Jo', 'Kemal', 'Lena', 'Mateo', 'Noor', 'Olu', 'Priya', 'Quinn', 'Rosa'];
    const LAST = ['Lee', 'Okafor', 'Nguyen', 'Schmidt', 'Garcia', 'Kowalski', 'Haddad', 'Silva', 'Tanaka', 'Moreau', 'Ivanova', 'Smith'];
    await insertMany(database, 'contacts', ['id', 'workspace_id', 'name'], contactIds.map((id) => [id, workspace.id, `${pick(r, FIRST)} ${pick(r, LAST)}`]));

    // Popularity: a random order of the articles, views ∝ 1/rank.
    const now = Date.now();
    const ranks = Array.from({ length: job.articles }, (_, i) => i);
    for (let i = ranks.length - 1; i > 0; i--) {
      const j = Math.floor(r() * (i + 1));
      [ranks[i], ranks[j]] = [ranks[j], ranks[i]];
    }

    // The GIN indexes (full text, trigram titles) are built once after the rows are in, from
    // their own definitions, rather than row by row: the same indexes, several times faster.
    const { rows: gin } = await database.raw.query<{ name: string; def: string }>(
      `select indexname as name, indexdef as def from pg_indexes where tablename in ('kb_articles', 'community_threads') and indexdef ilike '% using gin %'`,
    );
    for (const i of gin) await database.raw.exec(`drop index ${i.name}`);
    // The rows below are consistent by construction: their foreign keys are not checked one by one.
    if (process.env.BENCH_HELP_SEED_FK !== '1') await database.raw.exec('set session_replication_role = replica');

    // Articles.
    const ta = performance.now();
    const slugs = new Set<string>();
    const articleRows: unknown[][] = [];
    const viewRows: unknown[][] = [];
    const articles: SeedResult['articles'] = [];
    const docs: { title: string; plain: string }[] = [];
    const words = { min: Infinity, max: 0, sum: 0 };
    for (let i = 0; i < job.articles; i++) {
      const ci = i % CATEGORIES.length;
      const c = CATEGORIES[ci];
      const title = articleTitle(r, c);
      const root = slugify(title);
      let slug = root;
      for (let n = 2; slugs.has(slug); n++) slug = `${root.slice(0, 75)}-${n}`;
      slugs.add(slug);
      const target = int(r, 150, 800);
      const intro = pick(r, intros[ci]);
      const parts = [intro];
      let count = intro.words;
      const pool = sections[ci];
      const used = new Set<number>();
      // Sections until the target length, staying within 150–800 words.
      for (let tries = 0; count < target && tries < 50; tries++) {
        const k = Math.floor(r() * pool.length);
        if (used.has(k) || (count + pool[k].words > 800 && count >= 150)) continue;
        used.add(k);
        parts.push(pool[k]);
        count += pool[k].words;
      }
      const plain = parts.map((p) => p.plain).join('\n\n');
      words.min = Math.min(words.min, count);
      words.max = Math.max(words.max, count);
      words.sum += count;
      const views = Math.round(200_000 / (ranks[i] + 1)) + int(r, 0, 20);
      const created = now - int(r, 30, 900) * DAY;
      const updated = Math.min(now - DAY, created + int(r, 0, 400) * DAY);
      const articleId = uuidv7();
      viewRows.push([articleId, workspace.id, 'published', categories[ci].id, views]);
      articleRows.push([
        articleId, workspace.id, categories[ci].id, slug, title,
        parts.map((p) => p.md).join('\n\n'), parts.map((p) => p.html).join(''), excerptOf(plain), plain,
        'published', member.id, member.id, new Date(created).toISOString(), int(r, 0, 40), int(r, 0, 8), 'english',
        new Date(created).toISOString(), new Date(updated).toISOString(),
      ]);
      articles.push({ slug, title, views });
      docs.push({ title, plain });
    }
    await insertMany(
      database,
      'kb_articles',
      ['id', 'workspace_id', 'category_id', 'slug', 'title', 'body', 'html', 'excerpt', 'plain', 'status', 'author_member_id', 'updated_by_member_id', 'published_at', 'helpful_yes', 'helpful_no', 'language', 'created_at', 'updated_at'],
      articleRows,
    );
    articleRows.length = 0;
    // Views have a table of their own; with triggers on (BENCH_HELP_SEED_FK=1), each article already has its row at 0.
    await database.raw.query('delete from kb_article_views where workspace_id = $1', [workspace.id]);
    await insertMany(database, 'kb_article_views', ['article_id', 'workspace_id', 'status', 'category_id', 'views'], viewRows);
    const articlesSec = (performance.now() - ta) / 1000;

    // Community threads, each with 1–3 answers; a little over half have an accepted one.
    const tt = performance.now();
    const threadRows: unknown[][] = [];
    const threadViewRows: unknown[][] = [];
    const postRows: unknown[][] = [];
    let posts = 0;
    for (let i = 0; i < job.threads; i++) {
      const ci = Math.floor(r() * CATEGORIES.length);
      const c = CATEGORIES[ci];
      const id = uuidv7();
      const title = threadTitle(r, c);
      const q = pick(r, questions[ci]);
      const created = now - int(r, 2, 700) * DAY - int(r, 0, DAY);
      const n = int(r, 1, 3);
      const mine: { id: string; plain: string; at: number }[] = [];
      for (let k = 0; k < n; k++) {
        const a = pick(r, answers[ci]);
        const at = created + (k + 1) * int(r, 600_000, 3 * DAY);
        const pid = uuidv7();
        mine.push({ id: pid, plain: a.plain, at });
        postRows.push([pid, workspace.id, id, a.staff ? null : pick(r, contactIds), a.staff ? member.id : null, a.md, a.html, a.plain, int(r, 0, 12), new Date(at).toISOString(), new Date(at).toISOString()]);
      }
      posts += n;
      const accepted = r() < 0.55 ? pick(r, mine).id : null;
      const last = Math.max(...mine.map((m) => m.at));
      threadViewRows.push([id, Math.round(5000 / (1 + Math.floor(r() * job.threads))) + int(r, 0, 50)]);
      threadRows.push([
        id, workspace.id, i + 1, title, q.md, q.html, q.plain, pick(r, contactIds), accepted, int(r, 0, 30), n,
        mine.map((m) => m.plain).join('\n'), new Date(last).toISOString(), 'english', new Date(created).toISOString(), new Date(last).toISOString(),
      ]);
      if (i % 4 === 0) docs.push({ title, plain: `${q.plain}\n${mine.map((m) => m.plain).join('\n')}` });
    }
    await insertMany(
      database,
      'community_threads',
      ['id', 'workspace_id', 'number', 'title', 'body', 'html', 'plain', 'author_contact_id', 'accepted_post_id', 'score', 'answer_count', 'answers_plain', 'last_activity_at', 'language', 'created_at', 'updated_at'],
      threadRows,
    );
    threadRows.length = 0;
    await insertMany(database, 'community_thread_views', ['thread_id', 'views'], threadViewRows);
    await insertMany(database, 'community_posts', ['id', 'workspace_id', 'thread_id', 'author_contact_id', 'author_member_id', 'body', 'html', 'plain', 'score', 'created_at', 'updated_at'], postRows);
    postRows.length = 0;
    // New questions take the next number.
    await database.raw.query('update help_centers set last_thread_number = $1 where workspace_id = $2', [job.threads, hc.workspaceId]);
    const threadsSec = (performance.now() - tt) / 1000;
    await database.raw.exec('reset session_replication_role');
    const ti = performance.now();
    for (const i of gin) await database.raw.exec(i.def);
    const indexSec = (performance.now() - ti) / 1000;

    const tv = performance.now();
    if (job.analyze) await database.raw.exec('vacuum analyze');
    const analyzeSec = (performance.now() - tv) / 1000;

    const { rows: counts } = await database.raw.query<Record<string, string | number>>(
      `select (select count(*) from kb_articles) as kb_articles, (select count(*) from kb_categories) as kb_categories,
        (select count(*) from community_threads) as community_threads, (select count(*) from community_posts) as community_posts`,
    );
    let databaseBytes: number | null = null;
    try {
      const { rows } = await database.raw.query<{ n: string }>('select pg_database_size(current_database()) as n');
      databaseBytes = Number(rows[0].n);
    } catch {
      // Not every engine says.
    }
    const searchQueries = makeQueries(job.seed + 1, job.queries, docs);
    // The suggestions script asks from the third character on.
    const suggestQueries = makeQueries(job.seed + 2, job.queries * 2, docs).filter((q) => q.q.replace(/"/g, '').trim().length >= 3).slice(0, job.queries);
    return {
      slug: hc.slug,
      articles,
      searchQueries,
      suggestQueries,
      seconds: { total: (performance.now() - t0) / 1000, render: renderMs / 1000, articles: articlesSec, threads: threadsSec, indexes: indexSec, analyze: analyzeSec },
      rows: Object.fromEntries(Object.entries(counts[0]).map(([k, v]) => [k, Number(v)])),
      words: { min: words.min, avg: Math.round(words.sum / job.articles), max: words.max },
      databaseBytes,
    };
  } finally {
    await database.close();
  }
}
