import { and, eq, sql } from 'drizzle-orm';
import type { Actor, Role } from '../core/actor.js';
import { type Ctx, inTransaction } from '../core/context.js';
import { randomToken } from '../core/ids.js';
import { conversations } from '../db/schema/index.js';
import { backdate, settleBackdated } from '../domains/conversations/demo-history.js';
import { addAgentMessage, updateConversation } from '../domains/conversations/service.js';
import { ingest } from '../domains/conversations/ingest.js';
import { createInbox } from '../domains/inboxes/service.js';
import type { InboxCreateInput } from '../domains/inboxes/schema.js';
import { receiveEmail } from '../channels/email/receive.js';
import { LocalFileStore } from '../core/files/file-store.js';
import { createTeam } from '../domains/teams/service.js';
import { updateContact } from '../domains/contacts/service.js';
import { ensureMember, findWorkspaceByName } from '../domains/workspaces/service.js';
import { loadCatalogDemo } from './catalog-demo.js';
import { loadHelpCenterDemo } from './help-center-demo.js';

export const DEMO_WORKSPACE = 'Acme Outfitters';
export const DEMO_OWNER_EMAIL = 'owner@acme.test';

const PEOPLE: { email: string; name: string; role: Role }[] = [
  { email: DEMO_OWNER_EMAIL, name: 'Olivia Owner', role: 'owner' },
  { email: 'sam@acme.test', name: 'Sam Rivera', role: 'admin' },
  { email: 'priya@acme.test', name: 'Priya Patel', role: 'agent' },
  { email: 'lee@acme.test', name: 'Lee Chen', role: 'agent' },
  { email: 'dana@acme.test', name: 'Dana Brooks', role: 'light' },
];

interface DemoMessage {
  from: 'customer' | string;
  text: string;
  note?: boolean;
  hoursAgo: number;
}

interface DemoConversation {
  inbox: 'email' | 'chat' | 'social' | 'phone';
  contact: { name: string; email?: string; phone?: string; handle?: string; externalId?: string };
  subject: string;
  messages: DemoMessage[];
  status?: 'open' | 'pending' | 'on_hold' | 'solved';
  priority?: 'low' | 'normal' | 'high' | 'urgent';
  assignee?: string;
  team?: string;
  tags?: string[];
}

