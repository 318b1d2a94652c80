import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../../db/client.js';
import type { EventRow } from './record-event.js';

/** A named consumer of committed events. The list of processors is explicit (app.ts). */
export interface Processor {
  name: string;
  handles(e: EventRow): boolean;
  process(e: EventRow): Promise<void>;
  /**
   * The events of one claimed batch that the processor handles, in seq order, at once: what
   * it looks up for each event (its rules, its endpoints, a conversation's facts) it can then
   * look up once for all. Optional; when it throws, each event is offered to process() by
   * itself, so that a failure is recorded against the event that fails and no other.
   */
  processBatch?(events: EventRow[]): Promise<void>;
}

const BATCH = 200;
/**
 * The least pause between two passes. Idle, an event is dispatched at once; under a stream
 * of commits (mail arriving on many connections), a pass takes what came in while the last
 * one ran and during this pause in one claim, and the processors look up once for all of it
 * instead of once per few commits. On PGlite, where processors and intake share one thread,
 * this is about a fifth more mail per second (bench:mail).
 */
const PASS_PAUSE_MS = 50;
const CLAIM_TIMEOUT_S = 60;
/** Attempts a processor gets at one event before it is left dead for an admin. */
export const MAX_ATTEMPTS = 8;
/** The longest wait between two attempts. */
const MAX_BACKOFF_MS = 3_600_000;

/** When the next attempt after `attempts` failed ones is due: doubling from the base, capped at an hour. */
export function nextAttemptDelay(attempts: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** (attempts - 1), MAX_BACKOFF_MS);
}

/**
 * Delivers committed events from the outbox to the processors, at least once.
 * Any node may run it: rows are claimed with FOR UPDATE SKIP LOCKED, so two
 * dispatchers never take the same event, and a crash before the claim's commit
 * leaves the events for the next pass. Delivery is tracked per processor: one that
 * fails gets the event again by itself, with back-off (event_failures), and the others
 * are not run twice.
 */
