import { z } from 'zod';
import { ContactRefSchema } from '../../domains/contacts/schema.js';

export const ApiInboundSchema = z
  .object({
    contact: ContactRefSchema,
    text: z.string().max(100_000).optional(),
    html: z.string().max(1_000_000).optional().describe('Sanitised before it is stored.'),
    subject: z.string().trim().max(500).optional(),
    clientMessageId: z
      .string()
      .trim()
      .min(1)
      .max(255)
      .describe('Your id for this message. Sending the same id again returns the same ids and stores nothing new.'),
  })
  .refine((m) => (m.text && m.text.trim()) || (m.html && m.html.trim()), { message: 'needs text or html', path: ['text'] });

export const ApiInboundResultSchema = z.object({
  conversationId: z.uuid(),
  conversationNumber: z.number().int(),
  messageId: z.uuid(),
  contactId: z.uuid(),
  duplicate: z.boolean().describe('True when this clientMessageId was stored before; nothing new was stored.'),
});
