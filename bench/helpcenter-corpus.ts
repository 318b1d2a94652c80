/**
 * The help-center benchmark's content, generated from a vocabulary of support words with a
 * fixed seed: 20 categories of a customer-service knowledge base, article and thread
 * titles, Markdown sections (headings, paragraphs, numbered and bulleted lists, tips),
 * community questions and answers, and the search queries readers type. Words are drawn
 * with Zipf-like weights (a few common, many rare), as in real text, so that full-text
 * search has both broad and narrow terms to find.
 */
import { rng } from './workload.js';

export type Rand = () => number;

/** A sampler over `n` ranks with weights 1/rank^s: rank 0 is the most common. */
export function zipf(n: number, s = 1): (r: Rand) => number {
  const cum = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) cum[i] = total += 1 / (i + 1) ** s;
  return (r) => {
    const x = r() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/** Zipf-weighted picks from lists (the first items are the common ones). */
const samplers = new Map<number, (r: Rand) => number>();
export function pickZ<T>(r: Rand, list: readonly T[]): T {
  let s = samplers.get(list.length);
  if (!s) samplers.set(list.length, (s = zipf(list.length, 0.9)));
  return list[s(r)];
}
export const pick = <T>(r: Rand, list: readonly T[]): T => list[Math.floor(r() * list.length)];
export const int = (r: Rand, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));

export interface CategoryVocab {
  name: string;
  description: string;
  nouns: string[];
  places: string[];
}

