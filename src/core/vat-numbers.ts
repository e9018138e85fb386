// VAT numbers checked locally: the format of each country and, where the country publishes one, its
// check digits. The algorithms are those VIES applies per member state, as described in the
// python-stdnum documentation (module stdnum.<cc>.vat and friends, https://arthurdejong.org/python-stdnum/)
// and verified in test/core/vat-numbers.test.ts against numbers published by the businesses
// themselves. A number that passes is well formed; whether it is registered needs a VIES / HMRC lookup.
// Pure: no I/O.

export type VatVerdict = 'ok' | 'format' | 'checksum';

export interface VatCountry {
  /** The prefix the number is written with (EL for Greece, XI for Northern Ireland). */
  prefix: string;
  name: string;
  /** The expected shape, for messages: "DE + 9 digits". */
  format: string;
  /** A well-formed example with correct check digits (not a real business). */
  example: string;
  /** True when only the format is checked (no check digit published or verified). */
  formatOnly?: boolean;
  check(national: string): VatVerdict;
}

const isDigits = (s: string) => /^\d+$/.test(s);
const digits = (s: string) => [...s].map(Number);
/** A non-negative remainder (Python's %), for sums that may go below zero. */
const mod = (n: number, m: number) => ((n % m) + m) % m;
const weighted = (s: string, weights: readonly number[]) => digits(s).reduce((sum, d, i) => sum + d * (weights[i] ?? 0), 0);

/** Luhn checksum over the whole string: 0 for a valid number. */
export function luhnChecksum(s: string): number {
  let sum = 0;
  const ds = digits(s).reverse();
  ds.forEach((d, i) => {
    if (i % 2 === 0) sum += d;
    else sum += d * 2 > 9 ? d * 2 - 9 : d * 2;
  });
  return sum % 10;
}

/** The digit that makes `s + digit` Luhn-valid. */
function luhnCheckDigit(s: string): number {
  return mod(10 - luhnChecksum(`${s}0`), 10);
}

/** ISO 7064 MOD 11,10 over the whole string (check digit included): valid when it yields 1. */
function mod11_10(s: string): boolean {
  let c = 5;
  for (const d of digits(s)) c = (((c || 10) * 2) % 11 + d) % 10;
  return c === 1;
}

/** ISO 7064 MOD 97,10 over letters (A=10 … Z=35) and digits: valid when the value mod 97 is 1. */
function mod97_10(s: string): boolean {
  let r = 0;
  for (const ch of s) {
    const v = parseInt(ch, 36);
    for (const d of String(v)) r = (r * 10 + Number(d)) % 97;
  }
  return r === 1;
}

function validDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Czech / Slovak birth number (rodné číslo): 9 digits before 1954, else 10 with a mod-11 check digit. */
function birthNumber(n: string): VatVerdict {
  if (!isDigits(n) || (n.length !== 9 && n.length !== 10)) return 'format';
  let year = 1900 + Number(n.slice(0, 2));
  const month = (Number(n.slice(2, 4)) % 50) % 20; // women +50; +20 when a day's serials ran out (2004 on)
  const day = Number(n.slice(4, 6));
  if (n.length === 9) {
    if (year >= 1980) year -= 100;
    if (year > 1953) return 'format';
  } else if (year < 1954) year += 100;
  if (!validDate(year, month, day)) return 'format';
  if (n.length === 10 && Number(n.slice(0, 9)) % 11 % 10 !== Number(n[9])) return 'checksum';
  return 'ok';
}

/** Bulgarian personal number (EGN): birth date, then a weighted mod-11 check digit. */
function bulgarianEgn(n: string): boolean {
  let year = Number(n.slice(0, 2)) + 1900;
  let month = Number(n.slice(2, 4));
  const day = Number(n.slice(4, 6));
  if (month > 40) {
    year += 100;
    month -= 40;
  } else if (month > 20) {
    year -= 100;
    month -= 20;
  }
  if (!validDate(year, month, day)) return false;
  return weighted(n.slice(0, 9), [2, 4, 8, 5, 10, 9, 7, 3, 6]) % 11 % 10 === Number(n[9]);
}

const SPANISH_LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE';
const IRISH_LETTERS = 'WABCDEFGHIJKLMNOPQRSTUV';
const FRENCH_KEY = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';

function irishCheckLetter(s: string): string {
  const n = s.padStart(7, '0');
  const second = n.slice(7);
  const sum = weighted(n.slice(0, 7), [8, 7, 6, 5, 4, 3, 2]) + 9 * (second ? IRISH_LETTERS.indexOf(second) : 0);
  return IRISH_LETTERS[sum % 23]!;
}

