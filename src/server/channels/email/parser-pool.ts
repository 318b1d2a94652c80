import os from 'node:os';
import { Piscina } from 'piscina';
import type { ParsedEmail } from './parse.js';

/** Parsing gave up: the message is kept raw in the quarantine with this reason. */
export class ParseFailed extends Error {}

/**
 * Parses mail in worker threads, so a pathological message (deep MIME, megabytes of HTML)
 * never stalls chat or the API on the main event loop. A parse that runs past the time
 * limit is aborted and its worker thrown away.
 */
export class MailParser {
  private pool: Piscina;

  constructor(private readonly timeoutMs: number) {
    this.pool = new Piscina({
      filename: new URL('./parse-worker.mjs', import.meta.url).href,
      minThreads: 0,
      maxThreads: Math.max(1, Math.min(4, os.availableParallelism() - 1)),
      idleTimeout: 60_000,
      // A worker with a leak or a runaway message must not take the node with it.
      resourceLimits: { maxOldGenerationSizeMb: 512 },
    });
  }

  async parse(raw: Buffer): Promise<ParsedEmail> {
    try {
      return (await this.pool.run(raw, { signal: AbortSignal.timeout(this.timeoutMs) })) as ParsedEmail;
    } catch (err) {
      const e = err as Error;
      if (e.name === 'AbortError' || e.name === 'TimeoutError') throw new ParseFailed(`parsing took longer than ${this.timeoutMs} ms`);
      throw new ParseFailed(`the message could not be parsed: ${e.message}`.slice(0, 500));
    }
  }

  async close() {
    await this.pool.destroy();
  }
}