/** The categories, each with the things its articles are about (most common first) and where in the product they live. */
export const CATEGORIES: CategoryVocab[] = [
  { name: 'Getting started', description: 'Set up your account and learn the basics.', nouns: ['workspace', 'account', 'dashboard', 'profile', 'setup wizard', 'onboarding checklist', 'welcome email', 'trial', 'sample project', 'starter template', 'keyboard shortcut', 'home screen'], places: ['the dashboard', 'the setup wizard', 'the welcome screen'] },
  { name: 'Account and login', description: 'Passwords, sign-in problems and two-factor authentication.', nouns: ['password', 'login', 'two-factor authentication', 'recovery code', 'security key', 'username', 'email address', 'session', 'single sign-on', 'verification code', 'locked account', 'authenticator app'], places: ['the Security page', 'the sign-in screen', 'your profile menu'] },
  { name: 'Billing and payments', description: 'Invoices, payment methods, taxes and receipts.', nouns: ['invoice', 'payment method', 'credit card', 'billing address', 'receipt', 'VAT number', 'tax exemption', 'bank transfer', 'payment failure', 'billing contact', 'currency', 'purchase order'], places: ['the Billing tab', 'the invoice history', 'the payment settings'] },
  { name: 'Subscriptions and plans', description: 'Upgrades, downgrades, renewals and cancellations.', nouns: ['subscription', 'plan', 'renewal', 'seat', 'upgrade', 'downgrade', 'cancellation', 'annual plan', 'monthly plan', 'free tier', 'add-on', 'usage limit'], places: ['the Plans page', 'the subscription overview', 'the admin console'] },
  { name: 'Orders', description: 'Placing, changing and tracking orders.', nouns: ['order', 'order number', 'checkout', 'cart', 'order confirmation', 'backorder', 'pre-order', 'order history', 'shipping option', 'promo code', 'order status', 'split shipment'], places: ['the Orders page', 'your order history', 'the checkout'] },
  { name: 'Shipping and delivery', description: 'Delivery times, carriers, tracking and customs.', nouns: ['shipment', 'tracking number', 'delivery', 'carrier', 'parcel', 'delivery address', 'customs fee', 'express shipping', 'pickup point', 'delivery window', 'lost package', 'signature'], places: ['the tracking page', 'the Shipping tab', 'the delivery notification'] },
  { name: 'Returns and refunds', description: 'Send something back and get your money back.', nouns: ['return', 'refund', 'return label', 'exchange', 'store credit', 'damaged item', 'return window', 'warranty claim', 'restocking fee', 'refund status', 'replacement', 'return shipping'], places: ['the Returns page', 'the order details', 'the refund request form'] },
  { name: 'Mobile app', description: 'The app for iOS and Android.', nouns: ['mobile app', 'push notification', 'app update', 'offline mode', 'device', 'tablet', 'app permission', 'biometric login', 'widget', 'dark mode', 'battery usage', 'app store'], places: ['the app settings', 'the More tab', 'the device settings'] },
  { name: 'Notifications and email', description: 'What we send you, and how to change it.', nouns: ['notification', 'email digest', 'newsletter', 'alert', 'unsubscribe link', 'notification rule', 'spam folder', 'email template', 'reminder', 'quiet hours', 'mention', 'daily summary'], places: ['the Notifications page', 'your email preferences', 'the alert settings'] },
  { name: 'Integrations', description: 'Connect the tools your team already uses.', nouns: ['integration', 'calendar sync', 'Slack channel', 'CRM', 'Zapier', 'Salesforce', 'Google Drive', 'Shopify store', 'connector', 'OAuth connection', 'field mapping', 'sync error'], places: ['the Integrations page', 'the app marketplace', 'the connection settings'] },
  { name: 'API and webhooks', description: 'Build on the platform with the REST API.', nouns: ['API key', 'webhook', 'rate limit', 'endpoint', 'access token', 'payload', 'signature header', 'pagination', 'sandbox', 'error code', 'retry', 'SDK'], places: ['the developer settings', 'the API console', 'the webhook log'] },
  { name: 'Security and privacy', description: 'How your data is protected, and your rights.', nouns: ['data export', 'privacy policy', 'GDPR request', 'audit log', 'encryption', 'IP allowlist', 'data retention', 'cookie consent', 'security report', 'data deletion', 'compliance certificate', 'access review'], places: ['the Privacy page', 'the audit log', 'the compliance center'] },
  { name: 'Teams and permissions', description: 'Invite people and decide what they can do.', nouns: ['team member', 'invitation', 'role', 'permission', 'admin', 'guest', 'team', 'ownership transfer', 'user group', 'access level', 'seat assignment', 'deactivated user'], places: ['the Team page', 'the member list', 'the roles editor'] },
  { name: 'Reports and exports', description: 'Numbers, charts and CSV exports.', nouns: ['report', 'CSV export', 'chart', 'scheduled report', 'filter', 'date range', 'metric', 'dashboard widget', 'spreadsheet', 'custom report', 'time zone', 'PDF export'], places: ['the Reports page', 'the export dialog', 'the analytics dashboard'] },
  { name: 'Importing data', description: 'Bring your data over from another tool.', nouns: ['import', 'CSV file', 'spreadsheet template', 'duplicate record', 'column mapping', 'import error', 'migration', 'contact list', 'file size limit', 'encoding', 'bulk update', 'import history'], places: ['the Import page', 'the mapping step', 'the import log'] },
  { name: 'Troubleshooting', description: 'When something does not work as it should.', nouns: ['error message', 'browser cache', 'cookie', 'loading problem', 'blank page', 'slow performance', 'browser extension', 'outage', 'status page', 'firewall', 'VPN', 'console log'], places: ['the status page', 'your browser settings', 'the diagnostics page'] },
  { name: 'Settings and customization', description: 'Make it look and work the way you like.', nouns: ['language', 'time zone', 'theme', 'logo', 'custom domain', 'brand color', 'date format', 'default view', 'custom field', 'email signature', 'homepage layout', 'accessibility setting'], places: ['the Settings page', 'the Appearance tab', 'the workspace settings'] },
  { name: 'Gift cards and promotions', description: 'Gift cards, coupons and loyalty points.', nouns: ['gift card', 'coupon', 'discount', 'loyalty points', 'referral code', 'promotion', 'voucher', 'balance', 'sale price', 'bundle offer', 'reward tier', 'expiry date'], places: ['the Rewards page', 'the checkout', 'your wallet'] },
  { name: 'Chat and messaging', description: 'Talk to us and to your own customers.', nouns: ['chat', 'conversation', 'message', 'chat widget', 'auto-reply', 'canned response', 'attachment', 'typing indicator', 'office hours', 'transcript', 'chatbot', 'read receipt'], places: ['the Inbox', 'the chat settings', 'the widget editor'] },
  { name: 'Accessibility and languages', description: 'Screen readers, translations and regional settings.', nouns: ['screen reader', 'translation', 'keyboard navigation', 'font size', 'contrast mode', 'captions', 'right-to-left layout', 'regional format', 'localized invoice', 'alt text', 'zoom level', 'reading order'], places: ['the Accessibility page', 'the Language menu', 'the display settings'] },
];

