/** The widget's view of Heard's visitor API (docs/widget.md). */

export type PreChatField = 'name' | 'email' | 'phone';

export interface WidgetConfig {
  name: string;
  color: string;
  greeting: string;
  offlineMessage: string;
  preChat: { field: PreChatField; required: boolean }[];
  requireVerification: boolean;
  teamName: string | null;
  people: { name: string }[];
  online: boolean;
  withinBusinessHours: boolean;
  expectedReplySeconds: number | null;
}

export interface Contact {
  name: string | null;
  email: string | null;
  phone: string | null;
  verified: boolean;
}

export interface ConversationSummary {
  id: string;
  number: number;
  subject: string | null;
  status: string;
  lastMessageAt: string | null;
  lastReplyAt: string | null;
}

export interface Session {
  token: string;
  contact: Contact;
  conversations: ConversationSummary[];
}

/** A message as the visitor sees it; `pending` while it waits in the outbox for Heard's acknowledgement. */
export interface ChatMessage {
  id: string;
  conversationId: string | null;
  clientMessageId?: string | null;
  from: 'visitor' | 'agent';
  authorName: string | null;
  text: string;
  createdAt: string;
  pending?: boolean;
  failed?: string;
}

/** A message the visitor wrote that Heard has not acknowledged yet. */
export interface OutboxItem {
  clientMessageId: string;
  text: string;
  conversationId: string | null;
  newConversation?: boolean;
  createdAt: string;
}

export interface Identity {
  id: string;
  hash: string;
  email?: string;
  name?: string;
}
