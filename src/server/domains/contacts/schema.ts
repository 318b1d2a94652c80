import { z } from 'zod';

export const IdentityKindSchema = z.enum(['email', 'phone', 'handle', 'external']);

export const IdentitySchema = z.object({
  kind: IdentityKindSchema,
  value: z.string().trim().min(1).max(320),
});

/** How a channel names the person who wrote: any one of these is enough. */
export const ContactRefSchema = z
  .object({
    externalId: z.string().trim().min(1).max(255).optional().describe("The sender's id in the other system (e.g. a social handle's numeric id)."),
    email: z.email().max(320).optional(),
    phone: z.string().trim().regex(/^\+?[0-9 ().-]{5,30}$/, 'must be a phone number').optional(),
    handle: z.string().trim().min(1).max(255).optional(),
    name: z.string().trim().max(200).optional(),
  })
  .refine((c) => c.externalId || c.email || c.phone || c.handle, { message: 'needs at least one of externalId, email, phone or handle' });
export type ContactRef = z.infer<typeof ContactRefSchema>;

export const ContactUpdateSchema = z.object({
  name: z.string().trim().max(200).optional(),
  company: z.string().trim().max(200).nullable().optional().describe('Company name; created when new, null to clear.'),
  attributes: z.record(z.string().max(100), z.unknown()).optional().describe('Replaces the custom attributes.'),
  addIdentities: z.array(IdentitySchema).max(20).optional(),
  removeIdentities: z.array(z.uuid()).max(20).optional(),
});
export type ContactUpdate = z.infer<typeof ContactUpdateSchema>;
