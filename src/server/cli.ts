import { Command, InvalidArgumentError } from 'commander';
import { and, eq } from 'drizzle-orm';
import { buildHeard, type Heard, type Role as NodeRole } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { SCOPES, type Scope } from './core/actor.js';
import { inTransaction, type Ctx } from './core/context.js';
import { callControl, ControlCommandError, serveControl } from './core/control-socket.js';
import { loadInstanceSecret } from './core/instance-secret.js';
import { DatabaseLockedError, openDatabase, type Database } from './db/client.js';
import { members } from './db/schema/index.js';
import { loadDemo } from './demo/load-demo.js';
import { closeMailParser } from './channels/email/receive.js';
import { createToken } from './domains/tokens/service.js';
import { rebuildReportFacts } from './domains/reports/facts.js';
import { rebuildRollups } from './domains/reports/rollup.js';
import { ensureMember, findUserByEmail, findWorkspaceByName } from './domains/workspaces/service.js';
import { HeardError } from './core/errors.js';

const NODE_ROLES: NodeRole[] = ['web', 'worker', 'mail'];

function parseRoles(value: string): NodeRole[] {
  const roles = value.split(',').map((r) => r.trim()).filter(Boolean);
  const bad = roles.filter((r) => !(NODE_ROLES as string[]).includes(r));
  if (bad.length || !roles.length) throw new InvalidArgumentError(`roles must be a comma-separated list of ${NODE_ROLES.join(', ')}`);
  return roles as NodeRole[];
}

function parseScopes(value: string): Scope[] {
  const scopes = value.split(',').map((s) => s.trim());
  const bad = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
  if (bad.length) throw new InvalidArgumentError(`scopes must be a comma-separated list of ${SCOPES.join(', ')}`);
  return scopes as Scope[];
}

/** Opens and migrates the configured database for a one-off command, and a minimal context for services. */
async function withDatabase<T>(fn: (ctx: Ctx, database: Database) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATABASE_URL ? undefined : `${config.dataDir}/db` });
  try {
    await database.migrate();
    // Events written here are dispatched by the running server's dispatcher.
    const ctx: Ctx = { config, database, db: database.db, secret: await loadInstanceSecret(database.db), kick: () => undefined, retryBaseMs: 30_000 };
    try {
      return await fn(ctx, database);
    } finally {
      await closeMailParser(ctx);
    }
  } finally {
    await database.close();
  }
}

interface CreateOwnerOptions {
  email: string;
  password: string;
  workspace: string;
  name?: string;
}

interface CreateTokenOptions {
  email: string;
  name: string;
  scopes?: Scope[];
  workspace?: string;
}

/**
 * The commands that also work while the server runs on the embedded database: the CLI
 * opens the database itself when it can, else asks the running server (core/control-socket.ts).
 * Each returns what it prints.
 */
const commands: Record<string, (ctx: Ctx, options: Record<string, unknown>) => Promise<string>> = {
  'admin.create': async (ctx, options) => {
    const opts = options as unknown as CreateOwnerOptions;
    const { workspace, member } = await inTransaction(ctx, (tx) =>
      ensureMember(tx, { workspaceName: opts.workspace, email: opts.email, password: opts.password, name: opts.name, role: 'owner' }),
    );
    return `Owner ${opts.email} in workspace "${workspace.name}" (${workspace.id}), member ${member.id}.`;
  },
  'token.create': async (ctx, options) => {
    const opts = options as unknown as CreateTokenOptions;
    if (opts.scopes !== undefined && (!Array.isArray(opts.scopes) || opts.scopes.some((s) => !(SCOPES as readonly string[]).includes(s)))) {
      throw new HeardError(422, 'Invalid', `scopes must be a comma-separated list of ${SCOPES.join(', ')}`);
    }
    const user = await findUserByEmail(ctx.db, opts.email);
    if (!user) throw new HeardError(404, 'Not Found', `No user with e-mail ${opts.email}`);
    const ws = opts.workspace ? await findWorkspaceByName(ctx.db, opts.workspace) : undefined;
    if (opts.workspace && !ws) throw new HeardError(404, 'Not Found', `No workspace named ${opts.workspace}`);
    const [m] = await ctx.db
      .select()
      .from(members)
      .where(and(eq(members.userId, user.id), eq(members.active, true), ws ? eq(members.workspaceId, ws.id) : undefined))
      .orderBy(members.createdAt)
      .limit(1);
    if (!m) throw new HeardError(404, 'Not Found', `${opts.email} has no active membership${ws ? ` in ${ws.name}` : ''}`);
    const actor = { workspaceId: m.workspaceId, memberId: m.id, userId: user.id, role: m.role, via: 'session' as const, scopes: SCOPES };
    const isAdminRole = m.role === 'owner' || m.role === 'admin';
    const scopes = opts.scopes ?? (isAdminRole ? ['read', 'write', 'admin'] : ['read', 'write']);
    const { token: secret } = await inTransaction(ctx, (tx) => createToken(tx, actor, { name: opts.name, scopes }));
    return secret;
  },
};

/** Runs one of `commands` on the database, or through the server that has the embedded database open. */
async function runOffline(command: string, options: object): Promise<string> {
  const run = commands[command];
  try {
    return await withDatabase((ctx) => run(ctx, options as Record<string, unknown>));
  } catch (err) {
    if (!(err instanceof DatabaseLockedError)) throw err;
    try {
      return await callControl(loadConfig().dataDir, command, { ...options });
    } catch (viaServer) {
      if (viaServer instanceof ControlCommandError) throw viaServer;
      // No server answers on the socket (an older one, or a data folder too deep for a socket path).
      throw err;
    }
  }
}

