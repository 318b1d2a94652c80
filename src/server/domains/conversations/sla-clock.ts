import { and, eq, getTableColumns, inArray, isNotNull, notInArray, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Executor } from '../../db/client.js';
import { conversations, SLA_TARGETS, type SlaTarget } from '../../db/schema/index.js';
import type { Ctx } from '../../core/context.js';
import type { Processor } from '../../core/events/dispatcher.js';
import { conversationHistory, type EventRow, recordEvent } from '../../core/events/record-event.js';
import { eventActor, systemActor } from '../../core/actor.js';
import { readEvent } from '../../core/events/types.js';
import { defineJob, type Jobs } from '../../core/jobs/queue.js';
import { computeSla, type SlaFact } from '../sla/compute-sla.js';
import { contactAttributes } from '../contacts/service.js';
import { applicableSlaPolicy, claimSlaAlert, getSlaPolicyRow, slaPolicyExists, warnBeforeMinutes } from '../sla/service.js';

/** The events that can move a conversation's SLA: what it is (policy conditions) and what happened (the clocks). */
const SLA_EVENT_TYPES = ['conversation.created', 'conversation.updated', 'message.created', 'message.delivery'] as const;
const SLA_EVENTS = new Set<string>(SLA_EVENT_TYPES);

/** A stored event as a fact for the clocks, or undefined for one that does not move them. */
function toFact(e: { type: string; data: unknown; createdAt: Date }): SlaFact | undefined {
  const t = readEvent(e);
  const at = e.createdAt;
  if (t?.type === 'conversation.created') return { at, kind: 'created' };
  if (t?.type === 'message.created') {
    if (t.data.direction === 'in') return { at, kind: 'customer' };
    // An automatic acknowledgement answers nobody; a scheduled reply counts when it goes out.
    if (t.data.direction === 'out' && !t.data.autoAck && t.data.deliveryStatus !== 'scheduled') return { at, kind: 'reply' };
  }
  if (t?.type === 'message.delivery' && 'messageId' in t.data && t.data.scheduled && t.data.deliveryStatus === 'queued') return { at, kind: 'reply' };
  if (t?.type === 'conversation.updated') {
    const to = t.data.changes.status?.to;
    if (to === 'open' || to === 'pending' || to === 'on_hold' || to === 'solved' || to === 'closed') return { at, kind: 'status', to };
  }
  return undefined;
}

/** A warning or breach to check at its time. */
interface Alarm {
  target: SlaTarget;
  kind: 'warning' | 'breached';
  at: Date;
  dueAt: string;
}

/**
 * Recomputes a conversation's SLA from its policy and its whole timeline, under a lock on
 * the conversation: the result depends only on what is stored, so it may run any number
 * of times, on any node, in any order, and ends the same. Returns the alarms to schedule.
 */
export async function recomputeSla(tx: Executor, conversationId: string): Promise<Alarm[]> {
  const [c] = await tx
    .select({ ...getTableColumns(conversations), anyPolicy: slaPolicyExists(sql`"conversations"."workspace_id"`) })
    .from(conversations)
    .where(eq(conversations.id, conversationId))
    .for('update', { of: conversations });
  if (!c) return [];
  // No policy could apply, and none did: nothing to compute or clear.
  if (!c.anyPolicy && !c.slaPolicyId && !c.sla) return [];
  const applied = c.mergedIntoId ? null : await applicableSlaPolicy(tx, { ...c, contactAttributes: await contactAttributes(tx, c.contactId) });
  if (!applied) {
    if (c.slaPolicyId || c.sla) {
      await tx
        .update(conversations)
        .set({ slaPolicyId: null, sla: null, firstResponseDueAt: null, nextResponseDueAt: null, resolutionDueAt: null, slaPausedAt: null, slaDueAt: null })
        .where(eq(conversations.id, c.id));
    }
    return [];
  }
  const history = await conversationHistory(tx, c.id, SLA_EVENT_TYPES);
  const { state, pausedAt } = computeSla(applied.clocks, history.map(toFact).filter((f) => f !== undefined));
  const due = (t: SlaTarget) => (state[t]?.dueAt ? new Date(state[t].dueAt) : null);
  const warnAt = (t: SlaTarget) => new Date(due(t)!.getTime() - warnBeforeMinutes(applied.policy, applied.policy.targets[t]!) * 60_000);
  for (const t of SLA_TARGETS) if (due(t)) state[t]!.warnAt = warnAt(t).toISOString();
  const running = SLA_TARGETS.map(due).filter((d) => d !== null);
  await tx
    .update(conversations)
    .set({
      slaPolicyId: applied.policy.id,
      sla: state,
      firstResponseDueAt: due('firstResponse'),
      nextResponseDueAt: due('nextResponse'),
      resolutionDueAt: due('resolution'),
      slaPausedAt: pausedAt,
      slaDueAt: running.length ? new Date(Math.min(...running.map((d) => d.getTime()))) : null,
    })
    .where(eq(conversations.id, c.id));
  return SLA_TARGETS.flatMap((target): Alarm[] => {
    const d = due(target);
    if (!d) return [];
    return [
      { target, kind: 'warning', at: warnAt(target), dueAt: d.toISOString() },
      { target, kind: 'breached', at: d, dueAt: d.toISOString() },
    ];
  });
}

