/**
 * `npx tsx bench/catalog.ts`: how the catalog's search reads 10,000 products on PostgreSQL
 * (DATABASE_URL, required). On a fresh database it seeds BENCH_CATALOG_PRODUCTS products
 * (instrument cases with five typed attributes, generated with a fixed seed) in one
 * workspace and 1,000 in another, analyzes, then for each query below prints the plan
 * PostgreSQL chose (EXPLAIN ANALYZE of the very statement searchProducts sends) and the
 * median and p90 time of 30 runs of searchProducts itself.
 */
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { uuidv7 } from 'uuidv7';
import type { Db } from '../src/server/db/client.js';
import { openDatabase } from '../src/server/db/client.js';
import * as schema from '../src/server/db/schema/index.js';
import { attributeDefinitions, attributesText } from '../src/server/domains/catalog/attributes.js';
import { searchProducts } from '../src/server/domains/catalog/search.js';
import { intEnv } from './machine.js';
import { createScratch } from './storage.js';
import { percentile, rng } from './workload.js';

const PRODUCTS = intEnv('BENCH_CATALOG_PRODUCTS', 10_000, 100);
const QUERIES = ['cello', 'cel', 'carbon double bass', 'inner_length>=1200 wheels:yes', 'shell:carbon', 'outer.width<=400 viola', 'CC-004217', 'violin case wheels', 'celo'];
const INSTRUMENTS = ['Violin', 'Viola', 'Cello', 'Double bass', 'Guitar', 'Ukulele', 'Mandolin', 'Flute', 'Clarinet', 'Trumpet', 'Saxophone', 'Trombone'];
const SHELLS = ['Carbon', 'Fibreglass', 'Plywood', 'ABS'];
const WORDS = ['light', 'padded', 'suspension', 'velvet', 'hygrometer', 'backpack straps', 'flight', 'waterproof', 'lockable', 'compact', 'student', 'professional'];

async function main() {
  const scratch = await createScratch('postgres');
  const database = await openDatabase({ databaseUrl: scratch.databaseUrl });
  try {
    await database.migrate();
    const pool = new pg.Pool({ connectionString: scratch.databaseUrl, max: 2 });
    const captured: { sql: string; params: unknown[] }[] = [];
    const logged = drizzle(pool, { schema, logger: { logQuery: (sql, params) => void captured.push({ sql, params }) } }) as unknown as Db;
    const db = database.db;
    const random = rng(20261207);
    const seed = async (workspaceId: string, n: number) => {
      await db.insert(schema.catalogAttributes).values([
        { workspaceId, key: 'instrument', label: 'Instrument', type: 'text', position: 0 },
        { workspaceId, key: 'inner_length', label: 'Inner length', type: 'number', unit: 'mm', position: 1 },
        { workspaceId, key: 'wheels', label: 'Wheels', type: 'boolean', position: 2 },
        { workspaceId, key: 'shell', label: 'Shell', type: 'choice', options: SHELLS, position: 3 },
        { workspaceId, key: 'outer', label: 'Outer size', type: 'dimensions', unit: 'mm', axes: ['length', 'width', 'height'], position: 4 },
      ]);
      const defs = await attributeDefinitions(db, workspaceId);
      for (let i = 0; i < n; i += 1000) {
        const rows = Array.from({ length: Math.min(1000, n - i) }, (_, j) => {
          const k = i + j;
          const instrument = INSTRUMENTS[Math.floor(random() * INSTRUMENTS.length)];
          const length = 300 + Math.floor(random() * 1800);
          const attributes = {
            instrument,
            inner_length: length,
            wheels: random() < 0.3,
            shell: SHELLS[Math.floor(random() * SHELLS.length)],
            outer: { length: length + 80, width: 150 + Math.floor(random() * 600), height: 80 + Math.floor(random() * 400) },
          };
          const words = Array.from({ length: 3 }, () => WORDS[Math.floor(random() * WORDS.length)]).join(', ');
          return {
            id: uuidv7(),
            workspaceId,
            sku: `CC-${String(k).padStart(6, '0')}`,
            name: `${instrument} case ${['S', 'M', 'L', 'XL'][k % 4]} ${k}`,
            description: `A ${words} case for a ${instrument.toLowerCase()}.`,
            price: (50 + Math.floor(random() * 3000)).toFixed(2),
            currency: 'EUR',
            attributes,
            attributesText: attributesText(defs, attributes),
          };
        });
        await db.insert(schema.products).values(rows);
      }
    };
    const workspace = uuidv7();
    const t0 = performance.now();
    await seed(workspace, PRODUCTS);
    await seed(uuidv7(), 1000);
    await pool.query('vacuum analyze products');
    console.log(`seeded ${PRODUCTS} + 1000 products in ${Math.round(performance.now() - t0)} ms\n`);

    for (const q of QUERIES) {
      captured.length = 0;
      const r = await searchProducts(logged, { workspaceId: workspace }, { q, limit: 20 });
      const statement = captured.at(-1)!;
      const plan = await pool.query(`explain (analyze, costs off, timing off, summary off) ${statement.sql}`, statement.params);
      const times: number[] = [];
      for (let i = 0; i < 30; i++) {
        const s = performance.now();
        await searchProducts(db, { workspaceId: workspace }, { q, limit: 20 });
        times.push(performance.now() - s);
      }
      times.sort((a, b) => a - b);
      console.log(`── ${JSON.stringify(q)}: ${r.items.length} products${r.hasMore ? '+' : ''}${r.fuzzy ? ' (by spelling)' : ''}, p50 ${percentile(times, 50).toFixed(1)} ms, p90 ${percentile(times, 90).toFixed(1)} ms`);
      for (const row of plan.rows as { 'QUERY PLAN': string }[]) console.log(`   ${row['QUERY PLAN']}`);
      console.log('');
    }
    await pool.end();
  } finally {
    await database.close();
    await scratch.remove();
  }
}

await main();
