/**
 * Domains own their tables: only the owner's files import them from db/schema; everyone else
 * calls the owner's service functions. Every table is exported from src/server/db/schema/index.ts,
 * so a path rule (no-restricted-imports) cannot tell one table from another: this check reads
 * each import of db/schema with TypeScript's parser and compares the names to OWNERS.
 *
 *   npx tsx scripts/check-table-imports.ts      (run by `npm run lint`)
 *
 * Tests are exempt (they look at rows to prove behaviour), and so is src/server/db itself.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const root = path.resolve(import.meta.dirname, '..');
const server = path.join(root, 'src/server');
const schemaDir = path.join(server, 'db/schema');

/** The folders (under src/server) whose files may import each schema file's tables; a table listed by name overrides its file. */
const OWNERS: Record<string, string[]> = {
  'canned-responses.ts': ['domains/canned-responses'],
  'contacts.ts': ['domains/contacts'],
  'conversations.ts': ['domains/conversations'],
  events: ['core/events'],
  eventFailures: ['core/events'],
  attachments: ['domains/attachments', 'domains/conversations'],
  'custom-fields.ts': ['domains/custom-fields'],
  'topics.ts': ['domains/topics'],
  'email.ts': ['channels/email'],
  'help-center.ts': ['helpcenter', 'domains/help-center', 'domains/knowledge-base', 'domains/community'],
  'inboxes.ts': ['domains/inboxes'],
  'invites.ts': ['domains/members'],
  'tags.ts': ['domains/tags'],
  'rules.ts': ['domains/rules'],
  'saved-views.ts': ['domains/saved-views'],
  'service-levels.ts': ['domains/sla'],
  'satisfaction.ts': ['domains/satisfaction'],
  'reports.ts': ['domains/reports'],
  'feedback.ts': ['domains/feedback'],
  'webhooks.ts': ['domains/webhooks'],

  'goodwill.ts': ['domains/goodwill'],
  'business-events.ts': ['domains/business-events'],
  'outreach.ts': ['domains/outreach'],
  'catalog.ts': ['domains/catalog'],
  businessHours: ['core/business-hours'],
  'widget.ts': ['channels/widget'],
  workspaces: ['domains/workspaces'],
  users: ['domains/auth', 'domains/members'],
  members: ['domains/members'],
  teams: ['domains/teams'],
  teamMembers: ['domains/teams'],
  sessions: ['domains/auth'],
  'auth.ts': ['domains/auth'],
  apiTokens: ['domains/tokens'],
  auditLog: ['domains/audit'],
  instanceSettings: ['core'],
};

/**
 * Imports that break the rule today, file by file: debt to pay off by moving each use behind
 * the owner's service functions, never a place to add to. An entry no longer needed fails the
 * check too, so this list only shrinks. None of these writes conversations or messages any
 * more (domains/conversations/commands.ts does); what remains are reads: mostly members and
 * users joined for display names, inboxes for a channel's settings, and the channels' own
 * reads of conversations and messages (threading, delivery, the widget and portal views).
 */
