/** The fields of an outreach rule the app edits (docs/outreach.md). */
export interface OutreachRuleFields {
  name: string;
  eventType: string;
  productSku: string | null;
  delay: { amount: number; unit: 'hours' | 'days' };
  businessHoursId: string | null;
  teamId: string | null;
  assigneeId: string | null;
  instructions: string;
}

/** The rule form as typed: every field a string, the queue as "team:<id>" or "member:<id>". */
export interface RuleDraft {
  name: string;
  eventType: string;
  productSku: string;
  amount: string;
  unit: 'hours' | 'days';
  businessHoursId: string;
  /** "team:<id>" or "member:<id>"; empty: the first choice the form offers. */
  target: string;
  instructions: string;
}

export const emptyRuleDraft: RuleDraft = { name: '', eventType: 'purchase', productSku: '', amount: '90', unit: 'days', businessHoursId: '', target: '', instructions: '' };

/** The form filled with a rule, to change it. */
export function draftFromRule(rule: OutreachRuleFields): RuleDraft {
  return {
    name: rule.name,
    eventType: rule.eventType,
    productSku: rule.productSku ?? '',
    amount: String(rule.delay.amount),
    unit: rule.delay.unit,
    businessHoursId: rule.businessHoursId ?? '',
    target: rule.teamId ? `team:${rule.teamId}` : rule.assigneeId ? `member:${rule.assigneeId}` : '',
    instructions: rule.instructions,
  };
}

/** The body of POST or PATCH /outreach/rules from the form: a team or an agent, never both. */
export function ruleBody(draft: RuleDraft, target: string): OutreachRuleFields {
  const [kind, id] = target.split(':');
  return {
    name: draft.name,
    eventType: draft.eventType,
    productSku: draft.productSku.trim() || null,
    delay: { amount: Number(draft.amount), unit: draft.unit },
    businessHoursId: draft.businessHoursId || null,
    teamId: kind === 'team' ? id : null,
    assigneeId: kind === 'member' ? id : null,
    instructions: draft.instructions,
  };
}
