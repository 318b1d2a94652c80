import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApiInbox, buildMember, sendInbound, type Client } from '../../../../test/factories.js';
import { countRows } from '../../../../test/helpers/database.js';
import { json, startTestHeard, type TestHeard } from '../../../../test/helpers/heard.js';
import { buildArticle } from '../../../../test/helpers/help-center.js';
import { products } from '../../db/schema/index.js';

describe('catalog', () => {
  let h: TestHeard;
  let admin: Client;
  let agent: Client;
  let inbox: { id: string };

  const post = (by: Client, url: string, payload: unknown) => h.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: by.headers, payload: payload as object });
  const get = (by: Client, url: string) => h.app.inject({ url: `/api/v1${url}`, headers: by.headers });
  const search = async (q: string) => json(await get(agent, `/products?q=${encodeURIComponent(q)}`)).items.map((p: { sku: string }) => p.sku);

  beforeAll(async () => {
    h = await startTestHeard();
    admin = await buildMember(h.ctx, { workspace: 'Carrying Cases', role: 'admin' });
    agent = await buildMember(h.ctx, { workspace: 'Carrying Cases', role: 'agent' });
    inbox = await buildApiInbox(h.app, admin);
    for (const a of [
      { key: 'instrument', label: 'Instrument', type: 'text' },
      { key: 'inner_length', label: 'Inner length', type: 'number', unit: 'mm' },
      { key: 'wheels', label: 'Wheels', type: 'boolean' },
      { key: 'shell', label: 'Shell', type: 'choice', options: ['Carbon', 'Fibreglass', 'Plywood'] },
      { key: 'outer', label: 'Outer size', type: 'dimensions', unit: 'mm' },
    ]) {
      const res = await post(admin, '/catalog/attributes', a);
      if (res.statusCode !== 201) throw new Error(res.body);
    }
  });
  afterAll(() => h.stop());

  const GOOD = [
    'sku,name,description,price,currency,instrument,inner_length,wheels,shell,outer',
    'CC-CELLO-4,Cello case 4/4,"Light shell, with ""suspension"" for the bridge",1890.00,EUR,Cello,1250,yes,Carbon,1340x480x300',
    'CC-VIOLA,Viola case,"Holds a viola',
    'and two bows",490,EUR,Viola,720,no,Fibreglass,800x280x150 mm',
    'CC-BASS,Double bass flight case,,3200,EUR,Double bass,1900 mm,yes,Plywood,2000x800x500',
  ].join('\r\n');

  it('checks a CSV file and previews it, then imports it all: quoted cells, line breaks in cells, units', async () => {
    const preview = await post(admin, '/products/import', { csv: GOOD, dryRun: true });
    expect(preview.statusCode).toBe(200);
    expect(json(preview)).toMatchObject({ rows: 3, create: 3, update: 0, errors: [], imported: false });
    expect(json(preview).preview.map((p: { line: number; sku: string }) => `${p.line}:${p.sku}`)).toEqual(['2:CC-CELLO-4', '3:CC-VIOLA', '5:CC-BASS']);
    expect(await countRows(h.ctx.db, products)).toBe(0);

    const done = await post(admin, '/products/import', { csv: GOOD, dryRun: false });
    expect(json(done)).toMatchObject({ create: 3, imported: true });
    const cello = json(await get(agent, '/products?q=CC-CELLO-4')).items[0];
    expect(cello).toMatchObject({
      sku: 'CC-CELLO-4',
      description: 'Light shell, with "suspension" for the bridge',
      price: 1890,
      currency: 'EUR',
      attributes: { instrument: 'Cello', inner_length: 1250, wheels: true, shell: 'Carbon', outer: { length: 1340, width: 480, height: 300 } },
    });
    const viola = json(await get(agent, '/products?q=viola')).items[0];
    expect(viola).toMatchObject({ description: 'Holds a viola\nand two bows', attributes: { outer: { length: 800, width: 280, height: 150 } } });
  });

  it('names the line and column of every bad cell, and writes nothing of a file with one', async () => {
    const csv = [
      'sku;name;price;wheels;shell;colour',
      'X-1;Fine;10;yes;Carbon;',
    ].join('\n');
    const header = json(await post(admin, '/products/import', { csv, dryRun: true }));
    expect(header.errors).toEqual([{ line: 1, column: 'colour', reason: 'is no product field or catalog attribute' }]);

    const bad = ['sku,name,price,wheels,shell,inner_length', 'X-1,Fine,10,yes,Carbon,10', 'X-2,,ten,maybe,Steel,long', 'X-1,Again,1,no,Carbon,1'].join('\n');
    const checked = json(await post(admin, '/products/import', { csv: bad, dryRun: true }));
    expect(checked.errors).toEqual([
      { line: 3, column: 'price', reason: 'must be a price like 249.00' },
      { line: 3, column: 'name', reason: expect.stringMatching(/>=1 characters|at least 1/) },
      { line: 3, column: 'wheels', reason: 'must be yes or no' },
      { line: 3, column: 'shell', reason: 'must be one of Carbon, Fibreglass, Plywood' },
      { line: 3, column: 'inner_length', reason: 'must be a number (in mm)' },
      { line: 4, column: 'sku', reason: 'repeats the SKU of line 2' },
    ]);
    expect(checked).toMatchObject({ rows: 3, create: 1 });
    const refused = await post(admin, '/products/import', { csv: bad, dryRun: false });
    expect(refused.statusCode).toBe(422);
    expect(json(refused).errors[0]).toEqual({ field: 'csv', reason: 'line 3, column price: must be a price like 249.00' });
    expect(await search('X-1')).toEqual([]);
    expect((await post(admin, '/products/import', { csv: 'sku,name\n"X-3,Open quote', dryRun: true })).statusCode).toBe(422);
  });

  it('upserts by SKU: a second import updates, an empty cell clears, other fields stay', async () => {
    const csv = ['sku,name,wheels,shell', 'CC-VIOLA,Viola case (new),yes,', 'CC-NEW,Guitar case,no,Plywood'].join('\n');
    expect(json(await post(admin, '/products/import', { csv, dryRun: true }))).toMatchObject({ create: 1, update: 1 });
    await post(admin, '/products/import', { csv, dryRun: false });
    const viola = json(await get(agent, '/products?q=CC-VIOLA')).items[0];
    expect(viola).toMatchObject({ name: 'Viola case (new)', price: 490, attributes: { wheels: true, inner_length: 720 } });
    expect(viola.attributes.shell).toBeUndefined();
    const bulk = await post(admin, '/products/bulk', { products: [{ sku: 'CC-NEW', name: 'Guitar case', attributes: { inner_length: '1050 mm' } }, { sku: 'CC-UKE', name: 'Ukulele case', price: 59 }] });
    expect(json(bulk)).toMatchObject({ created: 1, updated: 1 });
    const wrong = await post(admin, '/products/bulk', { products: [{ sku: 'CC-Z', name: 'Z' }, { sku: 'CC-Y', name: 'Y', attributes: { wheels: 'sometimes', colour: 'red' } }] });
    expect(json(wrong).errors).toEqual([
      { field: 'products.1.attributes.wheels', reason: 'must be yes or no' },
      { field: 'products.1.attributes.colour', reason: 'is no attribute of the catalog; define it first' },
    ]);
    expect(await search('CC-Z')).toEqual([]);
  });

  it('finds products by words, by the start of a word, by a typo, and by attribute filters', async () => {
    expect(await search('cello')).toEqual(['CC-CELLO-4']);
    expect(await search('bas')).toEqual(['CC-BASS']);
    expect(await search('cc-bass')).toEqual(['CC-BASS']);
    expect(await search('cello cases')).toEqual(['CC-CELLO-4']);
    expect(await search('suspension carbon')).toEqual(['CC-CELLO-4']);
    expect(await search('double bas fligth')).toEqual(['CC-BASS']);
    expect(await search('wheels:yes')).toEqual(['CC-CELLO-4', 'CC-BASS', 'CC-VIOLA']);
    expect(await search('case wheels:no')).toEqual(['CC-NEW']);
    expect(await search('inner_length>=1000 inner_length<1500')).toEqual(['CC-CELLO-4', 'CC-NEW']);
    expect(await search('shell:carbon')).toEqual(['CC-CELLO-4']);
    expect(await search('outer.width<=480 outer.length>900')).toEqual(['CC-CELLO-4']);
    expect(await search('outer:2000x800x500')).toEqual(['CC-BASS']);
    expect(await search('instrument:bass')).toEqual(['CC-BASS']);
    expect(await search('1340x480x300')).toEqual(['CC-CELLO-4']);
    const bad = await get(agent, `/products?q=${encodeURIComponent('shell>3')}`);
    expect(bad.statusCode).toBe(422);
    expect(json(bad).errors).toEqual([{ field: 'querystring.q', reason: 'shell is no number: use shell:value' }]);
  });

  it('records orders once per external id, with the contact found by e-mail and lines matched to the catalog', async () => {
    const order = { externalId: 'SHOP-1001', contact: { email: 'ana@example.com', name: 'Ana' }, status: 'paid', currency: 'EUR', placedAt: '2026-11-02T10:00:00Z', lines: [{ sku: 'CC-CELLO-4', qty: 1, price: 1890 }, { sku: 'WHEELS-KIT', name: 'Wheels kit', qty: 2, price: 45.5 }] };
    const first = await post(agent, '/orders', order);
    expect(first.statusCode).toBe(201);
    const again = await post(agent, '/orders', order);
    expect(again.statusCode).toBe(200);
    expect(json(again).id).toBe(json(first).id);
    const shipped = json(await post(agent, '/orders', { ...order, status: 'shipped', lines: order.lines.slice(0, 1) }));
    expect(shipped).toMatchObject({ status: 'shipped', total: 1890, lines: [{ sku: 'CC-CELLO-4', name: 'Cello case 4/4', qty: 1, price: 1890 }] });
    expect(shipped.lines[0].productId).toBeTruthy();
    const list = json(await get(agent, `/contacts/${json(first).contactId}/orders`)).items;
    expect(list.map((o: { externalId: string }) => o.externalId)).toEqual(['SHOP-1001']);
    // Merged into the contact the customer writes from, Ana keeps her orders.
    const writes = await sendInbound(h.app, admin, inbox.id, { contact: { email: 'ana.work@example.com' } });
    expect((await post(agent, `/contacts/${writes.contactId}/merge`, { sourceId: json(first).contactId })).statusCode).toBe(200);
    expect(json(await get(agent, `/contacts/${writes.contactId}/orders`)).items.map((o: { id: string }) => o.id)).toEqual([json(first).id]);
  });

  it("links one of the customer's orders to a conversation, with an event on its timeline", async () => {
    const c = await sendInbound(h.app, admin, inbox.id, { contact: { email: 'ben@example.com', name: 'Ben' }, text: 'My case came without wheels' });
    const o = json(await post(agent, '/orders', { externalId: 'SHOP-2002', contact: { email: 'ben@example.com' }, status: 'shipped', placedAt: '2026-11-20T09:00:00Z', lines: [{ sku: 'CC-BASS', qty: 1, price: 3200 }] }));
    expect(o.contactId).toBe(c.contactId);
    const linked = await post(agent, `/conversations/${c.conversationId}/orders`, { orderId: o.id });
    expect(json(linked)).toMatchObject({ linked: true, order: { externalId: 'SHOP-2002', linked: true } });
    expect(json(await post(agent, `/conversations/${c.conversationId}/orders`, { orderId: o.id })).linked).toBe(false);
    expect(json(await get(agent, `/conversations/${c.conversationId}/orders`)).items).toEqual([expect.objectContaining({ id: o.id, linked: true })]);
    const events = json(await get(agent, `/conversations/${c.conversationId}/timeline`)).items.filter((i: { event?: { type: string } }) => i.event?.type === 'order.linked');
    expect(events).toEqual([expect.objectContaining({ event: expect.objectContaining({ actorMemberId: agent.memberId, data: { orderId: o.id, externalId: 'SHOP-2002' } }) })]);
  });

  it("suggests the article and the product for the customer's message and the draft, with the address to link", async () => {
    await buildArticle(h.app, admin, { title: 'Fitting a wheels kit to your case', body: 'Every case takes our wheels kit: four screws, ten minutes.' });
    await buildArticle(h.app, admin, { title: 'Paying by invoice', body: 'Companies may pay by invoice.' });
    const c = await sendInbound(h.app, admin, inbox.id, { text: 'My cello case has no wheels. Can I add some?' });
    const s = json(await get(agent, `/conversations/${c.conversationId}/suggestions?draft=${encodeURIComponent('Our kit fits the carbon shell')}`));
    expect(s.articles[0]).toMatchObject({ title: 'Fitting a wheels kit to your case', url: expect.stringMatching(/^http.*\/help\/.+\/articles\/fitting-a-wheels-kit-to-your-case$/) });
    expect(s.articles.map((a: { title: string }) => a.title)).not.toContain('Paying by invoice');
    expect(s.products[0]).toMatchObject({ sku: 'CC-CELLO-4' });
  });
});