const ALLOWED: Record<string, string[]> = {
  'app.ts': ['conversations', 'inboxes', 'members', 'users'],
  'channels/api/deliver.ts': ['contactIdentities', 'contacts', 'conversations', 'members', 'users'],
  'channels/deliver-message.ts': ['inboxes', 'messages'],
  'channels/email/auto-ack.ts': ['conversations'],
  'channels/email/holds.ts': ['inboxes'],
  'channels/email/imap-poller.ts': ['inboxes'],
  'channels/email/receive.ts': ['contactIdentities', 'conversationParticipants', 'conversations', 'inboxes', 'messages'],
  'channels/email/routes.ts': ['users'],
  'channels/email/send.ts': ['attachments', 'contactIdentities', 'contacts', 'conversationParticipants', 'conversations', 'members', 'messages', 'users'],
  'channels/email/smtp-listener.ts': ['inboxes'],
  'channels/portal/conversations.ts': ['attachments', 'contacts', 'conversationParticipants', 'conversations', 'inboxes', 'members', 'messages', 'users'],
  'channels/portal/deliver.ts': ['conversations'],
  'channels/portal/sign-in.ts': ['contacts', 'portalLinks', 'portalSessions'],
  'channels/widget/assets.ts': ['inboxes'],
  'channels/widget/attachments.ts': ['attachments', 'conversations', 'messages'],
  'channels/widget/email-fallback.ts': ['contactIdentities', 'conversations', 'inboxes', 'messages'],
  'channels/widget/service.ts': ['contactIdentities', 'contacts', 'conversationReads', 'conversations', 'inboxes', 'members', 'messages', 'teamMembers', 'teams', 'users'],
  'cli.ts': ['members'],
  'demo/help-center-demo.ts': ['communityPosts', 'communityThreads', 'kbArticleViews', 'kbArticles'],
  'demo/load-demo.ts': ['conversations'],
  'domains/conversations/demo-history.ts': ['events'],
  'domains/auth/profile.ts': ['members'],
  'domains/auth/service.ts': ['apiTokens', 'members', 'workspaces'],
  'domains/canned-responses/service.ts': ['contacts', 'members', 'users', 'workspaces'],
  'domains/community/service.ts': ['contacts', 'members', 'users'],
  'domains/conversations/add-message.ts': ['inboxes', 'members', 'users'],
  'domains/conversations/ingest.ts': ['contacts', 'inboxes', 'workspaces'],
  'domains/conversations/log-call.ts': ['inboxes'],
  'domains/conversations/participants.ts': ['contacts'],
  'domains/conversations/service.ts': ['contacts', 'events', 'inboxes', 'members', 'slaPolicies', 'teams', 'users'],
  'domains/conversations/split-message.ts': ['inboxes'],
  // Rule conditions read a conversation with its contact (and their addresses) and inbox in one query.
  'domains/conversations/match.ts': ['contactIdentities', 'contacts', 'inboxes'],
  'domains/conversations/list-conversations.ts': ['contacts', 'inboxes', 'slaPolicies'],
  'domains/sla/service.ts': ['businessHours'],
  'domains/conversations/views.ts': ['inboxes', 'teams'],
  'domains/help-center/service.ts': ['inboxes', 'workspaces'],
  'domains/inboxes/service.ts': ['imapStates', 'teams'],
  'domains/knowledge-base/service.ts': ['contacts', 'members', 'users'],
  'domains/members/service.ts': ['teamMembers'],
  'domains/teams/assignment.ts': ['members'],
  'domains/teams/service.ts': ['members'],
  'domains/tokens/service.ts': ['members'],
  'domains/workspaces/service.ts': ['members', 'users'],
  'helpcenter/context.ts': ['members', 'users'],
  'helpcenter/routes/contact.ts': ['contactIdentities'],
  'helpcenter/routes/knowledge-base.ts': ['members', 'users'],
  'realtime/visitor-socket.ts': ['conversations', 'inboxes', 'members', 'messages', 'users', 'widgetVisitors'],
};

/** Each table exported by the schema files, with the folders that own it. */
function tableOwners(): Map<string, string[]> {
  const owners = new Map<string, string[]>();
  for (const file of fs.readdirSync(schemaDir)) {
    if (!file.endsWith('.ts') || file === 'index.ts') continue;
    const src = ts.createSourceFile(file, fs.readFileSync(path.join(schemaDir, file), 'utf8'), ts.ScriptTarget.Latest);
    for (const st of src.statements) {
      if (!ts.isVariableStatement(st) || !st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
      for (const d of st.declarationList.declarations) {
        const init = d.initializer;
        if (!ts.isIdentifier(d.name) || !init || !ts.isCallExpression(init) || init.expression.getText(src) !== 'pgTable') continue;
        const owner = OWNERS[d.name.text] ?? OWNERS[file];
        if (!owner) throw new Error(`${file}: table ${d.name.text} has no owner in scripts/check-table-imports.ts`);
        owners.set(d.name.text, owner);
      }
    }
  }
  return owners;
}

function* sourceFiles(dir: string): Generator<string> {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (p !== path.join(server, 'db')) yield* sourceFiles(p);
    } else if (/\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name)) yield p;
  }
}

const owners = tableOwners();
const problems: string[] = [];
const used = new Set<string>();
for (const file of sourceFiles(server)) {
  const rel = path.relative(server, file);
  const src = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  for (const st of src.statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier)) continue;
    const target = path.resolve(path.dirname(file), st.moduleSpecifier.text);
    if (path.dirname(target) !== schemaDir) continue;
    const bindings = st.importClause?.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) {
      problems.push(`${rel}: imports db/schema as a namespace; import the owner's service functions instead`);
      continue;
    }
    if (!bindings || st.importClause?.isTypeOnly) continue;
    for (const el of bindings.elements) {
      const name = (el.propertyName ?? el.name).text;
      const own = owners.get(name);
      if (!own || el.isTypeOnly || own.some((o) => rel === o || rel.startsWith(`${o}/`))) continue;
      if (ALLOWED[rel]?.includes(name)) used.add(`${rel}:${name}`);
      else problems.push(`${rel}: imports table ${name}, owned by ${own.join(', ')}`);
    }
  }
}
for (const [rel, names] of Object.entries(ALLOWED)) {
  for (const name of names) if (!used.has(`${rel}:${name}`)) problems.push(`${rel}: allowed to import ${name} but no longer does; take it off ALLOWED`);
}
if (problems.length) {
  console.error(`Tables imported outside their domain (scripts/check-table-imports.ts):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`table imports: ${owners.size} tables, each imported only by its owner or an allowed file`);
