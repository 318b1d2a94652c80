import { describe, expect, it } from 'vitest';
import { uniqueId } from '../lib/slug';
import { addTopic, removeTopic, renameTopic, topicId } from './topics';

describe('contact-form topics', () => {
  it('makes the id from the name, unique in the list', () => {
    expect(topicId('Billing & invoices', [])).toBe('billing-invoices');
    expect(topicId('Größe ändern', [])).toBe('grosse-andern');
    expect(topicId('Billing', ['billing', 'billing-2'])).toBe('billing-3');
    expect(topicId('???', [])).toBe('topic');
    expect(topicId('x'.repeat(80), ['x'.repeat(60)])).toBe(`${'x'.repeat(58)}-2`);
  });

  it('adds at the end, ignores an empty name, and removes', () => {
    const one = addTopic([], '  Shipping ');
    expect(one).toEqual([{ id: 'shipping', name: 'Shipping' }]);
    expect(addTopic(one, '   ')).toBe(one);
    const two = addTopic(one, 'Shipping');
    expect(two.map((t) => t.id)).toEqual(['shipping', 'shipping-2']);
    expect(removeTopic(two, 0)).toEqual([{ id: 'shipping-2', name: 'Shipping' }]);
  });

  it('keeps a saved topic’s id when it is renamed; a new one follows its name', () => {
    const topics = [
      { id: 'billing', name: 'Billing' },
      { id: 'returns', name: 'Returns' },
    ];
    const saved = new Set(['billing']);
    expect(renameTopic(topics, 0, 'Payments', saved)[0]).toEqual({ id: 'billing', name: 'Payments' });
    expect(renameTopic(topics, 1, 'Refunds', saved)[1]).toEqual({ id: 'refunds', name: 'Refunds' });
    expect(renameTopic(topics, 1, 'Billing', saved)[1]).toEqual({ id: 'billing-2', name: 'Billing' });
  });

  it('numbers ids without a doubled hyphen', () => {
    expect(uniqueId('a-', ['a-'], 3)).toBe('a-2');
  });
});
