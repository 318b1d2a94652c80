import { describe, expect, it } from 'vitest';
import { ApiError } from '../lib/api';
import { type Defaults, draftOf, emptyDraft, errorsByField, isPlaced, type Names, newCondition, positionChanges, type Rule, rowErrors, summarize, toBody } from './rules';

const names: Names = {
  members: new Map([['m1', 'Ann Agent']]),
  teams: new Map([
    ['t1', { name: 'Billing', assignmentMode: 'least_open' }],
    ['t2', { name: 'Support', assignmentMode: 'manual' }],
  ]),
  inboxes: new Map([['i1', 'Support mail']]),
  canned: new Map([['c1', 'Refund policy']]),
  fields: new Map([['order_no', 'Order number']]),
};

const defaults: Defaults = { inboxId: 'i1', memberId: 'm1', teamId: 't1', cannedId: 'c1', fieldKey: 'order_no' };

const rule = (over: Partial<Rule> = {}): Rule => ({
  id: 'r1',
  name: 'Invoices to billing',
  position: 0,
  enabled: true,
  trigger: 'message.received',
  conditions: { match: 'all', conditions: [{ field: 'subject', operator: 'contains', value: 'invoice' }] },
  actions: [
    { type: 'assign_team', teamId: 't1' },
    { type: 'add_tags', tags: ['billing'] },
  ],
  ...over,
});

describe('a rule in one line', () => {
  it('says the trigger, the conditions and the actions with names, not ids', () => {
    expect(summarize(rule(), names)).toBe('When a customer writes · if subject contains ‘invoice’ · assign team Billing, add tag billing');
  });

  it('joins conditions by how they match and leaves out an empty condition list', () => {
    const any = rule({
      trigger: 'sla.breached',
      conditions: {
        match: 'any',
        conditions: [
          { field: 'priority', operator: 'is', value: 'urgent' },
          { field: 'assignee', operator: 'is', value: null },
          { field: 'hours_since_customer_message', operator: 'more_than', value: 4 },
          { field: 'contact.attribute', operator: 'is_not', key: 'plan', value: 'free' },
        ],
      },
      actions: [{ type: 'assign_within_team', teamId: 't2' }],
    });
    expect(summarize(any, names)).toBe(
      'When an SLA target is missed · if priority is Urgent or assignee is nobody or the customer wrote more than 4 hours ago or contact’s plan is not ‘free’ · assign within team Support (round robin)',
    );
    expect(summarize(rule({ trigger: 'time', conditions: { match: 'all', conditions: [] }, actions: [{ type: 'set_status', status: 'solved' }] }), names)).toBe('Every minute · set status Solved');
  });

  it('names every kind of action, and says when what a rule names was removed', () => {
    const all = rule({
      conditions: { match: 'all', conditions: [{ field: 'team', operator: 'is', value: 'gone' }] },
      actions: [
        { type: 'assign_member', memberId: 'm1' },
        { type: 'assign_member', memberId: null },
        { type: 'assign_team', teamId: null },
        { type: 'assign_within_team', teamId: 't1' },
        { type: 'set_priority', priority: 'high' },
        { type: 'remove_tags', tags: ['a', 'b'] },
        { type: 'set_custom_field', key: 'order_no', value: 42 },
        { type: 'set_custom_field', key: 'vip', value: true },
        { type: 'set_custom_field', key: 'order_no', value: null },
        { type: 'add_note', text: 'Check the invoice' },
        { type: 'reply_template', cannedResponseId: 'c1' },
        { type: 'reply_template', cannedResponseId: 'gone' },
        { type: 'webhook', url: 'https://example.com/hook' },
      ],
    });
    expect(summarize(all, names)).toBe(
      'When a customer writes · if team is a removed team · assign Ann Agent, unassign, remove the team, assign within team Billing (least open), set priority High, remove tags a, b, set Order number to ‘42’, set vip to Yes, clear Order number, add a note, reply with ‘Refund policy’, reply with ‘a removed response’, call https://example.com/hook',
    );
  });
});