/** UK (and XI) VAT: 9 digits (12 for a branch), weights 8…2 then 10, 1; modulus 97 or, since 2010, 97-55. */
function ukVat(n: string): VatVerdict {
  if (/^GD\d{3}$/.test(n)) return Number(n.slice(2)) < 500 ? 'ok' : 'format';
  if (/^HA\d{3}$/.test(n)) return Number(n.slice(2)) >= 500 ? 'ok' : 'format';
  if (!/^(\d{9}|\d{12})$/.test(n)) return 'format';
  const sum = weighted(n.slice(0, 9), [8, 7, 6, 5, 4, 3, 2, 10, 1]) % 97;
  // 0: the original modulus 97 series; 42: the 97-55 series (sum + 55 divisible by 97), issued from
  // 100 000 000 upwards, so never below it.
  if (sum === 0 || (sum === 42 && Number(n.slice(0, 3)) >= 100)) return 'ok';
  return 'checksum';
}

const RULES: VatCountry[] = [
  {
    prefix: 'AT', name: 'Austrian', format: 'ATU + 8 digits', example: 'ATU12345675',
    check: (n) => {
      if (!/^U\d{8}$/.test(n)) return 'format';
      return mod(6 - luhnChecksum(n.slice(1, 8)), 10) === Number(n[8]) ? 'ok' : 'checksum';
    },
  },
  {
    prefix: 'BE', name: 'Belgian', format: 'BE + 10 digits starting with 0 or 1', example: 'BE0123456749',
    check: (n) => {
      const v = n.length === 9 ? `0${n}` : n; // the old 9-digit form
      if (!/^[01]\d{9}$/.test(v) || Number(v) === 0) return 'format';
      return (Number(v.slice(0, 8)) + Number(v.slice(8))) % 97 === 0 ? 'ok' : 'checksum';
    },
  },
  {
    prefix: 'BG', name: 'Bulgarian', format: 'BG + 9 digits (companies) or 10 (persons)', example: 'BG123456786',
    check: (n) => {
      if (!/^(\d{9}|\d{10})$/.test(n)) return 'format';
      if (n.length === 9) {
        let c = weighted(n.slice(0, 8), [1, 2, 3, 4, 5, 6, 7, 8]) % 11;
        if (c === 10) c = weighted(n.slice(0, 8), [3, 4, 5, 6, 7, 8, 9, 10]) % 11;
        return c % 10 === Number(n[8]) ? 'ok' : 'checksum';
      }
      if (bulgarianEgn(n)) return 'ok';
      if (weighted(n.slice(0, 9), [21, 19, 17, 13, 11, 9, 7, 3, 1]) % 10 === Number(n[9])) return 'ok'; // foreigner (PNF)
      return mod(11 - weighted(n.slice(0, 9), [4, 3, 2, 7, 6, 5, 4, 3, 2]), 11) === Number(n[9]) ? 'ok' : 'checksum';
    },
  },
  {
    prefix: 'CY', name: 'Cypriot', format: 'CY + 8 digits + a letter', example: 'CY32345678M',
    check: (n) => {
      if (!/^\d{8}[A-Z]$/.test(n) || n.startsWith('12')) return 'format';
      const odd = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21];
      const ds = digits(n.slice(0, 8));
      const sum = ds.reduce((s, d, i) => s + (i % 2 === 0 ? odd[d]! : d), 0);
      return 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'[sum % 26] === n[8] ? 'ok' : 'checksum';
    },
  },
  {
    prefix: 'CZ', name: 'Czech', format: 'CZ + 8 digits (companies) or 9–10 (persons)', example: 'CZ12345679',
    check: (n) => {
      if (!/^\d{8,10}$/.test(n)) return 'format';
      if (n.length === 8) {
        if (n.startsWith('9')) return 'format';
        const c = mod(11 - weighted(n.slice(0, 7), [8, 7, 6, 5, 4, 3, 2]), 11);
        return (c || 1) % 10 === Number(n[7]) ? 'ok' : 'checksum';
      }
      if (n.length === 9 && n.startsWith('6')) {
        const s = weighted(n.slice(1, 8), [8, 7, 6, 5, 4, 3, 2]) % 11;
        return mod(8 - mod(10 - s, 11), 10) === Number(n[8]) ? 'ok' : 'checksum';
      }
      return birthNumber(n);
    },
  },
  {
    prefix: 'DE', name: 'German', format: 'DE + 9 digits', example: 'DE123456788',
    check: (n) => (!/^[1-9]\d{8}$/.test(n) ? 'format' : mod11_10(n) ? 'ok' : 'checksum'),
  },
  {
    prefix: 'DK', name: 'Danish', format: 'DK + 8 digits', example: 'DK12345674',
    check: (n) => (!/^[1-9]\d{7}$/.test(n) ? 'format' : weighted(n, [2, 7, 6, 5, 4, 3, 2, 1]) % 11 === 0 ? 'ok' : 'checksum'),
  },
  {
    prefix: 'EE', name: 'Estonian', format: 'EE + 9 digits', example: 'EE123456780',
    check: (n) => (!/^\d{9}$/.test(n) ? 'format' : weighted(n, [3, 7, 1, 3, 7, 1, 3, 7, 1]) % 10 === 0 ? 'ok' : 'checksum'),
  },
  {
    prefix: 'EL', name: 'Greek', format: 'EL + 9 digits', example: 'EL123456783',
    check: (n) => {
      const v = n.length === 8 ? `0${n}` : n; // the old 8-digit form
      if (!/^\d{9}$/.test(v)) return 'format';
      let c = 0;
      for (const d of digits(v.slice(0, 8))) c = c * 2 + d;
      return ((c * 2) % 11) % 10 === Number(v[8]) ? 'ok' : 'checksum';
    },
  },
  {
    prefix: 'ES', name: 'Spanish', format: 'ES + a letter or digit, 7 digits, a letter or digit', example: 'ESB12345674',
    check: (n) => {
      if (!/^[A-Z0-9]\d{7}[A-Z0-9]$/.test(n)) return 'format';
      const first = n[0]!;
      const last = n[8]!;
      const middle = n.slice(1, 8);
      if ('KLM'.includes(first)) return SPANISH_LETTERS[Number(middle) % 23] === last ? 'ok' : 'checksum'; // DNI letter
      if (/\d/.test(first)) return SPANISH_LETTERS[Number(n.slice(0, 8)) % 23] === last ? 'ok' : 'checksum'; // DNI
      if ('XYZ'.includes(first)) return SPANISH_LETTERS[Number(`${'XYZ'.indexOf(first)}${middle}`) % 23] === last ? 'ok' : 'checksum'; // NIE
      if (!'ABCDEFGHJNPQRSUVW'.includes(first)) return 'format';
      const c = luhnCheckDigit(middle); // CIF: a digit or the letter JABCDEFGHI[digit]
      return last === String(c) || last === 'JABCDEFGHI'[c] ? 'ok' : 'checksum';
    },
  },
  {
    prefix: 'FI', name: 'Finnish', format: 'FI + 8 digits', example: 'FI12345671',
    check: (n) => (!/^\d{8}$/.test(n) ? 'format' : weighted(n, [7, 9, 10, 5, 8, 4, 2, 1]) % 11 === 0 ? 'ok' : 'checksum'),
  },
  {
    prefix: 'FR', name: 'French', format: 'FR + 2 check characters + the 9-digit SIREN', example: 'FR11123456782',
    check: (n) => {
      if (!/^[0-9A-HJ-NP-Z]{2}\d{9}$/.test(n)) return 'format';
      const siren = n.slice(2);
      if (siren.slice(0, 3) !== '000' && luhnChecksum(siren) !== 0) return 'checksum'; // 000…: Monaco, no SIREN
      if (/^\d\d$/.test(n.slice(0, 2))) return Number(n.slice(0, 2)) === Number(`${siren}12`) % 97 ? 'ok' : 'checksum';
      const a = FRENCH_KEY.indexOf(n[0]!);
      const b = FRENCH_KEY.indexOf(n[1]!);
      const c = /\d/.test(n[0]!) ? a * 24 + b - 10 : a * 34 + b - 100;
      return (Number(siren) + 1 + Math.floor(c / 11)) % 11 === c % 11 ? 'ok' : 'checksum';
    },
  },
  {
    prefix: 'HR', name: 'Croatian', format: 'HR + 11 digits', example: 'HR12345678903',
    check: (n) => (!/^\d{11}$/.test(n) ? 'format' : mod11_10(n) ? 'ok' : 'checksum'),
  },
  {
    prefix: 'HU', name: 'Hungarian', format: 'HU + 8 digits', example: 'HU12345676',
    check: (n) => (!/^\d{8}$/.test(n) ? 'format' : weighted(n, [9, 7, 3, 1, 9, 7, 3, 1]) % 10 === 0 ? 'ok' : 'checksum'),
  },
  {
    prefix: 'IE', name: 'Irish', format: 'IE + 7 digits and 1–2 letters (or the old digit-letter-5 digits-letter form)', example: 'IE1234567T',
    check: (n) => {
      if (!/^\d[A-Z0-9+*]\d{5}[A-W][A-W]?$/.test(n)) return 'format';
      if (/^\d{7}/.test(n)) return n[7] === irishCheckLetter(n.slice(0, 7) + n.slice(8)) ? 'ok' : 'checksum';
      if (n.length !== 8 || !/[A-Z+*]/.test(n[1]!)) return 'format';
      return n[7] === irishCheckLetter(n.slice(2, 7) + n[0]) ? 'ok' : 'checksum'; // old form: 2nd character a letter
    },
  },
  {
    prefix: 'IT', name: 'Italian', format: 'IT + 11 digits', example: 'IT12345670017',
    check: (n) => {
      if (!/^\d{11}$/.test(n) || Number(n.slice(0, 7)) === 0) return 'format';
      const province = n.slice(7, 10);
      if (!((province >= '001' && province <= '100') || ['120', '121', '888', '999'].includes(province))) return 'format';
      return luhnChecksum(n) === 0 ? 'ok' : 'checksum';
    },
  },
  {
    prefix: 'LT', name: 'Lithuanian', format: 'LT + 9 or 12 digits', example: 'LT123456715',
    check: (n) => {
      if (!((n.length === 9 && /^\d{7}1\d$/.test(n)) || (n.length === 12 && /^\d{10}1\d$/.test(n)))) return 'format';
      const body = n.slice(0, -1);
      let c = digits(body).reduce((s, d, i) => s + (1 + (i % 9)) * d, 0) % 11;
      if (c === 10) c = digits(body).reduce((s, d, i) => s + (1 + ((i + 2) % 9)) * d, 0);
      return (c % 11) % 10 === Number(n[n.length - 1]) ? 'ok' : 'checksum';
    },
  },
  {
    prefix: 'LU', name: 'Luxembourgish', format: 'LU + 8 digits', example: 'LU12345613',
    check: (n) => (!/^\d{8}$/.test(n) ? 'format' : Number(n.slice(0, 6)) % 89 === Number(n.slice(6)) ? 'ok' : 'checksum'),
  },
  {
    prefix: 'LV', name: 'Latvian', format: 'LV + 11 digits', example: 'LV40123456783',
    check: (n) => {
      if (!/^\d{11}$/.test(n)) return 'format';
      if (n[0]! > '3') return weighted(n, [9, 1, 4, 8, 3, 10, 2, 5, 7, 6, 1]) % 11 === 3 ? 'ok' : 'checksum';
      // A person's code: its check digit algorithm is not published by an independent source, so only
      // the shape (and the birth date of the older codes) is checked.
      if (n.startsWith('32')) return 'ok';
      const year = 1800 + Number(n.slice(4, 6)) + Number(n[6]) * 100;
      return validDate(year, Number(n.slice(2, 4)), Number(n.slice(0, 2))) ? 'ok' : 'format';
    },
  },
  {
    prefix: 'MT', name: 'Maltese', format: 'MT + 8 digits', example: 'MT12345634',
    check: (n) => (!/^[1-9]\d{7}$/.test(n) ? 'format' : weighted(n, [3, 4, 6, 7, 8, 9, 10, 1]) % 37 === 0 ? 'ok' : 'checksum'),
  },
  {
    prefix: 'NL', name: 'Dutch', format: 'NL + 9 digits + B + 2 digits', example: 'NL123456782B01',
    check: (n) => {
      if (!/^\d{9}B\d{2}$/.test(n) || Number(n.slice(0, 9)) === 0 || Number(n.slice(10)) === 0) return 'format';
      // The older numbers embed a BSN/RSIN (11-test); since 2020 sole traders get a number with a MOD 97-10 check over "NL…".
      const elevenTest = mod(weighted(n.slice(0, 8), [9, 8, 7, 6, 5, 4, 3, 2]) - Number(n[8]), 11) === 0;
      return elevenTest || mod97_10(`NL${n}`) ? 'ok' : 'checksum';
    },
  },
  {
    prefix: 'PL', name: 'Polish', format: 'PL + 10 digits', example: 'PL1234563218',
    check: (n) => (!/^\d{10}$/.test(n) ? 'format' : mod(weighted(n, [6, 5, 7, 2, 3, 4, 5, 6, 7, -1]), 11) === 0 ? 'ok' : 'checksum'),
  },
  {
    prefix: 'PT', name: 'Portuguese', format: 'PT + 9 digits', example: 'PT123456789',
    check: (n) => {
      if (!/^[1-9]\d{8}$/.test(n)) return 'format';
      return mod(11 - weighted(n.slice(0, 8), [9, 8, 7, 6, 5, 4, 3, 2]), 11) % 10 === Number(n[8]) ? 'ok' : 'checksum';
    },
  },
  {
    prefix: 'RO', name: 'Romanian', format: 'RO + 2 to 10 digits', example: 'RO1234567897',
    check: (n) => {
      if (!/^[1-9]\d{1,9}$/.test(n)) return 'format';
      const body = n.slice(0, -1).padStart(9, '0');
      return ((10 * weighted(body, [7, 5, 3, 2, 1, 7, 5, 3, 2])) % 11) % 10 === Number(n[n.length - 1]) ? 'ok' : 'checksum';
    },
  },
  {
    prefix: 'SE', name: 'Swedish', format: 'SE + the 10-digit organisation number + 01', example: 'SE123456789701',
    check: (n) => (!/^\d{10}01$/.test(n) ? 'format' : luhnChecksum(n.slice(0, 10)) === 0 ? 'ok' : 'checksum'),
  },
  {
    prefix: 'SI', name: 'Slovenian', format: 'SI + 8 digits', example: 'SI12345679',
    check: (n) => {
      if (!/^[1-9]\d{7}$/.test(n)) return 'format';
      const c = 11 - (weighted(n.slice(0, 7), [8, 7, 6, 5, 4, 3, 2]) % 11);
      return (c === 10 ? 0 : c) === Number(n[7]) ? 'ok' : 'checksum'; // 11 can never match one digit
    },
  },
  {
    prefix: 'SK', name: 'Slovak', format: 'SK + 10 digits', example: 'SK1234567015',
    check: (n) => {
      if (!/^\d{10}$/.test(n)) return 'format';
      if (birthNumber(n) === 'ok') return 'ok';
      if (n[0] === '0' || !'234789'.includes(n[2]!)) return 'format';
      return BigInt(n) % 11n === 0n ? 'ok' : 'checksum';
    },
  },
  { prefix: 'XI', name: 'Northern Ireland', format: 'XI + 9 digits (12 with a branch)', example: 'XI123456782', check: ukVat },
  { prefix: 'GB', name: 'UK', format: 'GB + 9 digits (12 with a branch)', example: 'GB123456782', check: ukVat },
  {
    prefix: 'NO', name: 'Norwegian', format: 'NO + the 9-digit organisation number + MVA', example: 'NO123456785MVA',
    check: (n) => {
      const m = /^(\d{9})(MVA)?$/.exec(n);
      if (!m) return 'format';
      return weighted(m[1]!, [3, 2, 7, 6, 5, 4, 3, 2, 1]) % 11 === 0 ? 'ok' : 'checksum';
    },
  },
  {
    prefix: 'CHE', name: 'Swiss', format: 'CHE + 9 digits (+ MWST, TVA, IVA or TPV)', example: 'CHE123456788MWST',
    check: (n) => {
      const m = /^(\d{9})(MWST|TVA|IVA|TPV)?$/.exec(n);
      if (!m) return 'format';
      const c = mod(11 - weighted(m[1]!.slice(0, 8), [5, 4, 3, 2, 7, 6, 5, 4]), 11);
      return c < 10 && c === Number(m[1]![8]) ? 'ok' : 'checksum';
    },
  },
];

export const VAT_COUNTRIES: ReadonlyMap<string, VatCountry> = new Map(RULES.map((r) => [r.prefix, r]));

/** The rule for a normalised VAT number (by its prefix), if merchant knows the country. */
export function vatCountryOf(v: string): VatCountry | undefined {
  if (v.startsWith('CHE')) return VAT_COUNTRIES.get('CHE');
  return VAT_COUNTRIES.get(v.slice(0, 2));
}

/** Judge a normalised (upper-case, no separators) VAT number with its prefix. */
export function judgeVat(v: string): { rule?: VatCountry; verdict: VatVerdict } {
  const rule = vatCountryOf(v);
  if (!rule) return { verdict: 'format' };
  let national = v.slice(rule.prefix.length);
  if (rule.prefix === 'BE' && national.startsWith('(0)')) national = `0${national.slice(3)}`;
  // Dutch numbers are often written without the leading zeros of their 9-digit part (NL4495445B01).
  if (rule.prefix === 'NL' && /^\d{1,8}B\d{2}$/.test(national)) national = national.padStart(12, '0');
  return { rule, verdict: rule.check(national) };
}
