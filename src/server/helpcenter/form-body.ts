import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { Invalid } from '../core/errors.js';
import { refuseUnstorable } from '../core/http/input-guard.js';
import { cleanFilename } from '../domains/attachments/service.js';
import type { PortalFile } from '../channels/portal/conversations.js';
import { type CheckedForm, checkForm, checkOrigin, PageRefusal } from './forms.js';
import type { Translate } from './i18n/index.js';

export type Fields = Record<string, string | undefined>;

/**
 * A form posted as application/x-www-form-urlencoded (the site's parser makes it an object of strings), checked for its token.
 * Text PostgreSQL cannot store was refused before (core/http/input-guard.ts).
 */
export function readForm(app: FastifyInstance, req: FastifyRequest): { fields: Fields; form: CheckedForm } {
  checkOrigin(req, app.ctx.config.publicUrl);
  const fields = (req.body ?? {}) as Fields;
  if (typeof fields !== 'object') throw new Invalid('body', 'must be a form');
  return { fields, form: checkForm(app.ctx.secret, req, fields) };
}

/**
 * A form posted as multipart/form-data, with files. The token must come before any file
 * (browsers send fields in page order, and the token is the form's first field), so
 * nobody can store bytes without a form of ours; a bot's form stores none.
 */
export async function readMultipartForm(app: FastifyInstance, req: FastifyRequest, limits: { files: number; fileBytes: number }, t: Translate) {
  checkOrigin(req, app.ctx.config.publicUrl);
  if (!req.isMultipart()) throw new Invalid('body', 'must be multipart/form-data');
  const fields: Fields = {};
  const files: PortalFile[] = [];
  let form: CheckedForm | undefined;
  const errors: Record<string, string> = {};
  for await (const part of req.parts({ limits: { fileSize: limits.fileBytes, files: limits.files + 1, fields: 30, fieldSize: 100_000 } })) {
    if (part.type === 'field') {
      const value = typeof part.value === 'string' ? part.value : String(part.value);
      // Multipart bodies are read here, after the input guard's hook: text PostgreSQL cannot store is refused as the hook refuses it elsewhere.
      refuseUnstorable({ body: { [part.fieldname]: value } });
      fields[part.fieldname] = value;
      if (part.fieldname === 'website' && form && fields.website?.trim()) form = { ...form, trapped: true, spam: true };
      if (part.fieldname === '_form') form = checkForm(app.ctx.secret, req, fields);
      continue;
    }
    if (!form) {
      part.file.resume();
      throw new PageRefusal(403, 'error.form', 'This form has expired or was not sent from this help center; reload the page and send it again');
    }
    // A file input left empty still sends a part, with no name and no bytes.
    if (!part.filename || form.spam) {
      part.file.resume();
      continue;
    }
    if (files.length >= limits.files) {
      part.file.resume();
      errors.files = t('field.tooManyFiles', { max: limits.files });
      continue;
    }
    const stored = await app.files.put(part.file);
    if (part.file.truncated) {
      errors.files = t('field.fileTooLarge', { name: cleanFilename(part.filename), max: Math.round(limits.fileBytes / 1024 / 1024) });
      continue;
    }
    if (stored.size === 0) continue;
    files.push({ ...stored, filename: cleanFilename(part.filename), contentType: part.mimetype || 'application/octet-stream' });
  }
  if (!form) throw new PageRefusal(403, 'error.form', 'This form has expired or was not sent from this help center; reload the page and send it again');
  return { fields, files, form, fileErrors: errors };
}

/**
 * Zod's findings about a form, in the help center's words, by field. Parse with
 * `{ reportInput: true }`: without the input in its issues, Zod 4 cannot tell an empty
 * field from a short one or a mistyped address, and every finding would read "required".
 */
export function fieldErrors(error: z.ZodError, t: Translate): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? 'form');
    if (out[field]) continue;
    const i = issue as { code: string; minimum?: number | bigint; maximum?: number | bigint; format?: string; input?: unknown };
    out[field] =
      i.code === 'too_small'
        ? Number(i.minimum) <= 1 || i.input === undefined || i.input === ''
          ? t('field.required')
          : t('field.tooShort', { min: Number(i.minimum) })
        : i.code === 'too_big'
          ? t('field.tooLong', { max: Number(i.maximum) })
          : i.code === 'invalid_format' && i.format === 'email'
            ? i.input === '' || i.input === undefined
              ? t('field.required')
              : t('field.email')
            : i.code === 'invalid_type' && i.input === undefined
              ? t('field.required')
              : t('field.invalid');
  }
  return out;
}

/** A service's Invalid, as form errors. */
export function invalidToErrors(err: unknown, t: Translate): Record<string, string> | null {
  if (!(err instanceof Invalid)) return null;
  return Object.fromEntries(err.errors.map((e) => [e.field, /required/.test(e.reason) ? t('field.required') : t('field.invalid')]));
}

