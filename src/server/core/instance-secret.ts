import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { instanceSettings } from '../db/schema/index.js';
import { randomToken } from './ids.js';

/**
 * The secret Heard signs its own tokens with (e-mail Message-IDs, reply-to tokens).
 * Made once and kept in the database, so every node of a deployment shares it without
 * configuration; the first node to start wins the insert.
 */
export async function loadInstanceSecret(db: Db): Promise<string> {
  await db.insert(instanceSettings).values({ key: 'secret', value: randomToken('', 48) }).onConflictDoNothing();
  const [row] = await db.select().from(instanceSettings).where(sql`${instanceSettings.key} = 'secret'`);
  return row.value;
}
