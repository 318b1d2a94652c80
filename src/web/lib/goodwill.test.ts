import { describe, expect, it } from 'vitest';
import { type GoodwillSettings, limitOf, parseAmount } from './goodwill';

const settings: GoodwillSettings = {
  orderWebhookUrl: null,
  limits: [{ role: 'agent', kind: 'refund', currency: 'USD', limitMinor: 10_000 }],
  defaults: [
    { role: 'owner', limitMajor: null },
    { role: 'admin', limitMajor: 500 },
    { role: 'agent', limitMajor: 50 },
    { role: 'light', limitMajor: 0 },
  ],
};

describe('goodwill amounts and limits in the app', () => {
  it('reads what an agent types in the currency’s minor units', () => {
    expect(parseAmount('20', 'EUR')).toBe(2000);
    expect(parseAmount('20.5', 'EUR')).toBe(2050);
    expect(parseAmount(' 20,05 ', 'EUR')).toBe(2005);
    expect(parseAmount('500', 'JPY')).toBe(500);
    expect(parseAmount('1.234', 'KWD')).toBe(1234);
    for (const bad of ['', '0', '0.00', '-5', '20.555', '1e3', 'abc']) expect(parseAmount(bad, 'EUR'), bad).toBeNull();
    expect(parseAmount('5.5', 'JPY')).toBeNull();
  });

  it('takes a role’s own row, else the default in the currency’s main unit; an owner has none', () => {
    expect(limitOf(settings, 'agent', 'refund', 'USD')).toBe(10_000);
    expect(limitOf(settings, 'agent', 'credit', 'USD')).toBe(5_000);
    expect(limitOf(settings, 'agent', 'credit', 'JPY')).toBe(50);
    expect(limitOf(settings, 'admin', 'credit', 'EUR')).toBe(50_000);
    expect(limitOf(settings, 'light', 'discount', 'EUR')).toBe(0);
    expect(limitOf(settings, 'owner', 'credit', 'EUR')).toBeNull();
  });
});
