import { z } from 'zod';
import { HELP_LANGUAGES, HELP_LOCALES } from '../../../shared/help-center.js';

export { HELP_LANGUAGES, HELP_LOCALES };

const slug = z
  .string()
  .trim()
  .min(2)
  .max(60)
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, 'lower-case letters, digits and hyphens, starting and ending with a letter or digit');

const topic = z.object({
  id: z.string().trim().min(1).max(60).regex(/^[a-z0-9_-]+$/i, 'letters, digits, - and _ only'),
  name: z.string().trim().min(1).max(100),
});

/** What an admin changes of the help center; what is left out is kept. */
export const HelpCenterUpdateSchema = z.object({
  slug: slug.optional().describe('The path under /help: /help/<slug>. Unique on this server.'),
  title: z.string().trim().min(1).max(120).optional(),
  published: z.boolean().optional().describe('Open to the public; until then only members see it.'),
  color: z.string().regex(/^#[0-9a-f]{6}$/i, 'must be a colour as #rrggbb').optional(),
  footer: z.string().max(5000).optional().describe('Markdown shown at the bottom of every page.'),
  locale: z.enum(HELP_LOCALES).optional().describe("The language of the help center's own words (buttons, headings)."),
  language: z.enum(HELP_LANGUAGES).optional().describe('The language articles and questions are written in: search finds word forms in it.'),
  portalInboxId: z.uuid().nullable().optional().describe('The portal inbox the contact form opens conversations in.'),
  topics: z
    .array(topic)
    .max(50)
    .refine((list) => new Set(list.map((t) => t.id)).size === list.length, 'topic ids must be unique')
    .optional()
    .describe('What customers choose from on the contact form.'),
  communityEnabled: z.boolean().optional(),
});
export type HelpCenterUpdate = z.infer<typeof HelpCenterUpdateSchema>;

export const HelpCenterSchema = z.object({
  slug: z.string(),
  url: z.string().describe('Where customers find it.'),
  title: z.string(),
  published: z.boolean(),
  color: z.string(),
  logoUrl: z.string().nullable(),
  footer: z.string(),
  locale: z.enum(HELP_LOCALES),
  language: z.string(),
  portalInboxId: z.uuid().nullable(),
  topics: z.array(topic),
  communityEnabled: z.boolean(),
  /** Whether portal sign-in links and confirmations can be sent (an email inbox with an outgoing server exists). */
  canSendMail: z.boolean(),
  updatedAt: z.date(),
});
