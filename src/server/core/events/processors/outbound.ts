import { deliverMessageJob } from '../../../channels/deliver-message.js';
import type { Jobs } from '../../jobs/queue.js';
import type { Processor } from '../dispatcher.js';
import { readEvent } from '../types.js';

/** Hands each committed, queued reply to the delivery job. */
export function outboundProcessor(jobs: Jobs): Processor {
  return {
    name: 'outbound',
    handles: (e) => {
      const t = readEvent(e);
      return t?.type === 'message.created' && t.data.direction === 'out' && t.data.deliveryStatus === 'queued';
    },
    async process(e) {
      const messageId = String(e.data.messageId);
      // The key keeps a re-dispatched event from queueing a second delivery while the first waits.
      await jobs.send(deliverMessageJob, { messageId, attempt: 0 }, { singletonKey: `deliver:${messageId}` });
    },
  };
}
