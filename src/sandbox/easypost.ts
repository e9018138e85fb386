// api.easypost.com /v2 emulator: Basic auth with the key as username, objects wrapped in their name
// ({"shipment":{…}}), 201 + Location on create, rates as strings, buy by rate id, a real PDF label,
// trackers that progress with the sandbox clock, refunds, customs info in EasyPost's units
// (USD line totals, ounces) and EasyPost's error envelope {"error":{code,message,errors[]}}.

import type { ApiModule } from './api.js';
import { centsText, GRAMS_PER_OZ, needsCustoms, quote, trackProgress, US_TERRITORIES, type TrackPhase } from './carriers.js';
import { SANDBOX_CREDENTIALS } from './credentials.js';
import { header, isObject, json, parseJson, Router, type SbRequest, type SbResponse } from './http.js';
import { invoicePdf, labelPdf, TINY_PNG } from './pdf.js';
import type { World } from './world.js';
import type { UrlSigner } from './carrier-files.js';

type Obj = Record<string, unknown>;

interface EpAccount {
  addresses: Record<string, Obj>;
  parcels: Record<string, Obj>;
  customsItems: Record<string, Obj>;
  customsInfos: Record<string, Obj>;
  shipments: Record<string, Obj>;
  trackers: Record<string, Obj>;
  /** Rate id → shipment id. */
  rates: Record<string, string>;
}

interface EpState {
  accounts: Record<string, EpAccount>;
  /** File id → what to render. */
  files: Record<string, { account: string; shipment: string; kind: 'label' | 'invoice' }>;
}

interface FieldError {
  field: string;
  message: string;
}

class EpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors: Array<FieldError | string> = [],
  ) {
    super(message);
  }
}

function epError(status: number, code: string, message: string, errors: Array<FieldError | string> = []): SbResponse {
  return json(status, { error: { code, message, errors } });
}

const CONTENTS_TYPES = ['documents', 'gift', 'merchandise', 'returned_goods', 'sample', 'dangerous_goods', 'humanitarian_donation', 'other'];
const RESTRICTION_TYPES = ['none', 'other', 'quarantine', 'sanitary_phytosanitary_inspection'];
const NON_DELIVERY = ['return', 'abandon'];
const LABEL_FORMATS = ['PNG', 'PDF', 'ZPL', 'EPL2'];

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^-?\d*\.?\d+$/.test(v.trim())) return Number(v);
  return undefined;
}

/** USD value with 2 decimals as integer cents (no float arithmetic on the amount). */
function valueCents(v: unknown): bigint | undefined {
  const s = typeof v === 'number' ? v.toFixed(2) : typeof v === 'string' ? v.trim() : undefined;
  if (!s) return undefined;
  const m = /^(\d+)(?:\.(\d+))?$/.exec(s);
  if (!m) return undefined;
  const frac = (m[2] ?? '').padEnd(2, '0');
  return BigInt(m[1]!) * 100n + BigInt(frac.slice(0, 2)) + (frac.length > 2 && Number(frac[2]) >= 5 ? 1n : 0n);
}

