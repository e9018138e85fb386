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
    title: 'EU: interim flat customs duty of EUR 3 per distinct tariff subheading in consignments ≤ EUR 150 (distance sales, whatever the VAT scheme); counted at 6 digits in H6/H7, at the 10-digit TARIC code in an H1 declaration',
    effectiveFrom: '2026-07-01',
    effectiveTo: '2028-06-30',
    source: 'Council Regulation (EU) 2026/382 (amending Reg. (EEC) 2658/87), applicable 1 Jul 2026 to 1 Jul 2028; Commission Delegated Regulation (EU) 2026/1022 and Implementing Regulation (EU) 2026/1200 (declaration data); Baker McKenzie Global Import blog 2026-06-26 and 2026-07-02; WiseTech Academy "EU applies €3 customs duty per item" (read 2026-11-24) [S40][S41][S42b][S43b]',
    params: { perSubheading: '3.00', currency: 'EUR', threshold: '150' },
  },
  'EU-DUTY-FLAT-3-PREFERENCE': {
    id: 'EU-DUTY-FLAT-3-PREFERENCE',
    title: 'EU: the EUR 3 flat duty does not apply to goods claiming preferential origin (or a Customs Union measure) in a full H1 declaration when the VAT is not collected under IOSS: the preferential tariff rate applies instead',
    effectiveFrom: '2026-07-01',
    effectiveTo: '2028-06-30',
    source: 'Council Regulation (EU) 2026/382; Baker McKenzie Global Import blog "EU low value consignment relief abolished and EUR 3 customs duty introduced from 1 July 2026" (2026-07-02) — scope exclusion for preferential / Customs Union goods declared in H1 without IOSS',
  },
  'EU-PRODUCT-IDENTIFIERS': {
    id: 'EU-PRODUCT-IDENTIFIERS',
    title: 'EU: declarations (H1/H6/H7) for distance sales ≤ EUR 150 carry item-level product identifiers: the merchant\'s product identifier (SKU) and the manufacturer\'s identifier (the standardised GTIN/EAN/UPC where the product has one) — voluntary from 1 Jul 2026, mandatory from 1 Nov 2026',
    effectiveFrom: '2026-11-01',
    source: 'Commission Delegated Regulation (EU) 2026/1022 amending Delegated Reg. (EU) 2015/2446 Annex B (adopted 30 Jun 2026; identifiers mandatory from 1 Nov 2026) and Implementing Regulation (EU) 2026/1200 (published 8 Jun 2026); owlbrief summary of the Delegated Regulation; FedEx customer notice as reported by exp.czl.net (read 2026-11-24). The Official Journal text itself was not reachable from here',
    params: { voluntaryFrom: '2026-07-01' },
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

  'EU-IOSS-RATE-PAYMENT-DAY': {
    id: 'EU-IOSS-RATE-PAYMENT-DAY',
    title: 'EU: whether a sale is ≤ EUR 150 for IOSS (VAT at sale) is decided at the ECB rate of the day payment was accepted, whenever the goods are imported',
    effectiveFrom: '2021-07-01',
    source: 'VAT Directive art. 91(2); AEAT "Manual for low value shipments" §3.1.5 Exchange rate (sede.agenciatributaria.gob.es, read 2026-11-24); EC Explanatory Notes on VAT e-commerce rules (Sept 2020)',
  },
  'EU-CUSTOMS-RATE-MONTHLY': {
    id: 'EU-CUSTOMS-RATE-MONTHLY',
    title: 'EU customs: values are converted at the ECB rate published on the penultimate Wednesday of the previous month (the latest earlier publication when there is none that day), valid for the whole month',
    effectiveFrom: '2016-05-01',
    source: 'Commission Implementing Regulation (EU) 2015/2447 art. 146(2)–(3); UCC art. 53(1); Finnish Customs "Currency conversion rates" (tulli.fi); Luxembourg customs "Taux de change" (douanes.public.lu), read 2026-11-24',
  },
  'EU-OSS-DISTANCE-SALES': {
    id: 'EU-OSS-DISTANCE-SALES',
    title: 'EU: a distance sale of goods from one member state (or Northern Ireland) to a consumer in another — the seller charges the destination\'s VAT and declares it in the union OSS return',
    effectiveFrom: '2021-07-01',
    source: 'VAT Directive art. 33(a), 59c (EUR 10,000 threshold), 369a–369k (union scheme) as amended by Council Directive (EU) 2017/2455 and (EU) 2019/1995',
  },
  'EU-DEEMED-SUPPLIER-IMPORT': {
    id: 'EU-DEEMED-SUPPLIER-IMPORT',
    title: 'EU: an online marketplace that facilitates a distance sale of goods imported in a consignment ≤ EUR 150 is the deemed supplier: it charges the VAT under its own IOSS number, which goes on the declaration',
    effectiveFrom: '2021-07-01',
    source: 'VAT Directive art. 14a(1) (Council Directive (EU) 2017/2455); EC Explanatory Notes on VAT e-commerce rules §2 (deemed supplier) [S46][S89]',
  },
  'EU-DEEMED-SUPPLIER-EU-STOCK': {
    id: 'EU-DEEMED-SUPPLIER-EU-STOCK',
    title: 'EU: an online marketplace that facilitates a sale of goods already in the EU by a seller not established in the EU, to a consumer, is the deemed supplier and charges the VAT',
    effectiveFrom: '2021-07-01',
    source: 'VAT Directive art. 14a(2) (Council Directive (EU) 2017/2455); EC Explanatory Notes on VAT e-commerce rules §2',
  },
  'EU-EORI': {
    id: 'EU-EORI',
    title: 'EU: the importer lodging the declaration needs an EORI number issued by an EU member state (XI… for Northern Ireland); a GB EORI is not valid in the EU',
    effectiveFrom: '2009-07-01',
    source: 'Union Customs Code (Reg. (EU) 952/2013) art. 9; Delegated Reg. (EU) 2015/2446 art. 5–6; EORI format [S87][S88]',
  },

  // ── Territories outside their country's VAT area ─────────────────────────────────────────────
  'TERR-NI-WINDSOR': {
    id: 'TERR-NI-WINDSOR',
    title: 'Northern Ireland (GB address, BT postcode): goods move between the EU and Northern Ireland without customs formalities, and EU VAT rules for goods apply — distance sales go through OSS (an XI VAT number on the UK side), not IOSS',
    effectiveFrom: '2021-01-01',
    source: 'Protocol on Ireland/Northern Ireland (Withdrawal Agreement) art. 5 and 8, as amended by the Windsor Framework (Joint Committee Decision 1/2023 of 24 Mar 2023); gov.uk "VAT on goods and services sold to Northern Ireland" / XI VAT numbers; VATREG37210 [S56]',
  },
  'TERR-CANARY-ISLANDS': {
    id: 'TERR-CANARY-ISLANDS',
    title: 'Canary Islands (ES 35xxx/38xxx): in the EU customs territory but outside the EU VAT area — goods need a customs (fiscal) declaration, the Canary IGIC is charged at import, IOSS and OSS do not apply',
    effectiveFrom: '1993-01-01',
    source: 'VAT Directive 2006/112/EC art. 6(1)(b); UCC art. 4 (customs territory); Canary Islands Law 20/1991 (IGIC)',
  },
  'TERR-CEUTA-MELILLA': {
    id: 'TERR-CEUTA-MELILLA',
    title: 'Ceuta and Melilla (ES 51xxx/52xxx): outside both the EU customs territory and the EU VAT area — an export, with the local IPSI tax at import',
    effectiveFrom: '1993-01-01',
    source: 'VAT Directive 2006/112/EC art. 6(2)(c)–(d); UCC art. 4 (Ceuta and Melilla excluded from the customs territory); Spanish Law 8/1991 (IPSI)',
  },
  'TERR-ALAND': {
    id: 'TERR-ALAND',
    title: 'Åland (FI 22xxx): in the EU customs territory but outside the EU VAT area — goods from the EU need a customs (tax) declaration and Finnish import VAT is charged; IOSS and OSS do not apply',
    effectiveFrom: '1995-01-01',
    source: 'VAT Directive 2006/112/EC art. 6(1)(d); Protocol No 2 to the 1994 Act of Accession (Åland); Finnish Customs "Åland tax border"',
  },
  'TERR-MOUNT-ATHOS': {
    id: 'TERR-MOUNT-ATHOS',
    title: 'Mount Athos (GR 630 86): in the EU customs territory but outside the EU VAT area — no EU VAT; IOSS and OSS do not apply',
    effectiveFrom: '1981-01-01',
    source: 'VAT Directive 2006/112/EC art. 6(1)(a); Joint Declaration on Mount Athos (1979 Act of Accession of Greece)',
  },
  'TERR-CHANNEL-ISLANDS': {
    id: 'TERR-CHANNEL-ISLANDS',
    title: 'Jersey and Guernsey (GB address, JE/GY postcode): in a customs union with the UK but outside the UK VAT area — a customs declaration is needed, no UK VAT is charged (the £135 scheme does not apply); Jersey charges 5% GST at import above GBP 60 (goods and shipping), Guernsey has no GST',
    effectiveFrom: '2023-07-01',
    source: 'VAT Directive art. 6(1)(e) / VATA 1994 s.96 (Channel Islands outside the UK VAT area); Jersey Post "Importing goods" (GST de minimis lowered from £135 to £60 on 1 Jul 2023; a Jersey Post help page says July 2024) and customs.gst.gov.je, read 2026-11-24',
    params: { jerseyThreshold: '60', jerseyRate: '0.05', currency: 'GBP' },
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

  'UK-OMP-DEEMED-SUPPLIER': {
    id: 'UK-OMP-DEEMED-SUPPLIER',
    title: 'UK: an online marketplace is the deemed supplier of goods in consignments ≤ GBP 135 it facilitates, and of goods already in the UK sold through it by an overseas seller; the seller\'s own UK VAT number does not go on the declaration',
    effectiveFrom: '2021-01-01',
    source: 'VATA 1994 s.5A (Taxation (Cross-border Trade) Act 2018, Finance Act 2020 Sch. 11); gov.uk "VAT and overseas goods sold to customers in the UK using online marketplaces" [S55][S56]',
  },
  'UK-EORI': {
    id: 'UK-EORI',
    title: 'UK: an import into Great Britain needs a GB EORI number (GB + 12 digits); an EU EORI is not valid there',
    effectiveFrom: '2021-01-01',
    source: 'gov.uk "Get an EORI number" (GB EORI for customs declarations in Great Britain; XI for Northern Ireland) [S88]',
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
  'US-POSTAL-DUTY-PREPAID': {
    id: 'US-POSTAL-DUTY-PREPAID',
    title: 'US postal items: duty is collected before delivery — the foreign post (or a CBP-approved qualified party) collects it from the sender and remits it to CBP; the buyer cannot pay it on delivery',
    effectiveFrom: '2025-08-29',
    source: 'CBP CSMS # 65934463 "Payment of Duty on International Mail Shipments pursuant to Executive Order 14324" (Aug 2025, "Global Guidance for International Mail"); EO 14324 of 30 Jul 2025 [S50]',
  },
  'US-HTS10-MAIL': {
    id: 'US-HTS10-MAIL',
    title: 'US postal items (informal mail entry ≤ USD 2,500): every article needs its 10-digit HTSUS number (plus description, quantity and weight where they affect duty)',
    effectiveFrom: '2026-07-24',
    source: 'CBP interim final rule on informal entries for international mail, effective 24 Jul 2026 (Supply Chain Dive "CBP readies more stringent data requirements for postal imports"); CBP notice "Test of the New Electronic Informal Entry Process for Mail" (entry type 13), Federal Register doc 2026-12668, 24 Jun 2026 (read 2026-11-24)',
  },
  'US-MARKETPLACE-FACILITATOR': {
    id: 'US-MARKETPLACE-FACILITATOR',
    title: 'US: marketplace facilitators (Amazon, eBay) collect and remit the states\' sales tax on sales they facilitate; it is not the seller\'s money',
    effectiveFrom: '2018-06-21',
    source: 'South Dakota v. Wayfair (585 U.S. 162, 21 Jun 2018) and the states\' marketplace facilitator laws; Amazon "Marketplace Tax Collection" (MarketplaceFacilitatorTax) [F30]',
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

  'AU-EDP-OPERATOR': {
    id: 'AU-EDP-OPERATOR',
    title: 'Australia: an electronic distribution platform (marketplace) is treated as the supplier of low value goods (≤ AUD 1,000) sold through it and charges the GST',
    effectiveFrom: '2018-07-01',
    source: 'A New Tax System (Goods and Services Tax) Act 1999 Div 84 Subdiv 84-C as inserted by the Treasury Laws Amendment (GST Low Value Goods) Act 2017 (EDP operators treated as the supplier); ATO LCR 2018/1 [S60]',
  },
  'NZ-MARKETPLACE': {
    id: 'NZ-MARKETPLACE',
    title: 'New Zealand: an electronic marketplace is treated as the supplier of low-value imported goods (≤ NZD 1,000) sold through it and charges the GST',
    effectiveFrom: '2019-12-01',
    source: 'Goods and Services Tax Act 1985 as amended by the Taxation (Annual Rates for 2019–20, GST Offshore Supplier Registration, and Remedial Matters) Act 2019 (electronic marketplaces treated as the supplier of low-value imported goods) [S63]',
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

  'NO-VOEC-MARKETPLACE': {
    id: 'NO-VOEC-MARKETPLACE',
    title: 'Norway: an electronic marketplace registered in VOEC is liable for the VAT on low-value goods (below NOK 3,000 per item) sold through it; its VOEC number goes on the parcel',
    effectiveFrom: '2020-04-01',
    source: 'Merverdiavgiftsloven (VOEC scheme from 1 Apr 2020: an electronic interface is treated as the seller of low-value goods it facilitates); Skatteetaten "VOEC – low value goods" [S62b]',
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

  'CH-PLATFORM-SUPPLIER': {
    id: 'CH-PLATFORM-SUPPLIER',
    title: 'Switzerland: an electronic platform through which goods are sold to Swiss customers is the deemed supplier (if it is liable for Swiss VAT)',
    effectiveFrom: '2025-01-01',
    source: 'MWSTG art. 20a (partial revision of the VAT Act of 16 Jun 2023, in force 1 Jan 2025); ESTV MWST-Info "Plattformen"',
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
