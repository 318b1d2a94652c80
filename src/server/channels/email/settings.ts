import type { inboxes } from '../../db/schema/index.js';
import type { EmailSettings } from '../../domains/inboxes/schema.js';

/** An email inbox's settings, as createInbox / updateInbox stored them in its config. */
export function emailSettings(inbox: Pick<typeof inboxes.$inferSelect, 'config'>): EmailSettings {
  return inbox.config as unknown as EmailSettings;
}
