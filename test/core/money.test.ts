import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { Decimal } from 'decimal.js';
import {
  allocate, convert, divRound, formatAmount, gcd, parseAmount, parseDecimal, ratio, sum, type RoundingMode, ROUNDING_MODES, ONE,
} from '../../src/core/money.js';
import { currencyExponent, isCurrency } from '../../src/core/currencies.js';

describe('ISO 4217 exponents come from the real table', () => {
  it('knows the exponents Intl gets wrong and the unusual ones', () => {
    expect(currencyExponent('JPY')).toBe(0);
    expect(currencyExponent('KWD')).toBe(3);
    expect(currencyExponent('CLF')).toBe(4);
    expect(currencyExponent('HUF')).toBe(2);
    expect(currencyExponent('IQD')).toBe(3);
    expect(currencyExponent('EUR')).toBe(2);
  });
  it('refuses withdrawn and unknown codes', () => {
    expect(isCurrency('BGN')).toBe(false); // withdrawn 2026-01
    expect(isCurrency('XCG')).toBe(true);
    expect(() => currencyExponent('ABC')).toThrow(/unknown currency/);
  });
});

describe('parse and format', () => {
  it('parses amounts exactly per currency', () => {
    expect(parseAmount('19.99', 'EUR').minor).toBe(1999n);
    expect(parseAmount('2980', 'JPY').minor).toBe(2980n);
    expect(parseAmount('1.234', 'KWD').minor).toBe(1234n);
    expect(parseAmount('-0.5', 'USD').minor).toBe(-50n);
    expect(parseAmount('19,99', 'EUR', { decimalComma: true }).minor).toBe(1999n);
  });
  it('refuses what would silently lose value', () => {
    expect(() => parseAmount('19.999', 'EUR')).toThrow(/more than 2 decimal/);
    expect(() => parseAmount('1.5', 'JPY')).toThrow(/more than 0 decimal/);
    expect(() => parseAmount('1,000.00', 'USD')).toThrow(/"1,000.00" has "," as a thousands separator; write it without one, e.g. "1000.00"/);
    expect(() => parseAmount('1.024,00', 'EUR', { decimalComma: true })).toThrow(/"1.024,00" has "." as a thousands separator; write it without one, e.g. "1024,00"/);
    expect(() => parseAmount('6.93E+12', 'USD')).toThrow(/scientific/);
    expect(() => parseAmount('1.2.3', 'USD')).toThrow();
    expect(() => parseAmount('', 'USD')).toThrow();
  });
  it('formats with the ISO exponent', () => {
    expect(formatAmount({ minor: 1999n, currency: 'EUR' })).toBe('19.99');
    expect(formatAmount({ minor: -5n, currency: 'EUR' })).toBe('-0.05');
    expect(formatAmount({ minor: 2980n, currency: 'JPY' })).toBe('2980');
    expect(formatAmount({ minor: 1234n, currency: 'KWD' })).toBe('1.234');
  });
  it('round-trips any amount through format and parse', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.constantFrom('EUR', 'JPY', 'KWD', 'CLF'), (minor, ccy) => {
        expect(parseAmount(formatAmount({ minor, currency: ccy }), ccy).minor).toBe(minor);
      }),
    );
  });
});

const decimalMode: Record<RoundingMode, Decimal.Rounding> = {
  halfUp: Decimal.ROUND_HALF_UP,
  halfEven: Decimal.ROUND_HALF_EVEN,
  halfDown: Decimal.ROUND_HALF_DOWN,
  up: Decimal.ROUND_UP,
  down: Decimal.ROUND_DOWN,
  ceil: Decimal.ROUND_CEIL,
  floor: Decimal.ROUND_FLOOR,
};

describe('rounding agrees with decimal.js for every mode', () => {
  it('divRound', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }),
        fc.bigInt({ min: 1n, max: 10n ** 6n }),
        fc.constantFrom(...ROUNDING_MODES),
        (n, d, mode) => {
          const expected = new Decimal(n.toString()).div(d.toString()).toDecimalPlaces(0, decimalMode[mode]).toFixed(0);
          expect(divRound(n, d, mode).toString()).toBe(expected === '-0' ? '0' : expected);
        },
      ),
    );
  });
});

