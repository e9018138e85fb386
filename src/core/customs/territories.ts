// Where an address really is for customs and VAT. Several territories share their country's ISO code
// in addresses but lie outside its VAT area (and some outside its customs territory too), so the
// country alone decides wrongly: a GB address with a BT postcode is Northern Ireland, where EU rules
// for goods apply (Windsor Framework); ES 35xxx/38xxx is the Canary Islands (EU customs territory,
// outside the EU VAT area: IGIC); ES 51xxx/52xxx is Ceuta/Melilla (outside both: IPSI); FI 22xxx is
// Åland (customs territory, outside the VAT area); GR 630 86 is Mount Athos (likewise); a GB address
// with a JE or GY postcode is Jersey or Guernsey (Crown Dependencies: in a customs union with the UK,
// outside the UK VAT area). Pure.
//
// Sources: VAT Directive 2006/112/EC art. 6(1) (Mount Athos, Canary Islands, Åland, Channel Islands
// are in the customs territory but outside the VAT area) and art. 6(2) (Ceuta, Melilla: outside both);
// UCC Regulation (EU) 952/2013 art. 4 (customs territory of the Union); Protocol on Ireland/Northern
// Ireland art. 5 and 8 as amended by the Windsor Framework (Joint Committee Decision 1/2023).

import { EU_COUNTRIES } from '../currencies.js';

/** Customs areas: 'EU' customs union, 'UK' (the UK with the Crown Dependencies), or the territory's own code. */
export type CustomsArea = string;
/** VAT areas: 'EU' (the EU VAT area), 'UK' (GB and the Isle of Man), 'XI' (Northern Ireland: EU VAT rules for goods, UK VAT rates), or the territory's own code. */
export type VatArea = string;

export interface Territory {
  /** The address's ISO 3166 country code as written. */
  country: string;
  /** The territory: the country code, or XI (Northern Ireland), IC (Canary Islands), EA (Ceuta and Melilla), AX (Åland), ATHOS, JE, GG. */
  code: string;
  /** Human name for the outcome lines. */
  name: string;
  customs: CustomsArea;
  vat: VatArea;
  /** The territory rule that moved the address out of its country's VAT area (rules.ts id). */
  rule?: TerritoryRule;
}

export type TerritoryRule = 'TERR-NI-WINDSOR' | 'TERR-CANARY-ISLANDS' | 'TERR-CEUTA-MELILLA' | 'TERR-ALAND' | 'TERR-MOUNT-ATHOS' | 'TERR-CHANNEL-ISLANDS';

/** Territories with their own ISO code that sit inside another country's customs and VAT area. */
const INSIDE: Record<string, { customs: string; vat: string }> = {
  MC: { customs: 'EU', vat: 'EU' }, // Monaco: French customs and VAT territory
  IM: { customs: 'UK', vat: 'UK' }, // Isle of Man: UK VAT area
  LI: { customs: 'CH', vat: 'CH' }, // Liechtenstein: Swiss customs and VAT area
};

const compact = (postalCode: string | undefined) => (postalCode ?? '').replace(/\s+/g, '').toUpperCase();

export function territory(country: string, postalCode?: string): Territory {
  const c = country.toUpperCase();
  const pc = compact(postalCode);
  if (c === 'GB') {
    if (/^BT\d/.test(pc)) return { country: c, code: 'XI', name: 'Northern Ireland', customs: 'UK', vat: 'XI', rule: 'TERR-NI-WINDSOR' };
    if (/^JE\d/.test(pc)) return { country: c, code: 'JE', name: 'Jersey', customs: 'UK', vat: 'JE', rule: 'TERR-CHANNEL-ISLANDS' };
    if (/^GY\d/.test(pc)) return { country: c, code: 'GG', name: 'Guernsey', customs: 'UK', vat: 'GG', rule: 'TERR-CHANNEL-ISLANDS' };
    return { country: c, code: 'GB', name: 'Great Britain', customs: 'UK', vat: 'UK' };
  }
  if (c === 'JE' || c === 'GG') return { country: c, code: c, name: c === 'JE' ? 'Jersey' : 'Guernsey', customs: 'UK', vat: c, rule: 'TERR-CHANNEL-ISLANDS' };
  if (c === 'ES' && /^(35|38)\d{3}$/.test(pc)) return { country: c, code: 'IC', name: 'Canary Islands', customs: 'EU', vat: 'IC', rule: 'TERR-CANARY-ISLANDS' };
  if (c === 'ES' && /^(51|52)\d{3}$/.test(pc)) return { country: c, code: 'EA', name: pc.startsWith('51') ? 'Ceuta' : 'Melilla', customs: 'EA', vat: 'EA', rule: 'TERR-CEUTA-MELILLA' };
  if (c === 'EA' || c === 'IC') {
    return c === 'IC'
      ? { country: c, code: 'IC', name: 'Canary Islands', customs: 'EU', vat: 'IC', rule: 'TERR-CANARY-ISLANDS' }
      : { country: c, code: 'EA', name: 'Ceuta and Melilla', customs: 'EA', vat: 'EA', rule: 'TERR-CEUTA-MELILLA' };
  }
  if ((c === 'FI' && /^22\d{3}$/.test(pc)) || c === 'AX') return { country: c, code: 'AX', name: 'Åland', customs: 'EU', vat: 'AX', rule: 'TERR-ALAND' };
  if (c === 'GR' && pc === '63086') return { country: c, code: 'ATHOS', name: 'Mount Athos', customs: 'EU', vat: 'ATHOS', rule: 'TERR-MOUNT-ATHOS' };
  const inside = INSIDE[c];
  if (inside) return { country: c, code: c, name: c, ...inside };
  if (EU_COUNTRIES.has(c)) return { country: c, code: c, name: c, customs: 'EU', vat: 'EU' };
  return { country: c, code: c, name: c, customs: c, vat: c };
}

/** The EU VAT rules for goods apply (EU VAT area, and Northern Ireland under the Windsor Framework). */
export function euGoodsVat(t: Territory): boolean {
  return t.vat === 'EU' || t.vat === 'XI';
}

/** The UK VAT area (GB, Isle of Man, and Northern Ireland, whose sales from GB are UK domestic). */
export function ukVat(t: Territory): boolean {
  return t.vat === 'UK' || t.vat === 'XI';
}

/** The VAT-registration country of a territory, as VAT returns name it (XI for Northern Ireland). */
export function vatCountry(t: Territory): string {
  if (t.code === 'XI') return 'XI';
  if (t.code === 'MC') return 'FR';
  if (t.code === 'IM') return 'GB';
  if (t.code === 'LI') return 'CH';
  return t.code;
}
