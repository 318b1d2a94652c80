import type { Actor } from '../core/actor.js';
import { type Ctx, inTransaction } from '../core/context.js';
import { createAttribute } from '../domains/catalog/attributes.js';
import { upsertOrder } from '../domains/catalog/orders.js';
import { upsertProducts } from '../domains/catalog/products.js';
import type { AttributeCreate } from '../domains/catalog/schema.js';

/**
 * The demo's catalog (docs/catalog.md): a few products with typed attributes, and the orders
 * of two demo customers, so the sidebar's Products and Orders panels have something to show.
 */
export async function loadCatalogDemo(ctx: Ctx, owner: Actor) {
  await inTransaction(ctx, async (tx) => {
    const attributes: AttributeCreate[] = [
      { key: 'inner_length', label: 'Inner length', type: 'number', unit: 'mm' },
      { key: 'weight', label: 'Weight', type: 'number', unit: 'kg' },
      { key: 'wheels', label: 'Wheels', type: 'boolean' },
      { key: 'colour', label: 'Colour', type: 'choice', options: ['Black', 'Forest green', 'Red', 'Sand'] },
      { key: 'outer', label: 'Outer size', type: 'dimensions', unit: 'mm' },
    ];
    for (const a of attributes) await createAttribute(tx, owner, a);
    await upsertProducts(tx, owner, [
      { sku: 'CASE-CELLO-44', name: 'Cello case 4/4, carbon', description: 'Suspension for the bridge, two bow holders, backpack straps.', price: 1890, currency: 'USD', url: 'https://shop.acme.test/cello-case', attributes: { inner_length: 1250, weight: 3.9, wheels: true, colour: 'Black', outer: '1340x480x300' } },
      { sku: 'CASE-VIOLA-16', name: 'Viola case 16", oblong', description: 'Hygrometer and four bow holders.', price: 490, currency: 'USD', attributes: { inner_length: 720, weight: 2.1, wheels: false, colour: 'Red', outer: '800x280x150' } },
      { sku: 'KIT-WHEELS-L', name: 'Wheels kit for large cases', description: 'Two skate wheels that screw onto any cello or bass case.', price: 45, currency: 'USD', attributes: { weight: 0.4, colour: 'Black' } },
      { sku: 'GPS-TNX2', name: 'TrailNav X2 GPS', description: 'Handheld GPS with topographic maps and a 20-hour battery.', price: 349, currency: 'USD', url: 'https://shop.acme.test/trailnav-x2', attributes: { weight: 0.23, colour: 'Forest green', outer: '160x65x35' } },
      { sku: 'TENT-RIDGE-2', name: 'Ridgeline 2 tent', description: 'Two-person backpacking tent, three seasons, aluminium poles.', price: 420, currency: 'USD', attributes: { weight: 1.6, colour: 'Sand', outer: '2150x1300x1000' } },
      { sku: 'JKT-STORM-M', name: 'Storm shell jacket, M', description: 'Waterproof three-layer jacket with a two-way front zipper.', price: 260, currency: 'USD', attributes: { weight: 0.45, colour: 'Red' } },
    ]);
    await upsertOrder(tx, owner, { externalId: '48102', contact: { phone: '+1 415 555 0134', name: 'Rosa Alvarez' }, status: 'delivered', currency: 'USD', placedAt: '2026-11-18T15:20:00Z', lines: [{ sku: 'CASE-CELLO-44', qty: 1, price: 1890 }, { sku: 'KIT-WHEELS-L', qty: 1, price: 45 }] });
    await upsertOrder(tx, owner, { externalId: '47755', contact: { email: 'tom.becker@example.org', name: 'Tom Becker' }, status: 'delivered', currency: 'USD', placedAt: '2026-10-02T10:05:00Z', lines: [{ sku: 'GPS-TNX2', qty: 1, price: 349 }] });
  });
}
