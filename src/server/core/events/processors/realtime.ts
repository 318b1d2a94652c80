import type { Processor } from '../dispatcher.js';
import type { EventRow } from '../record-event.js';

export interface RealtimeSink {
  publish(workspaceId: string, e: EventRow): void;
}

/** Sends every committed event to the agents of its workspace (over Redis to other nodes when configured). */
export function realtimeProcessor(sink: RealtimeSink): Processor {
  return {
    name: 'realtime',
    handles: () => true,
    async process(e) {
      sink.publish(e.workspaceId, e);
    },
  };
}
