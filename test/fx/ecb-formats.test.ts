import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseRateFile, parseEcbDate } from '../../src/adapters/fx/ecb-formats.js';
import { InvalidInputError } from '../../src/core/errors.js';

const FIX = resolve(import.meta.dirname, '../../fixtures/ecb');
const read = (f: string) => readFileSync(resolve(FIX, f), 'utf8');

describe('ECB full-history CSV (eurofxref-hist.csv)', () => {
  const file = parseRateFile(read('eurofxref-hist.csv'), 'eurofxref-hist.csv');

  it('reads every publication day, newest first, and ignores the empty 43rd column', () => {
    expect(file.format).toBe('ecb-hist-csv');
    expect(file.days).toHaveLength(6983);
    expect(file.days[0]!.date).toBe('2026-04-13');
    expect(file.days.at(-1)!.date).toBe('1999-01-04');
    expect(file.days[0]!.rates.map((r) => r.quote)).not.toContain('');
  });

  it('skips N/A cells instead of storing them (BGN after the euro, HRK, RUB)', () => {
    const latest = file.days[0]!;
    expect(latest.rates).toHaveLength(29);
    expect(latest.rates.find((r) => r.quote === 'BGN')).toBeUndefined();
    const d20251231 = file.days.find((d) => d.date === '2025-12-31')!;
    expect(d20251231.rates.find((r) => r.quote === 'BGN')?.rate).toBe('1.9558');
    expect(file.missing).toBeGreaterThan(60_000);
  });

  it('keeps the published text exactly (trailing zeros stripped in this file)', () => {
    const latest = file.days[0]!;
    expect(latest.rates.find((r) => r.quote === 'GBP')?.rate).toBe('0.87058');
    expect(latest.rates.find((r) => r.quote === 'HUF')?.rate).toBe('366.9');
    expect(latest.rates.find((r) => r.quote === 'IDR')?.rate).toBe('20082.05');
  });

  it('has no weekend rows and no TARGET holidays (2025-04-18 Good Friday)', () => {
    const dates = new Set(file.days.map((d) => d.date));
    expect(dates.has('2026-04-11')).toBe(false);
    expect(dates.has('2026-04-12')).toBe(false);
    expect(dates.has('2025-04-18')).toBe(false);
    expect(dates.has('2025-04-17')).toBe(true);
  });
});

describe('ECB single-day CSV (eurofxref.csv)', () => {
  it('reads ", " separators, "13 April 2026" dates, trailing zeros and the trailing ", "', () => {
    const f = parseRateFile(read('eurofxref.csv'), 'eurofxref.csv');
    expect(f.format).toBe('ecb-daily-csv');
    expect(f.days).toHaveLength(1);
    expect(f.days[0]!.date).toBe('2026-04-13');
    expect(f.days[0]!.rates).toHaveLength(29);
    expect(f.days[0]!.rates.find((r) => r.quote === 'HUF')?.rate).toBe('366.90');
    expect(f.days[0]!.rates.find((r) => r.quote === 'ZAR')?.rate).toBe('19.3849');
  });

  it('survives a Windows/Excel round trip: BOM, CRLF, quoted cells, blank trailing lines', () => {
    const text = read('eurofxref.csv').replace(/\n/g, '\r\n');
    const quoted = text.replace('13 April 2026', '"13 April 2026"');
    const f = parseRateFile(`\uFEFF${quoted}\r\n\r\n`, 'excel.csv');
    expect(f.days[0]!.date).toBe('2026-04-13');
    expect(f.days[0]!.rates).toHaveLength(29);
    expect(f.days[0]!.rates.at(-1)).toEqual({ quote: 'ZAR', rate: '19.3849' });
  });

  it('parses day-month-year dates strictly', () => {
    expect(parseEcbDate('13 April 2026')).toBe('2026-04-13');
    expect(parseEcbDate('3 Jan 2025')).toBe('2025-01-03');
    expect(parseEcbDate('31 February 2026')).toBeUndefined();
    expect(parseEcbDate('2026-02-30')).toBeUndefined();
    expect(parseEcbDate('13 Foo 2026')).toBeUndefined();
  });
});

describe('ECB daily XML (eurofxref-daily.xml)', () => {
  it('reads the namespaced Cube/Cube[@time]/Cube[@currency,@rate] with single-quoted attributes', () => {
    const f = parseRateFile(read('eurofxref-daily.xml'), 'eurofxref-daily.xml');
    expect(f.format).toBe('ecb-xml');
    expect(f.days).toHaveLength(1);
    expect(f.days[0]!.date).toBe('2025-05-09');
    expect(f.days[0]!.rates).toHaveLength(30);
    expect(f.days[0]!.rates.find((r) => r.quote === 'GBP')?.rate).toBe('0.84770');
    expect(f.days[0]!.rates.find((r) => r.quote === 'BGN')?.rate).toBe('1.9558');
  });

  it('reads a multi-day (90-day/history) XML with the default namespace bound to a prefix', () => {
    const xml = `<?xml version="1.0"?><g:Envelope xmlns:g="http://www.gesmes.org/xml/2002-08-01" xmlns:e="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
<e:Cube><e:Cube time="2026-04-13"><e:Cube currency="USD" rate="1.1684"/></e:Cube><e:Cube time="2026-04-10"><e:Cube currency="USD" rate="1.1711"/></e:Cube></e:Cube></g:Envelope>`;
    const f = parseRateFile(xml, 'hist.xml');
    expect(f.days.map((d) => [d.date, d.rates[0]!.rate])).toEqual([['2026-04-13', '1.1684'], ['2026-04-10', '1.1711']]);
  });

  it('refuses Cube elements outside the ECB vocabulary', () => {
    const xml = `<Envelope xmlns="http://example.com/other"><Cube><Cube time='2026-04-13'><Cube currency='USD' rate='1.2'/></Cube></Cube></Envelope>`;
    expect(() => parseRateFile(xml, 'x.xml')).toThrow(/vocabulary/);
  });
});

describe('bad files are refused whole, with file:line:column', () => {
  it('names the bad cell', () => {
    const text = 'Date,USD,JPY,\n2026-04-13,1.1684,18 6.75,\n2026-04-10,1.1711,186.43,\n';
    try {
      parseRateFile(text, 'bad.csv');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidInputError);
      const p = (e as InvalidInputError).problems[0]!;
      expect(p).toMatchObject({ file: 'bad.csv', line: 2, column: 3, field: 'JPY' });
    }
  });

  it('refuses negative, zero and scientific rates and impossible dates', () => {
    for (const cell of ['-1.2', '0', '1e3', '1,2']) {
      expect(() => parseRateFile(`Date,USD,\n2026-04-13,${cell},\n`, 'x.csv')).toThrow(InvalidInputError);
    }
    expect(() => parseRateFile('Date,USD,\n2026-02-30,1.1,\n', 'x.csv')).toThrow(
      expect.objectContaining({ problems: [expect.objectContaining({ line: 2, column: 1, message: expect.stringMatching(/not a date/) })] }),
    );
    expect(() => parseRateFile('Currency,USD\n', 'x.csv')).toThrow(/Date/);
  });
});