/** Lets `commands` reach a server running on the embedded database; returns how to stop. */
function serveCommands(heard: Heard) {
  return serveControl(
    heard.ctx.config.dataDir,
    async (command, options) => {
      const run = commands[command];
      if (!run) throw new ControlCommandError(`unknown command ${command}`);
      try {
        return await run(heard.ctx, options);
      } catch (err) {
        if (err instanceof HeardError) throw new ControlCommandError(err.message);
        throw err;
      }
    },
    (err) => heard.app.log.error({ err }, 'a command from the heard CLI failed'),
  );
}

function printDemoSignIn(r: { email: string; password?: string }, url: string) {
  console.log(
    [
      '',
      '  Demo workspace "Acme Outfitters" is ready.',
      `  Sign in at ${url} as ${r.email}`,
      `  Password: ${r.password}   (shown once; set another with: heard admin create --email ${r.email} --password …)`,
      '',
    ].join('\n'),
  );
}

const program = new Command()
  .name('heard')
  .description('Heard: customer service that people love')
  .showHelpAfterError();

program
  .command('start')
  .description('Start the server (API, realtime, jobs) on HOST:PORT')
  .option('--roles <roles>', 'parts to run on this node: web (API, apps, realtime), worker (jobs), mail (SMTP listener)', parseRoles, NODE_ROLES)
  .option('--demo', 'load the demo workspace on first start (when no one has an account yet)')
  .action(async (opts: { roles: NodeRole[]; demo?: boolean }) => {
    const config = loadConfig();
    const heard = await buildHeard({ config, roles: opts.roles });
    if (opts.demo) {
      const [anyMember] = await heard.ctx.db.select({ id: members.id }).from(members).limit(1);
      if (!anyMember) printDemoSignIn(await loadDemo(heard.ctx), config.publicUrl);
    }
    await heard.start();
    if (opts.roles.includes('web')) {
      try {
        await heard.app.listen({ port: config.PORT, host: config.HOST });
      } catch (err) {
        await heard.close();
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EADDRINUSE') throw new ConfigError(`port ${config.PORT} on ${config.HOST} is in use; set PORT to another port`);
        throw err;
      }
    }
    // Only the embedded database keeps other processes out; on PostgreSQL the CLI opens it itself.
    const stopCommands = config.DATABASE_URL ? undefined : await serveCommands(heard);
    heard.app.log.info(`Heard is running (${opts.roles.join(', ')}) at ${config.publicUrl}`);
    if (heard.smtp) heard.app.log.info(`receiving e-mail for the email inboxes' addresses over SMTP on ${config.HEARD_SMTP_HOST}:${heard.smtp.port}`);
    let closing = false;
    const shutdown = async (signal: string) => {
      if (closing) return;
      closing = true;
      heard.app.log.info(`${signal}: shutting down`);
      await stopCommands?.();
      await heard.close();
      process.exit(0);
    };
    process.on('SIGINT', () => void shutdown('SIGINT'));
    process.on('SIGTERM', () => void shutdown('SIGTERM'));
  });

program
  .command('migrate')
  .description('Apply database migrations and exit')
  .action(async () => {
    await withDatabase(async (_ctx, database) => console.log(`Migrations applied (${database.engine}).`));
  });

const admin = program.command('admin').description('Manage administrators');
admin
  .command('create')
  .description('Create an owner (and the workspace, when it does not exist); for an existing user, sets the password')
  .requiredOption('--email <email>', 'sign-in e-mail')
  .requiredOption('--password <password>', 'at least 8 characters')
  .option('--workspace <name>', 'workspace name', 'My workspace')
  .option('--name <name>', 'display name')
  .action(async (opts: CreateOwnerOptions) => {
    console.log(await runOffline('admin.create', opts));
  });

const token = program.command('token').description('Manage API tokens');
token
  .command('create')
  .description('Print a new API token acting as a member (shown once)')
  .requiredOption('--email <email>', "the member's e-mail")
  .option('--name <name>', 'a label for the token', 'CLI token')
  .option('--scopes <scopes>', `comma-separated: ${SCOPES.join(', ')}`, parseScopes)
  .option('--workspace <name>', 'when the member belongs to several workspaces')
  .action(async (opts: CreateTokenOptions) => {
    console.log(await runOffline('token.create', opts));
  });

const reports = program.command('reports').description('Reports');
reports
  .command('rebuild')
  .description("Build every conversation's report facts again from its timeline, then the day rollups from the facts (safe to run any time; a running server keeps them current)")
  .option('--missing', 'only conversations that have no facts yet')
  .action(async (opts: { missing?: boolean }) => {
    await withDatabase(async (ctx) => {
      const built = await rebuildReportFacts(ctx.db, opts.missing ? 'missing' : 'all', (n) => process.stdout.write(`\r${n} conversations`));
      console.log(`\rReport facts built for ${built} conversations.`);
      // The day rollups follow the facts as they change; building them again from the facts as well costs a minute at a million.
      await rebuildRollups(ctx.db);
      console.log('Report rollups built from the facts.');
    });
  });

program
  .command('demo')
  .description('Load the demo workspace (does nothing when it exists)')
  .action(async () => {
    await withDatabase(async (ctx) => {
      const r = await loadDemo(ctx);
      if (r.created) printDemoSignIn(r, ctx.config.publicUrl);
      else console.log(`The demo workspace exists already; sign in as ${r.email}.`);
    });
  });

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof ConfigError || err instanceof HeardError || err instanceof DatabaseLockedError || err instanceof ControlCommandError) {
    console.error(`heard: ${err.message}`);
    process.exit(1);
  }
  throw err;
}
