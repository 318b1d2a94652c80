import type { Config } from '../config.js';
import type { Database, Db, Tx } from '../db/client.js';

/**
 * What every service needs from the running instance. Built once in app.ts and
 * passed explicitly; there is no module-level state.
 */
export interface Ctx {
  config: Config;
  database: Database;
  db: Db;
  /** The instance's signing secret (shared by all nodes through the database). */
  secret: string;
  /** Tells the outbox dispatcher that new events were committed. */
  kick(): void;
  /** How long the first retry of a failed delivery waits; doubled each time, with jitter. */
  retryBaseMs: number;
}

/** Runs `fn` in one transaction and, once it has committed, wakes the dispatcher. */
export async function inTransaction<T>(ctx: Ctx, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const result = await ctx.db.transaction(fn);
  ctx.kick();
  return result;
}
