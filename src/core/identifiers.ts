// Local format checks for business identifiers. They catch typos before a customs form or a marketplace
// rejects the number; they cannot prove a number is registered (that needs VIES / HMRC / EOS lookups).

import { judgeVat } from './vat-numbers.js';
import { canonicalTimezone, suggestTimezones } from './timezones.js';

export function normaliseId(value: string): string {
  return value.replace(/[\s.\-]/g, '').toUpperCase();
}

export interface IdCheck {
  ok: boolean;
  normalised: string;
  message?: string;
}

function result(ok: boolean, normalised: string, message: string): IdCheck {
  return ok ? { ok, normalised } : { ok, normalised, message };
}

/**
 * A VAT number with its country prefix: the format of each EU member state (EL for Greece, XI for
 * Northern Ireland), GB, NO (+ MVA) and CH (CHE …), and the check digits where the country has them
 * (see core/vat-numbers.ts). The message names the expected format and an example.
 */
export function checkVatNumber(value: string): IdCheck {
  const v = normaliseId(value);
  if (v.startsWith('GR')) return { ok: false, normalised: v, message: 'Greek VAT numbers use the prefix EL, not GR (EL + 9 digits, e.g. EL123456783)' };
  const { rule, verdict } = judgeVat(v);
  if (!rule) {
    return {
      ok: false,
      normalised: v,
      message: /^\d/.test(v)
        ? 'a VAT number starts with its country prefix, e.g. SE556677889901, DE123456788, GB123456782'
        : `no VAT number format known for prefix ${JSON.stringify(v.slice(0, 2))}; expected an EU country prefix (EL for Greece, XI for Northern Ireland), GB, NO or CHE`,
    };
  }
  if (verdict === 'ok') return { ok: true, normalised: v };
  if (verdict === 'format') return { ok: false, normalised: v, message: `not a ${rule.name} VAT number: expected ${rule.format} (e.g. ${rule.example})` };
  return { ok: false, normalised: v, message: `the check digits of this ${rule.name} VAT number do not add up; check it for a typo (${rule.format}, e.g. ${rule.example})` };
}

/** EORI: ISO country code + up to 15 alphanumerics; GB/XI = 12 digits (e.g. GB981509987000). */
export function checkEori(value: string): IdCheck {
  const v = normaliseId(value);
  if (v.startsWith('GB') || v.startsWith('XI')) return result(/^(GB|XI)\d{12}$/.test(v), v, 'a GB/XI EORI is GB or XI followed by 12 digits (your VAT number + 000, e.g. GB123456782000)');
  return result(/^[A-Z]{2}[A-Z0-9]{1,15}$/.test(v), v, 'an EORI is the country code followed by up to 15 letters or digits (e.g. SE5566778899, DE1234567890123)');
}

/** IOSS: IM + 10 digits. */
export function checkIoss(value: string): IdCheck {
  const v = normaliseId(value);
  return result(/^IM\d{10}$/.test(v), v, 'an IOSS number is IM followed by 10 digits (e.g. IM2760000123)');
}

/** Norway VOEC registration number: 7 digits (shown as "VOEC 1234567"). */
export function checkVoec(value: string): IdCheck {
  const v = normaliseId(value).replace(/^VOEC/, '');
  return result(/^\d{7}$/.test(v), v, 'a VOEC number is 7 digits (e.g. VOEC 2026001 → 2026001)');
}

/** Australia: ABN (11 digits with the ATO checksum) or ARN (12 digits). */
export function checkAbnArn(value: string): IdCheck {
  const v = normaliseId(value);
  if (/^\d{12}$/.test(v)) return { ok: true, normalised: v };
  if (!/^\d{11}$/.test(v)) return { ok: false, normalised: v, message: 'an ABN is 11 digits (e.g. 51 824 753 556) and an ARN 12 digits (e.g. 300000000001)' };
  const weights = [10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19];
  const digits = v.split('').map(Number);
  digits[0] = digits[0]! - 1;
  const total = digits.reduce((s, d, i) => s + d * weights[i]!, 0);
  return result(total % 89 === 0, v, 'the check digits of this ABN do not add up; check it for a typo (11 digits, e.g. 51 824 753 556)');
}

export function checkEmail(value: string): IdCheck {
  const v = value.trim();
  return result(/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v), v, 'not an email address (name@example.com)');
}

export function checkTimezone(value: string): IdCheck {
  const tz = canonicalTimezone(value);
  if (tz) return { ok: true, normalised: tz };
  const guesses = suggestTimezones(value);
  return {
    ok: false,
    normalised: value,
    message: `not an IANA time zone${guesses.length ? `; did you mean ${guesses.join(' or ')}?` : ' (Region/City, e.g. Europe/Stockholm, America/New_York, or UTC)'}`,
  };
}

/** Postal codes for the countries our sellers ship from most; others only need to be non-empty. */
const POSTAL: Record<string, [RegExp, string]> = {
  SE: [/^\d{3} ?\d{2}$/, 'NNN NN'],
  DE: [/^\d{5}$/, 'NNNNN'],
  FR: [/^\d{5}$/, 'NNNNN'],
  IT: [/^\d{5}$/, 'NNNNN'],
  ES: [/^\d{5}$/, 'NNNNN'],
  NL: [/^\d{4} ?[A-Z]{2}$/i, 'NNNN AA'],
  US: [/^\d{5}(-\d{4})?$/, 'NNNNN or NNNNN-NNNN'],
  GB: [/^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/i, 'e.g. SW1A 1AA'],
  CA: [/^[A-Z]\d[A-Z] ?\d[A-Z]\d$/i, 'A1A 1A1'],
  AU: [/^\d{4}$/, 'NNNN'],
  NO: [/^\d{4}$/, 'NNNN'],
  DK: [/^\d{4}$/, 'NNNN'],
  JP: [/^\d{3}-?\d{4}$/, 'NNN-NNNN'],
  CN: [/^\d{6}$/, 'NNNNNN'],
};

export function checkPostalCode(country: string, value: string): IdCheck {
  const v = value.trim();
  const rule = POSTAL[country];
  if (!v) return { ok: false, normalised: v, message: 'postal code is empty' };
  if (!rule) return { ok: true, normalised: v };
  return result(rule[0].test(v), v, `not a ${country} postal code (expected ${rule[1]})`);
}
