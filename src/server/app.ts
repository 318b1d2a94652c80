import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import underPressure from '@fastify/under-pressure';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { Redis } from 'ioredis';
import { type Config, ConfigError } from './config.js';
import { type Database, openDatabase } from './db/client.js';
import type { Ctx } from './core/context.js';
import { Dispatcher } from './core/events/dispatcher.js';
import { eventFailureRoutes } from './core/events/routes.js';
import { outboundProcessor } from './core/events/processors/outbound.js';
import { realtimeProcessor } from './core/events/processors/realtime.js';
import { authenticate } from './core/http/authenticate.js';
import { loadShedding } from './core/http/load-shedding.js';
import { fileStorage } from './core/files/plugin.js';
import { frameworkError, installErrorHandler } from './core/http/error-handler.js';
import { installInputGuard } from './core/http/input-guard.js';
import { sha256 } from './core/ids.js';
import { loadInstanceSecret } from './core/instance-secret.js';
import { Jobs } from './core/jobs/queue.js';
import { apiChannelRoutes } from './channels/api/routes.js';
import { deliverMessageJob } from './channels/deliver-message.js';
import { attachmentRoutes } from './domains/attachments/routes.js';
import { startPendingAttachmentCleanup } from './domains/attachments/service.js';
import { auditRoutes } from './domains/audit/routes.js';
import { authRoutes } from './domains/auth/routes.js';
import { cannedResponseRoutes } from './domains/canned-responses/routes.js';
import { contactRoutes } from './domains/contacts/routes.js';
import { conversationJobsProcessor, sendScheduledJob, wakeSnoozedJob } from './domains/conversations/jobs.js';
import { conversationRoutes } from './domains/conversations/routes.js';
import { slaCheckJob, slaProcessor } from './domains/conversations/sla-clock.js';
import { slaPolicyRoutes } from './domains/sla/routes.js';
import { satisfactionRoutes } from './domains/satisfaction/routes.js';
import { staffingRoutes } from './domains/reports/staffing-routes.js';
import { feedbackRoutes } from './domains/feedback/routes.js';
import { deliverGoodwillJob, goodwillProcessor } from './domains/goodwill/deliver.js';
import { goodwillRoutes } from './domains/goodwill/routes.js';
import { satisfactionProcessor, sendSurveyJob } from './domains/satisfaction/send-survey.js';
import { backfillReportFacts, reportsProcessor } from './domains/reports/facts.js';
import { reportRoutes } from './domains/reports/routes.js';
import { businessHoursRoutes } from './core/business-hours/routes.js';
import { catalogRoutes } from './domains/catalog/routes.js';
import { communityRoutes } from './domains/community/routes.js';
import { customFieldRoutes } from './domains/custom-fields/routes.js';
import { topicRoutes } from './domains/topics/routes.js';
import { helpCenterRoutes } from './domains/help-center/routes.js';
import { knowledgeBaseRoutes } from './domains/knowledge-base/routes.js';
import { inboxRoutes } from './domains/inboxes/routes.js';
import { memberRoutes } from './domains/members/routes.js';
import { ruleRoutes } from './domains/rules/routes.js';
import { savedViewRoutes } from './domains/saved-views/routes.js';
import { rulesProcessor, startTimeRules } from './domains/rules/engine.js';
import { tagRoutes } from './domains/tags/routes.js';
import { teamRoutes } from './domains/teams/routes.js';
import { tokenRoutes } from './domains/tokens/routes.js';
import { deliverWebhookJob, webhooksProcessor } from './domains/webhooks/deliver.js';
import { webhookRoutes } from './domains/webhooks/routes.js';
import { startWebhookLogPruning } from './domains/webhooks/service.js';
import { startViewCountFolding } from './domains/conversations/views.js';
import { businessEventRoutes } from './domains/business-events/routes.js';
import { outreachRoutes } from './domains/outreach/routes.js';
import { startOutreachSweep } from './domains/outreach/tasks.js';
import { type AgentRealtime, startAgentRealtime } from './realtime/agent-socket.js';
import { emailChannelRoutes } from './channels/email/routes.js';
import { serveWidget } from './channels/widget/assets.js';
import { widgetRoutes } from './channels/widget/routes.js';
import { widgetEmailFallbackJob } from './channels/widget/email-fallback.js';
import { startVisitorRealtime, visitorRealtimeProcessor } from './realtime/visitor-socket.js';
import { conversations, inboxes, members, users } from './db/schema/index.js';
import { eq } from 'drizzle-orm';
import { pollImapJob, startImapPolling } from './channels/email/imap-poller.js';
import { closeMailParser } from './channels/email/receive.js';
import { closeMailers } from './channels/email/mailers.js';
import { startSmtpListener } from './channels/email/smtp-listener.js';
import { ViewCounter } from './domains/help-center/view-counter.js';
import { startPgliteMaintenance } from './db/maintenance.js';
import { helpCenterSite } from './helpcenter/site.js';