/** The rarer things of each category (in the order of CATEGORIES): the long tail that makes most searches narrow. */
const TAIL: string[][] = [
  ['sandbox', 'guided tour', 'quickstart', 'demo data', 'invite link', 'first project', 'product tour', 'trial extension', 'sign-up form', 'starter plan', 'checklist item', 'video walkthrough', 'sample report', 'tooltip', 'glossary', 'migration call', 'kickoff', 'milestone', 'company profile', 'industry template'],
  ['passkey', 'magic link', 'backup code', 'SMS code', 'password manager', 'login attempt', 'suspicious login', 'trusted device', 'session timeout', 'identity provider', 'SAML assertion', 'Okta', 'Azure AD', 'password policy', 'captcha', 'account recovery', 'lockout', 'email change', 'OTP', 'reauthentication'],
  ['proforma invoice', 'chargeback', 'dunning email', 'prorated charge', 'credit note', 'IBAN', 'SEPA mandate', 'PayPal', 'Apple Pay', 'billing cycle', 'invoice PDF', 'tax ID', 'reverse charge', 'wire reference', 'late fee', 'payment retry', 'statement descriptor', 'card expiry', '3D Secure', 'refund to card'],
  ['seat limit', 'plan comparison', 'enterprise plan', 'nonprofit discount', 'education discount', 'auto-renewal', 'grace period', 'plan change', 'overage', 'usage report', 'billing owner', 'licence key', 'volume pricing', 'contract term', 'quote', 'renewal reminder', 'pause subscription', 'reactivation', 'feature flag', 'plan entitlement'],
  ['gift wrapping', 'order note', 'delivery instruction', 'partial order', 'guest checkout', 'saved cart', 'wishlist', 'reorder', 'order cancellation', 'invoice copy', 'order edit', 'address change', 'payment hold', 'stock alert', 'size guide', 'bulk order', 'order limit', 'order merge', 'fraud check', 'order receipt'],
  ['DHL', 'UPS', 'FedEx', 'Royal Mail', 'postcode', 'PO box', 'same-day delivery', 'delivery attempt', 'customs declaration', 'import duty', 'parcel locker', 'courier', 'warehouse', 'dispatch', 'transit time', 'proof of delivery', 'redelivery', 'freight', 'oversized item', 'delivery estimate'],
  ['refund method', 'return reason', 'prepaid label', 'drop-off point', 'inspection', 'partial refund', 'exchange size', 'faulty item', 'missing part', 'return authorization', 'RMA number', 'refund delay', 'original packaging', 'return fee', 'repair', 'serial number', 'proof of purchase', 'warranty period', 'replacement part', 'return pickup'],
  ['iOS', 'Android', 'TestFlight', 'beta build', 'app version', 'crash report', 'cache size', 'background refresh', 'location access', 'camera access', 'Face ID', 'fingerprint', 'home screen widget', 'storage space', 'low data mode', 'tablet layout', 'app language', 'sign-out', 'reinstall', 'Wear OS'],
  ['bounce', 'sender address', 'SPF record', 'DKIM', 'email forwarding', 'digest frequency', 'desktop notification', 'sound alert', 'mention alert', 'weekly report email', 'unsubscribe', 'mailing list', 'notification badge', 'snooze', 'do not disturb', 'email footer', 'reply-to address', 'HTML email', 'plain-text email', 'notification channel'],
  ['HubSpot', 'Jira', 'Zendesk', 'Microsoft Teams', 'Google Calendar', 'Outlook', 'Dropbox', 'QuickBooks', 'Xero', 'Mailchimp', 'Stripe', 'Intercom', 'Trello', 'Asana', 'GitHub', 'two-way sync', 'sync interval', 'field mapping rule', 'integration log', 'reauthorize'],
  ['REST endpoint', 'GraphQL', 'idempotency key', 'bearer token', 'scope', 'JSON payload', 'status code', 'cursor', 'webhook secret', 'HMAC', 'retry policy', 'API version', 'deprecation', 'changelog', 'client library', 'OpenAPI', 'request ID', 'timeout', 'batch endpoint', 'event type'],
  ['two-person rule', 'data residency', 'subprocessor', 'DPA', 'SOC 2', 'ISO 27001', 'penetration test', 'vulnerability disclosure', 'bug bounty', 'session log', 'right to erasure', 'anonymization', 'retention policy', 'legal hold', 'encryption at rest', 'TLS', 'SSO enforcement', 'admin approval', 'security questionnaire', 'breach notification'],
  ['workspace owner', 'custom role', 'read-only access', 'approver', 'department', 'team lead', 'guest access', 'SCIM', 'provisioning', 'deprovisioning', 'member limit', 'invite expiry', 'pending invite', 'role change', 'group sync', 'access request', 'contractor', 'shared inbox', 'permission set', 'audit trail'],
  ['pivot table', 'cohort', 'funnel', 'retention chart', 'response time', 'resolution time', 'satisfaction score', 'NPS', 'CSAT', 'SLA report', 'agent report', 'export schedule', 'Excel file', 'data warehouse', 'BigQuery', 'Snowflake', 'report filter', 'saved view', 'chart type', 'trend line'],
  ['CSV header', 'UTF-8', 'delimiter', 'duplicate detection', 'upsert', 'import preview', 'rollback', 'row limit', 'required column', 'date column', 'phone format', 'merge rule', 'import mapping', 'external ID', 'validation error', 'skipped row', 'import template', 'XLSX', 'zip archive', 'attachment import'],
  ['HTTP 500', 'timeout error', 'DNS', 'proxy', 'ad blocker', 'incognito mode', 'hard refresh', 'JavaScript error', 'WebSocket', 'network tab', 'HAR file', 'TLS handshake', 'clock skew', 'maintenance window', 'incident', 'degraded performance', 'sync conflict', 'stale data', 'missing data', 'error code'],
  ['white label', 'favicon', 'CSS override', 'subdomain', 'CNAME', 'SSL certificate', 'week start', 'number format', 'currency format', 'landing page', 'sidebar', 'compact mode', 'font', 'banner', 'custom status', 'business hours', 'holiday calendar', 'auto-archive', 'default assignee', 'keyboard layout'],
  ['gift card code', 'gift card balance', 'promo banner', 'flash sale', 'Black Friday', 'loyalty tier', 'points expiry', 'cashback', 'voucher code', 'stacking discounts', 'minimum spend', 'free shipping threshold', 'birthday reward', 'referral bonus', 'coupon limit', 'redemption', 'e-gift card', 'physical gift card', 'price match', 'member price'],
  ['chat routing', 'queue', 'handoff', 'proactive message', 'chat rating', 'visitor', 'pre-chat form', 'offline message', 'chat history', 'emoji', 'file upload', 'co-browsing', 'WhatsApp', 'Messenger', 'SMS', 'away status', 'auto-assignment', 'macro', 'saved reply', 'internal note'],
  ['VoiceOver', 'TalkBack', 'NVDA', 'JAWS', 'high contrast', 'reduced motion', 'focus indicator', 'skip link', 'ARIA label', 'dyslexia font', 'text spacing', 'sign language', 'Arabic', 'Hebrew', 'Japanese', 'German', 'Spanish', 'French', 'machine translation', 'locale'],
];

