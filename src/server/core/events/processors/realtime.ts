import type { Processor } from '../dispatcher.js';
import type { EventRow } from '../record-event.js';

export interface RealtimeSink {
  publish(workspaceId: string, e: EventRow): void;
  /** Closes every socket of a member (deactivated), on every node. */
  disconnectMember(memberId: string): Promise<void>;
}

/** Sends every committed event to the agents of its workspace (over Redis to other nodes when configured). */
export function realtimeProcessor(sink: RealtimeSink): Processor {
  return {
    name: 'realtime',
    handles: () => true,
    async process(e) {
      sink.publish(e.workspaceId, e);
      if (e.type === 'member.updated' && e.data.active === false) await sink.disconnectMember(String(e.data.memberId));
    },
  };
}