declare module 'fastify' {
  interface FastifyInstance {
    ctx: Ctx;
    /** The agent sockets of this node; undefined on nodes without the web role. */
    realtime: AgentRealtime | undefined;
  }
}

export type Role = 'web' | 'worker' | 'mail';

const HEARD_LOGO = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="32" viewBox="0 0 120 32">' +
    '<circle cx="16" cy="16" r="13" fill="#f59e0b"/><path d="M10 12h12M10 17h8" stroke="#1f2937" stroke-width="2.5" stroke-linecap="round"/>' +
    '<text x="36" y="23" font-family="system-ui, sans-serif" font-size="20" font-weight="700" fill="#ffffff">Heard</text></svg>',
);

export interface HeardOptions {
  config: Config;
  /** Which parts run on this node; all of them by default. */
  roles?: Role[];
  /** An already open database (tests share one between the app and their factories). */
  database?: Database;
  /** Test knobs: faster polling and retries. */
  pollMs?: number;
  jobPollingSeconds?: number;
  retryBaseMs?: number;
  /** Where the built agent app is; dist/web by default. */
  webDir?: string;
  /** Where the built widget is; dist/widget by default. */
  widgetDir?: string;
  /** Where the help center's built stylesheet and script are; dist/help by default. */
  helpAssetsDir?: string;
  /** The SMTP listener's port instead of HEARD_SMTP_PORT: 0 picks a free one (tests), false runs none. */
  smtpPort?: number | false;
  /** How often worker nodes make the outreach tasks whose time came, instead of HEARD_OUTREACH_SWEEP_SECONDS. */
  outreachEveryMs?: number;
}

