import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../../db/client.js';
import type { EventRow } from './record-event.js';

/** A named consumer of committed events. The list of processors is explicit (app.ts). */
export interface Processor {
  name: string;
  handles(e: EventRow): boolean;
  process(e: EventRow): Promise<void>;
}

const BATCH = 200;
const CLAIM_TIMEOUT_S = 60;

/**
 * Delivers committed events from the outbox to the processors, at least once.
 * Any node may run it: rows are claimed with FOR UPDATE SKIP LOCKED, so two
 * dispatchers never take the same event, and a crash before the claim's commit
 * leaves the events for the next pass.
 */
export class Dispatcher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  // Until start(), kicks are ignored: the job queue may not exist yet (demo loading at boot).
  private stopped = true;

  constructor(
    private readonly database: Database,
    private readonly processors: Processor[],
    private readonly log: FastifyBaseLogger,
    private readonly pollMs = 1000,
    private readonly claimTimeoutS = CLAIM_TIMEOUT_S,
  ) {}

  start() {
    this.stopped = false;
    const loop = () => {
      if (this.stopped) return;
      this.kick();
      this.timer = setTimeout(loop, this.pollMs);
      this.timer.unref();
    };
    loop();
  }

  /** Runs a pass now, or right after the one in progress. */
  kick() {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((err) => this.log.error({ err }, 'event dispatch failed'))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Runs passes until the outbox is empty (tests and shutdown). */
  async flush() {
    while (this.running) await this.running;
    this.kick();
    while (this.running) await this.running;
  }

  async stop() {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private async drain() {
    for (;;) {
      const n = await this.pass();
      if (n < BATCH) return;
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
        returning id, seq, workspace_id, conversation_id, type, actor_member_id, actor_contact_id, data, created_at`,
      [BATCH, this.claimTimeoutS],
    );
    const claimed = rows.map(toEventRow).sort((a, b) => a.seq - b.seq);
    const done: string[] = [];
    for (const e of claimed) {
      let ok = true;
      for (const p of this.processors) {
        if (!p.handles(e)) continue;
        try {
          await p.process(e);
        } catch (err) {
          // One processor's failure must not hold up the others. The event stays claimed
          // but undispatched, so it is offered again once the claim times out: processors
          // are idempotent, and a reply whose job could not be queued is not stranded.
          ok = false;
          this.log.error({ err, processor: p.name, event: e.id }, 'event processor failed; will retry');
        }
      }
      if (ok) done.push(e.id);
    }
    if (done.length) {
      await raw.query('update events set dispatched_at = now() where id = any($1::uuid[])', [done]);
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
    data: r.data as Record<string, unknown>,
    createdAt: new Date(r.created_at as string),
    claimedAt: null,
    dispatchedAt: null,
  };
}