export function easypostApi(world: World, signer: UrlSigner): ApiModule {
  const key = SANDBOX_CREDENTIALS.easypost.apiKey;
  const st = () =>
    world.slot<EpState>('easypost', () => ({
      accounts: { [key]: { addresses: {}, parcels: {}, customsItems: {}, customsInfos: {}, shipments: {}, trackers: {}, rates: {} } },
      files: {},
    }));

  const base = (prefix: string, mode: string): Obj => {
    const t = world.iso();
    return { id: world.id(prefix, 32), object: '', created_at: t, updated_at: t, mode };
  };
  const modeOf = (k: string) => (k.startsWith('EZAK') ? 'production' : 'test');

  function auth(req: SbRequest): { key: string; acct: EpAccount } {
    const h = header(req, 'authorization');
    if (!h) throw new EpError(401, 'APIKEY.REQUIRED', 'No API key provided. Use Basic auth with your API key as the username.');
    const m = /^Basic\s+(.+)$/i.exec(h);
    let user = '';
    if (m) {
      const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
      user = decoded.split(':')[0] ?? '';
    } else if (/^Bearer\s+/i.test(h)) user = h.replace(/^Bearer\s+/i, '');
    const acct = st().accounts[user];
    if (!acct) throw new EpError(401, 'APIKEY.INACTIVE', 'The API key provided is invalid or has been disabled.');
    return { key: user, acct };
  }

  function body(req: SbRequest, wrapper: string): Obj {
    const p = parseJson(req);
    if (!p.ok) throw new EpError(400, 'PARAMETER.INVALID_JSON', 'The request body could not be parsed as JSON.');
    if (!isObject(p.value)) throw new EpError(422, 'PARAMETER.REQUIRED', 'Missing required parameter.', [{ field: wrapper, message: 'cannot be blank' }]);
    const inner = p.value[wrapper];
    if (!isObject(inner)) throw new EpError(422, 'PARAMETER.REQUIRED', 'Missing required parameter.', [{ field: wrapper, message: 'cannot be blank' }]);
    return inner;
  }

  // ---- object builders (validate, store, return) ----

  function makeAddress(a: EpAccount, mode: string, input: unknown, field: string): Obj {
    if (typeof input === 'string' || (isObject(input) && typeof input.id === 'string' && Object.keys(input).length === 1)) {
      const id = typeof input === 'string' ? input : (input as Obj).id as string;
      const found = a.addresses[id];
      if (!found) throw new EpError(404, 'NOT_FOUND', 'The requested resource could not be found.', [`${field}: address ${id} not found`]);
      return found;
    }
    if (!isObject(input)) throw new EpError(422, 'PARAMETER.REQUIRED', 'Missing required parameter.', [{ field, message: 'cannot be blank' }]);
    const errors: FieldError[] = [];
    const country = (str(input.country) ?? 'US').toUpperCase();
    if (!/^[A-Z]{2}$/.test(country)) errors.push({ field: `${field}.country`, message: 'must be a 2-letter ISO country code' });
    for (const f of ['street1', 'city']) if (!str(input[f])) errors.push({ field: `${field}.${f}`, message: 'cannot be blank' });
    if (!str(input.name) && !str(input.company)) errors.push({ field: `${field}.name`, message: 'name or company is required' });
    if (country === 'US' && !str(input.zip)) errors.push({ field: `${field}.zip`, message: 'cannot be blank' });
    if (errors.length) throw new EpError(422, 'ADDRESS.VERIFY.FAILURE', 'Unable to verify address.', errors);
    const obj: Obj = {
      ...base('adr_', mode),
      object: 'Address',
      name: str(input.name) ?? null,
      company: str(input.company) ?? null,
      street1: str(input.street1) ?? null,
      street2: str(input.street2) ?? null,
      city: str(input.city) ?? null,
      state: str(input.state) ?? null,
      zip: str(input.zip) ?? null,
      country,
      phone: str(input.phone) ?? null,
      email: str(input.email) ?? null,
      residential: typeof input.residential === 'boolean' ? input.residential : null,
      carrier_facility: null,
      federal_tax_id: str(input.federal_tax_id) ?? null,
      state_tax_id: null,
      verifications: {},
    };
    a.addresses[obj.id as string] = obj;
    return obj;
  }

  function makeParcel(a: EpAccount, mode: string, input: unknown): Obj {
    if (isObject(input) && typeof input.id === 'string' && Object.keys(input).length === 1) {
      const found = a.parcels[input.id];
      if (!found) throw new EpError(404, 'NOT_FOUND', 'The requested resource could not be found.', [`parcel ${input.id} not found`]);
      return found;
    }
    if (!isObject(input)) throw new EpError(422, 'PARAMETER.REQUIRED', 'Missing required parameter.', [{ field: 'parcel', message: 'cannot be blank' }]);
    const errors: FieldError[] = [];
    const weight = num(input.weight);
    if (weight === undefined) errors.push({ field: 'parcel.weight', message: 'cannot be blank' });
    else if (weight <= 0) errors.push({ field: 'parcel.weight', message: 'must be greater than 0' });
    const dims = ['length', 'width', 'height'].map((d) => num(input[d]));
    const given = dims.filter((d) => d !== undefined).length;
    if (given !== 0 && given !== 3) errors.push({ field: 'parcel', message: 'length, width and height must be given together' });
    if (dims.some((d) => d !== undefined && d <= 0)) errors.push({ field: 'parcel', message: 'dimensions must be greater than 0' });
    if (errors.length) throw new EpError(422, 'PARCEL.INVALID', 'Invalid parcel.', errors);
    const round1 = (x: number | undefined) => (x === undefined ? null : Math.round(x * 10) / 10);
    const obj: Obj = {
      ...base('prcl_', mode),
      object: 'Parcel',
      length: round1(dims[0]),
      width: round1(dims[1]),
      height: round1(dims[2]),
      predefined_package: str(input.predefined_package) ?? null,
      weight: round1(weight),
    };
    a.parcels[obj.id as string] = obj;
    return obj;
  }

  function makeCustomsItem(a: EpAccount, mode: string, input: unknown, field: string): Obj {
    if (isObject(input) && typeof input.id === 'string' && Object.keys(input).length === 1) {
      const found = a.customsItems[input.id];
      if (!found) throw new EpError(404, 'NOT_FOUND', 'The requested resource could not be found.', [`customs item ${input.id} not found`]);
      return found;
    }
    if (!isObject(input)) throw new EpError(422, 'PARAMETER.REQUIRED', 'Missing required parameter.', [{ field, message: 'cannot be blank' }]);
    const errors: FieldError[] = [];
    if (!str(input.description)) errors.push({ field: `${field}.description`, message: 'cannot be blank' });
    const qty = num(input.quantity);
    if (qty === undefined || qty <= 0) errors.push({ field: `${field}.quantity`, message: 'must be greater than 0' });
    const value = valueCents(input.value);
    if (value === undefined || value <= 0n) errors.push({ field: `${field}.value`, message: 'must be greater than 0' });
    const weight = num(input.weight);
    if (weight === undefined || weight <= 0) errors.push({ field: `${field}.weight`, message: 'must be greater than 0' });
    const origin = str(input.origin_country);
    if (!origin || !/^[A-Za-z]{2}$/.test(origin)) errors.push({ field: `${field}.origin_country`, message: 'must be a 2-letter ISO country code' });
    const hs = str(input.hs_tariff_number);
    if (hs !== undefined && !/^[0-9.]{6,13}$/.test(hs)) errors.push({ field: `${field}.hs_tariff_number`, message: 'must be 6 to 10 digits (dots allowed)' });
    const currency = str(input.currency) ?? 'USD';
    if (!/^[A-Z]{3}$/.test(currency)) errors.push({ field: `${field}.currency`, message: 'must be a 3-letter ISO currency code' });
    if (errors.length) throw new EpError(422, 'PARAMETER.INVALID', 'Invalid customs item.', errors);
    const obj: Obj = {
      ...base('cstitem_', mode),
      object: 'CustomsItem',
      description: str(input.description),
      hs_tariff_number: hs ?? null,
      origin_country: origin!.toUpperCase(),
      quantity: qty,
      // EasyPost echoes value as a string; weight (oz, line total) keeps 3 decimals, the rest truncated.
      value: centsText(value!),
      weight: Math.trunc(weight! * 1000) / 1000,
      code: str(input.code) ?? null,
      manufacturer: str(input.manufacturer) ?? null,
      currency,
      eccn: str(input.eccn) ?? null,
      printed_commodity_identifier: str(input.printed_commodity_identifier) ?? null,
    };
    a.customsItems[obj.id as string] = obj;
    return obj;
  }

  function makeCustomsInfo(a: EpAccount, mode: string, input: unknown): Obj {
    if (isObject(input) && typeof input.id === 'string' && Object.keys(input).length === 1) {
      const found = a.customsInfos[input.id];
      if (!found) throw new EpError(404, 'NOT_FOUND', 'The requested resource could not be found.', [`customs info ${input.id} not found`]);
      return found;
    }
    if (!isObject(input)) throw new EpError(422, 'PARAMETER.REQUIRED', 'Missing required parameter.', [{ field: 'customs_info', message: 'cannot be blank' }]);
    const errors: FieldError[] = [];
    const contents = str(input.contents_type) ?? 'merchandise';
    if (!CONTENTS_TYPES.includes(contents)) errors.push({ field: 'customs_info.contents_type', message: `must be one of ${CONTENTS_TYPES.join(', ')}` });
    const explanation = str(input.contents_explanation);
    if (contents === 'other' && !explanation) errors.push({ field: 'customs_info.contents_explanation', message: "is required when contents_type is 'other'" });
    if (explanation && explanation.length > 255) errors.push({ field: 'customs_info.contents_explanation', message: 'must be 255 characters or fewer' });
    const restriction = str(input.restriction_type) ?? 'none';
    if (!RESTRICTION_TYPES.includes(restriction)) errors.push({ field: 'customs_info.restriction_type', message: `must be one of ${RESTRICTION_TYPES.join(', ')}` });
    if (restriction !== 'none' && !str(input.restriction_comments)) errors.push({ field: 'customs_info.restriction_comments', message: "is required unless restriction_type is 'none'" });
    const nonDelivery = str(input.non_delivery_option) ?? 'return';
    if (!NON_DELIVERY.includes(nonDelivery)) errors.push({ field: 'customs_info.non_delivery_option', message: 'must be return or abandon' });
    const certify = input.customs_certify === true || input.customs_certify === 'true';
    if (certify && !str(input.customs_signer)) errors.push({ field: 'customs_info.customs_signer', message: 'is required when customs_certify is true' });
    if (errors.length) throw new EpError(422, 'PARAMETER.INVALID', 'Invalid customs info.', errors);
    const rawItems = Array.isArray(input.customs_items) ? input.customs_items : [];
    const items = rawItems.map((it, i) => makeCustomsItem(a, mode, it, `customs_info.customs_items[${i}]`));
    const total = items.reduce((s, it) => s + (valueCents(it.value) ?? 0n), 0n);
    const eel = str(input.eel_pfc) ?? null;
    if (total >= 250000n && (!eel || /^NOEEI/.test(eel))) {
      throw new EpError(422, 'PARAMETER.INVALID', 'Invalid customs info.', [{ field: 'customs_info.eel_pfc', message: 'an AES ITN is required when the total value is $2,500 or more' }]);
    }
    const obj: Obj = {
      ...base('cstinfo_', mode),
      object: 'CustomsInfo',
      contents_explanation: explanation ?? null,
      contents_type: contents,
      customs_certify: certify,
      customs_signer: str(input.customs_signer) ?? null,
      eel_pfc: eel,
      non_delivery_option: nonDelivery,
      restriction_comments: str(input.restriction_comments) ?? null,
      restriction_type: restriction,
      declaration: str(input.declaration) ?? null,
      customs_items: items,
    };
    a.customsInfos[obj.id as string] = obj;
    return obj;
  }

  function grams(parcel: Obj): number {
    return (parcel.weight as number) * GRAMS_PER_OZ;
  }

  function ratesFor(a: EpAccount, mode: string, shipmentId: string, from: Obj, to: Obj, parcel: Obj, created: number): Obj[] {
    const out: Obj[] = [];
    for (const q of quote(from.country as string, to.country as string, grams(parcel), 'easypost')) {
      const id = world.id('rate_', 32);
      a.rates[id] = shipmentId;
      const retail = q.cents + q.cents / 10n;
      const deliveryDate = new Date(created + q.days * 86_400_000).toISOString().replace('.000Z', 'Z');
      out.push({
        id,
        object: 'Rate',
        created_at: world.iso(created),
        updated_at: world.iso(created),
        mode,
        service: q.service,
        carrier: q.carrier,
        rate: centsText(q.cents),
        currency: 'USD',
        retail_rate: centsText(retail),
        retail_currency: 'USD',
        list_rate: centsText(q.cents),
        list_currency: 'USD',
        billing_type: 'easypost',
        delivery_days: q.days,
        delivery_date: deliveryDate,
        delivery_date_guaranteed: false,
        est_delivery_days: q.days,
        shipment_id: shipmentId,
        carrier_account_id: `ca_${q.carrier.toLowerCase().padEnd(32, '0').slice(0, 32)}`,
      });
    }
    return out;
  }

  function trackingCode(carrier: string, seq: number): string {
    const n = String(seq).padStart(12, '0');
    if (carrier === 'USPS') return `94001000000${n}`.slice(0, 22);
    if (carrier === 'UPS') return `1ZSBX${n}`;
    if (carrier === 'DHLExpress') return `10${n}`.slice(0, 10);
    return `SBX${n}DE`;
  }

  /** What the carrier told EasyPost about a tracked parcel (CarrierDetail; locations unknown to the sandbox). */
  function carrierDetail(carrier: string): Obj {
    const loc = { object: 'TrackingLocation', city: null, state: null, country: null, zip: null };
    return { object: 'CarrierDetail', service: carrier, container_type: null, est_delivery_date_local: null, est_delivery_time_local: null, origin_location: null, origin_tracking_location: loc, destination_location: null, destination_tracking_location: null, guaranteed_delivery_date: null, alternate_identifier: null, initial_delivery_attempt: null };
  }

  const STATUS_DETAIL: Record<TrackPhase, string> = { pre_transit: 'status_update', in_transit: 'arrived_at_facility', out_for_delivery: 'out_for_delivery', delivered: 'arrived_at_destination' };

  /** A tracker's current view, computed from the clock. EZ test codes have fixed statuses. */
  function trackerView(t: Obj, to?: Obj): Obj {
    const code = t.tracking_code as string;
    const fixed: Record<string, string> = { EZ1000000001: 'pre_transit', EZ2000000002: 'in_transit', EZ3000000003: 'out_for_delivery', EZ4000000004: 'delivered', EZ5000000005: 'return_to_sender', EZ6000000006: 'failure', EZ7000000007: 'unknown' };
    const created = Date.parse(t.created_at as string);
    const days = (t._days as number | undefined) ?? 3;
    const now = world.now();
    const { events, phase, eta } = trackProgress(created, days, now);
    const status = fixed[code] ?? phase;
    const location = { object: 'TrackingLocation', city: (to?.city as string | undefined) ?? null, state: null, country: (to?.country as string | undefined) ?? null, zip: (to?.zip as string | undefined) ?? null };
    const { _days: _ignored, ...rest } = t;
    void _ignored;
    return {
      ...rest,
      status,
      status_detail: fixed[code] ? 'status_update' : STATUS_DETAIL[phase],
      updated_at: world.iso(events[events.length - 1]?.at ?? created),
      est_delivery_date: world.iso(eta),
      signed_by: status === 'delivered' ? 'SANDBOX' : null,
      tracking_details: fixed[code]
        ? [{ object: 'TrackingDetail', message: `Test tracking status ${status}`, description: '', status, status_detail: 'status_update', datetime: t.created_at, source: t.carrier, carrier_code: '', tracking_location: location }]
        : events.map((e) => ({ object: 'TrackingDetail', message: e.message, description: '', status: e.phase, status_detail: STATUS_DETAIL[e.phase], datetime: world.iso(e.at), source: t.carrier, carrier_code: '', tracking_location: location })),
    };
  }

  function shipmentView(a: EpAccount, s: Obj): Obj {
    const out: Obj = { ...s };
    const trackerId = s.tracker as string | null;
    out.tracker = trackerId && a.trackers[trackerId] ? trackerView(a.trackers[trackerId]!, s.to_address as Obj) : null;
    if (out.tracker && (out.tracker as Obj).status === 'delivered') out.status = 'delivered';
    else if (out.tracker && (out.tracker as Obj).status !== 'pre_transit') out.status = (out.tracker as Obj).status;
    // A submitted refund is confirmed a day later.
    if (s.refund_status === 'submitted' && typeof s._refund_at === 'number' && world.now() - s._refund_at >= 86_400_000) out.refund_status = 'refunded';
    delete out._refund_at;
    delete out._days;
    return out;
  }

  // Files live in the public `easypost-files` bucket of the separate file host (carrier-files.ts), at
  // keys shaped like EasyPost's: files/postage_label/20240730/<id>.png, files/form/20240730/<id>.pdf.
  const BUCKET = { name: 'easypost-files', signed: false } as const;
  function fileUrl(kind: 'label' | 'invoice', acctKey: string, shipmentId: string, ext: string): string {
    const id = world.id('', 32);
    st().files[id] = { account: acctKey, shipment: shipmentId, kind };
    const day = world.iso().slice(0, 10).replace(/-/g, '');
    return signer.url(BUCKET, `files/${kind === 'label' ? 'postage_label' : 'form'}/${day}/${id}.${ext}`);
  }

  function addLabelFormats(acctKey: string, s: Obj, format: string): void {
    const pl = s.postage_label as Obj;
    if (format === 'PDF' && !pl.label_pdf_url) pl.label_pdf_url = fileUrl('label', acctKey, s.id as string, 'pdf');
    if (format === 'ZPL' && !pl.label_zpl_url) pl.label_zpl_url = fileUrl('label', acctKey, s.id as string, 'zpl');
    if (format === 'EPL2' && !pl.label_epl2_url) pl.label_epl2_url = fileUrl('label', acctKey, s.id as string, 'epl2');
  }

  // ---- routes ----
  const r = new Router();

  r.add('POST', '/v2/addresses', (req) => {
    const { key: k, acct } = auth(req);
    const a = makeAddress(acct, modeOf(k), body(req, 'address'), 'address');
    return json(201, a, { location: `/api/v2/addresses/${a.id as string}` });
  });
  r.add('POST', '/v2/addresses/create_and_verify', (req) => {
    const { key: k, acct } = auth(req);
    const a = makeAddress(acct, modeOf(k), body(req, 'address'), 'address');
    a.verifications = { delivery: { success: true, errors: [], details: null }, zip4: { success: a.country === 'US', errors: [], details: null } };
    return json(200, { address: a });
  });
  r.add('GET', '/v2/addresses/:id', (req) => {
    const { acct } = auth(req);
    const a = acct.addresses[req.params.id!];
    if (!a) throw new EpError(404, 'NOT_FOUND', 'The requested resource could not be found.');
    return json(200, a);
  });
  r.add('POST', '/v2/parcels', (req) => {
    const { key: k, acct } = auth(req);
    return json(201, makeParcel(acct, modeOf(k), body(req, 'parcel')));
  });
  r.add('GET', '/v2/parcels/:id', (req) => {
    const { acct } = auth(req);
    const p = acct.parcels[req.params.id!];
    if (!p) throw new EpError(404, 'NOT_FOUND', 'The requested resource could not be found.');
    return json(200, p);
  });
  r.add('POST', '/v2/customs_items', (req) => {
    const { key: k, acct } = auth(req);
    return json(201, makeCustomsItem(acct, modeOf(k), body(req, 'customs_item'), 'customs_item'));
  });
  r.add('POST', '/v2/customs_infos', (req) => {
    const { key: k, acct } = auth(req);
    return json(201, makeCustomsInfo(acct, modeOf(k), body(req, 'customs_info')));
  });
  r.add('GET', '/v2/customs_infos/:id', (req) => {
    const { acct } = auth(req);
    const c = acct.customsInfos[req.params.id!];
    if (!c) throw new EpError(404, 'NOT_FOUND', 'The requested resource could not be found.');
    return json(200, c);
  });

  r.add('POST', '/v2/shipments', (req) => {
    const { key: k, acct } = auth(req);
    const mode = modeOf(k);
    const input = body(req, 'shipment');
    const missing: FieldError[] = [];
    for (const f of ['from_address', 'to_address', 'parcel']) if (input[f] === undefined || input[f] === null) missing.push({ field: `shipment.${f}`, message: 'cannot be blank' });
    if (missing.length) throw new EpError(422, 'PARAMETER.REQUIRED', 'Missing required parameter.', missing);
    const from = makeAddress(acct, mode, input.from_address, 'shipment.from_address');
    const to = makeAddress(acct, mode, input.to_address, 'shipment.to_address');
    const ret = input.return_address ? makeAddress(acct, mode, input.return_address, 'shipment.return_address') : from;
    const parcel = makeParcel(acct, mode, input.parcel);
    const customs = input.customs_info ? makeCustomsInfo(acct, mode, input.customs_info) : null;
    const opts = isObject(input.options) ? { ...input.options } : {};
    const labelFormat = str(opts.label_format) ?? 'PNG';
    if (!LABEL_FORMATS.includes(labelFormat)) throw new EpError(422, 'PARAMETER.INVALID', 'Invalid parameter.', [{ field: 'shipment.options.label_format', message: `must be one of ${LABEL_FORMATS.join(', ')}` }]);
    const taxIds = Array.isArray(input.tax_identifiers) ? input.tax_identifiers : [];
    const taxOut: Obj[] = [];
    for (const [i, t] of taxIds.entries()) {
      if (!isObject(t) || !str(t.entity) || !str(t.tax_id_type) || !str(t.tax_id) || !str(t.issuing_country)) {
        throw new EpError(422, 'PARAMETER.INVALID', 'Invalid parameter.', [{ field: `shipment.tax_identifiers[${i}]`, message: 'entity, tax_id_type, tax_id and issuing_country are required' }]);
      }
      taxOut.push({ entity: t.entity, tax_id_type: t.tax_id_type, tax_id: 'HIDDEN', issuing_country: t.issuing_country });
    }
    const created = world.now();
    const s: Obj = { ...base('shp_', mode), object: 'Shipment' };
    const id = s.id as string;
    const fromC = from.country as string;
    const toC = to.country as string;
    const messages: Obj[] = [];
    if (needsCustoms(fromC, toC) || (fromC === 'US' && US_TERRITORIES.has(toC))) {
      if (!customs) messages.push({ carrier: 'USPS', carrier_account_id: null, type: 'rate_error', message: "Unable to proceed, 'customs_info' is required for international shipments, shipments bound for US military bases, or US territories" });
    }
    Object.assign(s, {
      reference: str(input.reference) ?? null,
      status: 'unknown',
      tracking_code: null,
      from_address: from,
      to_address: to,
      return_address: ret,
      buyer_address: to,
      parcel,
      customs_info: customs,
      // label_format is echoed only when sent (the purchase still defaults to PNG, as EasyPost does).
      options: { currency: 'USD', payment: { type: 'SENDER' }, date_advance: 0, ...opts },
      is_return: input.is_return === true,
      rates: ratesFor(acct, mode, id, from, to, parcel, created),
      selected_rate: null,
      postage_label: null,
      tracker: null,
      insurance: null,
      forms: [],
      fees: [],
      messages,
      refund_status: null,
      batch_id: null,
      batch_status: null,
      batch_message: null,
      scan_form: null,
      usps_zone: fromC === 'US' && toC === 'US' ? 4 : null,
      order_id: null,
      // EasyPost leaves the key out when none were sent (recorded cassettes).
      ...(taxOut.length ? { tax_identifiers: taxOut } : {}),
    });
    acct.shipments[id] = s;
    // One-call buy: `service` with `carrier_accounts` (and optionally `carrier`) buys that service at once.
    const service = str(input.service);
    if (service) {
      const accounts = Array.isArray(input.carrier_accounts) ? input.carrier_accounts.map((x) => (isObject(x) ? str(x.id) : str(x))) : [];
      const known = new Set((s.rates as Obj[]).map((x) => x.carrier_account_id as string));
      const unknown = accounts.filter((x) => !x || !known.has(x));
      if (accounts.length === 0 || unknown.length) throw new EpError(422, 'PARAMETER.INVALID', 'Invalid parameter.', [{ field: 'shipment.carrier_accounts', message: accounts.length ? `unknown carrier account ${String(unknown[0])}` : 'one-call buy needs carrier_accounts with service' }]);
      const rate = (s.rates as Obj[]).find((x) => x.service === service && accounts.includes(x.carrier_account_id as string) && (!str(input.carrier) || x.carrier === str(input.carrier)));
      if (!rate) throw new EpError(422, 'SHIPMENT.POSTAGE.FAILURE', `No rate for service ${service} on the given carrier accounts.`);
      return json(201, purchase(k, acct, s, rate.id as string, undefined), { location: `/api/v2/shipments/${id}` });
    }
    return json(201, shipmentView(acct, s), { location: `/api/v2/shipments/${id}` });
  });

  r.add('GET', '/v2/shipments', (req) => {
    const { key: k, acct } = auth(req);
    const bucket = world.buckets.get(`easypost:index:${k}`, 5, 5, world.now());
    if (!bucket.take(world.now())) throw new EpError(429, 'RATE_LIMITED', 'Your account has been temporarily rate-limited due to excessive resource consumption. Please try again later.');
    const pageSize = Math.min(100, Math.max(1, Number(req.query.get('page_size') ?? '20') || 20));
    const before = req.query.get('before_id');
    let list = Object.values(acct.shipments).sort((x, y) => ((x.id as string) < (y.id as string) ? 1 : -1));
    if (before) list = list.filter((s) => (s.id as string) < before);
    const page = list.slice(0, pageSize);
    return json(200, { shipments: page.map((s) => shipmentView(acct, s)), has_more: list.length > pageSize });
  });

  const getShipment = (acct: EpAccount, id: string): Obj => {
    const s = acct.shipments[id];
    if (!s) throw new EpError(404, 'NOT_FOUND', 'The requested resource could not be found.');
    return s;
  };

  r.add('GET', '/v2/shipments/:id', (req) => {
    const { acct } = auth(req);
    return json(200, shipmentView(acct, getShipment(acct, req.params.id!)));
  });

  r.add('POST', '/v2/shipments/:id/buy', (req) => {
    const { key: k, acct } = auth(req);
    const s = getShipment(acct, req.params.id!);
    const p = parseJson(req);
    if (!p.ok || !isObject(p.value)) throw new EpError(422, 'PARAMETER.REQUIRED', 'Missing required parameter.', [{ field: 'rate', message: 'cannot be blank' }]);
    const rateIn = p.value.rate;
    const rateId = isObject(rateIn) ? str(rateIn.id) : str(rateIn);
    if (!rateId) throw new EpError(422, 'PARAMETER.REQUIRED', 'Missing required parameter.', [{ field: 'rate', message: 'cannot be blank' }]);
    return json(200, purchase(k, acct, s, rateId, p.value.insurance));
  });

  /** Buy a rate of a shipment (the buy call, or a one-call buy): checks, label, tracker, fees; the answer's view. */
  function purchase(k: string, acct: EpAccount, s: Obj, rateId: string, insuranceIn: unknown): Obj {
    if (s.postage_label) throw new EpError(422, 'SHIPMENT.POSTAGE.EXISTS', 'Postage already exists for this shipment.');
    const rate = (s.rates as Obj[]).find((x) => x.id === rateId);
    if (!rate) throw new EpError(422, 'SHIPMENT.RATE.INVALID', 'The rate provided does not belong to this shipment or has expired.', [{ field: 'rate.id', message: `${rateId} is not a rate of ${s.id as string}` }]);
    const from = s.from_address as Obj;
    const to = s.to_address as Obj;
    const customs = s.customs_info as Obj | null;
    const intl = needsCustoms(from.country as string, to.country as string) || (from.country === 'US' && US_TERRITORIES.has(to.country as string));
    if (intl && !customs) throw new EpError(422, 'SHIPMENT.POSTAGE.FAILURE', "Unable to proceed, 'customs_info' is required for international shipments, shipments bound for US military bases, or US territories");
    if (customs) {
      const ret = (s.return_address as Obj) ?? from;
      if (!ret.phone) throw new EpError(422, 'SHIPMENT.POSTAGE.FAILURE', 'Missing but required: return_address.phone when a customs form is necessary');
      const items = customs.customs_items as Obj[];
      if (items.length === 0) throw new EpError(422, 'SHIPMENT.POSTAGE.FAILURE', 'Customs info error: at least one customs item is required');
      if (rate.carrier === 'UPS' && items.length > 100) throw new EpError(422, 'SHIPMENT.POSTAGE.FAILURE', 'Customs info error: UPS accepts at most 100 customs items');
      if (customs.contents_type !== 'documents' && items.some((i) => !i.hs_tariff_number)) {
        throw new EpError(422, 'SHIPMENT.POSTAGE.FAILURE', 'Customs info error: missing required field for non-document shipment: customs_items.hs_tariff_number');
      }
    }
    const insurance = insuranceIn !== undefined ? str(insuranceIn) ?? null : null;
    const now = world.now();
    const tracking = trackingCode(rate.carrier as string, world.nextSeq());
    const trk: Obj = {
      ...base('trk_', modeOf(k)),
      object: 'Tracker',
      tracking_code: tracking,
      carrier: rate.carrier,
      shipment_id: s.id,
      weight: null,
      carrier_detail: null,
      public_url: `${world.baseUrl}/easypost/track/${tracking}`,
      fees: [],
      _days: rate.delivery_days,
    };
    acct.trackers[trk.id as string] = trk;
    const format = ((s.options as Obj).label_format as string) ?? 'PNG';
    const { mode: _plMode, ...plBase } = base('pl_', modeOf(k)); // a PostageLabel carries no mode (recorded cassettes)
    void _plMode;
    const pl: Obj = {
      ...plBase,
      object: 'PostageLabel',
      date_advance: 0,
      integrated_form: 'none',
      label_date: world.iso(now),
      label_resolution: 300,
      label_size: '4x6',
      label_type: 'default',
      label_file_type: format === 'PDF' ? 'application/pdf' : format === 'ZPL' ? 'application/zpl' : format === 'EPL2' ? 'application/epl2' : 'image/png',
      label_file: null,
      label_url: fileUrl('label', k, s.id as string, format === 'PNG' ? 'png' : format.toLowerCase()),
      label_pdf_url: null,
      label_zpl_url: null,
      label_epl2_url: null,
    };
    s.postage_label = pl;
    addLabelFormats(k, s, format);
    s.selected_rate = rate;
    s.tracking_code = tracking;
    s.tracker = trk.id;
    s.status = 'unknown';
    s.insurance = insurance;
    s.updated_at = world.iso(now);
    s.fees = [
      { object: 'Fee', type: 'LabelFee', amount: '0.00000', charged: true, refunded: false },
      { object: 'Fee', type: 'PostageFee', amount: `${rate.rate as string}000`, charged: true, refunded: false },
    ];
    if (customs) s.forms = [{ object: 'Form', id: world.id('form_', 32), form_type: 'commercial_invoice', form_url: fileUrl('invoice', k, s.id as string, 'pdf'), submitted_electronically: null, mode: modeOf(k), created_at: world.iso(now), updated_at: world.iso(now) }];
    // EasyPost normalises the destination after the buy.
    const upper = (v: unknown) => (typeof v === 'string' ? v.toUpperCase() : v);
    s.to_address = { ...to, name: upper(to.name), street1: upper(to.street1), street2: upper(to.street2), city: upper(to.city), state: upper(to.state), verifications: { zip4: { success: to.country === 'US', errors: [], details: null }, delivery: { success: true, errors: [], details: null } } };
    s.buyer_address = s.to_address;
    const answer = shipmentView(acct, s);
    // The carrier's details reach the tracker after the purchase answer (null in it, set on later reads).
    trk.carrier_detail = carrierDetail(rate.carrier as string);
    return answer;
  }

  r.add('GET', '/v2/shipments/:id/label', (req) => {
    const { key: k, acct } = auth(req);
    const s = getShipment(acct, req.params.id!);
    const format = (req.query.get('file_format') ?? '').toUpperCase();
    if (!['PDF', 'ZPL', 'EPL2', 'PNG'].includes(format)) throw new EpError(422, 'PARAMETER.INVALID', 'Invalid parameter.', [{ field: 'file_format', message: 'must be one of PDF, ZPL, EPL2, PNG' }]);
    if (!s.postage_label) throw new EpError(422, 'SHIPMENT.POSTAGE.REQUIRED', 'The shipment has not been purchased yet.');
    addLabelFormats(k, s, format);
    return json(200, shipmentView(acct, s));
  });

  r.add('POST', '/v2/shipments/:id/refund', (req) => {
    const { acct } = auth(req);
    const s = getShipment(acct, req.params.id!);
    if (!s.postage_label) throw new EpError(422, 'SHIPMENT.REFUND.FAILURE', 'Unable to refund a shipment without postage.');
    if (s.refund_status) throw new EpError(422, 'SHIPMENT.REFUND.FAILURE', `Refund already ${s.refund_status as string} for this shipment.`);
    const view = shipmentView(acct, s);
    const tstatus = (view.tracker as Obj | null)?.status;
    if (tstatus && tstatus !== 'pre_transit' && tstatus !== 'unknown') throw new EpError(422, 'SHIPMENT.REFUND.FAILURE', `Unable to refund a shipment that is ${tstatus as string}.`);
    s.refund_status = 'submitted';
    s._refund_at = world.now();
    s.updated_at = world.iso();
    return json(200, shipmentView(acct, s));
  });

  r.add('POST', '/v2/trackers', (req) => {
    const { key: k, acct } = auth(req);
    const t = body(req, 'tracker');
    const code = str(t.tracking_code);
    if (!code) throw new EpError(422, 'PARAMETER.REQUIRED', 'Missing required parameter.', [{ field: 'tracker.tracking_code', message: 'cannot be blank' }]);
    // EasyPost keeps one tracker per code and carrier: asking again answers the existing one (200).
    // The create answer has `finalized` and `is_return` and no `fees` (recorded cassettes).
    const created = (x: Obj): Obj => {
      const { fees: _fees, ...v } = trackerView(x);
      void _fees;
      return { ...v, finalized: v.status === 'delivered' || v.status === 'return_to_sender' || v.status === 'failure', is_return: false };
    };
    const existing = Object.values(acct.trackers).find((x) => x.tracking_code === code && (!str(t.carrier) || x.carrier === str(t.carrier)));
    if (existing) return json(200, created(existing));
    const carrier = str(t.carrier) ?? 'USPS';
    const trk: Obj = { ...base('trk_', modeOf(k)), object: 'Tracker', tracking_code: code, carrier, shipment_id: null, weight: null, carrier_detail: carrierDetail(carrier), public_url: `${world.baseUrl}/easypost/track/${code}`, fees: [], _days: 3 };
    acct.trackers[trk.id as string] = trk;
    return json(201, created(trk));
  });
  r.add('GET', '/v2/trackers/:id', (req) => {
    const { acct } = auth(req);
    const t = acct.trackers[req.params.id!];
    if (!t) throw new EpError(404, 'NOT_FOUND', 'The requested resource could not be found.');
    const s = t.shipment_id ? acct.shipments[t.shipment_id as string] : undefined;
    return json(200, trackerView(t, s?.to_address as Obj | undefined));
  });

  /** The bucket's objects: the label in each format, and the commercial invoice. */
  function readFile(key: string): SbResponse | undefined {
    const m = /^files\/(?:postage_label|form)\/\d{8}\/([0-9a-z_]+)\.(pdf|png|zpl|epl2)$/.exec(key);
    const f = m ? st().files[m[1]!] : undefined;
    const acct = f ? st().accounts[f.account] : undefined;
    const s = f && acct ? acct.shipments[f.shipment] : undefined;
    if (!m || !f || !s) return undefined;
    const to = s.to_address as Obj;
    const from = s.from_address as Obj;
    const rate = s.selected_rate as Obj;
    const addr = (a: Obj) => [a.name, a.company, a.street1, a.street2, [a.zip, a.city].filter(Boolean).join(' '), a.country].filter((x): x is string => typeof x === 'string' && x.length > 0);
    if (f.kind === 'invoice') {
      const ci = s.customs_info as Obj;
      const lines = [`Shipment ${s.id as string}   Tracking ${s.tracking_code as string}`, 'Exporter:', ...addr(from), 'Consignee:', ...addr(to), `Contents: ${ci.contents_type as string}`, ...(ci.customs_items as Obj[]).map((i) => `${i.quantity as number} x ${i.description as string}  HS ${String(i.hs_tariff_number ?? '-')}  origin ${i.origin_country as string}  ${i.value as string} ${i.currency as string}  ${i.weight as number} oz`), `Signed: ${String(ci.customs_signer ?? '')}`];
      return { status: 200, headers: { 'content-type': 'application/pdf' }, body: invoicePdf('COMMERCIAL INVOICE', lines) };
    }
    const ext = m[2]!;
    if (ext === 'png') return { status: 200, headers: { 'content-type': 'image/png' }, body: TINY_PNG };
    if (ext === 'zpl') return { status: 200, headers: { 'content-type': 'application/zpl' }, body: `^XA\n^FO30,30^A0N,40,40^FD${rate.carrier as string} ${rate.service as string}^FS\n^FO30,100^A0N,30,30^FD${addr(to).join(', ')}^FS\n^FO30,200^BCN,120,Y,N,N^FD${s.tracking_code as string}^FS\n^XZ\n` };
    if (ext === 'epl2') return { status: 200, headers: { 'content-type': 'application/epl2' }, body: `N\nA30,30,0,4,1,1,N,"${rate.carrier as string} ${rate.service as string}"\nB30,200,0,1,2,4,120,B,"${s.tracking_code as string}"\nP1\n` };
    const pdf = labelPdf({ carrier: rate.carrier as string, service: rate.service as string, tracking: s.tracking_code as string, from: addr(from), to: addr(to), weight: `${(s.parcel as Obj).weight as number} oz`, date: ((s.postage_label as Obj).label_date as string).slice(0, 10), reference: (s.reference as string | null) ?? undefined });
    return { status: 200, headers: { 'content-type': 'application/pdf' }, body: pdf };
  }

  return {
    name: 'easypost',
    prefix: '/easypost',
    fileBuckets: [{ ...BUCKET, read: readFile }],
    secrets: () => Object.keys(st().accounts),
    async handle(req) {
      const m = r.match(req.method, req.path);
      if (m.kind === 'none') return epError(404, 'NOT_FOUND', 'The requested resource could not be found.');
      if (m.kind === 'method') return epError(405, 'METHOD.NOT_ALLOWED', 'The requested method is not allowed for this resource.');
      req.params = m.params;
      let res: SbResponse;
      try {
        res = await m.handler(req);
      } catch (e) {
        if (!(e instanceof EpError)) throw e;
        res = epError(e.status, e.code, e.message, e.errors);
      }
      res.headers = { 'x-ep-request-uuid': `sbx-${req.seq.toString(16).padStart(12, '0')}`, ...res.headers };
      return res;
    },
    faultResponse(kind) {
      if (kind === '429' || kind === 'throttled') return epError(429, 'RATE_LIMITED', 'Your account has been temporarily rate-limited due to excessive resource consumption. Please try again later.');
      if (kind === '503') return epError(503, 'SERVICE.UNAVAILABLE', 'The service is temporarily unavailable. Please try again later.');
      return epError(500, 'INTERNAL_SERVER_ERROR', 'We are experiencing an internal server error. Please try again later.');
    },
  };
}
