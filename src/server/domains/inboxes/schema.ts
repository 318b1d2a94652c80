import { z } from 'zod';
import { WIDGET_DEFAULT_WORDS } from '../../../shared/widget-words.js';

export const ChannelSchema = z.enum(['api', 'email', 'widget', 'portal', 'phone']);

const callbackUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http or https URL' })
  .max(2000)
  .describe('Where Heard POSTs replies to this channel (signed, retried).');

/** The networks Heard knows by name (and has an icon for); any other short display name is kept as given. */
export const KNOWN_NETWORKS = ['x', 'facebook', 'instagram', 'whatsapp', 'telegram', 'linkedin', 'tiktok', 'sms'] as const;

const network = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(40, 'must be at most 40 characters')
  .transform((v) => {
    const id = v.toLowerCase();
    if (id === 'twitter') return 'x';
    return (KNOWN_NETWORKS as readonly string[]).includes(id) ? id : v;
  })
  .describe(`API inboxes: the social network or service their messages come from, shown instead of "API" ("via Instagram"): one of ${KNOWN_NETWORKS.join(', ')} (twitter means x), or any other display name of up to 40 characters.`);

const host = z.string().trim().min(1).max(255).regex(/^[a-z0-9.:[\]-]+$/i, 'must be a host name or IP address');
const port = z.number().int().min(1).max(65535);

export const SmtpSettingsSchema = z
  .object({
    host,
    port: port.default(587),
    secure: z.boolean().default(false).describe('TLS from the start (port 465); otherwise STARTTLS when the server offers it.'),
    user: z.string().max(320).optional(),
    password: z.string().max(1000).optional().describe('Kept when omitted on update; never returned.'),
  })
  .describe("This inbox's own outgoing mail server; without one, replies go through SMTP_URL.");

export const ImapSettingsSchema = z
  .object({
    host,
    port: port.default(993),
    secure: z.boolean().default(true),
    user: z.string().min(1).max(320),
    password: z.string().max(1000).optional().describe('Kept when omitted on update; never returned.'),
    folder: z.string().trim().min(1).max(255).default('INBOX'),
    afterFetch: z.enum(['seen', 'move']).default('seen').describe('What happens to a message once it is stored: flagged \\Seen, or moved to moveTo.'),
    moveTo: z.string().trim().min(1).max(255).optional(),
  })
  .refine((s) => s.afterFetch !== 'move' || s.moveTo, { message: 'moveTo is required when afterFetch is move', path: ['moveTo'] })
  .describe('An existing mailbox Heard polls for new mail.');

export const AutoAckSchema = z
  .object({
    enabled: z.boolean(),
    text: z
      .string()
      .trim()
      .min(1)
      .max(5000)
      .default('Thank you for writing to us. Your request is number {{number}}; we usually reply within {{responseTime}}. Reply to this e-mail to add anything.'),
    responseTime: z.string().trim().min(1).max(100).default('one business day'),
  })
  .describe('An automatic acknowledgement of a new conversation, with its number and the expected response time.');

/** The e-mail settings of an email inbox, as stored in its config. */
export const EmailSettingsSchema = z.object({
  address: z.email().max(320),
  displayName: z.string().trim().max(120).optional().describe('The name replies come from, beside the agent\'s: "Ann at Acme Support".'),
  signature: z.string().max(5000).optional().describe('Added below every reply from this inbox, after the agent\'s own signature.'),
  smtp: SmtpSettingsSchema.nullable().optional(),
  imap: ImapSettingsSchema.nullable().optional(),
  autoAck: AutoAckSchema.optional(),
});
export type EmailSettings = z.infer<typeof EmailSettingsSchema>;

/** The languages the chat widget speaks (src/widget/i18n): a visitor gets the first their browser asks for. */
export const WIDGET_LOCALES = ['en', 'de'] as const;
export type WidgetLocale = (typeof WIDGET_LOCALES)[number];

const WidgetWordsSchema = z.object({
  greeting: z.string().trim().max(500).optional(),
  offlineMessage: z.string().trim().max(500).optional(),
});

