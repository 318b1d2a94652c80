import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { inTransaction } from '../../core/context.js';
import { Invalid } from '../../core/errors.js';
import { helpCenterPolicy } from './policy.js';
import { HelpCenterUpdateSchema } from './schema.js';
import { ensureHelpCenter, helpMailInbox, LOGO_MAX_BYTES, presentHelpCenter, removeHelpCenterLogo, setHelpCenterLogo, updateHelpCenter } from './service.js';
import { helpCenterStats } from './stats.js';

/** The help center's settings (admins change them) and the figures the team watches. */
export const helpCenterRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['Help center'];
  const present = async (workspaceId: string, hc: Awaited<ReturnType<typeof ensureHelpCenter>>) =>
    presentHelpCenter(hc, app.ctx.config, Boolean(await helpMailInbox(app.ctx.db, app.ctx.config, workspaceId)));

  app.get('/help-center', { schema: { tags, summary: "The help center's address, look, language and contact-form topics" }, config: { allow: helpCenterPolicy.read } }, async (req) =>
    present(req.actor!.workspaceId, await ensureHelpCenter(app.ctx.db, req.actor!.workspaceId)),
  );
  app.patch('/help-center', { schema: { tags, summary: 'Change the settings (admins); publishing opens it to the public', body: HelpCenterUpdateSchema }, config: { allow: helpCenterPolicy.configure } }, async (req) =>
    present(req.actor!.workspaceId, await inTransaction(app.ctx, (tx) => updateHelpCenter(tx, req.actor!, req.body))),
  );
  app.post(
    '/help-center/logo',
    { schema: { tags, summary: 'Set the logo: multipart/form-data with one PNG, JPEG, WebP or GIF of at most 1 MB', consumes: ['multipart/form-data'] }, config: { allow: helpCenterPolicy.configure } },
    async (req) => {
      if (!req.isMultipart()) throw new Invalid('file', 'send the image as multipart/form-data');
      const part = await req.file({ limits: { fileSize: LOGO_MAX_BYTES, files: 1 } });
      if (!part) throw new Invalid('file', 'send an image file');
      const bytes = await part.toBuffer().catch((err: { code?: string }) => {
        throw err.code === 'FST_REQ_FILE_TOO_LARGE' ? new Invalid('file', 'must be at most 1 MB') : err;
      });
      return present(req.actor!.workspaceId, await inTransaction(app.ctx, (tx) => setHelpCenterLogo(tx, req.actor!, app.files, bytes)));
    },
  );
  app.delete('/help-center/logo', { schema: { tags, summary: 'Remove the logo' }, config: { allow: helpCenterPolicy.configure } }, async (req) =>
    present(req.actor!.workspaceId, await inTransaction(app.ctx, (tx) => removeHelpCenterLogo(tx, req.actor!))),
  );
  app.get(
    '/help-center/stats',
    { schema: { tags, summary: 'Article views and helpfulness, contact-form suggestions that solved the question, open community questions' }, config: { allow: helpCenterPolicy.read } },
    async (req) => helpCenterStats(app.ctx.db, req.actor!.workspaceId),
  );
};