// Stories from STORIES.md, so the product is not empty and the demo shows what Heard is for.
const CONVERSATIONS: DemoConversation[] = [
  {
    inbox: 'email',
    contact: { name: 'Maya Johnson', email: 'maya.johnson@example.com' },
    subject: 'Your trail gum is the best thing on my hikes',
    messages: [{ from: 'customer', text: 'Just wanted to say: the spearmint trail gum got me through a 20-mile day. Thank you!', hoursAgo: 3 }],
    // The owner answers too (S7), and lands on "Mine" with work in it.
    assignee: DEMO_OWNER_EMAIL,
    tags: ['compliment'],
  },
  {
    inbox: 'email',
    contact: { name: 'Tom Becker', email: 'tom.becker@example.org' },
    subject: 'GPS unit keeps rebooting after firmware 4.2',
    messages: [
      { from: 'customer', text: 'Since updating to 4.2 my GPS reboots every 10 minutes. Logs attached in the next mail.', hoursAgo: 50 },
      { from: 'priya@acme.test', text: 'Thanks Tom, could you hold the power button for 10 s and tell me what the screen shows?', hoursAgo: 48 },
      { from: 'priya@acme.test', note: true, text: 'Factory reset did not help. Escalating to Level 2 with the logs.', hoursAgo: 30 },
      { from: 'customer', text: 'It shows "E-17" and then restarts. Still happening today.', hoursAgo: 5 },
    ],
    priority: 'high',
    team: 'Level 2',
    assignee: 'lee@acme.test',
    tags: ['firmware', 'escalated'],
  },
  {
    inbox: 'phone',
    contact: { name: 'Rosa Alvarez', phone: '+1 415 555 0134' },
    subject: 'Cello case delivered without wheels',
    messages: [
      { from: 'customer', text: 'Call: the cello case arrived but the wheel kit is missing.', hoursAgo: 26 },
      { from: 'sam@acme.test', note: true, text: 'Dispatched wheels kit, credited the option on the invoice.', hoursAgo: 25 },
    ],
    status: 'solved',
    assignee: 'sam@acme.test',
    tags: ['shipping'],
  },
  {
    inbox: 'chat',
    contact: { name: 'Visitor from Portland', email: 'jk@example.net' },
    subject: 'Do you have a brake pad for a 2009 Civic?',
    messages: [
      { from: 'customer', text: 'Do you have front brake pads for a 2009 Civic?', hoursAgo: 1 },
      { from: 'priya@acme.test', text: 'We do! The ceramic set fits, and it ships today.', hoursAgo: 0.9 },
    ],
    status: 'pending',
    assignee: 'priya@acme.test',
  },
  {
    inbox: 'social',
    contact: { name: '@hikerjess', handle: '@hikerjess', externalId: 'tw-48213' },
    subject: 'Tent pole snapped on day two',
    messages: [{ from: 'customer', text: 'Tent pole snapped on day two of my trip. Not happy. Photos in DM.', hoursAgo: 2 }],
    priority: 'urgent',
    tags: ['complaint', 'warranty'],
  },
  {
    inbox: 'email',
    contact: { name: 'Chris Park', email: 'chris@parkfloors.example' },
    subject: 'Which underlay for a basement floor?',
    messages: [{ from: 'customer', text: 'Planning a basement floor, 40 m². Which underlay do you recommend, and do I need the premium one?', hoursAgo: 7 }],
    team: 'Sales',
    tags: ['pre-sales'],
  },
  {
    inbox: 'email',
    contact: { name: 'Helen Ward', email: 'helen.ward@example.com' },
    subject: 'General question about your company',
    messages: [{ from: 'customer', text: 'Who makes your boots, and where? I care about where things are made.', hoursAgo: 20 }],
    assignee: DEMO_OWNER_EMAIL,
  },
  {
    inbox: 'email',
    contact: { name: 'Justin Moore', email: 'justin.moore@example.com' },
    subject: 'App update failed',
    messages: [
      { from: 'customer', text: 'The app update failed on my phone.', hoursAgo: 30 },
      { from: 'lee@acme.test', text: 'Sorry about that! Which phone and OS version, and what does the error say?', hoursAgo: 29 },
      { from: 'customer', text: 'iPhone 13, iOS 18.1, it says "Unable to install".', hoursAgo: 10 },
    ],
    status: 'open',
    assignee: 'lee@acme.test',
    tags: ['app'],
  },
  {
    inbox: 'chat',
    contact: { name: 'Ari Cohen', email: 'ari.cohen@example.com' },
    subject: 'Return label request',
    messages: [
      { from: 'customer', text: 'Can I get a return label for the jacket? Wrong size.', hoursAgo: 80 },
      { from: 'sam@acme.test', text: 'Keep it, or pass it on to a friend. We have sent the right size, on us.', hoursAgo: 79 },
    ],
    status: 'solved',
    assignee: 'sam@acme.test',
    tags: ['goodwill'],
  },
  {
    inbox: 'social',
    contact: { name: '@trailrunner_ben', handle: '@trailrunner_ben', externalId: 'tw-99120' },
    subject: 'Love the new shoes',
    messages: [{ from: 'customer', text: 'New trail shoes are amazing, 200 km and still grippy. Thanks @acme!', hoursAgo: 12 }],
    tags: ['compliment'],
  },
];

/**
 * Loads the demo workspace through the same services the API uses. Idempotent: when
 * the workspace exists nothing is written and `created` is false.
 */
