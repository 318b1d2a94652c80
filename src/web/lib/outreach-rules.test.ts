import { describe, expect, it } from 'vitest';
import { draftFromRule, type OutreachRuleFields, ruleBody } from './outreach-rules';

const rule: OutreachRuleFields = {
  name: 'How is the car?',
  eventType: 'purchase',
  productSku: 'EV5',
  delay: { amount: 90, unit: 'days' },
  businessHoursId: 'bh-1',
  teamId: null,
  assigneeId: 'm-1',
  instructions: 'Ask how it goes.',
};

describe('the outreach rule form', () => {
  it('fills the form with a rule and saves the same rule back unchanged', () => {
    const draft = draftFromRule(rule);
    expect(draft).toEqual({ name: 'How is the car?', eventType: 'purchase', productSku: 'EV5', amount: '90', unit: 'days', businessHoursId: 'bh-1', target: 'member:m-1', instructions: 'Ask how it goes.' });
    expect(ruleBody(draft, draft.target)).toEqual(rule);
  });

  it('sends no product and no calendar as null, and a team clears the agent', () => {
    const draft = { ...draftFromRule(rule), productSku: '  ', businessHoursId: '', amount: '12', unit: 'hours' as const };
    expect(ruleBody(draft, 'team:t-1')).toMatchObject({ productSku: null, businessHoursId: null, delay: { amount: 12, unit: 'hours' }, teamId: 't-1', assigneeId: null });
    expect(draftFromRule({ ...rule, productSku: null, businessHoursId: null, teamId: 't-1', assigneeId: null })).toMatchObject({ productSku: '', businessHoursId: '', target: 'team:t-1' });
  });
});
