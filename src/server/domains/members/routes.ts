import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { canAdminister, hasScope, ROLES } from '../../core/actor.js';
import { inTransaction } from '../../core/context.js';
import { Invalid } from '../../core/errors.js';
import { AVATAR_MAX_BYTES, getAvatar, removeAvatar, setAvatar } from './avatar.js';
import { createInvite, listInvites, revokeInvite } from './invites.js';
import { addMember, getMember, listMembers, updateMember } from './service.js';


export const memberRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['Members'];
  app.get('/members', { schema: { tags, summary: 'Everyone in the workspace' }, config: { allow: (a) => hasScope(a, 'read') } }, async (req) => ({
    items: await listMembers(app.ctx.db, req.actor!),
  }));

  app.get(
    '/members/:id',
    { schema: { tags, params: z.object({ id: z.uuid() }) }, config: { allow: (a) => hasScope(a, 'read') } },
    async (req) => getMember(app.ctx.db, req.actor!, req.params.id),
  );

  app.post(
    '/members',
    {
      schema: {
        tags,
        summary: 'Add a member (admins)',
        body: z.object({
          email: z.email().max(320),
          name: z.string().trim().min(1).max(200),
          role: z.enum(ROLES).default('agent'),
          password: z.string().min(8, 'must be at least 8 characters').max(1000).optional(),
        }),
      },
      config: { allow: canAdminister },
    },
    async (req, reply) => {
      reply.code(201);
      return inTransaction(app.ctx, (tx) => addMember(tx, req.actor!, req.body));
    },
  );

  app.patch(
    '/members/:id',
    {
      schema: {
        tags,
        summary: 'Change a member: own name, signature and availability; role, capacity and deactivation for admins',
        params: z.object({ id: z.uuid() }),
        body: z.object({
          name: z.string().trim().min(1).max(200).optional(),
          signature: z.string().max(5000).optional(),
          role: z.enum(ROLES).optional(),
          active: z.boolean().optional(),
          availability: z.enum(['available', 'away']).optional().describe('Away: automatic assignment passes the member by (their own switch, or an admin).'),
          capacity: z.number().int().min(1).max(10_000).nullable().optional().describe('The most open conversations automatic assignment gives them; null for no limit (admins).'),
        }),
      },
      config: { allow: (a) => hasScope(a, 'write') },
    },
    async (req) => inTransaction(app.ctx, (tx) => updateMember(tx, req.actor!, req.params.id, req.body)),
  );

  app.get(
    '/members/:id/avatar',
    { schema: { tags, summary: "A member's avatar image", params: z.object({ id: z.uuid() }) }, config: { allow: (a) => hasScope(a, 'read') } },
    async (req, reply) => {
      const avatar = await getAvatar(app.ctx.db, req.actor!, app.files, req.params.id);
      // The URL carries the picture's version, so the browser may keep it; private: it is behind sign-in.
      return reply.type(avatar.contentType).header('cache-control', 'private, max-age=86400').header('etag', avatar.etag).send(avatar.stream);
    },
  );

  app.post(
    '/me/avatar',
    {
      schema: { tags, summary: 'Set your avatar: multipart/form-data with one PNG, JPEG, WebP or GIF file of at most 2 MB', consumes: ['multipart/form-data'] },
      config: { allow: (a) => hasScope(a, 'write') },
    },
    async (req) => {
      if (!req.isMultipart()) throw new Invalid('file', 'send the image as multipart/form-data');
      const part = await req.file({ limits: { fileSize: AVATAR_MAX_BYTES, files: 1 } });
      if (!part) throw new Invalid('file', 'send an image file');
      const bytes = await part.toBuffer();
      return inTransaction(app.ctx, (tx) => setAvatar(tx, req.actor!, app.files, bytes));
    },
  );

  app.delete('/me/avatar', { schema: { tags, summary: 'Remove your avatar' }, config: { allow: (a) => hasScope(a, 'write') } }, async (req, reply) => {
    await inTransaction(app.ctx, (tx) => removeAvatar(tx, req.actor!));
    return reply.code(204).send();
  });

  app.get('/members/invites', { schema: { tags, summary: 'Open invitations (admins)' }, config: { allow: canAdminister } }, async (req) => ({
    items: await listInvites(app.ctx.db, req.actor!),
  }));

  app.post(
    '/members/invites',
    {
      schema: {
        tags,
        summary: 'Invite someone by link (admins): answers with the link, valid for 7 days and shown only here',
        body: z.object({ email: z.email().max(320), role: z.enum(ROLES).default('agent'), name: z.string().trim().min(1).max(200).optional() }),
      },
      config: { allow: canAdminister },
    },
    async (req, reply) => {
      reply.code(201);
      return inTransaction(app.ctx, (tx) => createInvite(tx, req.actor!, app.ctx.config.publicUrl, req.body));
    },
  );

  app.delete('/members/invites/:id', { schema: { tags, summary: 'Revoke an invitation (admins)', params: z.object({ id: z.uuid() }) }, config: { allow: canAdminister } }, async (req, reply) => {
    await inTransaction(app.ctx, (tx) => revokeInvite(tx, req.actor!, req.params.id));
    return reply.code(204).send();
  });
};