export class Dispatcher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  // Failed deliveries are looked for on the poll timer and on flush(), not on every commit's kick.
  private retryDue = true;
  // Until start(), kicks are ignored: the job queue may not exist yet (demo loading at boot).
  private stopped = true;
  private lastPassEnd = 0;
  // While someone waits in flush(), passes follow each other without the pause.
  private flushing = 0;

  constructor(
    private readonly database: Database,
    private readonly processors: Processor[],
    private readonly log: FastifyBaseLogger,
    private readonly pollMs = 1000,
    private readonly claimTimeoutS = CLAIM_TIMEOUT_S,
    private readonly retryBaseMs = 30_000,
  ) {}

  start() {
    this.stopped = false;
    const loop = () => {
      if (this.stopped) return;
      this.retryDue = true;
      this.kick();
      this.timer = setTimeout(loop, this.pollMs);
      this.timer.unref();
    };
    loop();
  }

  /**
   * Runs a pass soon, or after the one in progress. Every commit kicks: the pass waits at
   * least for the end of the current turn of the event loop, so that the commits finishing
   * together share one claim, and until PASS_PAUSE_MS after the last pass ended.
   * flush() skips that wait.
   */
  kick() {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    const wait = this.flushing ? 0 : this.lastPassEnd + PASS_PAUSE_MS - Date.now();
    this.running = new Promise<void>((resolve) => (wait > 0 ? setTimeout(resolve, wait) : setImmediate(resolve)))
      .then(() => this.drain())
      .catch((err) => this.log.error({ err }, 'event dispatch failed'))
      .finally(() => {
        this.lastPassEnd = Date.now();
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Runs passes until the outbox is empty (tests and shutdown). */
  async flush() {
    this.flushing++;
    try {
      while (this.running) await this.running;
      this.retryDue = true;
      this.kick();
      while (this.running) await this.running;
    } finally {
      this.flushing--;
    }
  }

  async stop() {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private async drain() {
    for (;;) {
      const n = await this.pass();
      if (n < BATCH) break;
    }
    if (this.retryDue) {
      this.retryDue = false;
      await this.retryFailures();
    }
  }

  /** Runs one processor on one event; a failure is recorded for that processor alone. */
  private async attempt(p: Processor, e: EventRow, attempts: number): Promise<boolean> {
    try {
      await p.process(e);
      return true;
    } catch (err) {
      const dead = attempts >= MAX_ATTEMPTS;
      this.log.error({ err, processor: p.name, event: e.id, attempts }, dead ? 'event processor failed for the last time' : 'event processor failed; will retry');
      const message = err instanceof Error ? err.message : String(err);
      await this.database.raw.query(
        `insert into event_failures (event_id, processor, workspace_id, attempts, last_error, next_attempt_at, dead_at)
         values ($1, $2, $3, $4, $5, now() + make_interval(secs => $6), case when $7 then now() end)
         on conflict (event_id, processor) do update
           set attempts = excluded.attempts, last_error = excluded.last_error, next_attempt_at = excluded.next_attempt_at,
               dead_at = excluded.dead_at, claimed_at = null`,
        [e.id, p.name, e.workspaceId, attempts, message.slice(0, 2000), nextAttemptDelay(attempts, this.retryBaseMs) / 1000, dead],
      );
      return false;
    }
  }

  /** Offers each due failure to its processor again (claimed like events, so one node takes each). */
  private async retryFailures() {
    const { rows } = await this.database.raw.query<Record<string, unknown>>(
      `with due as (
         update event_failures set claimed_at = now()
          where (event_id, processor) in (
            select event_id, processor from event_failures
             where dead_at is null and next_attempt_at <= now()
               and (claimed_at is null or claimed_at < now() - make_interval(secs => $2))
             order by next_attempt_at limit $1 for update skip locked)
          returning event_id, processor, attempts)
       select due.processor, due.attempts, e.id, e.seq, e.workspace_id, e.conversation_id, e.type, e.actor_member_id, e.actor_contact_id, e.data, e.cause, e.created_at
         from due join events e on e.id = due.event_id order by e.seq`,
      [BATCH, this.claimTimeoutS],
    );
    for (const r of rows) {
      const p = this.processors.find((x) => x.name === r.processor);
      const e = toEventRow(r);
      // A processor this node does not run (or no longer exists) leaves it to a node that does.
      if (!p) {
        await this.database.raw.query('update event_failures set claimed_at = null where event_id = $1 and processor = $2', [e.id, r.processor]);
        continue;
      }
      if (await this.attempt(p, e, Number(r.attempts) + 1)) {
        await this.database.raw.query('delete from event_failures where event_id = $1 and processor = $2', [e.id, p.name]);
      }
    }
  }

  private async pass(): Promise<number> {
    const { raw } = this.database;
    // One statement claims a batch atomically; a second marks it done after the
    // processors ran. Nothing holds a transaction open while processors work, so on
    // PGlite (one connection) they can use the database themselves.
    const { rows } = await raw.query<Record<string, unknown>>(
      `update events set claimed_at = now()
        where id in (select id from events
                      where dispatched_at is null
                        and (claimed_at is null or claimed_at < now() - make_interval(secs => $2))
                      order by seq limit $1 for update skip locked)
        returning id, seq, workspace_id, conversation_id, type, actor_member_id, actor_contact_id, data, cause, created_at`,
      [BATCH, this.claimTimeoutS],
    );
    const claimed = rows.map(toEventRow).sort((a, b) => a.seq - b.seq);
    // Processor by processor, each given the whole batch it handles in seq order: the order
    // of app.ts holds for every event (the SLA clock before the facts that read it), and a
    // processor's look-ups are made once per batch rather than once per event.
    // A processor that fails is recorded to be retried by itself; the event is done for
    // the others. A crash before the update below offers it again to all (they are idempotent).
    for (const p of this.processors) {
      const mine = claimed.filter((e) => p.handles(e));
      if (!mine.length) continue;
      if (p.processBatch && mine.length > 1) {
        try {
          await p.processBatch(mine);
          continue;
        } catch (err) {
          this.log.warn({ err, processor: p.name, events: mine.length }, 'a batch of events failed; offering them one by one');
        }
      }
      for (const e of mine) await this.attempt(p, e, 1);
    }
    if (claimed.length) {
      await raw.query('update events set dispatched_at = now() where id = any($1::uuid[])', [claimed.map((e) => e.id)]);
    }
    return claimed.length;
  }
}

function toEventRow(r: Record<string, unknown>): EventRow {
  return {
    id: r.id as string,
    seq: Number(r.seq),
    workspaceId: r.workspace_id as string,
    conversationId: (r.conversation_id as string | null) ?? null,
    type: r.type as string,
    actorMemberId: (r.actor_member_id as string | null) ?? null,
    actorContactId: (r.actor_contact_id as string | null) ?? null,
    actorSystem: (r.actor_system as EventRow['actorSystem']) ?? null,
    data: r.data as Record<string, unknown>,
    cause: (r.cause as EventRow['cause']) ?? null,
    createdAt: new Date(r.created_at as string),
    claimedAt: null,
    dispatchedAt: null,
  };
}