/** Feature names of the product, made of syllables (a help center is full of them): ten per category. */
const SYLLABLES = ['bri', 'cor', 'vex', 'lum', 'tra', 'nor', 'quil', 'sen', 'dal', 'fen', 'mar', 'tes', 'zor', 'pel', 'kin', 'ola', 'rix', 'ven', 'hal', 'sto'];
const FEATURES: string[][] = CATEGORIES.map((_, ci) => {
  const r = rng(1000 + ci);
  return Array.from({ length: 10 }, () => {
    const n = 2 + Math.floor(r() * 2);
    const name = Array.from({ length: n }, () => SYLLABLES[Math.floor(r() * SYLLABLES.length)]).join('');
    return name.charAt(0).toUpperCase() + name.slice(1);
  });
});
const categoryIndex = new Map<CategoryVocab, number>();

const GENERIC_NOUNS = ['account', 'setting', 'page', 'button', 'email', 'team', 'customer', 'order', 'payment', 'profile', 'browser', 'device', 'file', 'link', 'list', 'menu', 'option', 'message', 'record', 'request', 'change', 'admin', 'form', 'screen', 'tab', 'status', 'history', 'item', 'address', 'number'];
export const VERBS = ['change', 'update', 'reset', 'cancel', 'enable', 'disable', 'connect', 'export', 'import', 'download', 'upload', 'verify', 'confirm', 'delete', 'restore', 'add', 'remove', 'invite', 'schedule', 'track', 'transfer', 'sync', 'install', 'configure', 'share', 'edit', 'create', 'archive', 'merge', 'renew', 'upgrade', 'activate', 'approve', 'block', 'recover', 'replace', 'print', 'filter', 'rename', 'pause', 'reconcile', 'provision', 'authorize', 'revoke', 'migrate', 'duplicate', 'escalate', 'assign', 'unassign', 'redeem', 'refund', 'reorder', 'dispatch', 'unsubscribe', 'whitelist', 'snooze', 'translate', 'reinstall', 'rotate', 'regenerate', 'deactivate', 'reopen', 'tag', 'pin', 'subscribe', 'localize', 'customize', 'embed', 'preview', 'publish'];
const ING: Record<string, string> = { change: 'changing', update: 'updating', reset: 'resetting', cancel: 'cancelling', enable: 'enabling', disable: 'disabling', delete: 'deleting', restore: 'restoring', schedule: 'scheduling', configure: 'configuring', share: 'sharing', create: 'creating', archive: 'archiving', merge: 'merging', renew: 'renewing', upgrade: 'upgrading', activate: 'activating', approve: 'approving', replace: 'replacing', rename: 'renaming', pause: 'pausing', remove: 'removing', confirm: 'confirming', invite: 'inviting' };
const ing = (v: string) => ING[v] ?? `${v}ing`;
const ADJECTIVES = ['new', 'default', 'primary', 'monthly', 'annual', 'automatic', 'shared', 'private', 'recent', 'pending', 'failed', 'expired', 'active', 'secondary', 'custom', 'existing', 'previous', 'temporary', 'verified', 'international'];
const STATES = ['missing', 'pending', 'greyed out', 'not loading', 'stuck', 'duplicated', 'wrong', 'expired', 'declined', 'not showing', 'empty', 'delayed'];
const ROLES = ['admin', 'owner', 'billing manager', 'team lead', 'member', 'guest'];
const DEVICES = ['iPhone', 'Android', 'iPad', 'Mac', 'Windows laptop', 'Chromebook', 'Safari', 'Firefox', 'Chrome', 'Edge'];
const UNITS = ['minutes', 'hours', 'business days'];
const CHANNELS = ['email address', 'phone', 'mobile app', 'inbox'];
const WHEN = ['since yesterday', 'after the last update', 'since this morning', 'after I changed plans', 'for a week now', 'after moving', 'since the new release', 'after I reset my password'];
const PHRASES_OK = ['Thanks', 'That worked', 'Same here', 'Confirmed', 'Great tip', 'Solved it for me'];

