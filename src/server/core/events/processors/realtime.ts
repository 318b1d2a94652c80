import type { Processor } from '../dispatcher.js';
import type { EventRow } from '../record-event.js';
import { readEvent } from '../types.js';

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
      const t = readEvent(e);
      if (t?.type === 'member.updated' && t.data.active === false) await sink.disconnectMember(t.data.memberId);
    },
  };
}
