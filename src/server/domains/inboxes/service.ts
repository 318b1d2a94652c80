import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { imapStates, inboxes, teams } from '../../db/schema/index.js';
import { type Actor, canAdminister } from '../../core/actor.js';
import { findCalendar } from '../../core/business-hours/service.js';
import { Conflict, Invalid, NotFound } from '../../core/errors.js';
import { randomToken } from '../../core/ids.js';
import { refusedHost } from '../../core/net/outbound-guard.js';
import { recordAudit } from '../audit/service.js';
import {
  type EmailSettings,
  type InboxCreate,
  type InboxCreateInput,
  InboxCreateSchema,
  type InboxUpdate,
  type SatisfactionSettings,
  SatisfactionSettingsSchema,
  SURVEY_CHANNELS,
  type WidgetSettings,
} from './schema.js';

export type Inbox = typeof inboxes.$inferSelect;
type ImapState = Pick<typeof imapStates.$inferSelect, 'lastPolledAt' | 'lastError'>;

/** Where IMAP polling of these inboxes stands, for their settings page. */
export async function imapStatesOf(db: Executor, ids: string[]): Promise<Map<string, ImapState>> {
  if (!ids.length) return new Map();
  const rows = await db.select().from(imapStates).where(inArray(imapStates.inboxId, ids));
  return new Map(rows.map((r) => [r.inboxId, r]));
}

/** What leaves the server: secrets only for admins acting with the admin scope (not through a read-only token). */
export function presentInbox(i: Inbox, actor: Pick<Actor, 'role' | 'scopes'>, imapState?: ImapState) {
  return {
    id: i.id,
    name: i.name,
    channel: i.channel,
    teamId: i.teamId,
    callbackUrl: i.config.callbackUrl,
    network: i.channel === 'api' && typeof i.config.network === 'string' ? i.config.network : undefined,
    address: typeof i.config.address === 'string' ? i.config.address : undefined,
    signingSecret: canAdminister(actor) ? i.config.signingSecret : undefined,
    email: i.channel === 'email' ? presentEmailSettings(i.config as unknown as EmailSettings, imapState) : undefined,
    widget: i.channel === 'widget' ? presentWidgetSettings(i.config as unknown as WidgetConfig, canAdminister(actor)) : undefined,
    satisfaction: sendsSurveys(i) ? satisfactionSettingsOf(i) : undefined,
    archived: i.archivedAt !== null,
    createdAt: i.createdAt,
  };
}

const sendsSurveys = (i: Pick<Inbox, 'channel'>) => (SURVEY_CHANNELS as readonly string[]).includes(i.channel);

/** The inbox's satisfaction survey settings, with their defaults (off, an hour after solving) where none are stored. */
export function satisfactionSettingsOf(i: Pick<Inbox, 'channel' | 'config'>): SatisfactionSettings {
  if (!sendsSurveys(i)) return { enabled: false, delayMinutes: 60 };
  const parsed = SatisfactionSettingsSchema.safeParse(i.config.satisfaction ?? {});
  return parsed.success ? parsed.data : { enabled: false, delayMinutes: 60 };
}

/** An email inbox's settings as the settings page shows them: passwords never leave the server. */
function presentEmailSettings(s: EmailSettings, state?: ImapState) {
  const { password: smtpPassword, ...smtp } = s.smtp ?? ({} as NonNullable<EmailSettings['smtp']>);
  const { password: imapPassword, ...imap } = s.imap ?? ({} as NonNullable<EmailSettings['imap']>);
  return {
    address: s.address,
    displayName: s.displayName,
    signature: s.signature,
    smtp: s.smtp ? { ...smtp, hasPassword: Boolean(smtpPassword) } : null,
    imap: s.imap ? { ...imap, hasPassword: Boolean(imapPassword), lastPolledAt: state?.lastPolledAt ?? null, lastError: state?.lastError ?? null } : null,
    autoAck: s.autoAck,
  };
}

type WidgetConfig = WidgetSettings & { publicKey: string; identitySecret: string };

/** A widget inbox's settings; the identity-verification secret only for admins. */
function presentWidgetSettings(c: WidgetConfig, admin: boolean) {
  const { identitySecret, ...rest } = c;
  return { ...rest, identitySecret: admin ? identitySecret : undefined };
}

/** New e-mail settings over the stored ones; a password left out keeps the stored one. */
function mergeEmailSettings(stored: EmailSettings, patch: Partial<EmailSettings>): EmailSettings {
  const next: EmailSettings = { ...stored, ...patch };
  if (patch.address) next.address = patch.address.toLowerCase();
  if (patch.smtp && patch.smtp.password === undefined && stored.smtp?.password) next.smtp = { ...patch.smtp, password: stored.smtp.password };
  if (patch.imap && patch.imap.password === undefined && stored.imap?.password) next.imap = { ...patch.imap, password: stored.imap.password };
  return next;
}

