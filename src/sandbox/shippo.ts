// api.goshippo.com emulator: `Authorization: ShippoToken <key>`, Django-REST-style errors
// ({"field":["msg"]}, {"detail":…}), addresses, parcels, customs items/declarations in Shippo's
// units and enums (line totals as strings with mass_unit, uppercase contents types), shipments with
// rates in the sender's currency, transactions (sync and async QUEUED → SUCCESS) with a real PDF
// label and commercial invoice, rate expiry after 7 days, refunds, tracking that progresses with the
// clock (and the SHIPPO_* test numbers), and per-minute test-mode rate limits (429 + X-RateLimit-Reset).

import { createHash } from 'node:crypto';
import type { ApiModule } from './api.js';
import { centsText, EU, needsCustoms, quote, serviceByToken, trackProgress, type TrackPhase } from './carriers.js';
import { isShippoCarrierToken } from '../core/shippo-carriers.js';
import { SANDBOX_CREDENTIALS } from './credentials.js';
import { header, isObject, json, parseJson, Router, type SbRequest, type SbResponse } from './http.js';
import { invoicePdf, labelPdf, TINY_PNG } from './pdf.js';
import type { World } from './world.js';
import type { UrlSigner } from './carrier-files.js';

type Obj = Record<string, unknown>;
type FieldErrors = Record<string, unknown>;

class ShippoFail extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super('shippo error');
  }
}

interface Account {
  addresses: Record<string, Obj>;
  parcels: Record<string, Obj>;
  items: Record<string, Obj>;
  declarations: Record<string, Obj>;
  shipments: Record<string, Obj>;
  rates: Record<string, Obj>;
  transactions: Record<string, Obj>;
  refunds: Record<string, Obj>;
}
interface ShippoState {
  accounts: Record<string, Account>;
  files: Record<string, { account: string; transaction: string; kind: 'label' | 'invoice'; format: string }>;
}

const MASS = { g: 1, kg: 1000, oz: 28.349523125, lb: 453.59237 } as const;
const DIST = ['cm', 'in', 'ft', 'mm', 'm', 'yd'];
const CONTENTS = ['DOCUMENTS', 'GIFT', 'SAMPLE', 'MERCHANDISE', 'HUMANITARIAN_DONATION', 'RETURN_MERCHANDISE', 'OTHER'];
const EEL = ['NOEEI_30_37_a', 'NOEEI_30_37_h', 'NOEEI_30_37_f', 'NOEEI_30_36', 'AES_ITN'];
const INCOTERMS = ['DDP', 'DDU', 'FCA', 'DAP', 'eDAP'];
const B13A = ['FILED_ELECTRONICALLY', 'SUMMARY_REPORTING', 'NOT_REQUIRED'];
const LABEL_TYPES = ['PNG', 'PNG_2.3x7.5', 'PDF', 'PDF_2.3x7.5', 'PDF_4x6', 'PDF_4x8', 'PDF_A4', 'PDF_A5', 'PDF_A6', 'ZPLII'];
const TRACK_STATUS: Record<TrackPhase, string> = { pre_transit: 'PRE_TRANSIT', in_transit: 'TRANSIT', out_for_delivery: 'TRANSIT', delivered: 'DELIVERED' };

const required = 'This field is required.';

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v : typeof v === 'number' ? String(v) : undefined;
}
function decimal(v: unknown): string | undefined {
  const s = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : undefined;
  return s !== undefined && /^\d+(\.\d+)?$/.test(s) ? s : undefined;
}

/** The invoice's total lines: value per currency and net weight, summed from the line totals. */
function invoiceTotals(items: Obj[]): string[] {
  const value = new Map<string, bigint>();
  let grams = 0;
  for (const i of items) {
    value.set(String(i.value_currency), (value.get(String(i.value_currency)) ?? 0n) + hundredths(i.value_amount));
    grams += Number(i.net_weight) * (MASS[String(i.mass_unit) as keyof typeof MASS] ?? 1);
  }
  return [...[...value].map(([cur, c]) => `Total declared value: ${centsText(c)} ${cur}`), `Total net weight: ${Math.round(grams)} g`];
}

/** A decimal string as integer hundredths (no float arithmetic on amounts). */
function hundredths(v: unknown): bigint {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(String(v ?? '').trim());
  if (!m) return 0n;
  const frac = (m[2] ?? '').padEnd(2, '0');
  return BigInt(m[1]!) * 100n + BigInt(frac.slice(0, 2));
}

/**
 * The declaration's totals, read the way Shippo defines its customs items: `net_weight` and
 * `value_amount` are LINE totals (Shippo API reference, Customs Items: "Total weight of this item, i.e.
 * quantity * weight per item"; "Total value of this item, i.e. quantity * value per item"). Checked at
 * purchase like the carriers do: the goods cannot weigh more than the parcels that hold them, and a US
 * export whose value under one tariff number is above USD 2,500 cannot use NOEEI 30.37(a) (15 CFR 30.37(a):
 * "valued at $2,500 or less per Schedule B or HTSUSA number"; Canada has its own exemption, 30.36).
 */
