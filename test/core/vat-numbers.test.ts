// VAT number check digits, per country. Known-valid numbers are ones businesses publish on their
// invoices and websites, as collected in python-stdnum's test corpus (tests/test_eu_vat.doctest,
// tests/test_gb_vat.doctest; https://github.com/arthurdejong/python-stdnum) and in its module docs.
// Known-invalid ones are the same kind of number with a mangled check digit (from that corpus, and
// worked by hand from each algorithm: every one below fails only its check digit, never its format).

import { describe, it, expect } from 'vitest';
import { checkVatNumber } from '../../src/core/identifiers.js';
import { VAT_COUNTRIES, judgeVat } from '../../src/core/vat-numbers.js';

const CASES: Record<string, { valid: string[]; checksum: string[]; format?: string[] }> = {
  AT: { valid: ['ATU 142 43 102', 'ATU54299806', 'ATU13585627'], checksum: ['ATU 143 43 102', 'ATU15169209', 'ATU13585626'], format: ['AT12345678', 'ATU1234567'] },
  BE: { valid: ['BE (0)468.561.072', 'BE 0441.928.931', 'BE 456.973.433'], checksum: ['BE 0406.139.583', 'BE 456.973.432'], format: ['BE2123456789'] },
  BG: { valid: ['BG 103873594', 'BG 175186242', 'BG7542011030', 'BG7111042925'], checksum: ['BG 131 172 009', 'BG 147147471', 'BG 175074751'], format: ['BG12345678'] },
  CY: { valid: ['CY 10246672X', 'CY-10258074Y', 'CY-10259033P'], checksum: ['CY 10246672F', 'CY-10257074Y'], format: ['CY12345678A', 'CY123456789'] },
  CZ: { valid: ['CZ 25123891', 'CZ 64628060', 'CZ 6956220612', 'CZ 640903926'], checksum: ['CZ 25557481', 'CZ 48207726', 'CZ 640913926'], format: ['CZ 91234567'] },
  DE: { valid: ['DE - 113866163', 'DE 168347747', 'DE 811 363 057', 'DE136695976'], checksum: ['DE123456789', 'DE 125014855', 'DE 246 495 415'], format: ['DE 012345678', 'DE12345678'] },
  DK: { valid: ['DK 10 50 32 80', 'DK 25 76 63 69', 'DK 13585628'], checksum: ['DK 11 96 56 58', 'DK-27996592', 'DK 13585627'], format: ['DK 01234567'] },
  EE: { valid: ['EE 100 931 558', 'EE 100834066', 'EE100594102'], checksum: ['EE 100 941 558', 'EE 100525487', 'EE100594103'], format: ['EE 10093155'] },
  EL: { valid: ['EL 039868210', 'EL 094237076', 'EL 998408192', 'EL 094259216'], checksum: ['EL 094013834', 'EL094501140', 'EL 123456781'], format: ['EL 12345678A'] },
  ES: { valid: ['ES - Q0818001J', 'ES B-58378431', 'ES X5277343Q', 'ES Y5277343F', 'ES 54362315K', 'ES M1234567L'], checksum: ['ES 54362415K', 'ES K-2814015-F', 'ES B64717839'], format: ['ES O1234567L'] },
  FI: { valid: ['FI 02459042', 'FI 24416318', 'FI 20774740'], checksum: ['FI 20774741'], format: ['FI 1234567'] },
  FR: { valid: ['FR 04409414364', 'FR 19552143273', 'FR K 7399859412', 'FR 4Z123456782'], checksum: ['FR 04409414264', 'FR 21 326 565 603', 'FR K 7399859312'], format: ['FR IO334175221'] },
  HR: { valid: ['HR 33392005961', 'HR12345678903'], checksum: ['HR 33392005962'], format: ['HR 3339200596'] },
  HU: { valid: ['HU -12509403', 'HU 18206373', 'HU12078503'], checksum: ['HU12892313'], format: ['HU 1289231'] },
  IE: { valid: ['IE 0005306C', 'IE 635 430 5C', 'IE6433435IH', 'IE 6433435OA', 'IE8D79739I', 'IE9Y71814N'], checksum: ['IE 4731823H', 'IE 632 3421 C', 'IE8D79729I', 'IE 6433435E'], format: ['IE 8?79739J'] },
  IT: { valid: ['IT - 01404480202', 'IT 00687120980', 'IT 00743110157'], checksum: ['IT 00743110158'], format: ['IT 00000001234', 'IT 12345671234'] },
  LT: { valid: ['LT 100001354118', 'LT 258596610', 'LT100004801610', 'LT 119511515'], checksum: ['LT 100001919018'], format: ['LT 123456789'] },
  LU: { valid: ['LU 10059929', 'LU 19184853', 'LU 15027442'], checksum: ['LU 15027443'], format: ['LU 1502744'] },
  LV: { valid: ['LV 4000 3521 600', 'LV 40003777428', 'LV 43603009384'], checksum: ['LV 40003189715', 'LV 90000528022', 'LV 40003521601'], format: ['LV 161375-19997'] },
  MT: { valid: ['MT 1039-6417', 'MT 1966 1023', 'MT 1167-9112'], checksum: ['MT 1167-9113'], format: ['MT 01679112'] },
  NL: { valid: ['NL 001241 643 B01', 'NL.0094.10.806.B.01', 'NL4495445B01', 'NL002455799B11'], checksum: ['NL123456789B90'], format: ['NL123456789A01', 'NL123456782B00'] },
  PL: { valid: ['PL 5211355116', 'PL 5840304472', 'PL 764-23-05-495', 'PL 8567346215'], checksum: ['PL 8567346216'], format: ['PL 856734621'] },
  PT: { valid: ['PT 500 019 720', 'PT 504141066', 'PT 501 964 843'], checksum: ['PT 501 964 842'], format: ['PT 012345678'] },
  RO: { valid: ['RO 11358544', 'RO 18341035', 'RO 6322498', 'RO 185 472 90'], checksum: ['RO 185 472 91'], format: ['RO 012345', 'RO 1'] },
  SE: { valid: ['SE 202 100-5000 01', 'SE 556433592401', 'SE556677889901', 'SE 123456789701'], checksum: ['SE 123456789101', 'SE556677889801'], format: ['SE 556433592402'] },
  SI: { valid: ['SI 26808498', 'SI 68297530', 'SI 5022 3054'], checksum: ['SI 50223055'], format: ['SI 01234567'] },
  SK: { valid: ['SK 1078449064', 'SK 2022193459', 'SK 202 274 96 19'], checksum: ['SK 1078449164', 'SK 2020457679', 'SK 202 274 96 18'], format: ['SK 2012345678'] },
  XI: { valid: ['XI 432525179'], checksum: ['XI 432525178'], format: ['XI 43252517'] },
  // UK: modulus 97 (GB 980 7806 84) and 97-55 (GB 100 1950 75, 100190874), a branch (12 digits), government departments.
  GB: { valid: ['GB 980 7806 84', 'GB 100 1950 75', 'GB100190874', 'GB 242338087388', 'GB 002 4257 28', 'GBGD100', 'GBHA500'], checksum: ['GB123456789', 'GB 802311781', 'GB 980 7806 85', 'GB 002 4257 55'], format: ['GB 12345678', 'GBGD500', 'GBHA100'] },
  NO: { valid: ['NO 995 525 828 MVA', 'NO 988077917'], checksum: ['NO 995 525 829 MVA', 'NO 988077918'], format: ['NO 99552582 MVA'] },
  CHE: { valid: ['CHE-107.787.577 IVA', 'CHE-100.155.212', 'CHE-116.281.710 MWST'], checksum: ['CHE-107.787.578 IVA', 'CHE-100.155.213'], format: ['CHE-107.787.577 VAT'] },
};

