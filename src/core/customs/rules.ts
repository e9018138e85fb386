// The customs rules as data: one entry per rule, with the dates it applies and the published source.
// engine.ts reads thresholds and dates from here and never hard-codes them; a rule change is an edit
// of this table (plus a test). Sources are tagged with the research note's ids where they come from
// ../shared/reference/shipping-customs.md (§7 resolves [Sx]). Dates are inclusive (YYYY-MM-DD);
// `effectiveTo` is the last day a rule applies.

export interface RuleDef {
  id: string;
  title: string;
  effectiveFrom: string;
  effectiveTo?: string;
  source: string;
  /** Threshold or rate parameters, as exact decimal text. */
  params?: Record<string, string>;
}

const R = <T extends Record<string, RuleDef>>(t: T) => t;

export const RULES = R({
  // ── Forms ────────────────────────────────────────────────────────────────────────────────────
  'DOMESTIC': {
    id: 'DOMESTIC',
    title: 'Domestic shipment: no customs declaration',
    effectiveFrom: '1900-01-01',
    source: 'no border crossing',
  },
  'EU-INTRA': {
    id: 'EU-INTRA',
    title: 'Within the EU customs union: no customs declaration; VAT charged by the seller (OSS or origin VAT)',
    effectiveFrom: '1993-01-01',
    source: 'TFEU art. 28–30 (customs union); Council Directive 2006/112/EC; EU member states list [shipping-customs.md §2.5, S6]',
  },
  'UPU-CN22': {
    id: 'UPU-CN22',
    title: 'Postal item below 300 SDR and at most 2 kg: CN 22 customs declaration',
    effectiveFrom: '2018-01-01',
    source: 'UPU Convention and Regulations (Istanbul 2016, in force 2018-01-01); WCO–UPU Postal Customs Guide (June 2018) §IV.j; Eswatini Post, India Post CN22 instructions [S64b][S65][S66]',
    params: { sdrLimit: '300', maxGrams: '2000' },
  },
  'UPU-CN23': {
    id: 'UPU-CN23',
    title: 'Postal parcel, or postal item of 300 SDR or more: CN 23 customs declaration',
    effectiveFrom: '2018-01-01',
    source: 'UPU Convention and Regulations (Istanbul 2016, in force 2018-01-01); WCO–UPU Postal Customs Guide (June 2018) §IV.j; Eswatini Post, India Post [S64][S65][S66]',
    params: { sdrLimit: '300', maxGrams: '2000' },
  },
  'IMF-SDR-BASKET-2022': {
    id: 'IMF-SDR-BASKET-2022',
    title: 'SDR valued from the IMF basket (USD 0.57813, EUR 0.37379, CNY 1.0993, JPY 13.452, GBP 0.080870) at the shipment date\'s reference rates',
    effectiveFrom: '2022-08-01',
    effectiveTo: '2027-07-31',
    source: 'IMF press release 22/281 (29 Jul 2022), "IMF determines new currency amounts for the SDR valuation basket", valid 2022-08-01 to 2027-07-31',
    params: { USD: '0.57813', EUR: '0.37379', CNY: '1.0993', JPY: '13.452', GBP: '0.080870' },
  },
  'COURIER-COMMERCIAL-INVOICE': {
    id: 'COURIER-COMMERCIAL-INVOICE',
    title: 'Courier (non-postal) international shipment: commercial invoice with HS code, origin, unit and total value, currency, incoterm',
    effectiveFrom: '2020-01-01',
    source: 'UPS help centre "Commercial invoice"; Incoterms 2020 (ICC, in force 2020-01-01); EasyPost commercial invoice guide [S75][S76][S11][S21]',
  },

  // ── European Union ───────────────────────────────────────────────────────────────────────────
  'EU-IOSS-150': {
    id: 'EU-IOSS-150',
    title: 'EU: consignment of intrinsic value ≤ EUR 150 — VAT charged at sale under IOSS; the IOSS number goes on the declaration (H7)',
    effectiveFrom: '2021-07-01',
    source: 'Council Directive (EU) 2017/2455 and (EU) 2019/1995 (VAT e-commerce package), VAT Directive art. 143(1)(ca), 369l–369x; EC Guidance on import and export of low value consignments (Ares(2020)7537849) [S45][S46][S47][S48]',
    params: { threshold: '150', currency: 'EUR' },
  },
  'EU-IMPORT-VAT': {
    id: 'EU-IMPORT-VAT',
    title: 'EU: consignment above EUR 150 (or IOSS excluded) — import VAT collected at the border, standard import declaration',
    effectiveFrom: '2021-07-01',
    source: 'VAT Directive art. 143(1)(ca) and 369l as amended by Council Directive (EU) 2017/2455; EC low value consignments guidance [S46][S48]',
    params: { threshold: '150', currency: 'EUR' },
  },
  'EU-DUTY-RELIEF-150': {
    id: 'EU-DUTY-RELIEF-150',
    title: 'EU: customs duty relief for consignments of negligible value ≤ EUR 150',
    effectiveFrom: '2010-01-01',
    effectiveTo: '2026-06-30',
    source: 'Council Regulation (EC) No 1186/2009 art. 23–24 (relief abolished by the Council on 13 Nov 2025 with effect from 1 Jul 2026) [S40][S42]',
    params: { threshold: '150', currency: 'EUR' },
  },
  'EU-DUTY-FLAT-3': {
    id: 'EU-DUTY-FLAT-3',
    title: 'EU: interim flat customs duty of EUR 3 per distinct tariff subheading in consignments ≤ EUR 150',
    effectiveFrom: '2026-07-01',
    effectiveTo: '2028-06-30',
    source: 'Council regulation amending Reg. (EEC) 2658/87 (ECOFIN agreement 12 Dec 2025, formally approved 11 Feb 2026), applicable 1 Jul 2026 to 1 Jul 2028 [S40][S41][S42b][S43b]',
    params: { perSubheading: '3.00', currency: 'EUR', threshold: '150' },
  },
  'EU-DUTY-TARIFF': {
    id: 'EU-DUTY-TARIFF',
    title: 'EU: consignment above EUR 150 — customs duty at the Common Customs Tariff rate of each CN code',
    effectiveFrom: '1987-07-23',
    source: 'Council Regulation (EEC) No 2658/87 (Combined Nomenclature / Common Customs Tariff); Reg. (EC) 1186/2009 art. 23 [S40]',
    params: { threshold: '150', currency: 'EUR' },
  },
  'EU-HS-REQUIRED': {
    id: 'EU-HS-REQUIRED',
    title: 'EU: a 6-digit HS code and advance electronic data are required on every item (vague descriptions are rejected)',
    effectiveFrom: '2023-03-01',
    source: 'ICS2 release 2 (postal and express, 1 Mar 2023); USPS seller alert 2022-11-08 [S68]',
  },
  'EU-FEE-RO': {
    id: 'EU-FEE-RO',
    title: 'Romania: national handling fee of RON 25 per non-EU parcel ≤ EUR 150',
    effectiveFrom: '2026-01-01',
    source: 'Romanian fee on non-EU low-value parcels, businessforum.ro 2026-01-21 [S44]',
    params: { amount: '25.00', currency: 'RON' },
  },
  'EU-FEE-FR': {
    id: 'EU-FEE-FR',
    title: 'France: national fee of EUR 2 per declaration line on non-EU parcels ≤ EUR 150',
    effectiveFrom: '2026-03-01',
    source: 'French low-value parcel fee (Passport, "EU & UK customs developments") [S43]',
    params: { amount: '2.00', currency: 'EUR' },
  },
  'EU-FEE-IT': {
    id: 'EU-FEE-IT',
    title: 'Italy: national fee of EUR 2 per non-EU parcel ≤ EUR 150',
    effectiveFrom: '2026-07-01',
    source: 'Italian low-value parcel fee, postponed to 1 Jul 2026 (Passport) [S43]',
    params: { amount: '2.00', currency: 'EUR' },
  },

  // ── United Kingdom ───────────────────────────────────────────────────────────────────────────
  'UK-VAT-AT-SALE-135': {
    id: 'UK-VAT-AT-SALE-135',
    title: 'UK: consignment ≤ GBP 135 sold to a GB consumer — the seller (or the online marketplace) charges UK VAT at sale and must be UK VAT registered',
    effectiveFrom: '2021-01-01',
    source: 'VATA 1994 s.5A and s.7(5A) (Taxation (Cross-border Trade) Act 2018); gov.uk "VAT and overseas goods sold to customers in Great Britain"; VATREG37210 [S55][S56]',
    params: { threshold: '135', currency: 'GBP' },
  },
  'UK-DUTY-RELIEF-135': {
    id: 'UK-DUTY-RELIEF-135',
    title: 'UK: customs duty relief for consignments ≤ GBP 135 (to be abolished by March 2029 at the latest)',
    effectiveFrom: '2021-01-01',
    source: 'HMRC low value import relief; Autumn Budget 26 Nov 2025 (abolition by March 2029) [S56][S57][S59]',
    params: { threshold: '135', currency: 'GBP' },
  },
  'UK-IMPORT-VAT-DUTY': {
    id: 'UK-IMPORT-VAT-DUTY',
    title: 'UK: consignment above GBP 135 — import VAT and customs duty at the border',
    effectiveFrom: '2021-01-01',
    source: 'gov.uk VATREG37210; HMRC import VAT [S56]',
    params: { threshold: '135', currency: 'GBP' },
  },

  // ── United States ────────────────────────────────────────────────────────────────────────────
  'US-DEMINIMIS-800': {
    id: 'US-DEMINIMIS-800',
    title: 'US: Section 321 de minimis — duty-free entry for shipments of fair retail value ≤ USD 800',
    effectiveFrom: '2016-03-10',
    effectiveTo: '2025-08-28',
    source: '19 U.S.C. 1321 as amended by TFEA 2015 s.901 (in force 2016-03-10) [S50][S51]',
    params: { threshold: '800', currency: 'USD' },
  },
  'US-DEMINIMIS-CN-HK': {
    id: 'US-DEMINIMIS-CN-HK',
    title: 'US: no de minimis for goods of Chinese or Hong Kong origin',
    effectiveFrom: '2025-05-02',
    source: 'Executive Order 14256 (2 Apr 2025), effective 2 May 2025 [S53]',
  },
  'US-DEMINIMIS-SUSPENDED': {
    id: 'US-DEMINIMIS-SUSPENDED',
    title: 'US: duty-free de minimis suspended for all countries — every parcel is dutiable (kept after the IEEPA ruling of 20 Feb 2026)',
    effectiveFrom: '2025-08-29',
    effectiveTo: '2027-06-30',
    source: 'Executive Order 14324 of 30 Jul 2025 (effective 29 Aug 2025); EOs of 20 Feb 2026 keeping the suspension [S50][S51][S52]',
  },
  'US-DEMINIMIS-REPEALED': {
    id: 'US-DEMINIMIS-REPEALED',
    title: 'US: commercial de minimis repealed in law — every parcel is dutiable',
    effectiveFrom: '2027-07-01',
    source: 'One Big Beautiful Bill Act (Pub. L. 119-21, signed 4 Jul 2025), repeal of 19 U.S.C. 1321 for commercial shipments from 1 Jul 2027 [S53]',
  },
  'US-HS-REQUIRED': {
    id: 'US-HS-REQUIRED',
    title: 'US: a 6-digit (or longer) HS code is required on every article',
    effectiveFrom: '2025-09-01',
    source: 'USPS international HS code mandate, 1 Sep 2025 (ecommercebytes r07m); Shippo international guide [S67][S6]',
  },
  'US-EXPORT-EEI': {
    id: 'US-EXPORT-EEI',
    title: 'US export: EEI exemption NOEEI 30.37(a) for Schedule B lines ≤ USD 2,500 (NOEEI 30.36 to Canada); above that an AES ITN is required',
    effectiveFrom: '2008-06-02',
    source: '15 CFR 30.36, 30.37(a) (Foreign Trade Regulations, 73 FR 31548); EasyPost/Shippo customs docs [S1][S5][S6]',
    params: { threshold: '2500', currency: 'USD' },
  },

  // ── Australia, New Zealand ───────────────────────────────────────────────────────────────────
  'AU-GST-LVG-1000': {
    id: 'AU-GST-LVG-1000',
    title: 'Australia: low value goods ≤ AUD 1,000 customs value — 10% GST charged at sale by the registered vendor; ARN/ABN on the import documents; no duty or GST at the border',
    effectiveFrom: '2018-07-01',
    source: 'Treasury Laws Amendment (GST Low Value Goods) Act 2017; ATO LCR 2018/1; ATO "Information for transporters or customs brokers" [S60][S61]',
    params: { threshold: '1000', currency: 'AUD' },
  },
  'AU-IMPORT': {
    id: 'AU-IMPORT',
    title: 'Australia: customs value above AUD 1,000 — duty and GST at the border',
    effectiveFrom: '2018-07-01',
    source: 'Customs Act 1901; ATO LCR 2018/1 [S60]',
    params: { threshold: '1000', currency: 'AUD' },
  },
  'NZ-GST-LVG-1000': {
    id: 'NZ-GST-LVG-1000',
    title: 'New Zealand: goods ≤ NZD 1,000 — 15% GST charged at sale by the registered offshore supplier; none at the border',
    effectiveFrom: '2019-12-01',
    source: 'Taxation (Annual Rates for 2019–20, GST Offshore Supplier Registration, and Remedial Matters) Act 2019 [S63]',
    params: { threshold: '1000', currency: 'NZD' },
  },
  'NZ-IMPORT': {
    id: 'NZ-IMPORT',
    title: 'New Zealand: goods above NZD 1,000 — GST and duty at the border',
    effectiveFrom: '2019-12-01',
    source: 'Customs and Excise Act 2018; NZ GST offshore supplier rules [S63]',
    params: { threshold: '1000', currency: 'NZD' },
  },

  // ── Norway ───────────────────────────────────────────────────────────────────────────────────
  'NO-VOEC-3000': {
    id: 'NO-VOEC-3000',
    title: 'Norway: every item below NOK 3,000 (shipping excluded) — 25% VAT charged at sale under VOEC; the VOEC number goes on the parcel',
    effectiveFrom: '2020-04-01',
    source: 'Skatteetaten "VOEC – low value goods"; Merverdiavgiftsloven ch. 14 (VOEC scheme from 1 Apr 2020) [S62b][S63]',
    params: { threshold: '3000', currency: 'NOK' },
  },
  'NO-IMPORT': {
    id: 'NO-IMPORT',
    title: 'Norway: an item of NOK 3,000 or more — import VAT and duty at the border (low-value and other goods must not be mixed)',
    effectiveFrom: '2020-04-01',
    source: 'Skatteetaten "VOEC – low value goods" [S62b]',
    params: { threshold: '3000', currency: 'NOK' },
  },

  // ── Switzerland ──────────────────────────────────────────────────────────────────────────────
  'CH-VAT-SMALL-AMOUNT': {
    id: 'CH-VAT-SMALL-AMOUNT',
    title: 'Switzerland: import VAT of CHF 5 or less is not collected — goods value incl. transport up to CHF 62 at 8.1% (CHF 192 at the 2.6% reduced rate)',
    effectiveFrom: '2024-01-01',
    source: 'EFD ordinance SR 641.204 art. 1(2)(a) (tax amount ≤ CHF 5); MWSTG art. 25 rates 8.1%/2.6% from 1 Jan 2024; FOCBS "Goods of small value"',
    params: { standardThreshold: '62', reducedThreshold: '192', currency: 'CHF' },
  },
  'CH-VAT-SMALL-AMOUNT-2018': {
    id: 'CH-VAT-SMALL-AMOUNT-2018',
    title: 'Switzerland: import VAT of CHF 5 or less is not collected — goods value incl. transport up to CHF 65 at 7.7% (CHF 200 at 2.5%)',
    effectiveFrom: '2018-01-01',
    effectiveTo: '2023-12-31',
    source: 'EFD ordinance SR 641.204 art. 1(2)(a); MWSTG art. 25 rates 7.7%/2.5% (2018–2023); FOCBS "Goods of small value"',
    params: { standardThreshold: '65', reducedThreshold: '200', currency: 'CHF' },
  },
  'CH-MAIL-ORDER': {
    id: 'CH-MAIL-ORDER',
    title: 'Switzerland: a mail-order seller registered for Swiss VAT (mandatory at CHF 100,000 a year of small consignments) charges Swiss VAT at sale and is the importer',
    effectiveFrom: '2019-01-01',
    source: 'MWSTG art. 7(3)(b) (mail-order rule, in force 1 Jan 2019); ESTV MWST-Info "Versandhandel"',
  },
  'CH-INDUSTRIAL-TARIFF-ZERO': {
    id: 'CH-INDUSTRIAL-TARIFF-ZERO',
    title: 'Switzerland: customs duties on industrial goods (HS chapters 25–97, except WTO agricultural products) abolished; agricultural goods stay dutiable',
    effectiveFrom: '2024-01-01',
    source: 'Zolltarifgesetz amendment of 1 Oct 2021 (abolition of industrial tariffs), in force 1 Jan 2024; WTO Agreement on Agriculture Annex 1 (product scope)',
  },
  'CH-DUTY-TARIFF': {
    id: 'CH-DUTY-TARIFF',
    title: 'Switzerland: customs duty by gross weight per tariff line',
    effectiveFrom: '1986-10-09',
    source: 'Zolltarifgesetz (SR 632.10) of 9 Oct 1986',
  },

  // ── Canada ───────────────────────────────────────────────────────────────────────────────────
  'CA-MAIL-20': {
    id: 'CA-MAIL-20',
    title: 'Canada, mail from any origin: value for duty ≤ CAD 20 free of duty and tax; above, duty and GST/HST',
    effectiveFrom: '2020-07-01',
    source: 'CBSA Customs Notice 20-18; Postal Imports Remission Order [S62][S62c]',
    params: { threshold: '20', currency: 'CAD' },
  },
  'CA-COURIER-CUSMA': {
    id: 'CA-COURIER-CUSMA',
    title: 'Canada, courier from the US or Mexico: ≤ CAD 40 free of duty and tax; CAD 40.01–150 duty-free, GST/HST due; above CAD 150 duty and tax',
    effectiveFrom: '2020-07-01',
    source: 'CUSMA; CBSA Customs Notice 20-18 (Courier Low Value Shipment thresholds, 1 Jul 2020) [S62][S62c]',
    params: { taxThreshold: '40', dutyThreshold: '150', currency: 'CAD' },
  },
  'CA-COURIER-20': {
    id: 'CA-COURIER-20',
    title: 'Canada, courier from elsewhere: value for duty ≤ CAD 20 free of duty and tax; above, duty and GST/HST',
    effectiveFrom: '2020-07-01',
    source: 'CBSA Customs Notice 20-18; Courier Imports Remission Order [S62]',
    params: { threshold: '20', currency: 'CAD' },
  },

  // ── Goods ────────────────────────────────────────────────────────────────────────────────────
  'HS2022': {
    id: 'HS2022',
    title: 'HS codes: digits only, 6, 8 or 10 long; the first 6 digits must be an HS 2022 subheading',
    effectiveFrom: '2022-01-01',
    effectiveTo: '2027-12-31',
    source: 'WCO Harmonized System 2022 edition (in force 1 Jan 2022), table data/hs2022.csv from datasets/harmonized-system @905e5a0f (PDDL) [S24][S78][S79]',
  },
  'HS-COMMERCIAL': {
    id: 'HS-COMMERCIAL',
    title: 'Commercial items (sale of goods) need the HS tariff number and the country of origin on the CN 22 / CN 23',
    effectiveFrom: '2018-01-01',
    source: 'UPU CN 22 / CN 23 form instructions ("HS tariff number and country of origin of goods, for commercial items"); India Post CN22 instructions; OECD 2018 Annex A [S64][S66]',
  },
  'GIFT-FROM-BUSINESS': {
    id: 'GIFT-FROM-BUSINESS',
    title: 'Gift reliefs apply between private individuals only; goods a business sold are "sale of goods"',
    effectiveFrom: '2009-12-01',
    source: 'Council Regulation (EC) 1186/2009 art. 25 (non-commercial consignments between private individuals); HMRC gift relief (£39); USPS seller alert on "gift" declarations [S57][S68]',
  },
  'EXCISE-EXCLUDED': {
    id: 'EXCISE-EXCLUDED',
    title: 'Excise goods (alcoholic beverages HS 2203–2208, tobacco HS 24) are excluded from IOSS, the UK £135 rules, the AU low value goods GST and VOEC',
    effectiveFrom: '2021-07-01',
    source: 'VAT Directive art. 369l (excise goods excluded from IOSS); gov.uk VAT on overseas goods; ATO LCR 2018/1; Skatteetaten VOEC [S46][S55][S60][S62b]',
  },
  'LITHIUM-POSTAL': {
    id: 'LITHIUM-POSTAL',
    title: 'International mail accepts lithium batteries only installed in equipment; loose batteries or batteries packed with equipment are refused',
    effectiveFrom: '2016-01-01',
    source: 'UPU Convention art. 19 and Regulations (lithium batteries in equipment only); USPS IMM 136.4 / Endicia lithium guidance [S73][S74]',
  },
  'LITHIUM-IATA-SOC-2026': {
    id: 'LITHIUM-IATA-SOC-2026',
    title: 'Air transport: UN3481 (lithium-ion packed with equipment, > 2.7 Wh) must be at ≤ 30% state of charge; UN3480/UN3090 alone are cargo-aircraft only',
    effectiveFrom: '2026-01-01',
    source: 'IATA Dangerous Goods Regulations 67th edition (2026), PI 965–970 [S70][S71][S72b][S72c]',
  },
  'RESTRICTED-GOODS': {
    id: 'RESTRICTED-GOODS',
    title: 'Goods restricted almost everywhere (alcohol, tobacco, weapons, medicines, plants and seeds, food, precious metals, perfume): check the destination\'s list',
    effectiveFrom: '2018-06-01',
    source: 'UPU Postal Export Guide "Prohibited and restricted articles"; WCO–UPU Postal Customs Guide (June 2018); Shippo international guide [S64b][S6]',
  },
  'DESCRIPTION-SPECIFIC': {
    id: 'DESCRIPTION-SPECIFIC',
    title: 'Descriptions must say what the item is ("gift", "parts", "clothing", "electronics" are rejected)',
    effectiveFrom: '2023-03-01',
    source: 'EU ICS2 (1 Mar 2023) and USPS seller alert 2022-11-08; UPS commercial invoice guidance [S68][S75]',
  },
  'NO-REGIME': {
    id: 'NO-REGIME',
    title: 'No encoded low-value regime for this destination: treated as dutiable, VAT/GST at import',
    effectiveFrom: '1900-01-01',
    source: 'merchant customs rules table (no destination-specific rule)',
  },
});

export type RuleId = keyof typeof RULES;

export function rule(id: RuleId): RuleDef {
  return RULES[id];
}

/** True when the rule is in force on `date` (YYYY-MM-DD compares as text). */
export function inForce(r: RuleDef, date: string): boolean {
  return date >= r.effectiveFrom && (r.effectiveTo === undefined || date <= r.effectiveTo);
}
