/** The widget's view of Heard's visitor API (docs/widget.md). */

export type PreChatField = 'name' | 'email' | 'phone';

export interface WidgetConfig {
  name: string;
  color: string;
  greeting: string;
  offlineMessage: string;
  preChat: { field: PreChatField; required: boolean }[];
  /** What a visitor may say their question is about, each with the fields asked before they write. */
  topics?: IntakeTopic[];
  requireVerification: boolean;
  teamName: string | null;
  people: { name: string }[];
  online: boolean;
  withinBusinessHours: boolean;
  expectedReplySeconds: number | null;
}

export interface IntakeField {
  key: string;
  label: string;
  type: 'text' | 'long_text' | 'number' | 'date' | 'email' | 'order_number' | 'select' | 'checkbox';
  options: string[];
  helpText: string;
  required: boolean;
}

export interface IntakeTopic {
  key: string;
  name: string;
  fields: IntakeField[];
}

/** The pre-chat form's topic and answers (key → text), sent with the message that opens the conversation. */
export interface Intake {
  topic: string;
  fields: Record<string, string>;
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

/** A file of a message; `url` is relative to the Heard server and signed for this visitor. */
export interface ChatFile {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  url?: string;
}

/** A file uploaded for a message not sent yet: its ticket (valid 24 hours) goes with the message. */
export interface UploadedFile {
  ticket: string;
  filename: string;
  contentType: string;
  size: number;
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
  attachments?: ChatFile[];
  /** Written by e-mail, not in the widget. */
  byEmail?: boolean;
  /** A satisfaction survey: shown as a card with a button per rating, each opening the survey's page. */
  survey?: { intro: string; outro: string; links: { rating: 'good' | 'okay' | 'bad'; label: string; url: string }[] };
  pending?: boolean;
  failed?: string;
}

/** A message the visitor wrote that Heard has not acknowledged yet. */
export interface OutboxItem {
  clientMessageId: string;
  text: string;
  conversationId: string | null;
  newConversation?: boolean;
  attachments?: UploadedFile[];
  /** The pre-chat intake, on the message that opens the conversation. */
  intake?: Intake;
  createdAt: string;
}

export interface Identity {
  id: string;
  hash: string;
  email?: string;
  name?: string;
}
