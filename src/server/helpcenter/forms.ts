import crypto from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HeardError } from '../core/errors.js';
import type { MessageKey } from './i18n/index.js';
import { randomToken } from '../core/ids.js';

/**
 * Every form on the help center carries a token bound to a cookie of the reader's
 * browser (double submit, signed): another site can neither read the cookie nor make a
 * token for it, so it cannot post forms in the reader's name. The token also carries
 * when the form was shown (a form sent within a second of being shown is a bot's) and a
 * random id that makes a form sent twice (a double click, a reload) count once.
 */
export const FORM_COOKIE = 'heard_help_form';
const MAX_AGE_MS = 24 * 3_600_000;
/** Faster than any person fills in a form. */
export const MIN_FILL_MS = 1200;

/** A refusal the help center explains in its own words (its catalog key), in the reader's language. */
export class PageRefusal extends HeardError {
  constructor(
    status: number,
    readonly key: MessageKey,
    message: string,
  ) {
    super(status, status === 403 ? 'Forbidden' : 'Refused', message);
  }
}

const mac = (secret: string, what: string) => crypto.createHmac('sha256', secret).update(what).digest('base64url').slice(0, 32);

/** The reader's form cookie, set on this response when they have none yet. */
export function formCookie(req: FastifyRequest, reply: FastifyReply, secure: boolean): string {
  const existing = req.cookies[FORM_COOKIE];
  if (existing && /^[\w-]{20,64}$/.test(existing)) return existing;
  const value = randomToken('', 24);
  reply.setCookie(FORM_COOKIE, value, { path: '/help', httpOnly: true, sameSite: 'lax', secure, maxAge: 365 * 86_400 });
  // Later forms in the same request see it too.
  req.cookies[FORM_COOKIE] = value;
  return value;
}

/** A token for one form shown now. */
export function issueFormToken(secret: string, cookie: string, now = Date.now()): string {
  const id = randomToken('', 12);
  return `${now.toString(36)}.${id}.${mac(secret, `help-form:${cookie}:${now}:${id}`)}`;
}

export interface CheckedForm {
  /** The form's own id: the key that makes sending it twice count once. */
  id: string;
  shownAt: number;
  /** The trap field was filled in: a bot's, for certain. */
  trapped: boolean;
  /** Sent sooner after it was shown than a person fills in a form (one-click forms ignore this). */
  tooFast: boolean;
  /** Either: not to be stored as it is. */
  spam: boolean;
}

/** Checks a posted form's token against the reader's cookie; refuses it (403) when it does not belong to them or is too old. */
export function checkForm(secret: string, req: FastifyRequest, fields: Record<string, string | undefined>, now = Date.now()): CheckedForm {
  const cookie = req.cookies[FORM_COOKIE];
  const [ts, id, sig] = (fields._form ?? '').split('.');
  const shownAt = Number.parseInt(ts ?? '', 36);
  if (!cookie || !id || !sig || !Number.isFinite(shownAt) || sig !== mac(secret, `help-form:${cookie}:${shownAt}:${id}`)) {
    throw new PageRefusal(403, 'error.form', 'This form has expired or was not sent from this help center; reload the page and send it again');
  }
  if (now - shownAt > MAX_AGE_MS) throw new PageRefusal(403, 'error.form', 'This form is more than a day old; reload the page and send it again');
  // The trap: a field people never see (hidden by the stylesheet), that form-filling bots fill in.
  const trapped = Boolean(fields.website?.trim());
  const tooFast = now - shownAt < MIN_FILL_MS;
  return { id, shownAt, trapped, tooFast, spam: trapped || tooFast };
}

/** A browser sends Origin with a cross-site form post: one that names another site is refused before anything is read. */
export function checkOrigin(req: FastifyRequest, publicUrl: string) {
  const origin = req.headers.origin;
  if (!origin || origin === 'null') return;
  const own = new URL(publicUrl).origin;
  const host = `${req.protocol}://${req.host}`;
  if (origin !== own && origin !== host) throw new PageRefusal(403, 'error.otherSite', 'This form was sent from another site');
}
