// Local format checks for business identifiers. They catch typos before a customs form or a marketplace
// rejects the number; they cannot prove a number is registered (that needs VIES / HMRC / EOS lookups).

/** EU VAT numbers: country prefix (EL for Greece, XI for Northern Ireland) + national pattern. */
const EU_VAT: Record<string, RegExp> = {
  AT: /^ATU\d{8}$/,
  BE: /^BE[01]\d{9}$/,
  BG: /^BG\d{9,10}$/,
  CY: /^CY\d{8}[A-Z]$/,
  CZ: /^CZ\d{8,10}$/,
  DE: /^DE\d{9}$/,
  DK: /^DK\d{8}$/,
  EE: /^EE\d{9}$/,
  EL: /^EL\d{9}$/,
  ES: /^ES[A-Z0-9]\d{7}[A-Z0-9]$/,
  FI: /^FI\d{8}$/,
  FR: /^FR[A-HJ-NP-Z0-9]{2}\d{9}$/,
  HR: /^HR\d{11}$/,
  HU: /^HU\d{8}$/,
  IE: /^IE\d{7}[A-W][A-I]?$|^IE\d[A-Z+*]\d{5}[A-W]$/,
  IT: /^IT\d{11}$/,
  LT: /^LT(\d{9}|\d{12})$/,
  LU: /^LU\d{8}$/,
  LV: /^LV\d{11}$/,
  MT: /^MT\d{8}$/,
  NL: /^NL\d{9}B\d{2}$/,
  PL: /^PL\d{10}$/,
  PT: /^PT\d{9}$/,
  RO: /^RO\d{2,10}$/,
  SE: /^SE\d{10}01$/,
  SI: /^SI\d{8}$/,
  SK: /^SK\d{10}$/,
  XI: /^XI(\d{9}|\d{12}|GD\d{3}|HA\d{3})$/,
};

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

/** A VAT number: EU formats, GB (9 or 12 digits, or GD/HA), NO (9 digits + MVA), CH (CHE + 9 digits + MWST/TVA/IVA). */
export function checkVatNumber(value: string): IdCheck {
  const v = normaliseId(value);
  const prefix = v.slice(0, 2);
  if (prefix === 'GB') return result(/^GB(\d{9}|\d{12}|GD\d{3}|HA\d{3})$/.test(v), v, 'a UK VAT number is GB followed by 9 or 12 digits');
  if (prefix === 'NO') return result(/^NO\d{9}(MVA)?$/.test(v), v, 'a Norwegian VAT number is NO followed by 9 digits and MVA');
  if (v.startsWith('CHE')) return result(/^CHE\d{9}(MWST|TVA|IVA)?$/.test(v), v, 'a Swiss VAT number is CHE followed by 9 digits (and MWST/TVA/IVA)');
  if (prefix === 'GR') return { ok: false, normalised: v, message: 'Greek VAT numbers use the prefix EL, not GR' };
  const re = EU_VAT[prefix];
  if (!re) return { ok: false, normalised: v, message: `no VAT number format known for prefix ${JSON.stringify(prefix)}; expected a country prefix such as DE, FR, SE, GB` };
  return result(re.test(v), v, `does not match the ${prefix} VAT number format`);
}

/** EORI: ISO country code + up to 15 alphanumerics; GB/XI = 12 digits (e.g. GB981509987000). */
export function checkEori(value: string): IdCheck {
  const v = normaliseId(value);
  if (v.startsWith('GB') || v.startsWith('XI')) return result(/^(GB|XI)\d{12}$/.test(v), v, 'a GB/XI EORI is GB or XI followed by 12 digits');
  return result(/^[A-Z]{2}[A-Z0-9]{1,15}$/.test(v), v, 'an EORI is a 2-letter country code followed by up to 15 letters or digits');
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
  if (!/^\d{11}$/.test(v)) return { ok: false, normalised: v, message: 'an ABN is 11 digits and an ARN 12 digits' };
  const weights = [10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19];
  const digits = v.split('').map(Number);
  digits[0] = digits[0]! - 1;
  const total = digits.reduce((s, d, i) => s + d * weights[i]!, 0);
  return result(total % 89 === 0, v, 'the ABN check digits do not add up; check for a typo');
}

export function checkEmail(value: string): IdCheck {
  const v = value.trim();
  return result(/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v), v, 'not an email address');
}

export function checkTimezone(value: string): IdCheck {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return { ok: true, normalised: value };
  } catch {
    return { ok: false, normalised: value, message: 'not an IANA time zone (e.g. Europe/Stockholm, America/New_York, UTC)' };
  }
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
