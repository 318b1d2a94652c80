import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApiInbox, buildMember, type Client, sendInbound } from '../../../../test/factories.js';
import { publishHelpCenter } from '../../../../test/helpers/help-center.js';
import { json, startTestHeard, type TestHeard } from '../../../../test/helpers/heard.js';
import { defaultDisplayName, quoteFits } from './service.js';

const PUBLIC_URL = 'https://help.acme.test';
const LINK = /https:\/\/help\.acme\.test\/feedback\/consent\/([A-Za-z0-9_-]{43})/;

describe('the feedback wall', () => {
  let h: TestHeard;
  let owner: Client;
  let agent: Client;
  let inboxId: string;
  let wall: string;

  const raw = (text: string, values: unknown[] = []) => h.ctx.database.raw.query<Record<string, any>>(text, values);
  const call = async (who: Client, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, code = 200) => {
    const res = await h.app.inject({ method, url: `/api/v1${url}`, headers: who.headers, payload });
    expect(res.statusCode, res.body).toBe(code);
    return (res.body ? json(res) : undefined) as any;
  };
  const page = (url: string) => h.app.inject({ url });
  const answer = (token: string, body: Record<string, string>) =>
    h.app.inject({ method: 'POST', url: `/feedback/consent/${token}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(body).toString() });

  /** A customer writes; an agent proposes their words; the customer is asked: the item and the token from the message sent to them. */
  async function asked(text: string, opts: { kind?: 'compliment' | 'complaint'; quote?: string; response?: string; name?: string } = {}) {
    const m = await sendInbound(h.app, owner, inboxId, { text, contact: { externalId: `c-${Math.random()}`, name: opts.name ?? 'Maya Johnson' } });
    const item = await call(agent, 'POST', '/feedback', { kind: opts.kind ?? 'compliment', messageId: m.messageId, quote: opts.quote, response: opts.response ?? 'Thank you, Maya!' }, 201);
    await call(agent, 'POST', `/feedback/${item.id}/request-consent`);
    const { rows } = await raw(`select text from messages where conversation_id = $1 and direction = 'out' order by created_at desc limit 1`, [m.conversationId]);
    const token = LINK.exec(rows[0].text)![1];
    return { item, token, conversationId: m.conversationId, messageId: m.messageId };
  }
  const wallHtml = async (query = '') => {
    const res = await page(`${wall}/feedback${query}`);
    expect(res.statusCode).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    h = await startTestHeard({ HEARD_PUBLIC_URL: PUBLIC_URL });
    owner = await buildMember(h.ctx, { workspace: 'Shoe Co', role: 'owner', name: 'Olive Owner' });
    agent = await buildMember(h.ctx, { workspace: 'Shoe Co', role: 'agent', name: 'Ann Agent' });
    inboxId = (await buildApiInbox(h.app, owner)).id;
    const hc = await publishHelpCenter(h.app, owner, { title: 'Shoe Co Help' });
    wall = `/help/${hc.slug}`;
  });

  afterAll(async () => {
    await h?.stop();
  });

  it('names a customer by first name and initial, and takes only their words, shortened at most', () => {
    expect(defaultDisplayName('Maya Johnson')).toBe('Maya J.');
    expect(defaultDisplayName('Maya van der Berg')).toBe('Maya B.');
    expect(defaultDisplayName('Maya')).toBe('Maya');
    expect(defaultDisplayName('maya@example.com')).toBe('Customer');
    const said = 'The shoes arrived a day early.\nThe fit is perfect, and your team was so kind on the phone.';
    expect(quoteFits(said, 'The shoes arrived a day early. The fit is perfect, and your team was so kind on the phone.')).toBe(true);
    expect(quoteFits(said, 'The shoes arrived a day early … your team was so kind on the phone.')).toBe(true);
    expect(quoteFits(said, 'The fit is perfect')).toBe(true);
    expect(quoteFits(said, 'The fit is perfect and cheap')).toBe(false);
    expect(quoteFits(said, 'your team was so kind … The shoes arrived')).toBe(false);
    expect(quoteFits(said, ' … ')).toBe(false);
  });

  it('shows nothing on the wall without recorded consent: draft, asked, declined, agreed but not published, withdrawn', async () => {
    const m = await sendInbound(h.app, owner, inboxId, { text: 'Draft words never shown', contact: { externalId: 'draft', name: 'Dana Draft' } });
    const draft = await call(agent, 'POST', '/feedback', { kind: 'compliment', messageId: m.messageId }, 201);
    expect(draft).toMatchObject({ state: 'draft', quote: 'Draft words never shown', displayName: 'Dana D.' });
    const requested = await asked('Asked words never shown');
    const declined = await asked('Declined words never shown');
    expect((await answer(declined.token, { answer: 'no' })).statusCode).toBe(303);
    const consented = await asked('Agreed words not yet shown');
    expect((await answer(consented.token, { answer: 'yes' })).statusCode).toBe(303);
    const withdrawn = await asked('Withdrawn words never shown');
    await answer(withdrawn.token, { answer: 'yes' });
    await answer(withdrawn.token, { answer: 'withdraw' });

    // Publishing before consent is refused, by the service and by the table itself.
    await call(owner, 'POST', `/feedback/${draft.id}/publish`, undefined, 409);
    await call(owner, 'POST', `/feedback/${requested.item.id}/publish`, undefined, 409);
    await call(owner, 'POST', `/feedback/${declined.item.id}/publish`, undefined, 409);
    await call(owner, 'POST', `/feedback/${withdrawn.item.id}/publish`, undefined, 409);
    await expect(raw(`update feedback_items set state = 'published', published_at = now() where id = $1`, [requested.item.id])).rejects.toThrow(/feedback_items_published_check/);
    await expect(raw(`update feedback_items set state = 'published', published_at = now() where id = $1`, [withdrawn.item.id])).rejects.toThrow(/feedback_items_published_check/);

    const states = Object.fromEntries(
      await Promise.all([draft, requested.item, declined.item, consented.item, withdrawn.item].map(async (i) => [i.id, (await call(owner, 'GET', `/feedback/${i.id}`)).state])),
    );
    expect(Object.values(states)).toEqual(['draft', 'consent_requested', 'declined', 'consented', 'withdrawn']);
    const html = await wallHtml();
    expect(html).not.toContain('never shown');
    expect(html).not.toContain('not yet shown');
    expect(html).toContain('Nothing here yet.');
    // With nothing on it, the help center does not link to the wall.
    expect((await page(wall)).body).not.toContain(`href="${wall}/feedback"`);
  });

  it('goes from a customer message to the wall: asked on the channel, agreed on the page by POST, published by an admin with an audit entry', async () => {
    const { item, token, conversationId } = await asked('The boots fit perfectly and came a day early. Thank you!', { response: 'We are so glad, Maya. Enjoy the hike!' });
    expect(item.displayName).toBe('Maya J.');
    // The team sees the request without the customer's link.
    const timeline = await call(owner, 'GET', `/conversations/${conversationId}/timeline`);
    const request = timeline.items.find((i: any) => i.type === 'message' && i.message.email?.consent);
    expect(request.message.text).toContain('/feedback/consent/…');
    expect(JSON.stringify(timeline)).not.toContain(token);
    const [stored] = (await raw('select * from feedback_items where id = $1', [item.id])).rows;
    expect(JSON.stringify(stored)).not.toContain(token);

    // The page shows exactly what would appear; opening it records nothing.
    const shown = await page(`/feedback/consent/${token}`);
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain('The boots fit perfectly and came a day early. Thank you!');
    expect(shown.body).toContain('Maya J.');
    expect(shown.body).toContain('We are so glad, Maya. Enjoy the hike!');
    expect(shown.body).toContain('Yes, publish it');
    expect((await call(owner, 'GET', `/feedback/${item.id}`)).state).toBe('consent_requested');

    // The agent cannot publish; the quote cannot change once asked.
    await call(agent, 'POST', `/feedback/${item.id}/publish`, undefined, 403);
    await call(agent, 'PATCH', `/feedback/${item.id}`, { quote: 'The boots fit perfectly' }, 409);

    expect((await answer(token, { answer: 'yes' })).headers.location).toBe(`/feedback/consent/${token}`);
    const agreed = await call(owner, 'GET', `/feedback/${item.id}`);
    expect(agreed).toMatchObject({ state: 'consented', consentVia: 'link', anonymous: false });
    expect(agreed.consentedAt).toBeTruthy();
    // The customer agreed to that text: nobody changes it now, not even an admin.
    await call(owner, 'PATCH', `/feedback/${item.id}`, { quote: 'The boots fit perfectly' }, 409);
    await call(owner, 'PATCH', `/feedback/${item.id}`, { displayName: 'Maya Johnson' }, 409);
    // The company's own response stays editable by an admin.
    await call(agent, 'PATCH', `/feedback/${item.id}`, { response: 'Changed by an agent' }, 403);
    await call(owner, 'PATCH', `/feedback/${item.id}`, { response: 'We are so glad, Maya. Enjoy the trail!' });

    const published = await call(owner, 'POST', `/feedback/${item.id}/publish`);
    expect(published.state).toBe('published');
    const html = await wallHtml();
    expect(html).toContain('The boots fit perfectly and came a day early. Thank you!');
    expect(html).toContain('Maya J.');
    expect(html).toContain('We are so glad, Maya. Enjoy the trail!');
    expect(html).toContain('Compliment');
    // Now the help center's navigation links to it.
    expect((await page(wall)).body).toContain(`href="${wall}/feedback"`);
    expect(await wallHtml('?kind=complaint')).not.toContain('The boots fit perfectly');
    expect(await wallHtml('?kind=compliment')).toContain('The boots fit perfectly');

    const events = (await call(owner, 'GET', `/conversations/${conversationId}/timeline`)).items.filter((i: any) => i.type === 'event' && i.event.type.startsWith('feedback.'));
    expect(events.map((i: any) => i.event.type)).toEqual(['feedback.requested', 'feedback.consented', 'feedback.published']);
    const audit = await call(owner, 'GET', '/audit-log');
    expect(audit.items.find((a: any) => a.action === 'feedback.publish' && a.targetId === item.id)).toBeTruthy();

    // Unpublishing (moderation) takes it off; it can go back, the consent stands.
    await call(owner, 'POST', `/feedback/${item.id}/unpublish`);
    expect(await wallHtml()).not.toContain('The boots fit perfectly');
    expect((await call(owner, 'GET', '/audit-log')).items.find((a: any) => a.action === 'feedback.unpublish' && a.targetId === item.id)).toBeTruthy();
    await call(owner, 'POST', `/feedback/${item.id}/publish`);
    expect(await wallHtml()).toContain('The boots fit perfectly');

    // The customer withdraws with the same link: off the wall at once, for good.
    const page2 = await page(`/feedback/consent/${token}`);
    expect(page2.body).toContain('Withdraw my consent');
    await answer(token, { answer: 'withdraw' });
    expect(await wallHtml()).not.toContain('The boots fit perfectly');
    expect((await call(owner, 'GET', `/feedback/${item.id}`)).state).toBe('withdrawn');
    await call(owner, 'POST', `/feedback/${item.id}/publish`, undefined, 409);
    await answer(token, { answer: 'yes' });
    expect((await call(owner, 'GET', `/feedback/${item.id}`)).state).toBe('withdrawn');
    expect((await page(`/feedback/consent/${token}`)).body).toContain('Your consent is withdrawn');
    const withdrawal = (await call(owner, 'GET', '/audit-log')).items.find((a: any) => a.action === 'feedback.withdraw' && a.targetId === item.id);
    expect(withdrawal).toMatchObject({ actorMemberId: null });
  });

  it('shows a customer who chose to be anonymous without their name, and renders what people wrote as text', async () => {
    const { item, token } = await asked('Too slow. <script>alert(1)</script> <b>bold</b>', { kind: 'complaint', response: 'Sorry <img src=x onerror=alert(1)>', name: 'Sam Secret' });
    await answer(token, { answer: 'yes', anonymous: 'on' });
    expect((await call(owner, 'GET', `/feedback/${item.id}`)).anonymous).toBe(true);
    await call(owner, 'POST', `/feedback/${item.id}/publish`);
    const html = await wallHtml('?kind=complaint');
    expect(html).toContain('Anonymous');
    expect(html).not.toContain('Sam S.');
    expect(html).toContain('Complaint');
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script>alert(1)&lt;/script>');
    expect(html).not.toContain('<img src=x');
  });

  it('opens no item with a forged, altered or shortened link, nor with the stored hash', async () => {
    const { token, item } = await asked('Forged links do nothing');
    const [stored] = (await raw('select consent_token_hash from feedback_items where id = $1', [item.id])).rows;
    const altered = `${token.slice(0, 20)}${token[20] === 'A' ? 'B' : 'A'}${token.slice(21)}`;
    for (const t of [altered, token.slice(0, 42), 'A'.repeat(43), stored.consent_token_hash]) {
      expect((await page(`/feedback/consent/${t}`)).statusCode).toBe(404);
      expect((await answer(t, { answer: 'yes' })).statusCode).toBe(404);
    }
    expect((await call(owner, 'GET', `/feedback/${item.id}`)).state).toBe('consent_requested');
  });

  it('refuses bad input by field, and words the customer did not write', async () => {
    const m = await sendInbound(h.app, owner, inboxId, { text: 'Lovely service, fast delivery.', contact: { externalId: 'inputs', name: 'Ivy Input' } });
    const post = (payload: object) => h.app.inject({ method: 'POST', url: '/api/v1/feedback', headers: agent.headers, payload });
    const noKind = await post({ messageId: m.messageId });
    expect(noKind.statusCode).toBe(422);
    expect(noKind.body).toContain('kind');
    const both = await post({ kind: 'compliment' });
    expect(both.statusCode).toBe(422);
    expect(both.body).toContain('messageId');
    const invented = await post({ kind: 'compliment', messageId: m.messageId, quote: 'Lovely service, the best shop ever.' });
    expect(invented.statusCode).toBe(422);
    expect(json(invented).errors[0].field).toBe('quote');
    const long = await post({ kind: 'compliment', messageId: m.messageId, displayName: 'x'.repeat(81) });
    expect(long.statusCode).toBe(422);
    expect(long.body).toContain('displayName');
    // The team's own reply is no customer's words.
    const reply = await call(agent, 'POST', `/conversations/${m.conversationId}/messages`, { text: 'Thanks!' }, 201);
    const ours = await post({ kind: 'compliment', messageId: reply.id });
    expect(ours.statusCode).toBe(422);
    expect(json(ours).errors[0].field).toBe('messageId');
    // Shortened with an ellipsis is fine, and a draft may be changed and deleted.
    const made = await call(agent, 'POST', '/feedback', { kind: 'compliment', messageId: m.messageId, quote: 'Lovely service … delivery.' }, 201);
    expect((await call(agent, 'PATCH', `/feedback/${made.id}`, { quote: 'Lovely service', displayName: 'Ivy' })).quote).toBe('Lovely service');
    await call(agent, 'DELETE', `/feedback/${made.id}`, undefined, 204);
  });

  it('shares a satisfaction survey comment only once the customer agreed: asked on the channel, published by an admin', async () => {
    const m = await sendInbound(h.app, owner, inboxId, { text: 'Where is my order?', contact: { externalId: 'survey', name: 'Sue Survey' } });
    const [c] = (await raw('select contact_id, inbox_id, workspace_id from conversations where id = $1', [m.conversationId])).rows;
    const [s] = (
      await raw(
        `insert into satisfaction_surveys (id, workspace_id, conversation_id, contact_id, inbox_id, channel, token_hash, rating, comment, rated_at, changeable_until)
         values (gen_random_uuid(), $1, $2, $3, $4, 'api', 'x', 'good', 'Quick and kind, thank you', now(), now() + interval '7 days') returning id`,
        [c.workspace_id, m.conversationId, c.contact_id, c.inbox_id],
      )
    ).rows;
    // The conversation names its survey, so the app can offer its comment from a report's list.
    expect((await call(agent, 'GET', `/conversations/${m.conversationId}`)).satisfaction).toMatchObject({ surveyId: s.id, comment: 'Quick and kind, thank you' });
    const item = await call(agent, 'POST', '/feedback', { kind: 'compliment', surveyId: s.id, response: 'Thank you, Sue!' }, 201);
    expect(item).toMatchObject({ quote: 'Quick and kind, thank you', displayName: 'Sue S.', surveyId: s.id, messageId: null });
    await call(owner, 'POST', `/feedback/${item.id}/publish`, undefined, 409);
    await call(agent, 'POST', `/feedback/${item.id}/request-consent`);
    await call(owner, 'POST', `/feedback/${item.id}/publish`, undefined, 409);
    expect(await wallHtml()).not.toContain('Quick and kind');
    const { rows } = await raw(`select text from messages where conversation_id = $1 and direction = 'out' order by created_at desc limit 1`, [m.conversationId]);
    const token = LINK.exec(rows[0].text)![1];
    const shown = await page(`/feedback/consent/${token}`);
    expect(shown.body).toContain('Quick and kind, thank you');
    expect(await wallHtml()).not.toContain('Quick and kind');
    await answer(token, { answer: 'yes' });
    expect(await wallHtml()).not.toContain('Quick and kind');
    await call(owner, 'POST', `/feedback/${item.id}/publish`);
    const html = await wallHtml();
    expect(html).toContain('Quick and kind, thank you');
    expect(html).toContain('Thank you, Sue!');
    // A survey without a comment has nothing to quote.
    await raw('update satisfaction_surveys set comment = null where id = $1', [s.id]);
    const bare = await h.app.inject({ method: 'POST', url: '/api/v1/feedback', headers: agent.headers, payload: { kind: 'compliment', surveyId: s.id } });
    expect(bare.statusCode).toBe(422);
    expect(json(bare).errors[0].field).toBe('surveyId');
  });
  it('counts praise and complaints per day over a period, beside the previous one, as figured by hand', async () => {
    const tally = await buildMember(h.ctx, { workspace: 'Tally Co', role: 'owner', name: 'Tia Tally' });
    const tallyInbox = (await buildApiInbox(h.app, tally)).id;
    /** An item of `who`'s workspace with its steps at the given times (UTC), in the state they lead to. */
    const seed = async (who: Client, inbox: string, kind: 'compliment' | 'complaint', steps: { created: string; asked?: string; consented?: string; declined?: string; published?: string; withdrawn?: string }) => {
      const m = await sendInbound(h.app, who, inbox, { text: `Words of ${steps.created}` });
      const item = await call(who, 'POST', '/feedback', { kind, messageId: m.messageId }, 201);
      const state = steps.withdrawn ? 'withdrawn' : steps.published ? 'published' : steps.declined ? 'declined' : steps.consented ? 'consented' : steps.asked ? 'consent_requested' : 'draft';
      const last = [steps.created, steps.asked, steps.consented, steps.declined, steps.published, steps.withdrawn].filter(Boolean).sort().pop();
      await raw(
        `update feedback_items set state = $2::feedback_state, created_at = $3, consent_requested_at = $4, consented_at = $5, declined_at = $6, published_at = $7, withdrawn_at = $8, updated_at = $9 where id = $1`,
        [item.id, state, steps.created, steps.asked ?? null, steps.consented ?? null, steps.declined ?? null, steps.published ?? null, steps.withdrawn ?? null, last],
      );
      return { id: item.id as string, number: m.conversationNumber };
    };
    const praised = await seed(tally, tallyInbox, 'compliment', { created: '2026-11-02T10:00:00Z', asked: '2026-11-02T11:00:00Z', consented: '2026-11-03T09:00:00Z', published: '2026-11-04T08:00:00Z' });
    const declined = await seed(tally, tallyInbox, 'compliment', { created: '2026-11-02T23:30:00Z', asked: '2026-11-03T00:10:00Z', declined: '2026-11-03T01:00:00Z' });
    const withdrawn = await seed(tally, tallyInbox, 'complaint', { created: '2026-11-05T08:00:00Z', asked: '2026-11-05T09:00:00Z', consented: '2026-11-06T12:00:00Z', withdrawn: '2026-11-07T23:59:00Z' });
    const earlier = await seed(tally, tallyInbox, 'complaint', { created: '2026-10-30T12:00:00Z', asked: '2026-10-30T13:00:00Z', consented: '2026-10-31T10:00:00Z', published: '2026-11-01T00:00:00Z' });
    await seed(tally, tallyInbox, 'compliment', { created: '2026-10-25T00:00:00Z' });
    await seed(tally, tallyInbox, 'compliment', { created: '2026-11-08T00:00:00Z' });
    await seed(tally, tallyInbox, 'compliment', { created: '2026-10-24T23:59:59Z' });
    // Another workspace's item in the same days counts for it alone.
    await seed(owner, inboxId, 'complaint', { created: '2026-11-02T10:00:00Z', asked: '2026-11-02T11:00:00Z' });

    const r = await call(tally, 'GET', '/reports/feedback?from=2026-11-01&to=2026-11-07');
    expect(r.period).toEqual({ from: '2026-11-01', to: '2026-11-07' });
    expect(r.previous).toEqual({ from: '2026-10-25', to: '2026-10-31' });
    expect(r.totals).toEqual({ compliments: 2, complaints: 1, asked: 3, consented: 2, declined: 1, withdrawn: 1, published: 2 });
    expect(r.previousTotals).toEqual({ compliments: 1, complaints: 1, asked: 1, consented: 1, declined: 0, withdrawn: 0, published: 0 });
    const day = (d: string) => {
      const { day: _d, previousDay: _p, previous: _q, ...counts } = r.series.find((x: any) => x.day === d);
      return Object.fromEntries(Object.entries(counts).filter(([, n]) => n));
    };
    expect(r.series.map((x: any) => x.day)).toEqual(['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04', '2026-11-05', '2026-11-06', '2026-11-07']);
    expect(day('2026-11-01')).toEqual({ published: 1 });
    expect(day('2026-11-02')).toEqual({ compliments: 2, asked: 1 });
    expect(day('2026-11-03')).toEqual({ asked: 1, consented: 1, declined: 1 });
    expect(day('2026-11-04')).toEqual({ published: 1 });
    expect(day('2026-11-05')).toEqual({ complaints: 1, asked: 1 });
    expect(day('2026-11-06')).toEqual({ consented: 1 });
    expect(day('2026-11-07')).toEqual({ withdrawn: 1 });
    expect(r.series[0]).toMatchObject({ previousDay: '2026-10-25', previous: { compliments: 1 } });
    expect(r.series[5]).toMatchObject({ previousDay: '2026-10-30', previous: { complaints: 1, asked: 1 } });
    // The latest: changed in the period, most recent first, with their conversation for a link.
    expect(r.latest.map((i: any) => [i.id, i.state, i.number])).toEqual([
      [withdrawn.id, 'withdrawn', withdrawn.number],
      [praised.id, 'published', praised.number],
      [declined.id, 'declined', declined.number],
      [earlier.id, 'published', earlier.number],
    ]);

    const csv = await h.app.inject({ url: '/api/v1/reports/feedback?from=2026-11-01&to=2026-11-07&format=csv', headers: tally.headers });
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toContain('heard-feedback-2026-11-01-to-2026-11-07.csv');
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe('day,compliments,complaints,asked,consented,declined,withdrawn,published');
    expect(lines[3]).toBe('2026-11-03,0,0,1,1,1,0,0');
    expect(lines).toHaveLength(8);

    const backwards = await h.app.inject({ url: '/api/v1/reports/feedback?from=2026-11-07&to=2026-11-01', headers: tally.headers });
    expect(backwards.statusCode).toBe(422);
    expect(json(backwards).errors[0].field).toBe('querystring.from');
  });
});