export async function loadDemo(ctx: Ctx): Promise<{ created: boolean; email: string; password?: string; workspaceId: string }> {
  const existing = await findWorkspaceByName(ctx.db, DEMO_WORKSPACE);
  if (existing) return { created: false, email: DEMO_OWNER_EMAIL, workspaceId: existing.id };

  // A random password, shown once: a demo reachable on a network must not have a known one.
  const password = randomToken('', 12);
  const byEmail = new Map<string, Actor>();
  for (const p of PEOPLE) {
    const { member, workspace } = await inTransaction(ctx, (tx) =>
      ensureMember(tx, { workspaceName: DEMO_WORKSPACE, email: p.email, name: p.name, role: p.role, password }),
    );
    byEmail.set(p.email, { workspaceId: workspace.id, memberId: member.id, userId: member.userId, role: member.role, via: 'session', scopes: ['read', 'write', 'admin'] });
  }
  const owner = byEmail.get(DEMO_OWNER_EMAIL)!;
  const teamIds = new Map<string, string>();
  for (const [name, emails] of [
    ['Support', ['priya@acme.test', 'lee@acme.test', 'sam@acme.test']],
    ['Level 2', ['lee@acme.test']],
    ['Sales', ['sam@acme.test']],
  ] as const) {
    const t = await inTransaction(ctx, (tx) => createTeam(tx, owner, { name, memberIds: emails.map((e) => byEmail.get(e)!.memberId) }));
    teamIds.set(name, t.id);
  }
  const support = teamIds.get('Support');
  const inboxSpecs = {
    email: { name: 'Support email', channel: 'email', address: 'support@acme.test', teamId: support },
    chat: { name: 'Website chat', channel: 'widget', teamId: support },
    social: { name: 'Social on X', channel: 'api', callbackUrl: 'https://social-bridge.acme.test/heard', network: 'x' },
    phone: { name: 'Phone', channel: 'phone', teamId: support },
  } as const satisfies Record<DemoConversation['inbox'], InboxCreateInput>;
  const inboxIds = {} as Record<DemoConversation['inbox'], string>;
  for (const [key, spec] of Object.entries(inboxSpecs) as [DemoConversation['inbox'], InboxCreateInput][]) {
    inboxIds[key] = (await inTransaction(ctx, (tx) => createInbox(tx, owner, spec))).id;
  }

  let seq = 0;
  for (const c of CONVERSATIONS) {
    const [first, ...rest] = c.messages;
    const r = await ingest(ctx, {
      workspaceId: owner.workspaceId,
      inboxId: inboxIds[c.inbox],
      contact: c.contact,
      subject: c.subject,
      text: first.text,
      externalId: `demo-${++seq}`,
    });
    await backdate(ctx.db, r.messageId, first.hoursAgo);
    for (const m of rest) {
      if (m.from === 'customer') {
        const next = await ingest(ctx, { workspaceId: owner.workspaceId, inboxId: inboxIds[c.inbox], contact: c.contact, text: m.text, externalId: `demo-${++seq}`, conversationId: r.conversationId });
        await backdate(ctx.db, next.messageId, m.hoursAgo);
      } else {
        const author = byEmail.get(m.from)!;
        const sent = await inTransaction(ctx, (tx) => addAgentMessage(tx, { ...author, role: 'owner' }, r.conversationId, { text: m.text, kind: m.note ? 'note' : 'reply' }));
        await backdate(ctx.db, sent.id, m.hoursAgo);
      }
    }
    const assigneeId = c.assignee ? byEmail.get(c.assignee)!.memberId : undefined;
    await inTransaction(ctx, (tx) =>
      updateConversation(tx, owner, r.conversationId, {
        status: c.status,
        priority: c.priority,
        assigneeId,
        teamId: c.team ? teamIds.get(c.team) : undefined,
        tags: c.tags,
      }),
    );
    await settleBackdated(ctx.db, r.conversationId);
  }
  // One e-mail as it really arrives (HTML, a quoted history, a signature), through the email channel.
  const mail = await receiveEmail(ctx, new LocalFileStore(`${ctx.config.dataDir}/files`), { inboxId: inboxIds.email, raw: Buffer.from(DEMO_EMAIL), source: 'http' });
  if (mail.messageId && mail.conversationId) {
    await backdate(ctx.db, mail.messageId, 1);
    await settleBackdated(ctx.db, mail.conversationId);
  }

  const [tom] = await ctx.db
    .select({ contactId: conversations.contactId })
    .from(conversations)
    .where(and(eq(conversations.workspaceId, owner.workspaceId), sql`${conversations.subject} like 'GPS%'`));
  const tomId = tom?.contactId;
  if (tomId) {
    await inTransaction(ctx, (tx) => updateContact(tx, owner, tomId, { company: 'Becker Surveying', attributes: { plan: 'Pro', device: 'TrailNav X2' } }));
  }
  await loadHelpCenterDemo(ctx, byEmail);
  await loadCatalogDemo(ctx, owner);
  return { created: true, email: DEMO_OWNER_EMAIL, password, workspaceId: owner.workspaceId };
}

const DEMO_EMAIL = [
  'From: Rosa Diaz <rosa.diaz@example.com>',
  'To: Acme Support <support@acme.test>',
  'Subject: Re: Order #48213: the zipper on my jacket',
  'Date: Mon, 23 Nov 2026 09:12:00 +0100',
  'Message-ID: <CAF4demo.48213.rosa@mail.example.com>',
  'MIME-Version: 1.0',
  'Content-Type: multipart/alternative; boundary="demo-alt"',
  '',
  '--demo-alt',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'Hi again,',
  '',
  'The replacement zipper pull you sent broke too, after two days. Could you send a new',
  'jacket instead? I am leaving for a trek on Saturday.',
  '',
  'Thanks,',
  'Rosa',
  '',
  'On Fri, 20 Nov 2026 at 16:40, Acme Support <support@acme.test> wrote:',
  '> Hi Rosa, we are sorry about the zipper. A replacement pull is on its way.',
  '--demo-alt',
  'Content-Type: text/html; charset=utf-8',
  '',
  '<div dir="ltr"><p>Hi again,</p><p>The replacement zipper pull you sent broke too, after two days. Could you send a <b>new jacket</b> instead? I am leaving for a trek on Saturday.</p><p>Thanks,<br>Rosa</p></div>',
  '<div class="gmail_quote"><div class="gmail_attr">On Fri, 20 Nov 2026 at 16:40, Acme Support &lt;support@acme.test&gt; wrote:</div>',
  '<blockquote class="gmail_quote"><p>Hi Rosa, we are sorry about the zipper. A replacement pull is on its way.</p></blockquote></div>',
  '--demo-alt--',
  '',
].join('\r\n');