export function declarationTotals(source: string, decl: Obj, items: Obj[], parcels: Obj[], from: string, to: string): Obj[] {
  const out: Obj[] = [];
  const grams = (w: unknown, unit: unknown) => Number(w) * (MASS[String(unit) as keyof typeof MASS] ?? 1);
  const goods = items.reduce((sum, i) => sum + grams(i.net_weight, i.mass_unit), 0);
  const parcel = parcels.reduce((sum, p) => sum + grams(p.weight, p.mass_unit), 0);
  if (goods > parcel + 0.5) {
    out.push({ source, code: 'customs_weight_exceeds_parcel', text: `The customs items weigh ${Math.round(goods)} g in total (net_weight is the line total), more than the parcel's ${Math.round(parcel)} g.` });
  }
  if (from === 'US' && to !== 'CA' && decl.eel_pfc === 'NOEEI_30_37_a') {
    const byTariff = new Map<string, bigint>();
    for (const [n, i] of items.entries()) {
      if (i.value_currency !== 'USD') continue;
      const key = String(i.tariff_number || i.hs_code || `item ${n + 1}`).slice(0, 6);
      byTariff.set(key, (byTariff.get(key) ?? 0n) + hundredths(i.value_amount));
    }
    for (const [tariff, cents] of byTariff) {
      if (cents > 250_000n) out.push({ source, code: 'aes_itn_required', text: `The goods under tariff number ${tariff} are valued USD ${centsText(cents)} (value_amount is the line total): above USD 2,500 the export needs an AES ITN (eel_pfc AES_ITN with aes_itn), not NOEEI 30.37(a).` });
    }
  }
  return out;
}