function capital(s: string) {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
function article(word: string) {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}
const an = (word: string) => `${article(word)} ${word}`;
const plural = (n: string) => (/(s|x|ch|sh)$/.test(n) ? `${n}es` : /[^aeiou]y$/.test(n) ? `${n.slice(0, -1)}ies` : `${n}s`);

/** A thing from the category (mostly) or from the general words. */
function noun(r: Rand, c: CategoryVocab) {
  const x = r();
  if (x < 0.5) return pickZ(r, c.nouns);
  if (x < 0.78) return pick(r, TAIL[ci(c)]);
  if (x < 0.86) return `${pick(r, FEATURES[ci(c)])} ${pick(r, ['feature', 'view', 'panel', 'setting', 'add-on', 'sync', 'rule'])}`;
  return pickZ(r, GENERIC_NOUNS);
}
/** A specific thing of the category: what titles are about. */
function topic(r: Rand, c: CategoryVocab) {
  const x = r();
  if (x < 0.45) return pickZ(r, c.nouns);
  if (x < 0.9) return pick(r, TAIL[ci(c)]);
  return `${pick(r, FEATURES[ci(c)])} ${pick(r, ['feature', 'view', 'panel', 'setting', 'add-on'])}`;
}
function ci(c: CategoryVocab) {
  let i = categoryIndex.get(c);
  if (i === undefined) categoryIndex.set(c, (i = CATEGORIES.indexOf(c)));
  return i;
}
function place(r: Rand, c: CategoryVocab) {
  return r() < 0.8 ? pick(r, c.places) : pick(r, ['Settings', 'the account menu', 'the help menu', 'the admin console']);
}

const SENTENCES: ((r: Rand, c: CategoryVocab) => string)[] = [
  (r, c) => `To ${pickZ(r, VERBS)} the ${pickZ(r, ADJECTIVES)} ${noun(r, c)}, open ${place(r, c)} and select ${capital(pickZ(r, VERBS))}.`,
  (r, c) => `If the ${noun(r, c)} is ${pick(r, STATES)}, ${pickZ(r, VERBS)} it from ${place(r, c)} and try again.`,
  (r, c) => `You can ${pickZ(r, VERBS)} ${an(noun(r, c))} at any time, and the change applies to every ${noun(r, c)} in your ${pickZ(r, GENERIC_NOUNS)}.`,
  (r, c) => `Only ${plural(pick(r, ROLES))} can ${pickZ(r, VERBS)} the ${noun(r, c)} of ${an(pickZ(r, GENERIC_NOUNS))}.`,
  (r, c) => `When you ${pickZ(r, VERBS)} ${an(noun(r, c))}, we send a confirmation to your ${pick(r, CHANNELS)}.`,
  (r, c) => `It can take up to ${int(r, 2, 48)} ${pick(r, UNITS)} before the ${noun(r, c)} shows the ${pickZ(r, ADJECTIVES)} ${noun(r, c)}.`,
  (r, c) => `The ${noun(r, c)} stays ${pick(r, STATES)} until you ${pickZ(r, VERBS)} the ${noun(r, c)}.`,
  (r, c) => `${capital(ing(pickZ(r, VERBS)))} the ${noun(r, c)} does not change your ${noun(r, c)} or your ${pickZ(r, GENERIC_NOUNS)} history.`,
  (r, c) => `On ${pick(r, DEVICES)}, the ${noun(r, c)} is under ${place(r, c)}.`,
  (r, c) => `We recommend that you ${pickZ(r, VERBS)} your ${noun(r, c)} before you ${pickZ(r, VERBS)} the ${noun(r, c)}.`,
  (r, c) => `Each ${noun(r, c)} has its own ${noun(r, c)}, so check both if something looks ${pick(r, STATES)}.`,
  (r, c) => `Your ${pickZ(r, ADJECTIVES)} ${noun(r, c)} is listed in ${place(r, c)}, next to the ${noun(r, c)}.`,
  (r, c) => `After you ${pickZ(r, VERBS)} the ${noun(r, c)}, refresh the page to see the ${pickZ(r, ADJECTIVES)} ${noun(r, c)}.`,
  (r, c) => `The ${pick(r, ROLES)} of the workspace receives an email whenever a ${noun(r, c)} is ${pick(r, ['changed', 'added', 'removed', 'declined', 'approved'])}.`,
  (r, c) => `There is no limit on how many ${plural(noun(r, c))} you can ${pickZ(r, VERBS)}, but large ${plural(pickZ(r, GENERIC_NOUNS))} take longer.`,
  (r, c) => `Contact support if the ${noun(r, c)} is still ${pick(r, STATES)} after ${int(r, 2, 10)} ${pick(r, UNITS)}.`,
  (r, c) => `${pick(r, FEATURES[ci(c)])} keeps a copy of every ${noun(r, c)}, so nothing is lost when you ${pickZ(r, VERBS)} it.`,
  (r, c) => `Error ${pick(r, ['E', 'HC-', 'ERR-'])}${int(r, 100, 9999)} means that the ${noun(r, c)} could not be ${pick(r, ['saved', 'found', 'verified', 'processed', 'synced'])}.`,
  (r, c) => `Bulk actions let you ${pickZ(r, VERBS)} up to ${int(r, 2, 50) * 10} ${plural(noun(r, c))} at once.`,
  (r, c) => `Some ${plural(noun(r, c))} depend on the ${noun(r, c)}; ${pickZ(r, VERBS)} that first.`,
  (r, c) => `In ${pick(r, ['most', 'some', 'rare'])} cases the ${noun(r, c)} is ${pick(r, STATES)} because the ${noun(r, c)} was ${pick(r, ['renamed', 'moved', 'archived', 'deleted', 'replaced'])}.`,
  (r, c) => `Customers on the ${pick(r, ['Starter', 'Growth', 'Business', 'Enterprise'])} plan can also ${pickZ(r, VERBS)} the ${noun(r, c)}.`,
  (r, c) => `A ${pick(r, ['green', 'yellow', 'red', 'grey'])} badge next to the ${noun(r, c)} shows that it is ${pick(r, ['active', 'waiting', 'blocked', 'paused', 'syncing'])}.`,
  (r, c) => `Use the search box in ${place(r, c)} to find a ${noun(r, c)} by its name, ID or date.`,
  (r, c) => `${capital(plural(noun(r, c)))} created before ${pick(r, ['March', 'June', 'September', 'December'])} ${int(r, 2019, 2024)} use the old ${noun(r, c)}.`,
  (r, c) => `For security reasons, we ask you to ${pick(r, ['sign in again', 'confirm your password', 'enter a code'])} before you ${pickZ(r, VERBS)} the ${noun(r, c)}.`,
  (r, c) => `The ${noun(r, c)} and the ${noun(r, c)} are separate, although both appear in ${place(r, c)}.`,
  (r, c) => `Your ${pick(r, ROLES)} may have turned off ${ing(pickZ(r, VERBS))} ${plural(noun(r, c))} for the whole workspace.`,
  (r, c) => `Keyboard users can press ${pick(r, ['Ctrl', 'Alt', 'Shift', 'Cmd'])}+${pick(r, ['K', 'E', 'S', 'J', 'N'])} to open the ${noun(r, c)} directly.`,
  (r, c) => `${capital(pick(r, ['meanwhile', 'alternatively', 'otherwise', 'however']))}, you can ask ${an(pick(r, ROLES))} to ${pickZ(r, VERBS)} the ${noun(r, c)} for you.`,
];

export function sentence(r: Rand, c: CategoryVocab) {
  return pick(r, SENTENCES)(r, c);
}
function paragraph(r: Rand, c: CategoryVocab, min = 2, max = 5) {
  return Array.from({ length: int(r, min, max) }, () => sentence(r, c)).join(' ');
}

/** A titled part of an article, in Markdown: a heading, paragraphs, and often steps or a list. */
export function sectionMarkdown(r: Rand, c: CategoryVocab): string {
  const out = [`## ${capital(pickZ(r, VERBS))} the ${pickZ(r, ADJECTIVES)} ${noun(r, c)}`, '', paragraph(r, c)];
  const kind = r();
  if (kind < 0.4) {
    out.push('', ...Array.from({ length: int(r, 3, 6) }, (_, i) => `${i + 1}. ${pick(r, ['Open', 'Go to', 'Select', 'Choose'])} **${capital(noun(r, c))}** in ${place(r, c)}, then ${pickZ(r, VERBS)} the ${noun(r, c)}.`));
  } else if (kind < 0.7) {
    out.push('', ...Array.from({ length: int(r, 2, 5) }, () => `- The *${noun(r, c)}*: ${sentence(r, c).replace(/^./, (x) => x.toLowerCase())}`));
  }
  if (r() < 0.35) out.push('', `> **Tip:** ${sentence(r, c)}`);
  if (r() < 0.5) out.push('', paragraph(r, c, 1, 3));
  if (r() < 0.1) out.push('', `See the \`${pickZ(r, VERBS)}_${noun(r, c).replace(/[^a-z]+/gi, '_').toLowerCase()}\` setting in ${place(r, c)}.`);
  return out.join('\n');
}

/** The opening paragraph of an article (its excerpt). */
export function introMarkdown(r: Rand, c: CategoryVocab) {
  return paragraph(r, c, 3, 5);
}

export function articleTitle(r: Rand, c: CategoryVocab): string {
  const n = topic(r, c);
  const v = pickZ(r, VERBS);
  const patterns = [
    () => `How to ${v} your ${pickZ(r, ADJECTIVES)} ${n}`,
    () => `${capital(ing(v))} ${plural(n)} in ${place(r, c).replace(/^the /, '')}`,
    () => `Why is my ${n} ${pick(r, STATES)}`,
    () => `${capital(n)} and ${noun(r, c)}: frequently asked questions`,
    () => `Troubleshooting ${n} problems on ${pick(r, DEVICES)}`,
    () => `What happens when you ${v} ${article(n)} ${n}`,
    () => `Set up ${plural(n)} for your ${pick(r, ['team', 'workspace', 'store', 'company'])}`,
    () => `${capital(v)} ${article(n)} ${n} as ${article(pick(r, ROLES))} ${pick(r, ROLES)}`,
    () => `Understanding the ${pickZ(r, ADJECTIVES)} ${n}`,
    () => `Can I ${v} the ${n} after ${ing(pickZ(r, VERBS))} the ${noun(r, c)}`,
  ];
  return pick(r, patterns)();
}

export function threadTitle(r: Rand, c: CategoryVocab): string {
  const n = topic(r, c);
  const patterns = [
    () => `Cannot ${pickZ(r, VERBS)} my ${n} ${pick(r, WHEN)}`,
    () => `${capital(n)} ${pick(r, STATES)} ${pick(r, WHEN)}?`,
    () => `Is it possible to ${pickZ(r, VERBS)} ${plural(n)} in bulk?`,
    () => `How do I ${pickZ(r, VERBS)} the ${n} on ${pick(r, DEVICES)}?`,
    () => `${capital(pickZ(r, ADJECTIVES))} ${n} keeps showing the old ${noun(r, c)}`,
    () => `Feature request: ${pickZ(r, VERBS)} ${plural(n)} from ${place(r, c).replace(/^the /, '')}`,
    () => `Where did the ${n} option go?`,
  ];
  return pick(r, patterns)();
}

export function questionMarkdown(r: Rand, c: CategoryVocab): string {
  const parts = [`Hi all, ${sentence(r, c).replace(/^./, (x) => x.toLowerCase())} ${paragraph(r, c, 1, 3)}`];
  if (r() < 0.3) parts.push('', `What I tried:`, '', ...Array.from({ length: int(r, 2, 3) }, () => `- ${capital(pickZ(r, VERBS))} the ${noun(r, c)}`));
  if (r() < 0.5) parts.push('', `Using ${pick(r, DEVICES)}. Any ideas?`);
  return parts.join('\n');
}

export function answerMarkdown(r: Rand, c: CategoryVocab, staff: boolean): string {
  const parts = [staff ? `Thanks for asking! ${paragraph(r, c, 2, 4)}` : `${pick(r, PHRASES_OK)}. ${paragraph(r, c, 1, 3)}`];
  if (r() < 0.3) parts.push('', ...Array.from({ length: int(r, 2, 4) }, (_, i) => `${i + 1}. ${capital(pickZ(r, VERBS))} the **${noun(r, c)}** in ${place(r, c)}.`));
  return parts.join('\n');
}

/** The English stop words of PostgreSQL (tsearch_data/english.stop): search drops them. */
const STOP = new Set(
  'i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers herself it its itself they them their theirs themselves what which who whom this that these those am is are was were be been being have has had having do does did doing a an the and but if or because as until while of at by for with about against between into through during before after above below to from up down in out on off over under again further then once here there when where why how all any both each few more most other some such no nor not only own same so than too very s t can will just don should now'.split(' '),
);

/** The words of a text that search would keep (not stop words, not numbers), in order. */
export function contentWords(text: string): string[] {
  return (text.toLowerCase().match(/[a-z][a-z-]*[a-z]/g) ?? []).filter((w) => !STOP.has(w) && w.length > 2);
}

export type QueryKind = 'words' | 'phrase' | 'vocab' | 'typo' | 'none';
export interface BenchQuery {
  q: string;
  kind: QueryKind;
  /** Made from one document's words: search must find it (and highlight them). */
  shouldMatch: boolean;
}

function typo(r: Rand, w: string): string {
  const t = misspell(r, w);
  return t === w ? typo(r, w) : t;
}
function misspell(r: Rand, w: string) {
  const i = int(r, 1, w.length - 2);
  const k = r();
  if (k < 0.35) return w.slice(0, i) + w.slice(i + 1); // a letter dropped
  if (k < 0.7) return w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2); // two swapped
  return w.slice(0, i) + 'qwertyuiopasdfghjklzxcvbnm'[int(r, 0, 25)] + w.slice(i + 1); // one wrong
}