export const WidgetSettingsSchema = z.object({
  color: z.string().regex(/^#[0-9a-f]{6}$/i, 'must be a colour as #rrggbb').default('#2563eb'),
  greeting: z.string().trim().max(500).default(WIDGET_DEFAULT_WORDS.en.greeting),
  offlineMessage: z.string().trim().max(500).default(WIDGET_DEFAULT_WORDS.en.offlineMessage),
  translations: z
    .partialRecord(z.enum(WIDGET_LOCALES, { error: `must be a language the widget speaks: ${WIDGET_LOCALES.join(', ')}` }), WidgetWordsSchema)
    .default({})
    .describe('The greeting and offline message in a visitor language (en, de); a language without its own, or left empty, shows greeting and offlineMessage.'),
  showTeamId: z.uuid().nullable().optional().describe('The team whose people (and their pictures) the widget shows.'),
  businessHoursId: z
    .uuid()
    .nullable()
    .optional()
    .describe("The business-hours calendar (/api/v1/business-hours) people answer in; outside it the widget shows the offline message and asks for an e-mail address. Null or absent: always open."),
  businessHours: z
    .never({ error: 'is now a calendar: create it with POST /api/v1/business-hours and set businessHoursId' })
    .optional()
    .describe('Replaced by businessHoursId.'),
  preChat: z
    .array(z.object({ field: z.enum(['name', 'email', 'phone']), required: z.boolean().default(false) }))
    .max(3)
    .default([{ field: 'name', required: false }, { field: 'email', required: false }])
    .describe('What the widget asks before the first message; a field the visitor gave already is not asked again.'),
  allowedOrigins: z
    .array(z.url({ protocol: /^https?$/, error: 'must be an http(s) origin, e.g. https://shop.example' }).transform((u) => new URL(u).origin))
    .max(50)
    .default([])
    .describe('The sites the widget may run on; empty allows any.'),
  requireVerification: z.boolean().default(false).describe('Only visitors identified with a valid hash (Heard.identify) may chat.'),
  emailInboxId: z.uuid().nullable().optional().describe('The email inbox that sends answers to visitors who have left (default: the first email inbox).'),
});
export type WidgetSettings = z.infer<typeof WidgetSettingsSchema>;

/** An optional field without its default: a PATCH that leaves a setting out keeps it (`.partial()` would fill in the default). */
function keptUnlessGiven<T extends z.ZodType>(field: z.ZodDefault<T>) {
  const optional = field.unwrap().optional();
  return field.description ? optional.describe(field.description) : optional;
}

/** The widget settings to change: only those given; the rest are kept. */
export const WidgetSettingsPatchSchema = z.object({
  color: keptUnlessGiven(WidgetSettingsSchema.shape.color),
  greeting: keptUnlessGiven(WidgetSettingsSchema.shape.greeting),
  offlineMessage: keptUnlessGiven(WidgetSettingsSchema.shape.offlineMessage),
  translations: keptUnlessGiven(WidgetSettingsSchema.shape.translations),
  showTeamId: WidgetSettingsSchema.shape.showTeamId,
  businessHoursId: WidgetSettingsSchema.shape.businessHoursId,
  businessHours: WidgetSettingsSchema.shape.businessHours,
  preChat: keptUnlessGiven(WidgetSettingsSchema.shape.preChat),
  allowedOrigins: keptUnlessGiven(WidgetSettingsSchema.shape.allowedOrigins),
  requireVerification: keptUnlessGiven(WidgetSettingsSchema.shape.requireVerification),
  emailInboxId: WidgetSettingsSchema.shape.emailInboxId,
});

/** The channels that can carry a satisfaction survey to the customer. */
export const SURVEY_CHANNELS = ['email', 'widget', 'portal'] as const;

/** Whether customers get a satisfaction survey once a conversation of this inbox is solved, and how long after. */
export const SatisfactionSettingsSchema = z
  .object({
    enabled: z.boolean().default(false),
    delayMinutes: z.number().int().min(0).max(10080).default(60).describe('Minutes after the conversation is solved (0 to 10080, a week).'),
  })
  .describe('The satisfaction survey sent when a conversation is solved (e-mail, widget and portal inboxes).');
export type SatisfactionSettings = z.infer<typeof SatisfactionSettingsSchema>;

export const InboxCreateSchema = z.discriminatedUnion('channel', [
  z.object({ name: z.string().trim().min(1).max(120), channel: z.literal('api'), callbackUrl, network: network.optional(), teamId: z.uuid().optional() }),
  EmailSettingsSchema.extend({ name: z.string().trim().min(1).max(120), channel: z.literal('email'), teamId: z.uuid().optional() }),
  WidgetSettingsSchema.extend({ name: z.string().trim().min(1).max(120), channel: z.literal('widget'), teamId: z.uuid().optional() }),
  z.object({ name: z.string().trim().min(1).max(120), channel: z.enum(['portal', 'phone']), teamId: z.uuid().optional() }),
]);
export type InboxCreate = z.infer<typeof InboxCreateSchema>;
export type InboxCreateInput = z.input<typeof InboxCreateSchema>;

export const InboxUpdateSchema = z.object({
  name: z.string().trim().min(1).max(120).optional(),
  callbackUrl: callbackUrl.optional(),
  network: network.nullable().optional().describe('API inboxes: the network their messages come from; null shows "API" again.'),
  teamId: z.uuid().nullable().optional(),
  archived: z.boolean().optional(),
  email: EmailSettingsSchema.partial().optional().describe('Email inboxes: the settings to change; the rest are kept.'),
  widget: WidgetSettingsPatchSchema.optional().describe('Widget inboxes: the settings to change; the rest are kept.'),
  satisfaction: z
    .object({ enabled: keptUnlessGiven(SatisfactionSettingsSchema.shape.enabled), delayMinutes: keptUnlessGiven(SatisfactionSettingsSchema.shape.delayMinutes) })
    .optional()
    .describe('E-mail, widget and portal inboxes: the survey settings to change; the rest are kept.'),
});
export type InboxUpdate = z.infer<typeof InboxUpdateSchema>;

export const InboxSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  channel: ChannelSchema,
  teamId: z.uuid().nullable(),
  callbackUrl: z.string().optional(),
  network: z.string().optional().describe('API inboxes: the network their messages come from (x, instagram… or a display name).'),
  address: z.string().optional(),
  email: z
    .object({
      address: z.string(),
      displayName: z.string().optional(),
      signature: z.string().optional(),
      smtp: z.object({ host: z.string(), port: z.number(), secure: z.boolean(), user: z.string().optional(), hasPassword: z.boolean() }).nullable(),
      imap: z
        .object({
          host: z.string(),
          port: z.number(),
          secure: z.boolean(),
          user: z.string(),
          hasPassword: z.boolean(),
          folder: z.string(),
          afterFetch: z.enum(['seen', 'move']),
          moveTo: z.string().optional(),
          lastPolledAt: z.date().nullable().optional(),
          lastError: z.string().nullable().optional(),
        })
        .nullable(),
      autoAck: AutoAckSchema.optional(),
    })
    .optional()
    .describe('Email inboxes: their settings; passwords are never returned.'),
  signingSecret: z.string().optional().describe('Shown to admins: verify Heard-Signature with it.'),
  satisfaction: SatisfactionSettingsSchema.optional(),
  archived: z.boolean(),
  createdAt: z.date(),
});