export function shippoApi(world: World, signer: UrlSigner): ApiModule {
  const key = SANDBOX_CREDENTIALS.shippo.apiKey;
  const st = () => world.slot<ShippoState>('shippo', () => ({ accounts: { [key]: { addresses: {}, parcels: {}, items: {}, declarations: {}, shipments: {}, rates: {}, transactions: {}, refunds: {} } }, files: {} }));
  const oid = () => createHash('md5').update(`shippo-${world.nextSeq()}`).digest('hex');
  const owner = 'merchant-sandbox@example.com';

  function auth(req: SbRequest): { k: string; a: Account } {
    const h = header(req, 'authorization');
    if (!h) throw new ShippoFail(401, { detail: 'Authentication credentials were not provided.' });
    const m = /^ShippoToken\s+(\S+)$/.exec(h);
    if (!m) throw new ShippoFail(401, { detail: 'Invalid token header. No credentials provided.' });
    const a = st().accounts[m[1]!];
    if (!a) throw new ShippoFail(401, { detail: 'Token does not exist' });
    return { k: m[1]!, a };
  }

  /** Test-mode limits per minute (docs, 2026-07): POST 50, GET single 400, GET list 10, tracking POST 50. */
  function limit(k: string, kind: 'post' | 'get' | 'list' | 'track'): void {
    const perMin = { post: 50, get: 400, list: 10, track: 50 }[kind];
    const now = world.now();
    const b = world.buckets.get(`shippo:${k}:${kind}`, perMin / 60, perMin, now);
    if (!b.take(now)) {
      const wait = Math.ceil(b.waitMs(now) / 1000);
      throw new ShippoFail(429, { detail: `Request was throttled. Expected available in ${wait} seconds.` }, { 'x-ratelimit-reset': String(Math.ceil(now / 1000) + wait), 'retry-after': String(wait) });
    }
  }

  function bodyOf(req: SbRequest): Obj {
    const p = parseJson(req);
    if (!p.ok) throw new ShippoFail(400, { detail: `JSON parse error - ${p.error}` });
    if (!isObject(p.value)) throw new ShippoFail(400, { non_field_errors: ['Invalid data. Expected a dictionary.'] });
    return p.value;
  }
  const meta = (k: string): Obj => ({ object_created: world.iso(), object_updated: world.iso(), object_owner: owner, test: k.startsWith('shippo_test_') });

  function makeAddress(k: string, a: Account, input: unknown, field: string): Obj {
    if (typeof input === 'string') {
      const found = a.addresses[input];
      if (!found) throw new ShippoFail(400, { [field]: [`Invalid pk "${input}" - object does not exist.`] });
      return found;
    }
    if (!isObject(input)) throw new ShippoFail(400, { [field]: [required] });
    const errs: FieldErrors = {};
    for (const f of ['street1', 'city', 'country']) if (!str(input[f])) errs[f] = [required];
    if (!str(input.name) && !str(input.company)) errs.name = ['Either name or company is required.'];
    const country = (str(input.country) ?? '').toUpperCase();
    if (country && !/^[A-Z]{2}$/.test(country)) errs.country = [`"${country}" is not a valid ISO 3166-1 alpha-2 country code.`];
    if (Object.keys(errs).length) throw new ShippoFail(400, field === 'address' ? errs : { [field]: [errs] });
    const complete = Boolean(str(input.zip) || !['US', 'CA', 'GB', 'DE'].includes(country));
    const obj: Obj = {
      object_id: oid(),
      ...meta(k),
      is_complete: complete,
      validation_results: input.validate === true ? { is_valid: complete, messages: complete ? [] : [{ source: 'Shippo Address Validator', code: 'postal_code_missing', type: 'address_error', text: 'The postal code is missing.' }] } : {},
      name: str(input.name) ?? '',
      company: str(input.company) ?? '',
      street_no: '',
      street1: str(input.street1),
      street2: str(input.street2) ?? '',
      street3: '',
      city: str(input.city),
      state: str(input.state) ?? '',
      zip: str(input.zip) ?? '',
      country,
      phone: str(input.phone) ?? '',
      email: str(input.email) ?? '',
      is_residential: typeof input.is_residential === 'boolean' ? input.is_residential : null,
      metadata: str(input.metadata) ?? '',
    };
    a.addresses[obj.object_id as string] = obj;
    return obj;
  }

  function makeParcel(k: string, a: Account, input: unknown, field: string): Obj {
    if (typeof input === 'string') {
      const found = a.parcels[input];
      if (!found) throw new ShippoFail(400, { [field]: [`Invalid pk "${input}" - object does not exist.`] });
      return found;
    }
    if (!isObject(input)) throw new ShippoFail(400, { [field]: [required] });
    const errs: FieldErrors = {};
    for (const f of ['length', 'width', 'height', 'weight']) if (!decimal(input[f])) errs[f] = input[f] === undefined ? [required] : ['A valid number is required.'];
    if (!DIST.includes(String(input.distance_unit))) errs.distance_unit = input.distance_unit === undefined ? [required] : [`"${String(input.distance_unit)}" is not a valid choice.`];
    if (!(String(input.mass_unit) in MASS)) errs.mass_unit = input.mass_unit === undefined ? [required] : [`"${String(input.mass_unit)}" is not a valid choice.`];
    if (Object.keys(errs).length) throw new ShippoFail(400, field === 'parcel' ? errs : { [field]: [errs] });
    const obj: Obj = { object_id: oid(), object_state: 'VALID', ...meta(k), length: decimal(input.length), width: decimal(input.width), height: decimal(input.height), distance_unit: input.distance_unit, weight: decimal(input.weight), mass_unit: input.mass_unit, template: null, extra: {}, metadata: str(input.metadata) ?? '' };
    a.parcels[obj.object_id as string] = obj;
    return obj;
  }

  function makeItem(k: string, a: Account, input: unknown): Obj {
    if (typeof input === 'string') {
      const found = a.items[input];
      if (!found) throw new ShippoFail(400, { items: [`Invalid pk "${input}" - object does not exist.`] });
      return found;
    }
    if (!isObject(input)) throw new ShippoFail(400, { items: [required] });
    const errs: FieldErrors = {};
    if (!str(input.description)) errs.description = [required];
    if (!Number.isInteger(input.quantity) || (input.quantity as number) < 1) errs.quantity = input.quantity === undefined ? [required] : ['Ensure this value is greater than or equal to 1.'];
    if (!decimal(input.net_weight)) errs.net_weight = input.net_weight === undefined ? [required] : ['A valid number is required.'];
    if (!(String(input.mass_unit) in MASS)) errs.mass_unit = input.mass_unit === undefined ? [required] : [`"${String(input.mass_unit)}" is not a valid choice.`];
    if (!decimal(input.value_amount)) errs.value_amount = input.value_amount === undefined ? [required] : ['A valid number is required.'];
    if (!/^[A-Z]{3}$/.test(String(input.value_currency ?? ''))) errs.value_currency = input.value_currency === undefined ? [required] : ['Invalid currency code.'];
    if (!/^[A-Z]{2}$/.test(String(input.origin_country ?? ''))) errs.origin_country = input.origin_country === undefined ? [required] : ['Invalid country code.'];
    if (input.tariff_number !== undefined && String(input.tariff_number).length > 12) errs.tariff_number = ['Ensure this field has no more than 12 characters.'];
    if (input.hs_code !== undefined && String(input.hs_code).length > 50) errs.hs_code = ['Ensure this field has no more than 50 characters.'];
    if (Object.keys(errs).length) throw new ShippoFail(400, errs);
    const obj: Obj = {
      object_id: oid(),
      object_state: 'VALID',
      ...meta(k),
      description: input.description,
      quantity: input.quantity,
      net_weight: decimal(input.net_weight),
      mass_unit: input.mass_unit,
      value_amount: decimal(input.value_amount),
      value_currency: input.value_currency,
      origin_country: input.origin_country,
      tariff_number: str(input.tariff_number) ?? '',
      hs_code: str(input.hs_code) ?? '',
      sku_code: str(input.sku_code) ?? '',
      eccn_ear99: str(input.eccn_ear99) ?? '',
      metadata: str(input.metadata) ?? '',
    };
    a.items[obj.object_id as string] = obj;
    return obj;
  }

  function makeDeclaration(k: string, a: Account, input: unknown, field: string): Obj {
    if (typeof input === 'string') {
      const found = a.declarations[input];
      if (!found) throw new ShippoFail(400, { [field]: [`Invalid pk "${input}" - object does not exist.`] });
      return found;
    }
    if (!isObject(input)) throw new ShippoFail(400, { [field]: [required] });
    const errs: FieldErrors = {};
    if (input.certify !== true) errs.certify = input.certify === undefined ? [required] : ['The declaration must be certified (certify: true).'];
    if (!str(input.certify_signer)) errs.certify_signer = [required];
    if (!CONTENTS.includes(String(input.contents_type))) errs.contents_type = input.contents_type === undefined ? [required] : [`"${String(input.contents_type)}" is not a valid choice.`];
    if (input.contents_type === 'OTHER' && !str(input.contents_explanation)) errs.contents_explanation = ['This field is required when contents_type is OTHER.'];
    if (!['ABANDON', 'RETURN'].includes(String(input.non_delivery_option))) errs.non_delivery_option = input.non_delivery_option === undefined ? [required] : [`"${String(input.non_delivery_option)}" is not a valid choice.`];
    if (input.eel_pfc !== undefined && !EEL.includes(String(input.eel_pfc))) errs.eel_pfc = [`"${String(input.eel_pfc)}" is not a valid choice.`];
    if (input.eel_pfc === 'AES_ITN' && !str(input.aes_itn)) errs.aes_itn = ['This field is required when eel_pfc is AES_ITN.'];
    if (input.incoterm !== undefined && !INCOTERMS.includes(String(input.incoterm))) errs.incoterm = [`"${String(input.incoterm)}" is not a valid choice.`];
    if (input.b13a_filing_option !== undefined && !B13A.includes(String(input.b13a_filing_option))) errs.b13a_filing_option = [`"${String(input.b13a_filing_option)}" is not a valid choice.`];
    if (Boolean(str(input.b13a_number)) !== Boolean(input.b13a_filing_option)) errs.b13a_number = ['b13a_number must be given if and only if b13a_filing_option is set.'];
    const ex = input.exporter_identification;
    if (ex !== undefined) {
      const tax = isObject(ex) ? ex.tax_id : undefined;
      if (!isObject(ex) || (tax !== undefined && (!isObject(tax) || !str(tax.number) || !['EIN', 'VAT', 'IOSS', 'ARN'].includes(String(tax.type))))) errs.exporter_identification = ['tax_id needs number and type (EIN, VAT, IOSS or ARN).'];
    }
    if (!Array.isArray(input.items) || input.items.length === 0) errs.items = [required];
    if (Object.keys(errs).length) throw new ShippoFail(400, field === 'customs_declaration' && !isObject(input) ? { [field]: [errs] } : errs);
    const items = (input.items as unknown[]).map((it) => makeItem(k, a, it));
    const obj: Obj = {
      object_id: oid(),
      object_state: 'VALID',
      ...meta(k),
      certify: true,
      certify_signer: input.certify_signer,
      contents_type: input.contents_type,
      contents_explanation: str(input.contents_explanation) ?? '',
      non_delivery_option: input.non_delivery_option,
      eel_pfc: str(input.eel_pfc) ?? null,
      aes_itn: str(input.aes_itn) ?? '',
      incoterm: str(input.incoterm) ?? null,
      b13a_filing_option: str(input.b13a_filing_option) ?? null,
      b13a_number: str(input.b13a_number) ?? '',
      exporter_identification: ex ?? null,
      is_vat_collected: input.is_vat_collected === true,
      invoiced_charges: isObject(input.invoiced_charges) ? input.invoiced_charges : null,
      invoice: str(input.invoice) ?? '',
      license: str(input.license) ?? '',
      certificate: str(input.certificate) ?? '',
      notes: str(input.notes) ?? '',
      disclaimer: str(input.disclaimer) ?? '',
      exporter_reference: str(input.exporter_reference) ?? '',
      importer_reference: str(input.importer_reference) ?? '',
      address_importer: input.address_importer ?? null,
      commercial_invoice: input.commercial_invoice === true,
      items: items.map((i) => i.object_id),
      metadata: str(input.metadata) ?? '',
    };
    a.declarations[obj.object_id as string] = obj;
    return obj;
  }

  const senderCurrency = (country: string) => (country === 'GB' ? 'GBP' : EU.has(country) ? 'EUR' : country === 'CH' ? 'CHF' : 'USD');

  function ratesFor(k: string, a: Account, shipment: Obj, from: Obj, to: Obj, parcels: Obj[]): Obj[] {
    const grams = parcels.reduce((s, p) => s + Number(p.weight) * MASS[p.mass_unit as keyof typeof MASS], 0);
    const qs = quote(from.country as string, to.country as string, grams, 'shippo');
    const currency = senderCurrency(from.country as string);
    const rates = qs.map((q) => {
      const r: Obj = {
        object_id: oid(),
        object_created: world.iso(),
        object_owner: owner,
        shipment: shipment.object_id,
        attributes: [] as string[],
        amount: centsText(q.cents),
        currency,
        amount_local: centsText(q.cents),
        currency_local: currency,
        provider: q.provider,
        provider_image_75: '',
        provider_image_200: '',
        servicelevel: { name: q.name, token: q.token, terms: '', extended_token: q.token, parent_servicelevel: null },
        estimated_days: q.days,
        arrives_by: null,
        duration_terms: `Delivery in ${q.days} business days.`,
        messages: [],
        carrier_account: createHash('md5').update(`ca-${q.carrier}`).digest('hex'),
        test: k.startsWith('shippo_test_'),
        zone: null,
        included_insurance_price: null,
      };
      a.rates[r.object_id as string] = r;
      return r;
    });
    if (rates.length) {
      const cheapest = [...rates].sort((x, y) => Number(x.amount) - Number(y.amount))[0]!;
      const fastest = [...rates].sort((x, y) => (x.estimated_days as number) - (y.estimated_days as number))[0]!;
      (cheapest.attributes as string[]).push('CHEAPEST');
      (fastest.attributes as string[]).push('FASTEST');
      if (cheapest === fastest) (cheapest.attributes as string[]).push('BESTVALUE');
    }
    return rates;
  }

  function trackingNumber(carrier: string, n: number): string {
    const s = String(n).padStart(10, '0');
    if (carrier === 'USPS') return `9205590175547700${s}`;
    if (carrier === 'UPS') return `1Z999AA1${s}`;
    if (carrier === 'DHLExpress') return s;
    if (carrier === 'FedEx') return `7946${s.slice(-8)}`;
    if (carrier === 'DHLeCommerce') return `GM6055${s}`;
    if (carrier === 'Evri') return `H0${s.slice(-6)}SBX0${s.slice(0, 6)}`;
    return `LX${s.slice(-9)}DE`;
  }

  // Files live in the query-signed `shippo-delivery` bucket of the separate file host (carrier-files.ts):
  // <32 hex>.pdf?Signature=…&Expires=…&AWSAccessKeyId=…, signed afresh on every read of the transaction.
  const BUCKET = { name: 'shippo-delivery', signed: true } as const;
  function fileKey(k: string, txId: string, kind: 'label' | 'invoice', format: string): string {
    const id = oid();
    st().files[id] = { account: k, transaction: txId, kind, format };
    const ext = format.startsWith('PNG') ? 'png' : format === 'ZPLII' ? 'zpl' : 'pdf';
    return `${id}.${ext}`;
  }

  function trackView(carrier: string, number: string, tx?: Obj, shipment?: Obj, rate?: Obj): Obj {
    const fixed: Record<string, string> = { SHIPPO_PRE_TRANSIT: 'PRE_TRANSIT', SHIPPO_TRANSIT: 'TRANSIT', SHIPPO_DELIVERED: 'DELIVERED', SHIPPO_RETURNED: 'RETURNED', SHIPPO_FAILURE: 'FAILURE', SHIPPO_UNKNOWN: 'UNKNOWN' };
    const now = world.now();
    const loc = (a?: Obj) => (a ? { city: a.city, state: a.state, zip: a.zip, country: a.country } : null);
    if (fixed[number]) {
      const status = fixed[number]!;
      const ev = { object_created: world.iso(), object_updated: world.iso(), object_id: oid(), status, status_details: `Test tracking status ${status}`, status_date: world.iso(), substatus: null, location: null };
      return { carrier, tracking_number: number, address_from: null, address_to: null, transaction: null, original_eta: null, eta: null, servicelevel: { token: null, name: null }, metadata: null, tracking_status: ev, tracking_history: [ev], messages: [], test: true };
    }
    const created = tx ? Date.parse(tx.object_created as string) : now;
    const days = (tx?._days as number | undefined) ?? 3;
    const { events, phase, eta } = trackProgress(created, days, now);
    const to = shipment?.address_to as Obj | undefined;
    const from = shipment?.address_from as Obj | undefined;
    const hist = events.map((e) => ({ object_created: world.iso(e.at), object_updated: world.iso(e.at), object_id: createHash('md5').update(`${number}-${e.at}`).digest('hex'), status: TRACK_STATUS[e.phase], status_details: e.message, status_date: world.iso(e.at), substatus: e.phase === 'out_for_delivery' ? { code: 'out_for_delivery', text: 'Package is out for delivery', action_required: false } : null, location: e.phase === 'delivered' || e.phase === 'out_for_delivery' ? loc(to) : loc(from) }));
    return {
      carrier,
      tracking_number: number,
      address_from: loc(from),
      address_to: loc(to),
      transaction: tx?.object_id ?? null,
      original_eta: world.iso(eta),
      eta: world.iso(eta),
      servicelevel: { token: ((rate?.servicelevel as Obj | undefined)?.token as string | undefined) ?? null, name: ((rate?.servicelevel as Obj | undefined)?.name as string | undefined) ?? null },
      metadata: null,
      tracking_status: hist[hist.length - 1] ?? null,
      tracking_history: hist,
      messages: [],
      test: true,
      _phase: phase,
    };
  }

  function txView(a: Account, tx: Obj): Obj {
    // Async purchases finish two seconds after they were queued.
    if (tx.status === 'QUEUED' && world.now() - (tx._queued_at as number) >= 2000) Object.assign(tx, tx._result as Obj, { status: (tx._result as Obj).status });
    const cur: Obj = { ...tx };
    if (typeof tx._label_key === 'string') cur.label_url = signer.url(BUCKET, tx._label_key);
    if (typeof tx._invoice_key === 'string') cur.commercial_invoice_url = signer.url(BUCKET, tx._invoice_key);
    for (const k of Object.keys(cur)) if (k.startsWith('_')) delete cur[k];
    if (cur.status === 'SUCCESS' && cur.tracking_number) {
      const t = trackView(tx._carrier_token as string, cur.tracking_number as string, tx, a.shipments[tx._shipment as string], a.rates[tx.rate as string]);
      cur.tracking_status = (t.tracking_status as Obj | null)?.status ?? 'UNKNOWN';
    }
    return cur;
  }

  function refundView(a: Account, r: Obj): Obj {
    if (r.status === 'QUEUED' && world.now() - Date.parse(r.object_created as string) >= 86_400_000) {
      r.status = 'SUCCESS';
      const tx = a.transactions[r.transaction as string];
      if (tx) tx.status = 'REFUNDED';
    }
    return r;
  }

  const r = new Router();
  r.add('POST', '/addresses', (req) => {
    const { k, a } = auth(req);
    limit(k, 'post');
    return json(201, makeAddress(k, a, bodyOf(req), 'address'));
  });
  r.add('GET', '/addresses/:id', (req) => {
    const { k, a } = auth(req);
    limit(k, 'get');
    const x = a.addresses[req.params.id!];
    if (!x) throw new ShippoFail(404, { detail: 'Not found.' });
    return json(200, x);
  });
  r.add('POST', '/parcels', (req) => {
    const { k, a } = auth(req);
    limit(k, 'post');
    return json(201, makeParcel(k, a, bodyOf(req), 'parcel'));
  });
  r.add('POST', '/customs/items', (req) => {
    const { k, a } = auth(req);
    limit(k, 'post');
    return json(201, makeItem(k, a, bodyOf(req)));
  });
  r.add('POST', '/customs/declarations', (req) => {
    const { k, a } = auth(req);
    limit(k, 'post');
    return json(201, makeDeclaration(k, a, bodyOf(req), 'declaration'));
  });
  r.add('GET', '/customs/declarations/:id', (req) => {
    const { k, a } = auth(req);
    limit(k, 'get');
    const x = a.declarations[req.params.id!];
    if (!x) throw new ShippoFail(404, { detail: 'Not found.' });
    return json(200, x);
  });

  r.add('POST', '/shipments', (req) => {
    const { k, a } = auth(req);
    limit(k, 'post');
    const b = bodyOf(req);
    const errs: FieldErrors = {};
    for (const f of ['address_from', 'address_to', 'parcels']) if (b[f] === undefined || b[f] === null) errs[f] = [required];
    if (b.parcels !== undefined && (!Array.isArray(b.parcels) || b.parcels.length === 0)) errs.parcels = ['This list may not be empty.'];
    if (Object.keys(errs).length) throw new ShippoFail(400, errs);
    const from = makeAddress(k, a, b.address_from, 'address_from');
    const to = makeAddress(k, a, b.address_to, 'address_to');
    const ret = b.address_return ? makeAddress(k, a, b.address_return, 'address_return') : from;
    const parcels = (b.parcels as unknown[]).map((p) => makeParcel(k, a, p, 'parcels'));
    const decl = b.customs_declaration ? makeDeclaration(k, a, b.customs_declaration, 'customs_declaration') : null;
    const s: Obj = {
      object_id: oid(),
      ...meta(k),
      status: 'SUCCESS',
      object_status: 'SUCCESS',
      address_from: from,
      address_to: to,
      address_return: ret,
      parcels,
      shipment_date: str(b.shipment_date) ?? world.iso(),
      customs_declaration: decl ? decl.object_id : null,
      extra: isObject(b.extra) ? b.extra : {},
      carrier_accounts: Array.isArray(b.carrier_accounts) ? b.carrier_accounts : [],
      messages: [] as Obj[],
      metadata: str(b.metadata) ?? '',
      alternate_address_to: null,
    };
    if (needsCustoms(from.country as string, to.country as string) && !decl) (s.messages as Obj[]).push({ source: 'Shippo', code: 'customs_declaration_required', text: 'A customs declaration is required for international shipments; rates are shown but a label cannot be bought without one.' });
    s.rates = ratesFor(k, a, s, from, to, parcels);
    a.shipments[s.object_id as string] = s;
    return json(201, s);
  });
  /** Shippo's list form: newest first, `results` per page (capped at 100), `page` from 1, next/previous links. */
  function listPage(req: SbRequest, all: Obj[], path: string, view: (o: Obj) => Obj): SbResponse {
    const size = Math.min(100, Math.max(1, Number(req.query.get('results') ?? '5') || 5));
    const page = Math.max(1, Number(req.query.get('page') ?? '1') || 1);
    const list = [...all].reverse();
    const slice = list.slice((page - 1) * size, page * size);
    const link = (p: number) => `${world.baseUrl}/shippo${path}?page=${p}&results=${size}`;
    return json(200, { count: list.length, next: page * size < list.length ? link(page + 1) : null, previous: page > 1 ? link(page - 1) : null, results: slice.map(view) });
  }
  r.add('GET', '/shipments', (req) => {
    const { k, a } = auth(req);
    limit(k, 'list');
    return listPage(req, Object.values(a.shipments), '/shipments', (x) => x);
  });
  r.add('GET', '/transactions', (req) => {
    const { k, a } = auth(req);
    limit(k, 'list');
    const rate = req.query.get('rate');
    const status = req.query.get('object_status');
    const all = Object.values(a.transactions).filter((t) => (!rate || t.rate === rate) && (!status || txView(a, t).status === status));
    return listPage(req, all, '/transactions', (t) => txView(a, t));
  });
  r.add('GET', '/shipments/:id', (req) => {
    const { k, a } = auth(req);
    limit(k, 'get');
    const s = a.shipments[req.params.id!];
    if (!s) throw new ShippoFail(404, { detail: 'Not found.' });
    return json(200, s);
  });
  r.add('GET', '/rates/:id', (req) => {
    const { k, a } = auth(req);
    limit(k, 'get');
    const x = a.rates[req.params.id!];
    if (!x) throw new ShippoFail(404, { detail: 'Not found.' });
    return json(200, x);
  });

  r.add('POST', '/transactions', (req) => {
    const { k, a } = auth(req);
    limit(k, 'post');
    const b = bodyOf(req);
    const rateId = str(b.rate);
    if (!rateId) throw new ShippoFail(400, { rate: [required] });
    const rate = a.rates[rateId];
    if (!rate) throw new ShippoFail(400, { rate: [`Invalid pk "${rateId}" - object does not exist.`] });
    const fileType = str(b.label_file_type) ?? 'PDF_4x6';
    if (!LABEL_TYPES.includes(fileType)) throw new ShippoFail(400, { label_file_type: [`"${fileType}" is not a valid choice.`] });
    const shipment = a.shipments[rate.shipment as string]!;
    const existing = Object.values(a.transactions).find((t) => t.rate === rateId && t.status !== 'ERROR' && t.status !== 'REFUNDED');
    if (existing) throw new ShippoFail(400, { rate: ['A transaction for this rate already exists.'], transaction: [existing.object_id] });
    // `rate` is the Rate's id (Shippo's Transaction model); the shipment is kept privately for lookups.
    const tx: Obj = { object_id: oid(), object_state: 'VALID', ...meta(k), rate: rateId, metadata: str(b.metadata) ?? '', parcel: (shipment.parcels as Obj[])[0]?.object_id ?? null, _shipment: rate.shipment };
    const messages: Obj[] = [];
    const from = shipment.address_from as Obj;
    const to = shipment.address_to as Obj;
    const service = serviceByToken((rate.servicelevel as Obj).token as string)!;
    const carrier = service.carrier;
    if (world.now() - Date.parse(rate.object_created as string) > 7 * 86_400_000) messages.push({ source: rate.provider, code: 'rate_expired', text: 'This rate has expired (rates are valid for 7 days). Create the shipment again to get current rates.' });
    if (needsCustoms(from.country as string, to.country as string)) {
      const decl = shipment.customs_declaration ? a.declarations[shipment.customs_declaration as string] : undefined;
      if (!decl) messages.push({ source: rate.provider, code: 'customs_declaration_required', text: 'Customs declaration is required for international shipments.' });
      else {
        if (!from.phone) messages.push({ source: rate.provider, code: 'address_from_phone_required', text: 'The sender phone number is required for international shipments.' });
        const items = (decl.items as string[]).map((id) => a.items[id]!);
        if (decl.contents_type !== 'DOCUMENTS' && items.some((i) => !i.tariff_number && !i.hs_code)) messages.push({ source: rate.provider, code: 'tariff_number_required', text: 'A tariff number (HS code) is required for every customs item of a non-document shipment.' });
        messages.push(...declarationTotals(rate.provider as string, decl, items, shipment.parcels as Obj[], from.country as string, to.country as string));
      }
    }
    const ok = messages.length === 0;
    const result: Obj = ok
      ? (() => {
          const n = world.nextSeq();
          const tn = trackingNumber(carrier, n);
          return {
            status: 'SUCCESS',
            tracking_number: tn,
            tracking_status: 'PRE_TRANSIT',
            tracking_url_provider: `${world.baseUrl}/shippo/_track/${service.carrierToken}/${tn}`,
            eta: world.iso(world.now() + (rate.estimated_days as number) * 86_400_000),
            label_url: '',
            commercial_invoice_url: null,
            _label_key: fileKey(k, tx.object_id as string, 'label', fileType),
            ...(needsCustoms(from.country as string, to.country as string) ? { _invoice_key: fileKey(k, tx.object_id as string, 'invoice', 'PDF') } : {}),
            qr_code_url: null,
            messages: [],
          };
        })()
      : { status: 'ERROR', tracking_number: '', tracking_status: 'UNKNOWN', tracking_url_provider: '', eta: null, label_url: '', commercial_invoice_url: null, qr_code_url: null, messages };
    tx._carrier = carrier;
    tx._carrier_token = service.carrierToken;
    tx._days = rate.estimated_days;
    tx._label_type = fileType;
    if (b.async === true) {
      Object.assign(tx, { status: 'QUEUED', tracking_number: '', tracking_status: 'UNKNOWN', tracking_url_provider: '', eta: null, label_url: '', commercial_invoice_url: null, qr_code_url: null, messages: [], _queued_at: world.now(), _result: result });
    } else Object.assign(tx, result);
    a.transactions[tx.object_id as string] = tx;
    return json(201, txView(a, tx));
  });
  r.add('GET', '/transactions/:id', (req) => {
    const { k, a } = auth(req);
    limit(k, 'get');
    const tx = a.transactions[req.params.id!];
    if (!tx) throw new ShippoFail(404, { detail: 'Not found.' });
    return json(200, txView(a, tx));
  });

  r.add('POST', '/refunds', (req) => {
    const { k, a } = auth(req);
    limit(k, 'post');
    const b = bodyOf(req);
    const txId = str(b.transaction);
    if (!txId) throw new ShippoFail(400, { transaction: [required] });
    const tx = a.transactions[txId];
    if (!tx) throw new ShippoFail(400, { transaction: [`Invalid pk "${txId}" - object does not exist.`] });
    const view = txView(a, tx);
    if (view.status !== 'SUCCESS') throw new ShippoFail(400, { transaction: [`Transaction ${txId} cannot be refunded (status ${String(view.status)}).`] });
    if (Object.values(a.refunds).some((x) => x.transaction === txId)) throw new ShippoFail(400, { transaction: ['A refund for this transaction already exists.'] });
    if (view.tracking_status !== 'PRE_TRANSIT' && view.tracking_status !== 'UNKNOWN') throw new ShippoFail(400, { transaction: ['Labels that have been scanned by the carrier cannot be refunded.'] });
    const rf: Obj = { object_id: oid(), ...meta(k), status: 'QUEUED', transaction: txId };
    a.refunds[rf.object_id as string] = rf;
    tx.status = 'REFUNDPENDING';
    return json(201, rf);
  });
  r.add('GET', '/refunds/:id', (req) => {
    const { k, a } = auth(req);
    limit(k, 'get');
    const rf = a.refunds[req.params.id!];
    if (!rf) throw new ShippoFail(404, { detail: 'Not found.' });
    return json(200, refundView(a, rf));
  });

  const findTx = (number: string): { a: Account; tx: Obj } | undefined => {
    for (const a of Object.values(st().accounts)) for (const tx of Object.values(a.transactions)) if (tx.tracking_number === number) return { a, tx };
    return undefined;
  };
  /** What Shippo answers for a number its carrier does not know: no status, no history. */
  const unknownTrack = (carrier: string, number: string): Obj => {
    const ev = { object_created: world.iso(), object_updated: world.iso(), object_id: oid(), status: 'UNKNOWN', status_details: 'The carrier has no information for this tracking number yet.', status_date: null, substatus: null, location: null };
    return { carrier, tracking_number: number, address_from: null, address_to: null, transaction: null, original_eta: null, eta: null, servicelevel: { token: null, name: null }, metadata: null, tracking_status: ev, tracking_history: [], messages: [], test: true };
  };
  /**
   * Tracking takes Shippo's carrier token (docs "Tracking Carriers"); anything else is refused the way
   * Shippo refuses it (goshippo/shippo-ruby-client#79). `shippo` is the test carrier of the SHIPPO_*
   * numbers (test keys only). A valid token that is not the label's carrier finds nothing.
   */
  const track = (k: string, carrier: string, number: string): Obj => {
    const testCarrier = carrier === 'shippo' && k.startsWith('shippo_test_');
    if (!testCarrier && !isShippoCarrierToken(carrier)) throw new ShippoFail(400, { carrier: [`Invalid value specified for provider '${carrier}'`] });
    if (testCarrier !== number.startsWith('SHIPPO_')) return unknownTrack(carrier, number);
    const hit = testCarrier ? undefined : findTx(number);
    if (!testCarrier && (!hit || hit.tx._carrier_token !== carrier)) return unknownTrack(carrier, number);
    const view = trackView(carrier, number, hit?.tx, hit ? hit.a.shipments[hit.tx._shipment as string] : undefined, hit ? hit.a.rates[hit.tx.rate as string] : undefined);
    delete view._phase;
    return view;
  };
  r.add('GET', '/tracks/:carrier/:number', (req) => {
    const { k } = auth(req);
    limit(k, 'get');
    return json(200, track(k, req.params.carrier!, req.params.number!));
  });
  r.add('POST', '/tracks', (req) => {
    const { k } = auth(req);
    limit(k, 'track');
    const b = bodyOf(req);
    const errs: FieldErrors = {};
    if (!str(b.carrier)) errs.carrier = [required];
    if (!str(b.tracking_number)) errs.tracking_number = [required];
    if (Object.keys(errs).length) throw new ShippoFail(400, errs);
    return json(201, track(k, String(b.carrier), String(b.tracking_number)));
  });

  /** The bucket's objects: labels in the format bought, and commercial invoices. */
  function readFile(key: string): SbResponse | undefined {
    const m = /^([0-9a-f]{32})\.(pdf|png|zpl)$/.exec(key);
    const f = m ? st().files[m[1]!] : undefined;
    const a = f ? st().accounts[f.account] : undefined;
    const tx = f && a ? a.transactions[f.transaction] : undefined;
    if (!m || !f || !a || !tx) return undefined;
    const s = a.shipments[tx._shipment as string]!;
    const rate = a.rates[tx.rate as string]!;
    const addr = (x: Obj) => [x.name, x.company, x.street1, x.street2, [x.zip, x.city].filter(Boolean).join(' '), x.country].filter((v): v is string => typeof v === 'string' && v.length > 0);
    if (f.kind === 'invoice') {
      const decl = s.customs_declaration ? a.declarations[s.customs_declaration as string] : undefined;
      const items = decl ? (decl.items as string[]).map((id) => a.items[id]!) : [];
      return { status: 200, headers: { 'content-type': 'application/pdf' }, body: invoicePdf('COMMERCIAL INVOICE', [`Tracking ${tx.tracking_number as string}`, 'Exporter:', ...addr(s.address_from as Obj), 'Importer:', ...addr(s.address_to as Obj), `Contents: ${String(decl?.contents_type ?? '')}   Incoterm: ${String(decl?.incoterm ?? 'DDU')}`, ...items.map((i) => `${i.quantity as number} x ${i.description as string}  HS ${String(i.tariff_number || i.hs_code || '-')}  origin ${i.origin_country as string}  ${i.value_amount as string} ${i.value_currency as string}  ${i.net_weight as string} ${i.mass_unit as string}`), ...invoiceTotals(items), `Signed: ${String(decl?.certify_signer ?? '')}`, '(3 copies)']) };
    }
    if (m[2] === 'png') return { status: 200, headers: { 'content-type': 'image/png' }, body: TINY_PNG };
    if (m[2] === 'zpl') return { status: 200, headers: { 'content-type': 'application/zpl' }, body: `^XA\n^FO30,30^A0N,40,40^FD${rate.provider as string}^FS\n^FO30,200^BCN,120,Y,N,N^FD${tx.tracking_number as string}^FS\n^XZ\n` };
    const p = (s.parcels as Obj[])[0]!;
    return { status: 200, headers: { 'content-type': 'application/pdf' }, body: labelPdf({ carrier: rate.provider as string, service: (rate.servicelevel as Obj).name as string, tracking: tx.tracking_number as string, from: addr(s.address_from as Obj), to: addr(s.address_to as Obj), weight: `${p.weight as string} ${p.mass_unit as string}`, date: (tx.object_created as string).slice(0, 10) }) };
  }

  return {
    name: 'shippo',
    prefix: '/shippo',
    fileBuckets: [{ ...BUCKET, read: readFile }],
    secrets: () => Object.keys(st().accounts),
    async handle(req) {
      const path = req.path.length > 1 ? req.path.replace(/\/+$/, '') : req.path;
      const m = r.match(req.method, path);
      if (m.kind === 'none') return json(404, { detail: 'Not found.' });
      if (m.kind === 'method') return json(405, { detail: `Method "${req.method}" not allowed.` }, { allow: m.allow.join(', ') });
      req.params = m.params;
      try {
        return await m.handler(req);
      } catch (e) {
        if (e instanceof ShippoFail) return json(e.status, e.body, e.headers);
        throw e;
      }
    },
    faultResponse(kind) {
      if (kind === '429' || kind === 'throttled') return json(429, { detail: 'Request was throttled. Expected available in 60 seconds.' }, { 'x-ratelimit-reset': String(Math.ceil(world.now() / 1000) + 60), 'retry-after': '60' });
      if (kind === '503') return json(503, { detail: 'Service temporarily unavailable, try again later.' });
      return json(500, { detail: 'A server error occurred.' });
    },
  };
}

