// Pure parts of the reports: seller-zone dates, ISO weeks, cell parsers, formula neutralising,
// journal balance — including a property test that the SQL local-date expression agrees with Intl.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { isoWeek, localDate, localToUtcMs, offsetSpans, utcKey } from '../../src/core/report-time.js';
import { neutraliseFormula, parseGroupBy, zeroMetrics } from '../../src/core/report.js';
import { periodEnd, localeUsesDecimalComma } from '../../src/core/report-format.js';
import { journalPostings, includedOrderTax, type JournalRow } from '../../src/core/report-journal.js';
import { parseMinor, parseTimestamp, parseEbayDate, parseCountry, splitMoney } from '../../src/adapters/orderfiles/parse.js';
import { openStore } from '../../src/store/db.js';
import { buildSalesQuery } from '../../src/services/reports/sales.js';
import { seed } from './seed.js';

describe('seller time zone', () => {
  test('offset spans find the DST changes to the minute', () => {
    const spans = offsetSpans('Europe/Stockholm', Date.parse('2026-01-01T00:00:00Z'), Date.parse('2027-01-01T00:00:00Z'));
    expect(spans.map((s) => `${s.fromKey} ${s.offsetMinutes}`)).toEqual([
      '2026-01-01T00:00:00 60', '2026-03-29T01:00:00 120', '2026-10-25T01:00:00 60',
    ]);
    expect(offsetSpans('UTC', 0, Date.parse('2027-01-01T00:00:00Z'))).toHaveLength(1);
  });

  test('local midnight to UTC, including zones east and west and DST days', () => {
    expect(new Date(localToUtcMs('Europe/Berlin', '2026-04-01')).toISOString()).toBe('2026-03-31T22:00:00.000Z');
    expect(new Date(localToUtcMs('Europe/Berlin', '2026-03-29')).toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(new Date(localToUtcMs('America/Los_Angeles', '2026-11-01', 12 * 60)).toISOString()).toBe('2026-11-01T20:00:00.000Z');
    expect(new Date(localToUtcMs('Asia/Tokyo', '2026-03-29')).toISOString()).toBe('2026-03-28T15:00:00.000Z');
    expect(localDate('Asia/Tokyo', '2026-03-28T15:20:00Z')).toBe('2026-03-29');
  });

  test('ISO weeks at year ends', () => {
    expect(isoWeek('2026-01-01')).toBe('2026-W01');
    expect(isoWeek('2027-01-01')).toBe('2026-W53');
    expect(isoWeek('2024-12-30')).toBe('2025-W01');
    expect(isoWeek('2026-03-29')).toBe('2026-W13');
  });

  test('period ends for journals stay inside the range', () => {
    expect(periodEnd('2026-02', '2026-01-01', '2026-12-31')).toBe('2026-02-28');
    expect(periodEnd('2026-W13', '2026-01-01', '2026-12-31')).toBe('2026-03-29');
    expect(periodEnd('2026-04', '2026-03-01', '2026-04-13')).toBe('2026-04-13');
    expect(periodEnd('2026-03-01/2026-04-30', '2026-03-01', '2026-04-30')).toBe('2026-04-30');
  });

  test('the SQL local date agrees with Intl for any instant (property, several zones)', () => {
    const store = openStore(':memory:');
    const zones = ['Europe/Stockholm', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata', 'America/St_Johns'];
    // The report's own SQL for the local date, once per zone.
    const exprs = new Map(zones.map((tz) => {
      const b = buildSalesQuery(store, { from: '2024-12-30', to: '2027-01-02', dims: [], dateBasis: 'order', timezone: tz }, 'detail');
      const m = /(CASE WHEN o\.ordered_at .*? END|date\(o\.ordered_at[^)]*\)) AS d/.exec(b.sql);
      return [tz, store.db.prepare(`SELECT ${m![1]!.replace(/o\.ordered_at/g, '@t')} AS d`)] as const;
    }));
    fc.assert(
      fc.property(fc.integer({ min: Date.parse('2025-01-01T00:00:00Z'), max: Date.parse('2026-12-31T00:00:00Z') }), fc.constantFrom(...zones), (ms, tz) => {
        const iso = new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
        const got = (exprs.get(tz)!.get({ t: iso }) as { d: string }).d;
        expect(`${tz} ${iso} ${got}`).toBe(`${tz} ${iso} ${localDate(tz, iso)}`);
      }),
      { numRuns: 2000 },
    );
    store.close();
  });

  test('utcKey compares correctly with stored timestamps with or without milliseconds', () => {
    const key = utcKey(Date.parse('2026-04-01T00:00:00Z'));
    expect('2026-03-31T23:59:59.999Z' < key).toBe(true);
    expect('2026-04-01T00:00:00Z' >= key).toBe(true);
    expect('2026-04-01T00:00:00.000Z' >= key).toBe(true);
  });
});

describe('cell parsers', () => {
  test('amounts into exact minor units with the currency exponent', () => {
    expect(parseMinor('24.90', 'EUR')).toEqual({ ok: 2490n });
    expect(parseMinor('-3,00', 'EUR')).toEqual({ ok: -300n });
    expect(parseMinor('3980', 'JPY')).toEqual({ ok: 3980n });
    expect(parseMinor('12.750', 'KWD')).toEqual({ ok: 12750n });
    expect(parseMinor('12.7', 'KWD')).toEqual({ ok: 12700n });
    expect(parseMinor('19.000', 'EUR')).toEqual({ ok: 1900n }); // trailing zeros beyond the exponent are harmless
    expect(parseMinor('', 'EUR')).toEqual({ ok: 0n });
    expect('error' in parseMinor('3980.5', 'JPY')).toBe(true);
    expect('error' in parseMinor('1,234.50', 'EUR')).toBe(true);
    expect('error' in parseMinor('6.93E+12', 'EUR')).toBe(true);
  });

  test('money cells with symbols', () => {
    expect(splitMoney('£24.99')).toEqual({ currency: 'GBP', amount: '24.99' });
    expect(splitMoney('AU $12.00')).toEqual({ currency: 'AUD', amount: '12.00' });
    expect(splitMoney('EUR 24,99')).toEqual({ currency: 'EUR', amount: '24,99' });
    expect(splitMoney('-$5.00')).toEqual({ currency: 'USD', amount: '-5.00' });
    expect(splitMoney('7.50')).toEqual({ currency: null, amount: '7.50' });
  });

  test('timestamps keep their instant', () => {
    expect(parseTimestamp('2026-03-07 10:15:00 +0100')).toEqual({ ok: '2026-03-07T09:15:00Z' });
    expect(parseTimestamp('2026-03-07T08:12:45+00:00')).toEqual({ ok: '2026-03-07T08:12:45Z' });
    expect(parseTimestamp('2026-04-06 08:52:26 UTC')).toEqual({ ok: '2026-04-06T08:52:26Z' });
    expect(parseTimestamp('2026-03-07T08:12:45.123-05:30')).toEqual({ ok: '2026-03-07T13:42:45Z' });
    expect('error' in parseTimestamp('03/07/2026')).toBe(true);
    expect('error' in parseTimestamp('2026-03-07 10:15')).toBe(true);
  });

  test('eBay dates', () => {
    expect(parseEbayDate('Mar-15-26', 'UTC')).toEqual({ ok: '2026-03-15T12:00:00Z' });
    expect(parseEbayDate('Mar 16, 2026', 'Europe/Stockholm')).toEqual({ ok: '2026-03-16T11:00:00Z' });
    expect(parseEbayDate('Mar-15-26 14:22:05 PDT', 'UTC')).toEqual({ ok: '2026-03-15T21:22:05Z' });
    expect(parseEbayDate('15.03.2026', 'UTC')).toEqual({ ok: '2026-03-15T12:00:00Z' });
    expect('error' in parseEbayDate('Feb-30-26', 'UTC')).toBe(true);
  });

  test('countries', () => {
    expect(parseCountry('United Kingdom')).toEqual({ ok: 'GB' });
    expect(parseCountry('de')).toEqual({ ok: 'DE' });
    expect(parseCountry('Kuwait')).toEqual({ ok: 'KW' });
    expect(parseCountry('')).toEqual({ ok: null });
    expect('error' in parseCountry('Atlantis')).toBe(true);
  });
});

describe('report core', () => {
  test('formula neutralising touches only dangerous leading characters', () => {
    for (const [i, o] of [['=1+1', "'=1+1"], ['+46', "'+46"], ['-X', "'-X"], ['@A', "'@A"], ['\tx', "'\tx"], ['\rx', "'\rx"], ['MUG-BLU-S', 'MUG-BLU-S'], ['', '']]) {
      expect(neutraliseFormula(i!)).toBe(o);
    }
  });

  test('--group-by parsing: canonical order, one time grouping', () => {
    expect(parseGroupBy('sku,month,channel')).toEqual({ time: 'month', dims: ['channel', 'sku'] });
    expect(parseGroupBy('week,day')).toMatchObject({ error: expect.stringContaining('one time grouping') });
  });

  test('journal postings balance for any figures and collector; the seller\'s VAT account carries exactly its VAT (property)', () => {
    const amt = fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n });
    fc.assert(
      fc.property(amt, amt, amt, amt, amt, amt, amt, amt, amt, amt, fc.constantFrom('seller', 'marketplace', 'import'),
        (gross, shipping, discounts, refunds, fees, tax, shippingTax, discountTax, refundTax, topTax, collector) => {
          const m = { ...zeroMetrics(), gross, shipping, discounts, refunds, fees, tax };
          const row: JournalRow = { period: 'p', currency: 'EUR', m, vatScheme: 'oss', vatCountry: 'DE', collector, split: { shippingTax, discountTax, refundTax, topTax, refundTopTax: 0n } };
          const lines = journalPostings(row);
          expect(lines.reduce((a, l) => a + l.amount, 0n)).toBe(0n);
          const vat = lines.filter((l) => l.kind === 'vat' || l.kind === 'vatRefunds').reduce((a, l) => a + l.amount, 0n);
          // the VAT account nets to −(VAT collected − VAT refunded) for the seller, nothing when the marketplace collected
          expect(vat).toBe(collector === 'marketplace' ? 0n : -(includedOrderTax(m, row.split) + topTax - refundTax));
        }),
    );
  });

  test('decimal comma locales', () => {
    expect(localeUsesDecimalComma('de-DE')).toBe(true);
    expect(localeUsesDecimalComma('sv-SE')).toBe(true);
    expect(localeUsesDecimalComma('en-GB')).toBe(false);
  });

  test('seed helper sanity (used by the report tests)', () => {
    const store = openStore(':memory:');
    seed(store, [{ id: 'A', channel: 'amazon-de', currency: 'EUR', at: '2026-03-01T00:00:00Z', lines: [{ sku: 'X', qty: 2, price: 100n }] }]);
    expect(store.db.prepare('SELECT count(*) AS n FROM order_lines').get()).toEqual({ n: 1n });
    store.close();
  });
});