describe('conversion', () => {
  it('matches the measured ECB cross rates of 2026-04-13 (GBP 0.86673? no: rates from the file)', () => {
    // ECB 2026-04-13: USD 1.1684, JPY 186.75, GBP 0.87058 (eurofxref.csv).
    const usd = parseDecimal('1.1684');
    const jpy = parseDecimal('186.75');
    const gbp = parseDecimal('0.87058');
    expect(formatAmount(convert({ minor: 1999n, currency: 'GBP' }, 'USD', gbp, usd, 'halfUp'))).toBe('26.83');
    expect(formatAmount(convert({ minor: 1999n, currency: 'USD' }, 'JPY', usd, jpy, 'halfUp'))).toBe('3195');
    expect(formatAmount(convert({ minor: 2980n, currency: 'JPY' }, 'EUR', jpy, ratio(1n), 'halfUp'))).toBe('15.96');
  });
  it('agrees with an independent decimal computation, rounding once', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 9n }),
        fc.integer({ min: 1, max: 99_999_999 }),
        fc.integer({ min: 1, max: 99_999_999 }),
        (minor, a, b) => {
          const rFrom = parseDecimal((a / 10000).toFixed(4));
          const rTo = parseDecimal((b / 10000).toFixed(4));
          const got = convert({ minor, currency: 'USD' }, 'JPY', rFrom, rTo, 'halfUp').minor;
          Decimal.set({ precision: 60 });
          const expected = new Decimal(minor.toString()).div(100).mul((b / 10000).toFixed(4)).div((a / 10000).toFixed(4))
            .toDecimalPlaces(0, Decimal.ROUND_HALF_UP);
          expect(got.toString()).toBe(expected.toFixed(0));
        },
      ),
    );
  });
});

describe('allocation never loses or invents a minor unit', () => {
  it('parts sum to the whole and differ by at most one unit from the exact share', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }),
        fc.array(fc.bigInt({ min: 0n, max: 10n ** 6n }), { minLength: 1, maxLength: 20 }).filter((w) => w.some((x) => x > 0n)),
        (minor, weights) => {
          const parts = allocate({ minor, currency: 'EUR' }, weights);
          expect(sum(parts, 'EUR').minor).toBe(minor);
          const total = weights.reduce((a, b) => a + b, 0n);
          parts.forEach((p, i) => {
            const exact = (minor * weights[i]!) ;
            const diff = p.minor * total - exact;
            expect(diff < 0n ? -diff : diff).toBeLessThan(total);
          });
        },
      ),
    );
  });
  it('splits 100.00 three ways as 33.34/33.33/33.33', () => {
    expect(allocate({ minor: 10000n, currency: 'EUR' }, [1n, 1n, 1n]).map((m) => m.minor)).toEqual([3334n, 3333n, 3333n]);
  });
});

