// parcel.json (PRODUCT.md §10) → the canonical CustomsInput. Validates once, at the edge: every
// problem is reported with its field path, and nothing past this point re-checks types.

import { InvalidInputError, type InputProblem } from '../../core/errors.js';
import { isCountry, isCurrency } from '../../core/currencies.js';
import { parseAmount, type Money } from '../../core/money.js';
import type { BatteryChemistry, BatteryPacking, ContentsType, CustomsInput, CustomsItem, DeclarationType, Incoterm, SaleInfo, SellerIds, ServiceKind } from '../../core/customs/types.js';
import type { TaxIdKind } from '../../core/customs/vat-collector.js';

export interface ParcelDefaults {
  /** The profile's ship-from country (used when the file has no `from`). */
  fromCountry?: string;
  /** The profile's registration numbers (the file's `seller` overrides them one by one). */
  seller: SellerIds;
  /** Today, for files without a `date`. */
  today: string;
  /** The profile's country (the seller's establishment), for "sale". */
  sellerCountry?: string;
}

type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const SERVICES: readonly ServiceKind[] = ['postal', 'courier'];
const CONTENTS: readonly ContentsType[] = ['merchandise', 'gift', 'documents', 'sample', 'returned_goods', 'other'];
const BATTERY: readonly BatteryPacking[] = ['none', 'installed', 'packed', 'loose'];
const CHEMISTRY: readonly BatteryChemistry[] = ['lithium-ion', 'lithium-metal'];

export interface ParsedParcel {
  input: CustomsInput;
  notes: string[];
}

