import type { FastifyBaseLogger } from 'fastify';
import crypto from 'node:crypto';
import PgBoss from 'pg-boss';
import type { z } from 'zod';
import type { Config } from '../../config.js';
import type { Database } from '../../db/client.js';
import type { Ctx } from '../context.js';

/**
 * A declared job: a name, the schema its payload must satisfy, and a lazily loaded
 * handler. Retries are decided by the handler (see deliver-message), so each kind of
 * job keeps its own back-off rules beside its work.
 */
export interface JobDefinition<S extends z.ZodType> {
  name: string;
  schema: S;
  handler: () => Promise<(ctx: Ctx, payload: z.infer<S>, jobs: Jobs) => Promise<void>>;
  /**
   * The longest one run may take, from the kind's own timeouts: pg-boss gives up on a run
   * that takes longer and runs the job again (as it does when the node running it dies), so
   * the handler must be safe to repeat. pg-boss's 15 minutes when not given.
   */
  expireInSeconds?: number;
  /** How many of these jobs one worker node runs at once; one when not given. */
  concurrency?: (config: Config) => number;
}

export function defineJob<S extends z.ZodType>(def: JobDefinition<S>): JobDefinition<S> {
  return def;
}

export interface SendOptions {
  startAfter?: Date;
  /** A job with the same key that is still waiting is not added twice. */
  singletonKey?: string;
}

/** How often a worker node says it still runs its jobs, and how long a silence means it died. */
const HEARTBEAT_SECONDS = 3;
const DEAD_AFTER_SECONDS = 15;

/** The job queue: pg-boss on the same database as everything else, PGlite included. */
export class Jobs {
  private boss: PgBoss;
  private started = false;
  // What pg-boss started on the database, and handlers running: stop() waits for them.
  private readonly inflight = new Set<Promise<unknown>>();
  // The jobs this node is running, and the timer that says so (watchLiveness).
  private readonly running = new Set<string>();
  private liveness: { stop(): void } | undefined;
  // This node's workers per queue, and which of them is woken for the next job sent.
  private readonly workers = new Map<string, string[]>();
  private nextWorker = 0;

  constructor(
    private readonly database: Database,
    private readonly definitions: JobDefinition<z.ZodType>[],
    private readonly log: FastifyBaseLogger,
  ) {
    this.boss = new PgBoss({
      db: { executeSql: (text: string, values?: unknown[]) => this.track(database.raw.query(text, values)) },
      schema: 'pgboss',
    });
    this.boss.on('error', (err) => this.log.error({ err }, 'job queue error'));
  }

  /** Creates the queue tables and queues; with `work`, this node also runs the handlers. */
  async start(ctx: Ctx, opts: { work: boolean; pollingIntervalSeconds?: number }) {
    await this.boss.start();
    this.started = true;
    for (const def of this.definitions) {
      await this.createQueue(def);
    }
    if (!opts.work) return;
    this.liveness = this.watchLiveness(this.database);
    for (const def of this.definitions) {
      // Several workers fetching one job each, rather than one worker taking a batch: a slow
      // job holds up only its own worker (decisions.md).
      const ids: string[] = [];
      for (let n = def.concurrency?.(ctx.config) ?? 1; n > 0; n--) {
        let id = '';
        id = await this.boss.work(def.name, { pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 2, batchSize: 1 }, ([job]) =>
          this.track(
            (async () => {
              this.running.add(job.id);
              try {
                const payload = def.schema.parse(job.data);
                const handle = await def.handler();
                await handle(ctx, payload, this);
              } finally {
                this.running.delete(job.id);
                // There may be more: the worker fetches again at once instead of after its polling interval.
                if (id) this.boss.notifyWorker(id);
              }
            })(),
          ),
        );
        ids.push(id);
      }
      this.workers.set(def.name, ids);
    }
  }

