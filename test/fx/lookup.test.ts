import { describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/db.js';
import { convertMoney, crossRate } from '../../src/services/fx/lookup.js';
import { InvalidInputError } from '../../src/core/errors.js';
import { ratio } from '../../src/core/money.js';

function storeWith(rows: Array<[string, string, string, string, string]>): Store {
  const s = openStore(':memory:');
  const ins = s.db.prepare('INSERT INTO fx_rates (source, rate_date, base, quote, rate, fetched_at) VALUES (?, ?, ?, ?, ?, ?)');
  for (const r of rows) ins.run(...r, '2026-04-13T00:00:00Z');
  return s;
}

describe('crossRate (direct rows)', () => {
  const s = storeWith([
    ['ecb', '2026-04-10', 'EUR', 'USD', '1.1711'],
    ['ecb', '2026-04-10', 'EUR', 'JPY', '186.43'],
    ['ecb', '2026-04-13', 'EUR', 'USD', '1.1684'],
    ['ecb', '2026-04-13', 'EUR', 'JPY', '186.75'],
    ['manual', '2026-04-13', 'USD', 'GBP', '0.79'],
  ]);

  it('is rate_to / rate_from exactly', () => {
    const r = crossRate(s, 'USD', 'JPY', '2026-04-13');
    expect(r.rate).toEqual(ratio(18675000n, 116840n));
    expect(r).toMatchObject({ rateDate: '2026-04-13', requestedDate: '2026-04-13', fallback: false, source: 'ecb' });
  });

  it('falls back over the weekend to the Friday publication', () => {
    const r = crossRate(s, 'EUR', 'USD', '2026-04-12');
    expect(r).toMatchObject({ rateDate: '2026-04-10', requestedDate: '2026-04-12', fallback: true });
    expect(r.rate).toEqual(ratio(11711n, 10000n));
  });

  it('lets a manual override win for its date, in both directions', () => {
    expect(crossRate(s, 'USD', 'GBP', '2026-04-13')).toMatchObject({ source: 'manual', rate: ratio(79n, 100n) });
    expect(crossRate(s, 'GBP', 'USD', '2026-04-13').rate).toEqual(ratio(100n, 79n));
  });

  it('refuses unknown currencies, missing currencies and dates before the first rate (exit 3)', () => {
    expect(() => crossRate(s, 'XXQ', 'USD', '2026-04-13')).toThrow(InvalidInputError);
    expect(() => crossRate(s, 'USD', 'CHF', '2026-04-13')).toThrow(/no CHF rate/);
    expect(() => crossRate(s, 'USD', 'JPY', '2026-04-09')).toThrow(/first stored rate is from 2026-04-10/);
  });

  it('converts with one rounding', () => {
    const { money, rate } = convertMoney(s, { minor: 1999n, currency: 'USD' }, 'JPY', '2026-04-13', 'halfUp');
    // 19.99 × 186.75 / 1.1684 = 3195.06…
    expect(money).toEqual({ minor: 3195n, currency: 'JPY' });
    expect(rate.rateDate).toBe('2026-04-13');
  });
});