export function parseParcel(text: string, file: string, d: ParcelDefaults): ParsedParcel {
  const problems: InputProblem[] = [];
  const notes: string[] = [];
  const bad = (field: string, message: string, value?: unknown) =>
    problems.push({ file, field, rule: 'parcel', message, ...(value !== undefined ? { value: String(value) } : {}) });

  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new InvalidInputError(`${file} is not valid JSON: ${(e as Error).message}`, {
      hints: ['see `merchant customs check --help` for the parcel.json shape'],
    });
  }
  if (!isObj(doc)) throw new InvalidInputError(`${file} must hold one JSON object (the parcel)`);

  const str = (o: Json, k: string): string | undefined => (typeof o[k] === 'string' ? (o[k] as string).trim() : undefined);

  // date
  let date = str(doc, 'date') ?? d.today;
  if (/^\d{4}-\d{2}-\d{2}T/.test(date)) date = date.slice(0, 10); // a timestamp: its calendar day
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) {
    bad('date', `"date" must be a date YYYY-MM-DD, got ${JSON.stringify(doc.date)}`);
    date = d.today;
  }

  let paymentDate: string | undefined = str(doc, 'paymentDate');
  if (paymentDate !== undefined) {
    if (/^\d{4}-\d{2}-\d{2}T/.test(paymentDate)) paymentDate = paymentDate.slice(0, 10);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(paymentDate) || Number.isNaN(Date.parse(`${paymentDate}T00:00:00Z`))) {
      bad('paymentDate', `"paymentDate" must be a date YYYY-MM-DD (the day payment was accepted), got ${JSON.stringify(doc.paymentDate)}`);
      paymentDate = undefined;
    } else if (paymentDate > date) {
      bad('paymentDate', `"paymentDate" ${paymentDate} is after the shipment date ${date}: goods are paid for before they are shipped`);
      paymentDate = undefined;
    }
  }

  // addresses
  const country = (field: 'from' | 'to', fallback?: string): { country: string; postalCode?: string } => {
    const o = doc as Json;
    const a = o[field];
    const c = isObj(a) ? str(a, 'country')?.toUpperCase() : undefined;
    const value = c ?? fallback;
    if (!value) {
      bad(`${field}.country`, `"${field}.country" is required (ISO 3166 alpha-2, e.g. "DE")${field === 'from' ? ' — or set a ship-from address with `merchant onboard`' : ''}`);
      return { country: 'XX' };
    }
    if (!isCountry(value)) bad(`${field}.country`, `"${value}" is not an ISO 3166 alpha-2 country code`, value);
    const postalCode = isObj(a) ? str(a, 'postalCode') : undefined;
    return { country: value, ...(postalCode ? { postalCode } : {}) };
  };
  const from = country('from', d.fromCountry);
  const to = country('to');

  const service = (str(doc, 'service') ?? 'postal').toLowerCase() as ServiceKind;
  if (!SERVICES.includes(service)) bad('service', `"service" must be "postal" or "courier", got ${JSON.stringify(doc.service)}`);

  const currency = str(doc, 'currency')?.toUpperCase() ?? '';
  if (!currency) bad('currency', '"currency" is required (ISO 4217, e.g. "EUR"): the currency of every value in the file');
  else if (!isCurrency(currency)) bad('currency', `"${currency}" is not an ISO 4217 currency code`, currency);
  const okCurrency = currency && isCurrency(currency) ? currency : 'EUR';

  const amount = (field: string, v: unknown, required: boolean): Money | undefined => {
    if (v === undefined || v === null || v === '') {
      if (required) bad(field, `"${field}" is required (a decimal amount in ${okCurrency}, e.g. "24.90")`);
      return undefined;
    }
    const text = typeof v === 'number' ? String(v) : typeof v === 'string' ? v : undefined;
    if (text === undefined) {
      bad(field, `"${field}" must be a decimal amount such as "24.90"`, JSON.stringify(v));
      return undefined;
    }
    try {
      const m = parseAmount(text, okCurrency);
      if (m.minor < 0n) {
        bad(field, `"${field}" cannot be negative`, text);
        return undefined;
      }
      return m;
    } catch (e) {
      bad(field, `${(e as Error).message}`, text);
      return undefined;
    }
  };

  const shipping = amount('shipping', doc.shipping, false) ?? { minor: 0n, currency: okCurrency };

  let incoterm: Incoterm = 'DAP';
  const inc = str(doc, 'incoterm')?.toUpperCase();
  if (inc === 'DDP') incoterm = 'DDP';
  else if (inc === 'DDU') notes.push('incoterm DDU was retired in Incoterms 2010; treated as DAP');
  else if (inc !== undefined && inc !== 'DAP') bad('incoterm', `"incoterm" must be "DAP" or "DDP", got ${JSON.stringify(doc.incoterm)}`);

  const ct = (str(doc, 'contentsType') ?? 'merchandise').toLowerCase() as ContentsType;
  if (!CONTENTS.includes(ct)) bad('contentsType', `"contentsType" must be one of ${CONTENTS.join(', ')}`, ct);

  // items
  const items: CustomsItem[] = [];
  if (!Array.isArray(doc.items) || doc.items.length === 0) {
    bad('items', '"items" must be a non-empty list of {description, hsCode, originCountry, quantity, unitValue, unitWeightGrams}');
  } else {
    doc.items.forEach((raw: unknown, i: number) => {
      const f = (k: string) => `items[${i}].${k}`;
      if (!isObj(raw)) {
        bad(`items[${i}]`, 'each item must be an object');
        return;
      }
      const description = str(raw, 'description') ?? '';
      let hsCode: string | undefined;
      if (typeof raw.hsCode === 'number') {
        hsCode = String(raw.hsCode);
        notes.push(`${f('hsCode')} is a number; write HS codes as strings so leading zeros survive`);
      } else hsCode = str(raw, 'hsCode') || undefined;
      const origin = str(raw, 'originCountry')?.toUpperCase() || undefined;
      if (origin && !isCountry(origin)) bad(f('originCountry'), `"${origin}" is not an ISO 3166 alpha-2 country code`, origin);
      const asNum = (v: unknown) => (typeof v === 'string' && /^\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : v);
      const q = asNum(raw.quantity);
      if (typeof q !== 'number' || !Number.isInteger(q) || q <= 0) bad(f('quantity'), '"quantity" must be a whole number above 0', JSON.stringify(q));
      const unitValue = amount(f('unitValue'), raw.unitValue, true);
      const w = asNum(raw.unitWeightGrams);
      if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) bad(f('unitWeightGrams'), '"unitWeightGrams" must be a number of grams ≥ 0', JSON.stringify(w));
      const battery = raw.battery === undefined ? undefined : (String(raw.battery).toLowerCase() as BatteryPacking);
      if (battery !== undefined && !BATTERY.includes(battery)) bad(f('battery'), `"battery" must be one of ${BATTERY.join(', ')}`, battery);
      const chem = raw.batteryChemistry === undefined ? undefined : (String(raw.batteryChemistry).toLowerCase() as BatteryChemistry);
      if (chem !== undefined && !CHEMISTRY.includes(chem)) bad(f('batteryChemistry'), `"batteryChemistry" must be one of ${CHEMISTRY.join(', ')}`, chem);
      const sku = str(raw, 'sku');
      const gtin = typeof raw.gtin === 'number' ? String(raw.gtin) : str(raw, 'gtin');
      if (gtin !== undefined && gtin !== '' && !/^\d{8}$|^\d{12,14}$/.test(gtin)) bad(f('gtin'), '"gtin" must be a GTIN-8, UPC-A (12), EAN-13 or GTIN-14 number, digits only', gtin);
      const manufacturerCode = str(raw, 'manufacturerCode');
      if (raw.preferentialOrigin !== undefined && typeof raw.preferentialOrigin !== 'boolean') bad(f('preferentialOrigin'), '"preferentialOrigin" must be true or false', JSON.stringify(raw.preferentialOrigin));
      items.push({
        description,
        ...(sku ? { sku } : {}),
        ...(hsCode ? { hsCode } : {}),
        ...(origin ? { originCountry: origin } : {}),
        quantity: typeof q === 'number' && Number.isInteger(q) && q > 0 ? q : 1,
        unitValue: unitValue ?? { minor: 0n, currency: okCurrency },
        unitWeightGrams: typeof w === 'number' && Number.isFinite(w) && w >= 0 ? Math.round(w) : 0,
        ...(battery ? { battery } : {}),
        ...(chem ? { batteryChemistry: chem } : {}),
        ...(gtin ? { gtin } : {}),
        ...(manufacturerCode ? { manufacturerCode } : {}),
        ...(raw.preferentialOrigin === true ? { preferentialOrigin: true } : {}),
      });
    });
  }

  let grossWeightGrams: number | undefined;
  if (isObj(doc.parcel)) {
    const g = doc.parcel.weightGrams;
    if (g !== undefined) {
      if (typeof g !== 'number' || !Number.isFinite(g) || g <= 0) bad('parcel.weightGrams', '"parcel.weightGrams" must be a number of grams above 0', JSON.stringify(g));
      else grossWeightGrams = Math.round(g);
    }
  }

  const orderValue = amount('orderValue', doc.orderValue, false);

  const seller: SellerIds = { ...d.seller };
  if (isObj(doc.seller)) {
    const sj = doc.seller;
    const map: Array<[Exclude<keyof SellerIds, 'eori' | 'eoris'>, string]> = [
      ['ioss', 'iossNumber'], ['ukVat', 'ukVatNumber'], ['voec', 'voecNumber'],
      ['abnArn', 'abnArn'], ['chVat', 'chVatNumber'], ['nzGst', 'nzGstNumber'],
    ];
    for (const [key, name] of map) {
      const v = str(sj, name);
      if (v) seller[key] = v;
    }
    const eori = sj.eori;
    if (typeof eori === 'string' && eori.trim()) seller.eori = eori.trim();
    else if (Array.isArray(eori)) {
      const list = eori.filter((e): e is string => typeof e === 'string' && e.trim() !== '').map((e) => e.trim());
      if (list.length !== eori.length) bad('seller.eori', '"seller.eori" must be an EORI number or a list of them (strings)');
      if (list.length) {
        seller.eori = list[0]!;
        seller.eoris = list.slice(1);
      }
    } else if (eori !== undefined) bad('seller.eori', '"seller.eori" must be an EORI number or a list of them', JSON.stringify(eori));
  }

  // the sale: an online marketplace (a possible deemed supplier) or the seller's own shop
  let sale: SaleInfo | undefined;
  if (doc.sale !== undefined) {
    if (!isObj(doc.sale)) bad('sale', '"sale" must be an object: {"marketplace": "amazon" | "ebay" | null, "channel": "amazon-de"}');
    else {
      const mp = doc.sale.marketplace;
      const channel = str(doc.sale, 'channel');
      const marketplace = mp === null || mp === undefined ? (channel ? channel.split('-')[0]!.toLowerCase() : null) : typeof mp === 'string' ? mp.trim().toLowerCase() : undefined;
      if (marketplace === undefined) bad('sale.marketplace', '"sale.marketplace" must be a marketplace name (amazon, ebay, shopify) or null for your own shop', JSON.stringify(mp));
      const ids: Partial<Record<TaxIdKind, string>> = {};
      if (isObj(doc.sale.marketplaceIds)) {
        const names: Array<[TaxIdKind, string]> = [['IOSS', 'iossNumber'], ['UKVAT', 'ukVatNumber'], ['VOEC', 'voecNumber'], ['ARN', 'arn'], ['NZGST', 'nzGstNumber'], ['CHVAT', 'chVatNumber']];
        for (const [k, n] of names) {
          const v = str(doc.sale.marketplaceIds, n);
          if (v) ids[k] = v;
        }
      } else if (doc.sale.marketplaceIds !== undefined) bad('sale.marketplaceIds', '"sale.marketplaceIds" must be an object such as {"iossNumber": "IM2760000001"}');
      sale = {
        marketplace: marketplace === 'shopify' ? null : marketplace ?? null,
        ...(channel ? { channel } : {}),
        ...(d.sellerCountry ? { sellerCountry: d.sellerCountry } : {}),
        ...(Object.keys(ids).length ? { marketplaceIds: ids } : {}),
      };
    }
  } else if (d.sellerCountry) sale = { marketplace: null, sellerCountry: d.sellerCountry };

  let declarationType: DeclarationType | undefined;
  const dt = str(doc, 'declarationType')?.toUpperCase();
  if (dt === 'H1' || dt === 'H6' || dt === 'H7') declarationType = dt;
  else if (dt !== undefined) bad('declarationType', `"declarationType" must be H7 (low value), H6 (postal) or H1 (full declaration), got ${JSON.stringify(doc.declarationType)}`);

  if (problems.length) {
    throw new InvalidInputError(`${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'} in the parcel; nothing was checked`, {
      problems,
      hints: ['see `merchant customs check --help` for the parcel.json shape'],
    });
  }
  return {
    input: {
      date,
      ...(paymentDate ? { paymentDate } : {}),
      ...(sale ? { sale } : {}),
      ...(declarationType ? { declarationType } : {}),
      from,
      to,
      service,
      currency: okCurrency,
      shipping,
      incoterm,
      contentsType: ct,
      items,
      ...(grossWeightGrams !== undefined ? { grossWeightGrams } : {}),
      seller,
      ...(orderValue ? { orderValue } : {}),
    },
    notes,
  };
}