export interface Heard {
  app: FastifyInstance;
  ctx: Ctx;
  jobs: Jobs;
  dispatcher: Dispatcher;
  realtime: AgentRealtime | undefined;
  /** The help center's page views, counted in this process and added to the rows every few seconds. */
  views: ViewCounter;
  /** The SMTP listener, once started on a node with the mail role. */
  smtp: { port: number; close(): Promise<void> } | undefined;
  /** Starts the background parts (dispatcher, jobs); the caller then listens. */
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Builds Heard: the table of contents of the server. External plugins first, then
 * Heard's own (authentication, realtime), then the routes.
 */
export async function buildHeard(opts: HeardOptions): Promise<Heard> {
  const { config } = opts;
  const roles = opts.roles ?? ['web', 'worker', 'mail'];
  const database =
    opts.database ?? (await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATABASE_URL ? undefined : `${config.dataDir}/db` }));
  await database.migrate();

  const app = Fastify({
    logger: config.LOG_LEVEL === 'silent' ? false : { level: config.LOG_LEVEL },
    trustProxy: config.HEARD_TRUST_PROXY,
    bodyLimit: 2 * 1024 * 1024,
    frameworkErrors: frameworkError,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);

  let dispatcher: Dispatcher | undefined;
  const ctx: Ctx = {
    config,
    database,
    db: database.db,
    secret: await loadInstanceSecret(database.db),
    kick: () => dispatcher?.kick(),
    retryBaseMs: opts.retryBaseMs ?? config.HEARD_RETRY_BASE_SECONDS * 1000,
  };
  app.decorate('ctx', ctx);
  app.decorate('realtime', undefined as AgentRealtime | undefined);

  // External plugins. An overloaded node refuses requests first, before any work is done on them.
  await app.register(underPressure, loadShedding(config));
  await app.register(helmet, {
    // Over plain HTTP (a LAN install), HSTS and upgrade-insecure-requests would break the site.
    hsts: config.secureCookies,
    contentSecurityPolicy: {
      directives: {
        upgradeInsecureRequests: config.secureCookies ? [] : null,
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'https:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
  });
  await app.register(cookie);
  // Uploads (attachments, avatars): at most 10 files of 25 MB each per request; routes set lower limits.
  await app.register(multipart, { limits: { fileSize: 25 * 1024 * 1024, files: 10, fields: 20, parts: 30 } });
  // What a deployment keeps in Redis lives under a prefix of its own, derived from the
  // instance secret that all its nodes share: deployments sharing one Redis (staging beside
  // production, test servers) never count sign-ins or broadcast events for each other.
  const redisPrefix = `heard:${sha256(`redis-prefix:${ctx.secret}`).slice(0, 16)}:`;
  const redis = config.REDIS_URL ? new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: false }) : undefined;
  await app.register(rateLimit, {
    max: config.HEARD_API_RATE_LIMIT,
    timeWindow: '1 minute',
    // Shared across nodes when Redis is there; otherwise each node counts alone.
    redis,
    nameSpace: `${redisPrefix}rl:`,
    skipOnError: true,
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Heard API', version: '1', description: 'Customer service platform API. Authenticate with a session cookie (plus X-CSRF-Token on writes) or `Authorization: Bearer <token>`.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, session: { type: 'apiKey', in: 'cookie', name: 'heard_session' } } },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    logo: { type: 'image/svg+xml', content: HEARD_LOGO },
    theme: { title: 'Heard API' },
  });

  // Heard's own plugins.
  await app.register(authenticate);
  // After authentication: who is calling is settled before their input is looked at.
  installInputGuard(app);
  await app.register(fileStorage);

  // Routes.
  app.get('/healthz', { schema: { tags: ['Health'], summary: 'Liveness: 200 while the process serves' }, config: { public: true } }, async () => ({ ok: true }));
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(
    async (api) => {
      await api.register(authRoutes);
      await api.register(memberRoutes);
      await api.register(teamRoutes);
      await api.register(tokenRoutes);
      await api.register(inboxRoutes);
      await api.register(apiChannelRoutes);
      await api.register(emailChannelRoutes);
      await api.register(contactRoutes);
      await api.register(conversationRoutes);
      await api.register(catalogRoutes);
      await api.register(savedViewRoutes);
      await api.register(auditRoutes);
      await api.register(eventFailureRoutes);
      await api.register(cannedResponseRoutes);
      await api.register(ruleRoutes);
      await api.register(tagRoutes);
      await api.register(businessHoursRoutes);
      await api.register(slaPolicyRoutes);
      await api.register(satisfactionRoutes);
      await api.register(reportRoutes);
      await api.register(staffingRoutes);
      await api.register(feedbackRoutes);
      await api.register(goodwillRoutes);
      await api.register(attachmentRoutes);
      await api.register(customFieldRoutes);
      await api.register(topicRoutes);
      await api.register(helpCenterRoutes);
      await api.register(knowledgeBaseRoutes);
      await api.register(communityRoutes);
      await api.register(webhookRoutes);
      await api.register(businessEventRoutes);
      await api.register(outreachRoutes);
    },
    { prefix: '/api/v1' },
  );
  await app.register(widgetRoutes);
  await serveWidget(app, opts.widgetDir);
  const views = new ViewCounter(database.db, app.log);
  await helpCenterSite(app, { assetsDir: opts.helpAssetsDir, views });
  await serveAgentApp(app, opts.webDir ?? WEB_DIR);

  await app.ready();

  const realtime = roles.includes('web') ? startAgentRealtime(app, config.REDIS_URL, redisPrefix) : undefined;
  app.realtime = realtime;
  const visitors = realtime ? startVisitorRealtime(app, realtime.io, (inbox, _visitor, conversationId, typing) => {
    realtime.io.of('/agent').to(`workspace:${inbox.workspaceId}`).emit('visitor:typing', { conversationId, typing });
  }) : undefined;
  if (realtime && visitors) {
    // A member typing in a widget conversation: the visitor sees "Ann is typing".
    realtime.onTyping = (conversationId, memberId, typing) => {
      void (async () => {
        const [c] = await ctx.db
          .select({ contactId: conversations.contactId, channel: inboxes.channel, name: users.name })
          .from(conversations)
          .innerJoin(inboxes, eq(inboxes.id, conversations.inboxId))
          .innerJoin(members, eq(members.id, memberId))
          .innerJoin(users, eq(users.id, members.userId))
          .where(eq(conversations.id, conversationId));
        if (c?.channel === 'widget') visitors.typing(c.contactId, { conversationId, typing, name: c.name.split(' ')[0] });
      })().catch((err) => app.log.warn({ err }, 'visitor typing failed'));
    };
  }
  const jobs = new Jobs(database, [deliverMessageJob, deliverGoodwillJob, wakeSnoozedJob, sendScheduledJob, pollImapJob, widgetEmailFallbackJob, slaCheckJob, sendSurveyJob, deliverWebhookJob], app.log);
  // Automatic assignment may ask who is online: a node without agent sockets cannot tell, and assigns to no one who must be.
  const online = (workspaceId: string) => realtime?.onlineMemberIds(workspaceId) ?? Promise.resolve([]);
  const processors = [
    outboundProcessor(jobs),
    goodwillProcessor(jobs),
    conversationJobsProcessor(jobs),
    rulesProcessor(ctx, app.log, online),
    slaProcessor(ctx, jobs),
    satisfactionProcessor(ctx, jobs),
    // After the SLA processor: the facts read a conversation's targets as it left them.
    reportsProcessor(ctx),
    // Only queues deliveries: a slow or dead endpoint holds up nothing here.
    webhooksProcessor(ctx, jobs),
    ...(realtime ? [realtimeProcessor(realtime)] : []),
    ...(visitors ? [visitorRealtimeProcessor(app, visitors)] : []),
  ];
  dispatcher = new Dispatcher(database, processors, app.log, opts.pollMs ?? 1000, undefined, ctx.retryBaseMs);
  const d = dispatcher;

  const smtpPort = opts.smtpPort ?? (config.HEARD_SMTP_PORT || false);
  let imapPolling: { stop(): void } | undefined;
  let attachmentCleanup: { stop(): void } | undefined;
  let webhookLogPruning: { stop(): void } | undefined;
  let viewCountFolding: { stop(): Promise<void> } | undefined;
  let timeRules: { stop(): Promise<void> } | undefined;
  let outreach: { stop(): Promise<void> } | undefined;
  let maintenance: { stop(): Promise<void> } | undefined;
  const heard: Heard = {
    app,
    ctx,
    jobs,
    dispatcher: d,
    realtime,
    views,
    smtp: undefined,
    async start() {
      await jobs.start(ctx, { work: roles.includes('worker'), pollingIntervalSeconds: opts.jobPollingSeconds });
      // The dispatcher runs where agents' sockets are: it feeds them, and hands
      // deliveries to the job queue, which any worker node then runs.
      if (roles.includes('web')) d.start();
      if (roles.includes('web')) views.start();
      maintenance = startPgliteMaintenance(database, app.log);
      // Worker nodes enqueue a poll of every IMAP mailbox now and then; any worker runs it.
      if (roles.includes('worker') && config.HEARD_IMAP_POLL_SECONDS > 0) imapPolling = startImapPolling(ctx, jobs, app.log, config.HEARD_IMAP_POLL_SECONDS);
      if (roles.includes('worker')) attachmentCleanup = startPendingAttachmentCleanup(ctx.db, app.log);
      if (roles.includes('worker')) webhookLogPruning = startWebhookLogPruning(ctx.db, app.log);
      if (roles.includes('worker')) viewCountFolding = startViewCountFolding(ctx.db, app.log);
      if (roles.includes('worker')) timeRules = startTimeRules(ctx, app.log, online);
      if (roles.includes('worker')) outreach = startOutreachSweep(ctx, app.log, opts.outreachEveryMs ?? config.HEARD_OUTREACH_SWEEP_SECONDS * 1000);
      // Conversations from before reports get their facts built once, in the background.
      if (roles.includes('worker')) void backfillReportFacts(ctx.db, app.log).catch((err) => app.log.error({ err }, 'building report facts failed'));
      if (roles.includes('mail') && smtpPort !== false) {
        try {
          heard.smtp = await startSmtpListener(ctx, app.files, app.log, { port: smtpPort, host: config.HEARD_SMTP_HOST });
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
            throw new ConfigError(`SMTP port ${smtpPort} on ${config.HEARD_SMTP_HOST} is in use; set HEARD_SMTP_PORT to another port, or 0 to turn the listener off`);
          }
          throw err;
        }
      }
    },
    async close() {
      await views.stop();
      await maintenance?.stop();
      imapPolling?.stop();
      attachmentCleanup?.stop();
      webhookLogPruning?.stop();
      await viewCountFolding?.stop();
      await timeRules?.stop();
      await outreach?.stop();
      await heard.smtp?.close();
      await d.stop();
      await jobs.stop();
      visitors?.close();
      await realtime?.close();
      await closeMailParser(ctx);
      closeMailers(ctx);
      await app.close();
      redis?.disconnect();
      if (!opts.database) await database.close();
    },
  };
  return heard;
}

