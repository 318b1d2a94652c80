import v8 from 'node:v8';
import type { FastifyUnderPressureOptions } from '@fastify/under-pressure';
import type { Config } from '../../config.js';
import { HeardError } from '../errors.js';

/** How long a client told to wait is asked to wait: about as long as a busy spell lasts. */
const RETRY_AFTER_SECONDS = 5;

/** Always answered, so that a load balancer and an orchestrator see a busy node as alive. */
const NEVER_SHED = new Set(['/healthz']);

/**
 * When this node is overloaded (its event loop lags, its heap nears V8's limit, or its
 * memory passes a ceiling), requests are refused at once with 429 and Retry-After,
 * rather than queued until memory runs out: clients come back later, and the work
 * already accepted finishes. Settings: HEARD_SHED_*.
 */
export function loadShedding(config: Config): FastifyUnderPressureOptions {
  return {
    maxEventLoopDelay: config.HEARD_SHED_EVENT_LOOP_DELAY_MS,
    // V8's heap limit follows --max-old-space-size, so this follows the memory a deployment gives Node.
    maxHeapUsedBytes: Math.round((v8.getHeapStatistics().heap_size_limit * config.HEARD_SHED_HEAP_PERCENT) / 100),
    maxRssBytes: config.HEARD_SHED_RSS_MB * 1024 * 1024,
    pressureHandler: async (req, _reply, type) => {
      if (NEVER_SHED.has(req.routeOptions.url ?? '')) return;
      req.log.warn({ pressure: type }, 'overloaded: request refused');
      throw new HeardError(429, 'Too Many Requests', `The server is busy; try again in ${RETRY_AFTER_SECONDS} s`, { retryAfter: RETRY_AFTER_SECONDS });
    },
  };
}