describe('the editor’s draft', () => {
  it('starts with one action, and a rule read into it comes out as it went in', () => {
    expect(toBody(emptyDraft(defaults), new Map())).toEqual({
      name: '',
      enabled: true,
      trigger: 'message.received',
      conditions: { match: 'all', conditions: [] },
      actions: [{ type: 'add_tags', tags: [] }],
    });
    const r = rule({
      enabled: false,
      conditions: {
        match: 'any',
        conditions: [
          { field: 'team', operator: 'is', value: null },
          { field: 'hours_since_update', operator: 'less_than', value: 12 },
          { field: 'contact.attribute', operator: 'is', key: 'plan', value: 'pro' },
        ],
      },
      actions: [
        { type: 'assign_member', memberId: null },
        { type: 'add_tags', tags: ['a', 'b'] },
        { type: 'set_custom_field', key: 'order_no', value: 7 },
        { type: 'set_custom_field', key: 'vip', value: false },
        { type: 'set_custom_field', key: 'note', value: 'x' },
      ],
    });
    const types = new Map([
      ['order_no', 'number'],
      ['vip', 'checkbox'],
      ['note', 'text'],
    ]);
    const { name, enabled, trigger, conditions, actions } = r;
    expect(toBody(draftOf(r), types)).toEqual({ name, enabled, trigger, conditions, actions });
  });

  it('reads comma-separated tags and empty custom field values as the API takes them', () => {
    const d = emptyDraft(defaults);
    d.actions[0].value = ' vip,, billing , ';
    d.actions.push({ id: 99, type: 'set_custom_field', key: 'order_no', value: '' });
    d.conditions.push({ ...newCondition('hours_since_update', defaults), value: '' });
    const body = toBody(d, new Map([['order_no', 'number']]));
    expect(body.actions).toEqual([
      { type: 'add_tags', tags: ['vip', 'billing'] },
      { type: 'set_custom_field', key: 'order_no', value: null },
    ]);
    expect(body.conditions.conditions).toEqual([{ field: 'hours_since_update', operator: 'more_than', value: null }]);
  });

  it('puts each of the server’s reasons beside the part of the row it names', () => {
    const error = new ApiError(422, 'Invalid input', {
      errors: [
        { field: 'actions.0.memberId', reason: 'no such member' },
        { field: 'conditions.conditions.1.value', reason: 'Too small' },
        { field: 'conditions.conditions.1.key', reason: 'Required' },
        { field: 'body.name', reason: 'Too big' },
        { field: 'conditions.conditions.10.field', reason: 'Invalid input' },
      ],
    });
    const errors = errorsByField(error);
    expect(errors.get('name')).toBe('Too big');
    expect(rowErrors(errors, 'actions.0')).toEqual({ value: 'no such member' });
    expect(rowErrors(errors, 'conditions.conditions.1')).toEqual({ value: 'Too small', key: 'Required' });
    expect(rowErrors(errors, 'conditions.conditions.10')).toEqual({ row: 'Invalid input' });
    expect([...errors.keys()].every(isPlaced)).toBe(true);
    expect(isPlaced('position')).toBe(false);
  });
});

describe('moving a rule', () => {
  const list = (...positions: number[]) => positions.map((position, i) => ({ id: `r${i}`, position }));

  it('swaps the positions of two neighbours when every position is distinct', () => {
    expect(positionChanges(list(0, 10, 20), 2, 1)).toEqual([
      { id: 'r2', position: 10 },
      { id: 'r1', position: 20 },
    ]);
  });

  it('numbers the list anew when positions repeat, writing only those that change', () => {
    // r0 and r1 share position 5 (the API allows it): swapping them would change nothing.
    expect(positionChanges(list(5, 5, 9), 1, 0)).toEqual([
      { id: 'r1', position: 0 },
      { id: 'r0', position: 1 },
      { id: 'r2', position: 2 },
    ]);
    // r2 keeps its position 1; r1 goes after it.
    expect(positionChanges(list(0, 1, 1, 3), 2, 1)).toEqual([{ id: 'r1', position: 2 }]);
  });

  it('changes nothing past either end', () => {
    expect(positionChanges(list(0, 1), 0, -1)).toEqual([]);
    expect(positionChanges(list(0, 1), 1, 2)).toEqual([]);
  });
});