/** The unique index on e-mail addresses turned into a 409 that names the field. */
async function claimingAddress<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    const e = err as { code?: string; constraint?: string; cause?: { code?: string; constraint?: string } };
    const code = e.code ?? e.cause?.code;
    if (code === '23505') throw new Conflict('address is already the address of another inbox');
    throw err;
  }
}

async function checkTeam(db: Executor, workspaceId: string, teamId: string | null | undefined) {
  if (!teamId) return;
  const [t] = await db.select().from(teams).where(and(eq(teams.id, teamId), eq(teams.workspaceId, workspaceId)));
  if (!t) throw new Invalid('teamId', 'no such team');
}

/** A widget's answers by e-mail leave through an e-mail inbox of its own workspace, and no other. */
async function checkEmailInbox(db: Executor, workspaceId: string, emailInboxId: string | null | undefined, field: string) {
  if (!emailInboxId) return;
  const [i] = await db
    .select({ id: inboxes.id })
    .from(inboxes)
    .where(and(eq(inboxes.id, emailInboxId), eq(inboxes.workspaceId, workspaceId), eq(inboxes.channel, 'email')));
  if (!i) throw new Invalid(field, 'is not an e-mail inbox of this workspace');
}

/** A widget is open in a business-hours calendar of its own workspace, and no other. */
async function checkBusinessHours(db: Executor, workspaceId: string, businessHoursId: string | null | undefined, field: string) {
  if (businessHoursId && !(await findCalendar(db, workspaceId, businessHoursId))) throw new Invalid(field, 'is not a business-hours calendar of this workspace');
}

/** The names of the workspace's widget inboxes (archived ones too: they may come back) open in a calendar, which may then not be deleted. */
export async function widgetsOpenIn(db: Executor, workspaceId: string, businessHoursId: string) {
  const rows = await db
    .select({ name: inboxes.name })
    .from(inboxes)
    .where(and(eq(inboxes.workspaceId, workspaceId), eq(inboxes.channel, 'widget'), sql`${inboxes.config}->>'businessHoursId' = ${businessHoursId}`))
    .orderBy(asc(inboxes.name));
  return rows.map((r) => r.name);
}

/**
 * A callback that plainly points inside the network is refused when the inbox is saved,
 * not days later after every retry failed. (Names are checked again at each delivery,
 * after DNS, by the outbound guard.)
 */
function checkCallbackUrl(url: string | undefined, allowPrivate: boolean) {
  if (!url || allowPrivate) return;
  if (refusedHost(new URL(url).hostname)) {
    throw new Invalid('callbackUrl', 'points to a private or loopback address; Heard only calls public addresses (HEARD_ALLOW_PRIVATE_WEBHOOKS=1 lifts this)');
  }
}

/** The same for an inbox's own mail servers: "check connection" must not map the network Heard runs in. */
function checkMailHosts(settings: Partial<Pick<EmailSettings, 'smtp' | 'imap'>>, prefix: string, allowPrivate: boolean) {
  if (allowPrivate) return;
  for (const kind of ['smtp', 'imap'] as const) {
    const host = settings[kind]?.host;
    const refused = host && refusedHost(host);
    if (refused) throw new Invalid(`${prefix}${kind}.host`, `${refused}; Heard only connects to public mail servers (HEARD_ALLOW_PRIVATE_WEBHOOKS=1 lifts this)`);
  }
}

export async function createInbox(tx: Executor, actor: Actor, given: InboxCreateInput, allowPrivate = false) {
  // Callers other than the route (demo, tests) get the same defaults and checks.
  const input: InboxCreate = InboxCreateSchema.parse(given);
  await checkTeam(tx, actor.workspaceId, input.teamId);
  if (input.channel === 'api') checkCallbackUrl(input.callbackUrl, allowPrivate);
  const config: Inbox['config'] = {};
  if (input.channel === 'api') Object.assign(config, { callbackUrl: input.callbackUrl, signingSecret: randomToken('whsec_', 24) }, input.network ? { network: input.network } : {});
  if (input.channel === 'widget') {
    const { name: _n, channel: _c, teamId: _t, ...settings } = input;
    await checkTeam(tx, actor.workspaceId, settings.showTeamId);
    await checkEmailInbox(tx, actor.workspaceId, settings.emailInboxId, 'emailInboxId');
    await checkBusinessHours(tx, actor.workspaceId, settings.businessHoursId, 'businessHoursId');
    Object.assign(config, settings, { publicKey: randomToken('pk_', 16), identitySecret: randomToken('wsec_', 24) });
  }
  if (input.channel === 'email') {
    const { name: _n, channel: _c, teamId: _t, ...settings } = input;
    checkMailHosts(settings, '', allowPrivate);
    Object.assign(config, mergeEmailSettings({ address: input.address }, settings));
  }
  const [row] = await claimingAddress(() =>
    tx.insert(inboxes).values({ workspaceId: actor.workspaceId, name: input.name, channel: input.channel, teamId: input.teamId ?? null, config }).returning(),
  );
  await recordAudit(tx, actor, { action: 'inbox.create', targetType: 'inbox', targetId: row.id, data: { name: row.name, channel: row.channel } });
  return row;
}

