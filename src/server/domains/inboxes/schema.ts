import { z } from 'zod';

export const ChannelSchema = z.enum(['api', 'email', 'widget', 'portal', 'phone']);

const callbackUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http or https URL' })
  .max(2000)
  .describe('Where Heard POSTs replies to this channel (signed, retried).');

export const InboxCreateSchema = z.discriminatedUnion('channel', [
  z.object({ name: z.string().trim().min(1).max(120), channel: z.literal('api'), callbackUrl, teamId: z.uuid().optional() }),
  z.object({ name: z.string().trim().min(1).max(120), channel: z.literal('email'), address: z.email(), teamId: z.uuid().optional() }),
  z.object({ name: z.string().trim().min(1).max(120), channel: z.enum(['widget', 'portal', 'phone']), teamId: z.uuid().optional() }),
]);
export type InboxCreate = z.infer<typeof InboxCreateSchema>;

export const InboxUpdateSchema = z.object({
  name: z.string().trim().min(1).max(120).optional(),
  callbackUrl: callbackUrl.optional(),
  teamId: z.uuid().nullable().optional(),
  archived: z.boolean().optional(),
});
export type InboxUpdate = z.infer<typeof InboxUpdateSchema>;

export const InboxSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  channel: ChannelSchema,
  teamId: z.uuid().nullable(),
  callbackUrl: z.string().optional(),
  address: z.string().optional(),
  signingSecret: z.string().optional().describe('Shown to admins: verify Heard-Signature with it.'),
  archived: z.boolean(),
  createdAt: z.date(),
});