// Exact .5 ties, generated on purpose: random amounts almost never land on one, so a rounding mode
// that is wrong only at the half (half-up turned half-down or half-even) would pass the tests above.
describe('exact ties round as each mode says', () => {
  const tie = fc.record({ k: fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), d: fc.bigInt({ min: 1n, max: 10n ** 6n }) });
  it('divRound of k + ½ (any denominator) in every mode', () => {
    fc.assert(
      fc.property(tie, fc.constantFrom(...ROUNDING_MODES), ({ k, d }, mode) => {
        // (2k+1)·d / 2d is exactly k + ½ (k ≥ 0) or k + ½ below zero.
        const num = (2n * k + 1n) * d;
        const den = 2n * d;
        const expected = new Decimal(num.toString()).div(den.toString()).toDecimalPlaces(0, decimalMode[mode]).toFixed(0);
        expect(divRound(num, den, mode).toString()).toBe(expected === '-0' ? '0' : expected);
      }),
    );
  });
  it('half-up goes away from zero, half-down towards it, half-even to the even neighbour', () => {
    fc.assert(
      fc.property(tie, ({ k, d }) => {
        const num = (2n * k + 1n) * d; // k + ½
        const den = 2n * d;
        // k ≥ 0: the value is k + ½ (away from zero: k + 1); k < 0: it is k + ½ = −(|k| − ½) (away: k).
        const away = num < 0n ? k : k + 1n;
        const toward = num < 0n ? k + 1n : k;
        expect(divRound(num, den, 'halfUp')).toBe(away);
        expect(divRound(num, den, 'halfDown')).toBe(toward);
        expect(divRound(num, den, 'halfEven') % 2n).toBe(0n);
      }),
    );
    expect(divRound(5n, 2n, 'halfUp')).toBe(3n);
    expect(divRound(-5n, 2n, 'halfUp')).toBe(-3n);
    expect(divRound(5n, 2n, 'halfDown')).toBe(2n);
    expect(divRound(5n, 2n, 'halfEven')).toBe(2n);
    expect(divRound(7n, 2n, 'halfEven')).toBe(4n);
  });
  it('parseAmount with a rounding mode: 0.125 USD and every other exact half cent', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.constantFrom(...ROUNDING_MODES), (cents, mode) => {
        const text = `${formatAmount({ minor: cents, currency: 'USD' })}5`; // 12.34 → "12.345"
        const expected = new Decimal(text).toDecimalPlaces(2, decimalMode[mode]).mul(100).toFixed(0);
        expect(parseAmount(text, 'USD', { rounding: mode }).minor.toString()).toBe(expected);
      }),
    );
    expect(parseAmount('0.125', 'USD', { rounding: 'halfUp' }).minor).toBe(13n);
    expect(parseAmount('0.125', 'USD', { rounding: 'halfDown' }).minor).toBe(12n);
  });
  it('convert lands on exact half minor units and rounds them once, in every mode', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5_000_000 }), fc.integer({ min: 0, max: 99_999 }), fc.constantFrom(...ROUNDING_MODES), (m, k, mode) => {
        // An odd number of yen at a rate of (2k+1)·0.005 EUR per yen is an odd number of half cents.
        const yen = BigInt(2 * m + 1);
        const rate = new Decimal(2 * k + 1).mul('0.005').toFixed(3);
        const got = convert({ minor: yen, currency: 'JPY' }, 'EUR', ONE, parseDecimal(rate), mode);
        const exact = new Decimal(yen.toString()).mul(rate).mul(100);
        expect(exact.mod(1).toString()).toBe('0.5'); // really a tie
        expect(got.minor.toString()).toBe(exact.toDecimalPlaces(0, decimalMode[mode]).toFixed(0));
      }),
    );
  });
});

describe('gcd', () => {
  // Euclid on BigInt, the reference the fast path (doubles below 2^53) must agree with everywhere.
  const reference = (a: bigint, b: bigint): bigint => {
    while (b !== 0n) [a, b] = [b, a % b];
    return a === 0n ? 1n : a;
  };
  const SAFE = 2n ** 53n - 1n;
  it('agrees with Euclid on BigInt below, at and beyond 2^53, with zero and negative values', () => {
    const edges = [0n, 1n, 2n, 3n, 10n, 97n, 2n ** 26n, SAFE - 1n, SAFE, SAFE + 1n, 2n ** 60n, 2n ** 64n + 7n, -1n, -12n, -(2n ** 55n)];
    for (const a of edges) for (const b of edges) expect(gcd(a, b), `${a}, ${b}`).toBe(reference(a, b));
    let seed = 12345n;
    const next = (bits: bigint) => {
      seed = (seed * 6364136223846793005n + 1442695040888963407n) % 2n ** 64n;
      return seed % 2n ** bits;
    };
    for (let i = 0; i < 20000; i++) {
      const bits = BigInt(1 + (i % 62));
      const k = next(20n) + 1n; // a common factor, so the answer is rarely 1
      const a = next(bits) * k;
      const b = next(bits) * k;
      expect(gcd(a, b)).toBe(reference(a, b));
    }
  });
});