describe('VAT numbers: check digits per country', () => {
  it('covers every country merchant knows', () => {
    expect(Object.keys(CASES).sort()).toEqual([...VAT_COUNTRIES.keys()].sort());
  });

  for (const [country, c] of Object.entries(CASES)) {
    it(`${country}: published numbers pass, mangled check digits and malformed numbers fail`, () => {
      for (const v of c.valid) expect(checkVatNumber(v), v).toMatchObject({ ok: true });
      for (const v of c.checksum) {
        const r = checkVatNumber(v);
        expect(r.ok, v).toBe(false);
        expect(r.message, v).toMatch(/check digits .* do not add up/);
      }
      for (const v of c.format ?? []) {
        const r = checkVatNumber(v);
        expect(r.ok, v).toBe(false);
        expect(r.message, v).toMatch(/^not a .* VAT number: expected /);
      }
    });
  }

  it('every example shown in a message is itself valid', () => {
    for (const rule of VAT_COUNTRIES.values()) expect(judgeVat(rule.example).verdict, rule.example).toBe('ok');
  });

  it('messages name the expected format and an example', () => {
    expect(checkVatNumber('DE12345678').message).toBe('not a German VAT number: expected DE + 9 digits (e.g. DE123456788)');
    expect(checkVatNumber('GB123456789').message).toBe('the check digits of this UK VAT number do not add up; check it for a typo (GB + 9 digits (12 with a branch), e.g. GB123456782)');
    expect(checkVatNumber('GR094259216').message).toMatch(/prefix EL, not GR/);
    expect(checkVatNumber('556677889901').message).toMatch(/starts with its country prefix/);
    expect(checkVatNumber('US123456789').message).toMatch(/no VAT number format known for prefix "US"/);
  });

  it('normalises separators and case', () => {
    expect(checkVatNumber(' se 5566-7788.9901 ')).toEqual({ ok: true, normalised: 'SE556677889901' });
  });
});