export async function listInboxes(db: Executor, actor: Pick<Actor, 'workspaceId'>) {
  return db.select().from(inboxes).where(eq(inboxes.workspaceId, actor.workspaceId)).orderBy(asc(inboxes.name));
}

export async function getInbox(db: Executor, actor: Pick<Actor, 'workspaceId'>, id: string) {
  const [row] = await db.select().from(inboxes).where(and(eq(inboxes.id, id), eq(inboxes.workspaceId, actor.workspaceId)));
  if (!row) throw new NotFound('Inbox');
  return row;
}

export async function updateInbox(tx: Executor, actor: Actor, id: string, input: InboxUpdate, allowPrivate = false) {
  const inbox = await getInbox(tx, actor, id);
  checkCallbackUrl(input.callbackUrl, allowPrivate);
  await checkTeam(tx, actor.workspaceId, input.teamId);
  if (input.callbackUrl !== undefined && inbox.channel !== 'api') throw new Invalid('callbackUrl', 'only API channel inboxes have a callback URL');
  const patch: Partial<typeof inboxes.$inferInsert> = {};
  if (input.name !== undefined) patch.name = input.name;
  if (input.teamId !== undefined) patch.teamId = input.teamId;
  if (input.archived !== undefined) patch.archivedAt = input.archived ? new Date() : null;
  if (input.network !== undefined && inbox.channel !== 'api') throw new Invalid('network', 'only API channel inboxes name a network');
  if (input.callbackUrl !== undefined) patch.config = { ...inbox.config, callbackUrl: input.callbackUrl };
  if (input.network !== undefined) {
    const { network: _old, ...rest } = patch.config ?? inbox.config;
    patch.config = input.network === null ? rest : { ...rest, network: input.network };
  }
  if (input.widget !== undefined) {
    if (inbox.channel !== 'widget') throw new Invalid('widget', 'only widget inboxes have widget settings');
    await checkTeam(tx, actor.workspaceId, input.widget.showTeamId);
    await checkEmailInbox(tx, actor.workspaceId, input.widget.emailInboxId, 'widget.emailInboxId');
    await checkBusinessHours(tx, actor.workspaceId, input.widget.businessHoursId, 'widget.businessHoursId');
    patch.config = { ...inbox.config, ...input.widget };
  }
  if (input.email !== undefined) {
    if (inbox.channel !== 'email') throw new Invalid('email', 'only email inboxes have e-mail settings');
    checkMailHosts(input.email, 'email.', allowPrivate);
    patch.config = { ...inbox.config, ...mergeEmailSettings(inbox.config as unknown as EmailSettings, input.email) };
  }
  if (input.satisfaction !== undefined) {
    if (!sendsSurveys(inbox)) throw new Invalid('satisfaction', 'only e-mail, widget and portal inboxes send satisfaction surveys');
    patch.config = { ...(patch.config ?? inbox.config), satisfaction: { ...satisfactionSettingsOf(inbox), ...input.satisfaction } };
  }
  const [row] = await claimingAddress(() => tx.update(inboxes).set(patch).where(eq(inboxes.id, id)).returning());
  // Passwords stay out of the audit log.
  const audited = input.email ? { ...input, email: { ...input.email, smtp: input.email.smtp && { ...input.email.smtp, password: undefined }, imap: input.email.imap && { ...input.email.imap, password: undefined } } } : input;
  await recordAudit(tx, actor, { action: 'inbox.update', targetType: 'inbox', targetId: id, data: audited });
  return row;
}

/** Replaces the callback signing secret; the old one stops working at once. */
export async function rotateInboxSecret(tx: Executor, actor: Actor, id: string) {
  const inbox = await getInbox(tx, actor, id);
  if (inbox.channel !== 'api' && inbox.channel !== 'widget') throw new Invalid('channel', 'only API channel and widget inboxes have a secret');
  const fresh = inbox.channel === 'api' ? { signingSecret: randomToken('whsec_', 24) } : { identitySecret: randomToken('wsec_', 24) };
  const [row] = await tx
    .update(inboxes)
    .set({ config: { ...inbox.config, ...fresh } })
    .where(eq(inboxes.id, id))
    .returning();
  await recordAudit(tx, actor, { action: 'inbox.rotate_secret', targetType: 'inbox', targetId: id });
  return row;
}
