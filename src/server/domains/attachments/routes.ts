import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { hasScope } from '../../core/actor.js';
import { inTransaction } from '../../core/context.js';
import { HeardError, Invalid } from '../../core/errors.js';
import type { StoredFile } from '../../core/files/file-store.js';
import { addPendingAttachments, attachmentDisposition, cleanFilename, openAttachment } from './service.js';

export const ATTACHMENT_MAX_BYTES = 25 * 1024 * 1024;
export const ATTACHMENT_MAX_FILES = 10;

export const attachmentRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['Attachments'];
  app.post(
    '/attachments',
    {
      schema: {
        tags,
        summary: `Upload files (multipart/form-data, up to ${ATTACHMENT_MAX_FILES} of 25 MB each) as pending attachments; send them with a message's attachmentIds`,
        consumes: ['multipart/form-data'],
      },
      config: { allow: (a) => hasScope(a, 'write') },
    },
    async (req, reply) => {
      if (!req.isMultipart()) throw new Invalid('file', 'send the files as multipart/form-data');
      const stored: (StoredFile & { filename: string; contentType: string })[] = [];
      for await (const part of req.files({ limits: { fileSize: ATTACHMENT_MAX_BYTES, files: ATTACHMENT_MAX_FILES } })) {
        const file = await app.files.put(part.file);
        if (part.file.truncated) throw new HeardError(413, 'Payload Too Large', `${cleanFilename(part.filename)} is larger than 25 MB`);
        stored.push({ ...file, filename: cleanFilename(part.filename), contentType: part.mimetype || 'application/octet-stream' });
      }
      reply.code(201);
      return inTransaction(app.ctx, (tx) => addPendingAttachments(tx, req.actor!, stored));
    },
  );

  app.get(
    '/attachments/:id/download',
    { schema: { tags, summary: 'Download an attachment (always as a download, never shown inline)', params: z.object({ id: z.uuid() }) }, config: { allow: (a) => hasScope(a, 'read') } },
    async (req, reply) => {
      const f = await openAttachment(app.ctx.db, req.actor!, app.files, req.params.id);
      return reply
        .type(f.contentType)
        .header('content-disposition', attachmentDisposition(f.filename))
        .header('x-content-type-options', 'nosniff')
        .header('content-length', String(f.size))
        .header('cache-control', 'private, max-age=3600')
        .send(f.stream);
    },
  );

  app.get(
    '/attachments/:id/inline',
    {
      schema: { tags, summary: "An e-mail's inline image (cid:), shown in the message; only raster images, never anything a browser could run", params: z.object({ id: z.uuid() }) },
      config: { allow: (a) => hasScope(a, 'read') },
    },
    async (req, reply) => {
      const f = await openAttachment(app.ctx.db, req.actor!, app.files, req.params.id);
      if (!INLINE_IMAGE_TYPES.has(f.contentType.toLowerCase())) {
        f.stream.destroy();
        throw new HeardError(415, 'Unsupported Media Type', 'only PNG, JPEG, GIF and WebP images are shown inline; download the file instead');
      }
      return reply
        .type(f.contentType)
        .header('content-disposition', 'inline')
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('content-length', String(f.size))
        .header('cache-control', 'private, max-age=86400')
        .send(f.stream);
    },
  );
};

const INLINE_IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