  /** The job's id, or null when a job with the same singletonKey is still waiting (nothing was added). */
  async send<S extends z.ZodType>(def: JobDefinition<S>, payload: z.infer<S>, opts: SendOptions = {}) {
    def.schema.parse(payload);
    const id = await this.boss.send(def.name, payload as object, {
      startAfter: opts.startAfter,
      // Queues are `short` (one waiting job per key): a job without a key of its own gets a
      // unique one, or every keyless job would wait behind the first.
      singletonKey: opts.singletonKey ?? crypto.randomUUID(),
      // Handlers reschedule themselves with their own back-off; pg-boss retries only crashes
      // (a throw, or a run that expired): 1–2 s after the first, doubling to ~10 minutes, so a
      // dead node's work resumes at once and a database that is away for a while loses nothing.
      retryLimit: 10,
      retryDelay: 1,
      retryBackoff: true,
    });
    // A job due now that this node works on starts now, not at a worker's next poll.
    const workers = this.workers.get(def.name);
    if (id && workers && !opts.startAfter) this.boss.notifyWorker(workers[this.nextWorker++ % workers.length]);
    return id;
  }

  /**
   * Nodes starting together on a fresh database can deadlock in pg-boss's create_queue
   * (one inserts the queue row and attaches its partition while the other waits on that
   * row). PostgreSQL aborts one of them; creating the queue again is then a no-op.
   */
  private async createQueue(def: JobDefinition<z.ZodType>) {
    const { name, expireInSeconds } = def;
    // pg-boss checks a key that is there, even when undefined.
    const options = { name, policy: 'short' as const, ...(expireInSeconds ? { expireInSeconds } : {}) };
    for (let attempt = 1; ; attempt++) {
      try {
        // `short`: a send whose singletonKey is already waiting adds nothing (pg-boss's standard
        // queues ignore the key). updateQueue brings queues made before this up to date.
        await this.boss.createQueue(name, options);
        return await this.boss.updateQueue(name, options);
      } catch (err) {
        if ((err as { code?: string }).code !== '40P01' || attempt >= 5) throw err;
        await new Promise((r) => setTimeout(r, 50 * attempt));
      }
    }
  }

  /**
   * Every few seconds a worker node marks the jobs it runs as still running (their
   * started_on, which pg-boss's expiry counts from), and fails any active job nobody has
   * marked for DEAD_AFTER_SECONDS: its node died, and pg-boss retries it within a couple of
   * seconds instead of after its expiry. pg-boss 10 has no heartbeat of its own.
   */
  private watchLiveness(database: Database) {
    const beat = async () => {
      if (this.running.size) {
        await database.raw.query(`update pgboss.job set started_on = now() where id = any($1::uuid[]) and state = 'active'`, [[...this.running]]);
      }
      const { rows } = await database.raw.query<{ name: string; id: string }>(
        `select name, id from pgboss.job where state = 'active' and started_on < now() - $1 * interval '1 second'`,
        [DEAD_AFTER_SECONDS],
      );
      for (const name of new Set(rows.map((r) => r.name))) {
        const ids = rows.filter((r) => r.name === name).map((r) => r.id);
        this.log.warn({ queue: name, jobs: ids.length }, 'jobs of a node that stopped answering run again');
        await this.boss.fail(name, ids);
      }
    };
    let beating: Promise<void> | undefined;
    const timer = setInterval(() => {
      beating ??= this.track(beat())
        .catch((err) => this.log.warn({ err }, 'job heartbeat failed'))
        .finally(() => (beating = undefined));
    }, HEARTBEAT_SECONDS * 1000);
    return { stop: () => clearInterval(timer) };
  }

  async stop() {
    if (!this.started) return;
    this.started = false;
    this.liveness?.stop();
    await this.boss.stop({ graceful: true, close: false, wait: true, timeout: 5000 });
    // pg-boss's stop() can return before it is done with the database: it records a finished
    // job without awaiting the statement, and a fetch in flight still hands its jobs to a
    // handler. Closing the database under them would fail those statements unhandled, so
    // wait until nothing it started is running (a stuck handler gets 10 seconds).
    const deadline = Date.now() + 10_000;
    for (;;) {
      await new Promise((resolve) => setImmediate(resolve));
      if (!this.inflight.size) return;
      if (Date.now() > deadline) {
        this.log.warn({ running: this.inflight.size }, 'job queue stopped with work still running');
        return;
      }
      await Promise.race([Promise.allSettled([...this.inflight]), new Promise((resolve) => setTimeout(resolve, 500))]);
    }
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.inflight.add(p);
    const done = () => this.inflight.delete(p);
    p.then(done, done);
    return p;
  }
}