export const SlaCheckPayload = z.object({ conversationId: z.uuid(), target: z.enum(SLA_TARGETS), kind: z.enum(['warning', 'breached']), dueAt: z.string().max(40), at: z.string().max(40) });

/** At a warning's or a due time: records sla.warning or sla.breached once, if the target is still unmet and due then. */
export const slaCheckJob = defineJob({
  name: 'sla-check',
  schema: SlaCheckPayload,
  handler: async () => checkSla,
  expireInSeconds: 60,
});

async function checkSla(ctx: Ctx, payload: z.infer<typeof SlaCheckPayload>, jobs: Jobs) {
  const early = await ctx.db.transaction(async (tx) => {
    const [c] = await tx.select().from(conversations).where(eq(conversations.id, payload.conversationId)).for('update');
    const target = c?.sla?.[payload.target];
    // Met, paused, or due at another time now (that time has its own job): nothing to say.
    if (!c || !c.slaPolicyId || target?.status !== 'running' || target.dueAt !== payload.dueAt) return false;
    const now = Date.now();
    if (new Date(payload.at).getTime() > now + 1000) return true;
    // A warning that comes when the target is already due would only repeat the breach.
    if (payload.kind === 'warning' && new Date(payload.dueAt).getTime() <= now) return false;
    if (!(await claimSlaAlert(tx, { conversationId: c.id, target: payload.target, kind: payload.kind, cycleStartedAt: new Date(target.startedAt) }))) return false;
    const policy = await getSlaPolicyRow(tx, c, c.slaPolicyId);
    await recordEvent(tx, {
      workspaceId: c.workspaceId,
      conversationId: c.id,
      type: payload.kind === 'warning' ? 'sla.warning' : 'sla.breached',
      ...eventActor(systemActor.sla(c.workspaceId)),
      data: { target: payload.target, dueAt: payload.dueAt, policyId: policy.id, policyName: policy.name },
    });
    return false;
  });
  if (early) await jobs.send(slaCheckJob, payload, { startAfter: new Date(payload.at) });
  else ctx.kick();
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The conversations an event may move: its own, or a changed contact's unfinished ones (a policy may look at its attributes). */
async function affected(ctx: Ctx, e: EventRow): Promise<string[]> {
  if (e.conversationId && SLA_EVENTS.has(e.type)) return [e.conversationId];
  const t = readEvent(e);
  if (t?.type !== 'contact.updated' || !UUID.test(t.data.contactId)) return [];
  const rows = await ctx.db
    .select({ id: conversations.id })
    .from(conversations)
    .where(and(eq(conversations.workspaceId, e.workspaceId), eq(conversations.contactId, t.data.contactId), notInArray(conversations.status, ['solved', 'closed'])));
  return rows.map((r) => r.id);
}

/** Keeps each conversation's SLA due times current after every event that can move them, and schedules their warnings and breaches. */
export function slaProcessor(ctx: Ctx, jobs: Jobs): Processor {
  const batch = async (events: EventRow[]) => {
    // A conversation's SLA is computed from its whole timeline: once per batch is enough,
    // however many of its events the batch holds. One read leaves out those no policy can apply to.
    const ids = new Set<string>();
    for (const e of events) for (const id of await affected(ctx, e)) ids.add(id);
    for (const conversationId of await slaCandidates(ctx.db, [...ids])) {
      const alarms = await ctx.db.transaction((tx) => recomputeSla(tx, conversationId));
      for (const a of alarms) {
        const payload = { conversationId, target: a.target, kind: a.kind, dueAt: a.dueAt, at: a.at.toISOString() };
        await jobs.send(slaCheckJob, payload, { startAfter: a.at, singletonKey: `sla:${conversationId}:${a.target}:${a.kind}:${a.dueAt}` });
      }
    }
  };
  return {
    name: 'sla',
    handles: (e) => (e.conversationId !== null && SLA_EVENTS.has(e.type)) || e.type === 'contact.updated',
    process: (e) => batch([e]),
    processBatch: batch,
  };
}

/**
 * Those of the conversations whose SLA recomputeSla could change: one that has a policy or
 * targets now, or whose workspace has a policy. The same test recomputeSla makes under the
 * lock, made here for the whole batch at once, so that a workspace without policies costs one read.
 */
async function slaCandidates(db: Executor, ids: string[]): Promise<string[]> {
  if (!ids.length) return [];
  const rows = await db
    .select({ id: conversations.id })
    .from(conversations)
    .where(and(inArray(conversations.id, ids), or(isNotNull(conversations.slaPolicyId), isNotNull(conversations.sla), slaPolicyExists(sql`"conversations"."workspace_id"`))));
  const wanted = new Set(rows.map((r) => r.id));
  return ids.filter((id) => wanted.has(id));
}