/**
 * The queries readers type, made from the documents: 1–3 words of one article or thread
 * (~55%), a quoted phrase from one (~15%), 1–3 words of the vocabulary that may not occur
 * together (~15%), a word of a title with a typo (~10%, the trigram path) and made-up
 * words that find nothing (~5%).
 */
export function makeQueries(seed: number, n: number, docs: { title: string; plain: string }[]): BenchQuery[] {
  const r = rng(seed);
  const vocab = [...new Set(CATEGORIES.flatMap((c, i) => [...c.nouns, ...TAIL[i]].flatMap((x) => x.toLowerCase().split(/[^a-z]+/))).concat(VERBS, ADJECTIVES))].filter((w) => w.length > 2 && !STOP.has(w));
  const out: BenchQuery[] = [];
  while (out.length < n) {
    const k = r();
    const doc = docs[Math.floor(r() * docs.length)];
    if (k < 0.55) {
      // Nearby words of the document, as someone remembers them: 1–3 of a window of 8.
      const words = contentWords(r() < 0.4 ? doc.title : doc.plain);
      if (!words.length) continue;
      const at = int(r, 0, Math.max(0, words.length - 8));
      const window = [...new Set(words.slice(at, at + 8))];
      const count = Math.min(window.length, int(r, 1, 3));
      const chosen: string[] = [];
      while (chosen.length < count) {
        const w = pick(r, window);
        if (!chosen.includes(w)) chosen.push(w);
      }
      out.push({ q: chosen.join(' '), kind: 'words', shouldMatch: true });
    } else if (k < 0.7) {
      // Two or three words in a row from one sentence, in quotes.
      // Runs of plain words (a comma inside a run is fine: search ignores it; anything else ends the run).
      const runs: string[][] = [];
      for (const sentence of doc.plain.split(/[.:;!?()\n]/)) {
        let run: string[] = [];
        for (const token of sentence.trim().split(/\s+/)) {
          const word = /^[A-Za-z][A-Za-z-]*[a-z],?$/.test(token) ? token.replace(/,$/, '') : undefined;
          if (word) run.push(word);
          else {
            if (run.length >= 3) runs.push(run);
            run = [];
          }
        }
        if (run.length >= 3) runs.push(run);
      }
      if (!runs.length) continue;
      const s = pick(r, runs);
      const len = int(r, 2, 3);
      const at = int(r, 0, s.length - len);
      const phrase = s.slice(at, at + len);
      if (!phrase.some((w) => !STOP.has(w.toLowerCase()))) continue;
      out.push({ q: `"${phrase.join(' ').toLowerCase()}"`, kind: 'phrase', shouldMatch: true });
    } else if (k < 0.85) {
      out.push({ q: Array.from({ length: int(r, 1, 3) }, () => pickZ(r, vocab)).join(' '), kind: 'vocab', shouldMatch: false });
    } else if (k < 0.95) {
      const words = contentWords(doc.title).filter((w) => w.length >= 5);
      if (!words.length) continue;
      const w = pick(r, words);
      const other = words.filter((x) => x !== w);
      out.push({ q: other.length && r() < 0.4 ? `${typo(r, w)} ${pick(r, other)}` : typo(r, w), kind: 'typo', shouldMatch: false });
    } else {
      const made = () => Array.from({ length: int(r, 6, 9) }, () => 'bcdfghjklmnpqrstvwxz'[int(r, 0, 19)]).join('');
      out.push({ q: r() < 0.5 ? made() : `${made()} ${made()}`, kind: 'none', shouldMatch: false });
    }
  }
  return out;
}
