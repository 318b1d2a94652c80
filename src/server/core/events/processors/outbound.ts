import { deliverMessageJob } from '../../../channels/deliver-message.js';
import type { Jobs } from '../../jobs/queue.js';
import type { Processor } from '../dispatcher.js';
import { readEvent } from '../types.js';

/** Hands each committed, queued reply to the delivery job, and each reply a member asked to retry now. */
export function outboundProcessor(jobs: Jobs): Processor {
  return {
    name: 'outbound',
    handles: (e) => {
      const t = readEvent(e);
      if (t?.type === 'message.delivery') return 'messageId' in t.data && !!t.data.retry;
      return t?.type === 'message.created' && t.data.direction === 'out' && t.data.deliveryStatus === 'queued';
    },
    async process(e) {
      const t = readEvent(e);
      if (t?.type === 'message.delivery' && 'messageId' in t.data && t.data.retry) {
        const { messageId, retry, attempts } = t.data;
        // One job per retry asked for: a re-dispatched event finds it already queued.
        await jobs.send(deliverMessageJob, { messageId, attempt: attempts ?? 0, due: retry.due, since: retry.since }, { singletonKey: `deliver:${messageId}:${retry.due}` });
        return;
      }
      const messageId = String(e.data.messageId);
      // The key keeps a re-dispatched event from queueing a second delivery while the first waits.
      await jobs.send(deliverMessageJob, { messageId, attempt: 0 }, { singletonKey: `deliver:${messageId}` });
    },
  };
}