/** Where `npm run build` puts the agent app (vite.config.ts). */
const WEB_DIR = fileURLToPath(new URL('../../dist/web/', import.meta.url));

/**
 * Serves the agent app at /app: its built files, and index.html for every other /app path
 * (the app routes in the browser). Without a build, /app says how to make one.
 */
async function serveAgentApp(app: FastifyInstance, webDir: string) {
  app.get('/', { schema: { hide: true }, config: { public: true } }, async (_req, reply) => reply.redirect('/app/'));
  if (!existsSync(join(webDir, 'index.html'))) {
    const missing = async (_req: FastifyRequest, reply: FastifyReply) =>
      reply.code(503).type('text/plain; charset=utf-8').send('The agent app is not built: run `npm run build` (npm start does it for you), then reload.\n');
    app.get('/app', { schema: { hide: true }, config: { public: true } }, missing);
    app.get('/app/*', { schema: { hide: true }, config: { public: true } }, missing);
    return;
  }
  await app.register(fastifyStatic, {
    root: webDir,
    prefix: '/app/',
    wildcard: false,
    index: false,
    // Built assets carry a content hash in their names: cache them for good; the rest is revalidated.
    cacheControl: false,
    setHeaders: (res, path) => res.setHeader('Cache-Control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache'),
  });
  const index = async (req: FastifyRequest, reply: FastifyReply) => {
    // Files that appeared after start (a rebuild under a running server) are served too.
    const path = decodeURIComponent(req.url.split('?')[0].slice('/app/'.length));
    if (path && !path.includes('..') && existsSync(join(webDir, path)) && statSync(join(webDir, path)).isFile()) return reply.sendFile(path);
    // A missing asset is a 404, not the page: a stale tab then fails clearly instead of parsing HTML as script.
    if (req.url.startsWith('/app/assets/')) return reply.callNotFound();
    return reply.sendFile('index.html');
  };
  app.get('/app', { schema: { hide: true }, config: { public: true } }, index);
  app.get('/app/*', { schema: { hide: true }, config: { public: true } }, index);
}
