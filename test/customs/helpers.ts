import { parseAmount, parseDecimal, rDiv } from '../../src/core/money.js';
import type { CustomsInput, CustomsItem, FxLookup } from '../../src/core/customs/types.js';

/** ECB-style table: 1 EUR = x CCY. */
export const EUR_RATES: Record<string, string> = {
  USD: '1.08', GBP: '0.85', CNY: '7.8', JPY: '160', AUD: '1.65', NZD: '1.8', NOK: '11.5', CHF: '0.95', CAD: '1.5', SEK: '11.2', RON: '5',
};

export function tableFx(rates: Record<string, string> = EUR_RATES, rateDate = '2026-04-13'): FxLookup {
  const leg = (c: string) => (c === 'EUR' ? parseDecimal('1') : rates[c] ? parseDecimal(rates[c]!) : undefined);
  return (from, to) => {
    const a = leg(from);
    const b = leg(to);
    if (!a || !b) return undefined;
    return { rate: rDiv(b, a), rateDate, source: 'test' };
  };
}

export function item(p: Partial<Omit<CustomsItem, 'unitValue'>> & { value?: string; currency?: string } = {}): CustomsItem {
  const { value, currency, ...rest } = p;
  return {
    description: 'Stoneware mug',
    hsCode: '691200',
    originCountry: 'SE',
    quantity: 1,
    unitWeightGrams: 400,
    ...rest,
    unitValue: parseAmount(value ?? '10.00', currency ?? 'EUR'),
  };
}

export function parcel(p: Partial<Omit<CustomsInput, 'items' | 'shipping'>> & { items?: CustomsItem[]; shipping?: string; to?: CustomsInput['to']; from?: CustomsInput['from'] } = {}): CustomsInput {
  const currency = p.currency ?? p.items?.[0]?.unitValue.currency ?? 'EUR';
  const { shipping, ...rest } = p;
  return {
    date: '2026-07-02',
    from: { country: 'CN' },
    to: { country: 'DE' },
    service: 'postal',
    incoterm: 'DAP',
    contentsType: 'merchandise',
    seller: { ioss: 'IM2760000123', ukVat: 'GB123456789', voec: 'VOEC1234567', abnArn: '123456789012', eori: 'SE5566778899' },
    ...rest,
    currency,
    items: p.items ?? [item()],
    shipping: parseAmount(shipping ?? '0', currency),
  };
}
