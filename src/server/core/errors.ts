/**
 * The errors a service may throw. One Fastify error handler (core/http/error-handler.ts)
 * turns them into application/problem+json; nothing else builds an error response.
 */
export class HeardError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The resource does not exist in the caller's workspace. Also used for other workspaces' resources, so their existence is not revealed. */
export class NotFound extends HeardError {
  constructor(what: string) {
    super(404, 'Not Found', `${what} not found`);
  }
}

export class Unauthorized extends HeardError {
  constructor(message = 'Sign in or send a valid API token') {
    super(401, 'Unauthorized', message);
  }
}

export class Forbidden extends HeardError {
  constructor(message = 'Your role does not allow this') {
    super(403, 'Forbidden', message);
  }
}

export interface FieldError {
  field: string;
  reason: string;
}

/** Bad input: names each field and the reason. */
export class Invalid extends HeardError {
  readonly errors: FieldError[];
  constructor(field: string, reason: string);
  constructor(errors: FieldError[]);
  constructor(fieldOrErrors: string | FieldError[], reason?: string) {
    const errors = typeof fieldOrErrors === 'string' ? [{ field: fieldOrErrors, reason: reason ?? 'is invalid' }] : fieldOrErrors;
    super(422, 'Invalid input', errors.map((e) => `${e.field}: ${e.reason}`).join('; '), { errors });
    this.errors = errors;
  }
}

export class Conflict extends HeardError {
  constructor(message: string) {
    super(409, 'Conflict', message);
  }
}

export class RateLimited extends HeardError {
  constructor(retryAfterSeconds: number) {
    super(429, 'Too Many Requests', `Too many requests; try again in ${retryAfterSeconds} s`, { retryAfter: retryAfterSeconds });
  }
}

/**
 * Looks up a row that input refers to (a member, a team, an inbox …) with the service that
 * owns it; its NotFound becomes bad input naming the field. Other errors pass through.
 */
export async function mustRefer(field: string, reason: string, find: () => Promise<unknown>) {
  try {
    await find();
  } catch (err) {
    if (err instanceof NotFound) throw new Invalid(field, reason);
    throw err;
  }
}
