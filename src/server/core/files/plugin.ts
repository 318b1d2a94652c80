import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { type FileStore, LocalFileStore } from './file-store.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Where uploaded files' bytes are kept (attachments, avatars). */
    files: FileStore;
  }
}

/** Decorates the app with the file store: the local disk under HEARD_DATA_DIR/files. */
export const fileStorage = fp(async (app: FastifyInstance) => {
  app.decorate('files', new LocalFileStore(`${app.ctx.config.dataDir}/files`) as FileStore);
});
