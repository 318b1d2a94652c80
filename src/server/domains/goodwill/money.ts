const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/** Whether a code is an ISO 4217 currency this runtime knows. */
export const isCurrency = (code: string) => CURRENCIES.has(code);

/** How many minor units a currency has after the point: 2 for EUR, 0 for JPY, 3 for KWD. */
export function minorDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** An amount in minor units as a plain decimal ("20.00"), the way an order system reads it. */
export function decimalAmount(amountMinor: number, currency: string): string {
  return (amountMinor / 10 ** minorDigits(currency)).toFixed(minorDigits(currency));
}

/** An amount as a person reads it in a language: "€20.00", "20,00 €". */
export function formatAmount(amountMinor: number, currency: string, locale = 'en'): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(amountMinor / 10 ** minorDigits(currency));
}
