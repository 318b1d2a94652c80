/**
 * The workload every part of the ingest benchmark runs: customer messages as an API
 * channel integration sends them. About 70% come from new contacts (a new conversation),
 * the rest are follow-ups from a contact whose earlier message has been stored (threaded
 * into their open conversation). Every message has its own clientMessageId.
 */

export interface ContactSpec {
  externalId: string;
  name: string;
  email?: string;
}

/** What the API channel receives (the POST body) and ingest() is handed. */
export interface MessageSpec {
  kind: 'new' | 'follow-up';
  contact: ContactSpec;
  text: string;
  clientMessageId: string;
  /** Follow-ups only: what the earlier message of this contact was stored as (the baseline writes into it). */
  known?: Known;
}

/** What storing a contact's first message produced. */
export interface Known {
  contact: ContactSpec;
  contactId?: string;
  conversationId?: string;
}

export const NEW_CONTACT_SHARE = 0.7;

/** A small seeded PRNG (mulberry32), so every part and every run sends the same kind of traffic. */
export function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = ['Ann', 'Bo', 'Chen', 'Dana', 'Eli', 'Fatima', 'Gus', 'Hana', 'Ivan', 'Jo', 'Kemal', 'Lena', 'Mateo', 'Noor', 'Olu', 'Priya'];
const LAST = ['Lee', 'Okafor', 'Nguyen', 'Schmidt', 'Garcia', 'Kowalski', 'Haddad', 'Silva', 'Tanaka', 'Moreau', 'Ivanova', 'Smith'];
const OPENERS = [
  'Hi, my order has not arrived yet.',
  'Hello! I was charged twice for the same subscription.',
  'I cannot log in to my account since this morning.',
  'The app crashes every time I open the settings page.',
  'Can I change the delivery address of order 48213?',
  'Your checkout rejects my card although it works elsewhere.',
  'I would like to return the blue jacket, it is too small.',
  'Is the premium plan available for teams of five?',
];
const MORE = [
  'I tried again an hour later and it is the same.',
  'It has been a week now and nobody answered my e-mail.',
  'The tracking page says "label created" since Monday.',
  'I am on Android 14, version 3.2.1 of the app.',
  'Could you please look into it today?',
  'Thanks in advance for your help.',
  'My account e-mail is the one I am writing from.',
  'This is quite urgent for me, I need it before the weekend.',
];
const FOLLOW_UPS = ['Any news on this?', 'Hello? Still waiting for an answer.', 'I found the receipt, the order number is 48213.', 'Thanks, that worked!', 'One more question: do you ship to Norway?'];

/** Hands out the messages of one run. Follow-ups pick a contact whose first message is already stored. */
export class Workload {
  private readonly random: () => number;
  private readonly known: Known[] = [];
  private n = 0;

  constructor(
    seed: number,
    /** Keeps ids unique across the warm-up and the measured run, and across parts. */
    private readonly prefix: string,
  ) {
    this.random = rng(seed);
  }

  private pick<T>(list: T[]): T {
    return list[Math.floor(this.random() * list.length)];
  }

  next(): MessageSpec {
    const i = this.n++;
    const clientMessageId = `${this.prefix}-m${i}`;
    if (this.known.length > 0 && this.random() >= NEW_CONTACT_SHARE) {
      const known = this.pick(this.known);
      return { kind: 'follow-up', contact: known.contact, text: this.pick(FOLLOW_UPS), clientMessageId, known };
    }
    const first = this.pick(FIRST);
    const last = this.pick(LAST);
    const contact: ContactSpec = { externalId: `${this.prefix}-c${i}`, name: `${first} ${last}` };
    // Half the integrations also know the customer's e-mail address.
    if (this.random() < 0.5) contact.email = `${first}.${last}.${i}@example.com`.toLowerCase();
    const sentences = [this.pick(OPENERS)];
    const extra = Math.floor(this.random() * 4);
    for (let k = 0; k < extra; k++) sentences.push(this.pick(MORE));
    return { kind: 'new', contact, text: sentences.join(' '), clientMessageId };
  }

  /** Called once a new contact's first message is stored: from now on it may write again. */
  stored(spec: MessageSpec, ids: { contactId?: string; conversationId?: string } = {}) {
    if (spec.kind === 'new') this.known.push({ contact: spec.contact, ...ids });
  }
}

export interface Latency {
  p50: number;
  p95: number;
  p99: number;
}

/** The nearest-rank `p`th percentile of values sorted ascending; NaN when there are none. */
export function percentile(sorted: ArrayLike<number>, p: number) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Nearest-rank percentiles of latencies in milliseconds. */
export function percentiles(ms: number[]): Latency {
  const s = Float64Array.from(ms).sort();
  return { p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99) };
}

export interface Failure {
  message: string;
}

export interface RunResult {
  messages: number;
  elapsedMs: number;
  latenciesMs: number[];
  failures: Failure[];
}

/**
 * Sends `n` messages from `workload` through `send`, `concurrency` at a time, and times
 * each one. A failed message is counted and kept (the first few), never retried.
 */
export async function drive(
  workload: Workload,
  n: number,
  concurrency: number,
  send: (spec: MessageSpec) => Promise<{ contactId?: string; conversationId?: string }>,
): Promise<RunResult> {
  const latenciesMs: number[] = [];
  const failures: Failure[] = [];
  let started = 0;
  const t0 = performance.now();
  const lane = async () => {
    while (started < n) {
      started++;
      const spec = workload.next();
      const t = performance.now();
      try {
        const ids = await send(spec);
        latenciesMs.push(performance.now() - t);
        workload.stored(spec, ids);
      } catch (err) {
        failures.push({ message: (err as Error).message });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, lane));
  return { messages: n, elapsedMs: performance.now() - t0, latenciesMs, failures };
}
