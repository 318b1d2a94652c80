import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type Actor, canAdminister, hasScope } from '../../core/actor.js';
import { inTransaction } from '../../core/context.js';
import { createAttribute, deleteAttribute, listAttributes, updateAttribute } from './attributes.js';
import { importProductsCsv } from './import-csv.js';
import { getOrder, linkOrder, ordersOfContact, ordersOfConversation, upsertOrder } from './orders.js';
import { createProduct, deleteProduct, getProduct, updateProduct, upsertProducts } from './products.js';
import {
  AttributeCreateSchema,
  AttributeUpdateSchema,
  CsvImportSchema,
  OrderInputSchema,
  OrderLinkSchema,
  ProductBulkSchema,
  ProductInputSchema,
  ProductSearchQuerySchema,
  ProductUpdateSchema,
  SuggestionsQuerySchema,
} from './schema.js';
import { searchProducts } from './search.js';
import { suggestForConversation } from './suggestions.js';

const params = z.object({ id: z.uuid() });
const conversationParams = z.object({ id: z.union([z.uuid(), z.string().regex(/^\d{1,9}$/)]).describe('The conversation id or its number') });

/** Who sends orders: a member or integration that writes, not a light member. */
const mayRecordOrders = (a: Actor) => hasScope(a, 'write') && a.role !== 'light';

/** The product catalog, customers' orders, and what to suggest beside a reply (docs/catalog.md). */
export const catalogRoutes: FastifyPluginAsyncZod = async (app) => {
  const read = { allow: (a: Actor) => hasScope(a, 'read') };
  const admin = { allow: canAdminister };

  {
    const tags = ['Catalog'];
    app.get('/catalog/attributes', { schema: { tags, summary: "The catalog's product attributes, in order" }, config: read }, async (req) => ({ items: await listAttributes(app.ctx.db, req.actor!) }));
    app.post('/catalog/attributes', { schema: { tags, summary: 'Define a product attribute (admins)', body: AttributeCreateSchema }, config: admin }, async (req, reply) => {
      reply.code(201);
      return inTransaction(app.ctx, (tx) => createAttribute(tx, req.actor!, req.body));
    });
    app.patch('/catalog/attributes/:id', { schema: { tags, summary: "Change an attribute's label, unit, options or position (admins)", params, body: AttributeUpdateSchema }, config: admin }, async (req) =>
      inTransaction(app.ctx, (tx) => updateAttribute(tx, req.actor!, req.params.id, req.body)),
    );
    app.delete('/catalog/attributes/:id', { schema: { tags, summary: 'Remove an attribute and its values (admins)', params }, config: admin }, async (req, reply) => {
      await inTransaction(app.ctx, (tx) => deleteAttribute(tx, req.actor!, req.params.id));
      return reply.code(204).send();
    });

    app.get('/products', { schema: { tags, summary: 'Search the catalog by words and attribute filters', querystring: ProductSearchQuerySchema }, config: read }, async (req) =>
      searchProducts(app.ctx.db, req.actor!, req.query),
    );
    app.post('/products', { schema: { tags, summary: 'Add a product (admins)', body: ProductInputSchema }, config: admin }, async (req, reply) => {
      reply.code(201);
      return inTransaction(app.ctx, (tx) => createProduct(tx, req.actor!, req.body));
    });
    app.post('/products/bulk', { schema: { tags, summary: 'Create or update up to 1,000 products by SKU, all or none (admins)', body: ProductBulkSchema }, config: admin }, async (req) =>
      inTransaction(app.ctx, (tx) => upsertProducts(tx, req.actor!, req.body.products)),
    );
    // A file of up to 5 MB of text, in its JSON envelope.
    app.post('/products/import', { bodyLimit: 6 * 1024 * 1024, schema: { tags, summary: 'Check (dryRun) or import a CSV file of products by SKU, all or none (admins)', body: CsvImportSchema }, config: admin }, async (req) =>
      inTransaction(app.ctx, (tx) => importProductsCsv(tx, req.actor!, req.body.csv, req.body.dryRun)),
    );
    app.get('/products/:id', { schema: { tags, summary: 'One product', params }, config: read }, async (req) => getProduct(app.ctx.db, req.actor!, req.params.id));
    app.patch('/products/:id', { schema: { tags, summary: 'Change a product; attributes are merged, null removes one (admins)', params, body: ProductUpdateSchema }, config: admin }, async (req) =>
      inTransaction(app.ctx, (tx) => updateProduct(tx, req.actor!, req.params.id, req.body)),
    );
    app.delete('/products/:id', { schema: { tags, summary: 'Remove a product (admins)', params }, config: admin }, async (req, reply) => {
      await inTransaction(app.ctx, (tx) => deleteProduct(tx, req.actor!, req.params.id));
      return reply.code(204).send();
    });
  }

  {
    const tags = ['Orders'];
    app.post('/orders', { schema: { tags, summary: "Record a customer's order; sending the same external id again updates it", body: OrderInputSchema }, config: { allow: mayRecordOrders } }, async (req, reply) => {
      const r = await inTransaction(app.ctx, (tx) => upsertOrder(tx, req.actor!, req.body));
      reply.code(r.created ? 201 : 200);
      return r.order;
    });
    app.get('/orders/:id', { schema: { tags, summary: 'One order with its lines', params }, config: read }, async (req) => getOrder(app.ctx.db, req.actor!, req.params.id));
    app.get('/contacts/:id/orders', { schema: { tags, summary: "A contact's orders with their lines, newest first", params }, config: read }, async (req) => ({
      items: await ordersOfContact(app.ctx.db, req.actor!, req.params.id),
    }));
    app.get('/conversations/:id/orders', { schema: { tags, summary: "The customer's orders, each saying whether it is linked to the conversation", params: conversationParams }, config: read }, async (req) => ({
      items: await ordersOfConversation(app.ctx.db, req.actor!, req.params.id),
    }));
    app.post(
      '/conversations/:id/orders',
      { schema: { tags, summary: 'Link one of the customer’s orders to the conversation (recorded on its timeline)', params: conversationParams, body: OrderLinkSchema }, config: { allow: (a: Actor) => hasScope(a, 'write') } },
      async (req) => inTransaction(app.ctx, (tx) => linkOrder(tx, req.actor!, req.params.id, req.body.orderId)),
    );
    app.get(
      '/conversations/:id/suggestions',
      { schema: { tags: ['Catalog'], summary: "Knowledge-base articles and products matching the customer's last message and the draft", params: conversationParams, querystring: SuggestionsQuerySchema }, config: read },
      async (req) => suggestForConversation(app.ctx.db, req.actor!, req.params.id, req.query.draft ?? '', app.ctx.config.publicUrl),
    );
  }
};
