// EasyPost REST v2 (shared/reference/shipping-customs.md §1.1). Basic auth with the key as user name;
// bodies wrapped in their object name; parcel in inches and ounces (1 decimal); customs items carry
// the LINE total value (in the declaration's currency, stated per item) and the LINE total weight in
// ounces, truncated to 3 decimals; enums are lower case; IOSS/VAT/EORI/VOEC go in tax_identifiers.

import { RemoteError } from '../../../core/errors.js';
import { registerSecret } from '../../../core/redact.js';
import { formatAmount, parseAmount } from '../../../core/money.js';
import type { HttpClient } from '../../http/index.js';
import type { HttpFactory } from '../../http/factory.js';
import type { CarrierPort, CreateShipmentRequest, ParcelSpec, RemoteRate, RemoteShipment, Tracking } from '../../../ports/carrier.js';
import { addressFields, CarrierFiles, customsLines, hsDigits, isObj, malformedReply, sellerIds, str as s, type Obj, type SellerIdKind } from '../shared.js';

export const EASYPOST_BASE_URL = 'https://api.easypost.com';
const GRAMS_PER_OZ = 28.349523125;
const MM_PER_INCH = 25.4;

/** Test keys start EZTK, production keys EZAK (EasyPost authentication docs [S4]). */
export function easypostMode(key: string): 'test' | 'live' {
  return key.startsWith('EZAK') ? 'live' : 'test';
}

export function ozLineTotal(grams: number): number {
  // EasyPost keeps three decimals and truncates the rest [S1].
  return Math.trunc((grams / GRAMS_PER_OZ) * 1000) / 1000;
}

function oz1(grams: number): number {
  return Math.max(0.1, Math.round((grams / GRAMS_PER_OZ) * 10) / 10);
}

function inch1(mm: number): number {
  return Math.max(0.1, Math.round((mm / MM_PER_INCH) * 10) / 10);
}

function parcel(p: ParcelSpec): Obj {
  const out: Obj = { weight: oz1(p.weightGrams) };
  if (p.lengthMm && p.widthMm && p.heightMm) Object.assign(out, { length: inch1(p.lengthMm), width: inch1(p.widthMm), height: inch1(p.heightMm) });
  return out;
}

const TAX_ID: Record<SellerIdKind, { type: string; country?: string }> = {
  IOSS: { type: 'IOSS' },
  EORI: { type: 'EORI' },
  UKVAT: { type: 'VAT', country: 'GB' },
  VOEC: { type: 'VOEC', country: 'NO' },
  ARN: { type: 'ARN', country: 'AU' },
  CHVAT: { type: 'VAT', country: 'CH' },
  NZGST: { type: 'GST', country: 'NZ' },
};

/** ISO 3166-1 numeric codes of the EU member states: an IOSS number is IM + the numeric code of the
 * member state of identification + 7 digits (Commission Implementing Regulation (EU) 2020/194). */
const EU_NUMERIC: Record<string, string> = {
  '040': 'AT', '056': 'BE', '100': 'BG', '191': 'HR', '196': 'CY', '203': 'CZ', '208': 'DK', '233': 'EE', '246': 'FI',
  '250': 'FR', '276': 'DE', '300': 'GR', '348': 'HU', '372': 'IE', '380': 'IT', '428': 'LV', '440': 'LT', '442': 'LU',
  '470': 'MT', '528': 'NL', '616': 'PL', '620': 'PT', '642': 'RO', '703': 'SK', '705': 'SI', '724': 'ES', '752': 'SE',
};

/** The member state that issued an IOSS number (IM2760000123 → DE), when it is one we know. */
export function iossIssuingCountry(ioss: string): string | undefined {
  const m = /^IM(\d{3})\d{7}$/.exec(ioss.replace(/\s/g, '').toUpperCase());
  return m ? EU_NUMERIC[m[1]!] : undefined;
}

/** The declaration in EasyPost's customs_info format. */
export function easypostCustoms(req: CreateShipmentRequest): { customs_info: Obj; tax_identifiers: Obj[] } | undefined {
  const c = req.customs;
  if (!c || c.result.form === 'none') return undefined;
  const { input, result } = c;
  const items = customsLines(input).map(({ item, value, weightGrams }) => ({
    description: item.description.slice(0, 255),
    quantity: item.quantity,
    // line totals: unit × quantity, exact in minor units, in the declaration's stated currency
    value: formatAmount(value),
    currency: value.currency,
    weight: ozLineTotal(weightGrams),
    hs_tariff_number: hsDigits(item.hsCode),
    origin_country: item.originCountry,
    code: item.sku,
  }));
  const eel = input.from.country === 'US' && input.to.country === 'CA' ? 'NOEEI 30.36' : 'NOEEI 30.37(a)';
  const customs_info: Obj = {
    contents_type: input.contentsType,
    customs_certify: true,
    customs_signer: c.signer,
    non_delivery_option: 'return',
    restriction_type: 'none',
    eel_pfc: eel,
    customs_items: items,
  };
  const ids = sellerIds(input);
  const wanted = new Set<SellerIdKind>([...(result.requiredIds as SellerIdKind[]), ...(ids.EORI ? (['EORI'] as const) : [])]);
  const tax_identifiers: Obj[] = [];
  for (const id of wanted) {
    const v = ids[id];
    const t = TAX_ID[id];
    if (!v || !t) continue;
    const issuing = t.country ?? (id === 'IOSS' ? iossIssuingCountry(v) : v.slice(0, 2).toUpperCase());
    tax_identifiers.push({ entity: 'SENDER', tax_id_type: t.type, tax_id: v, issuing_country: issuing ?? input.to.country });
  }
  return { customs_info, tax_identifiers };
}

const malformed = (what: string, data: unknown) => malformedReply('easypost', what, data);

function rate(r: Obj, what: string): RemoteRate {
  const id = s(r.id);
  if (!id) throw malformed(what, r);
  const currency = s(r.currency) ?? 'USD';
  return {
    id,
    carrier: s(r.carrier) ?? '',
    service: s(r.service) ?? '',
    amount: parseAmount(s(r.rate) ?? '0', currency, { rounding: 'halfUp' }),
    ...(typeof r.delivery_days === 'number' ? { deliveryDays: r.delivery_days } : typeof r.est_delivery_days === 'number' ? { deliveryDays: r.est_delivery_days } : {}),
  };
}

/** A Shipment object (the answer itself, or wrapped as {"shipment": …}); anything else throws. */
export function parseShipment(data: unknown, what: string): RemoteShipment {
  const o = isObj(data) && isObj(data.shipment) ? data.shipment : data;
  if (!isObj(o) || !/^shp_\w+$/.test(s(o.id) ?? '') || (o.object !== undefined && o.object !== 'Shipment')) throw malformed(what, data);
  const pl = isObj(o.postage_label) ? o.postage_label : undefined;
  const sel = isObj(o.selected_rate) ? rate(o.selected_rate, what) : undefined;
  const tracker = isObj(o.tracker) ? o.tracker : undefined;
  const messages = Array.isArray(o.messages) ? o.messages.map((m) => (isObj(m) ? `${s(m.carrier) ?? ''}: ${s(m.message) ?? ''}` : String(m))) : [];
  const forms = Array.isArray(o.forms) ? o.forms.filter(isObj).map((f) => ({ type: s(f.form_type) ?? 'form', url: s(f.form_url) ?? '' })) : [];
  return {
    id: s(o.id)!,
    ...(s(o.reference) ? { reference: s(o.reference) } : {}),
    rates: Array.isArray(o.rates) ? o.rates.filter(isObj).map((r) => rate(r, what)) : [],
    purchased: Boolean(pl),
    ...(sel ? { selectedRate: sel } : {}),
    ...(s(o.tracking_code) ? { trackingCode: s(o.tracking_code) } : {}),
    ...(pl && s(pl.label_url) ? { labelUrl: s(pl.label_url) } : {}),
    ...(pl && s(pl.label_pdf_url) ? { labelPdfUrl: s(pl.label_pdf_url) } : {}),
    forms,
    ...(s(o.refund_status) ? { refundStatus: s(o.refund_status) } : {}),
    ...(tracker && s(tracker.id) ? { trackerId: s(tracker.id) } : {}),
    messages,
  };
}

/** A Tracker object: its status and its events, oldest first. */
export function parseTracker(data: unknown, what: string): Tracking {
  const t = isObj(data) && isObj(data.tracker) ? data.tracker : data;
  if (!isObj(t) || !/^trk_\w+$/.test(s(t.id) ?? '') || !s(t.tracking_code)) throw malformed(what, data);
  const details = Array.isArray(t.tracking_details) ? t.tracking_details.filter(isObj) : [];
  return {
    trackingCode: s(t.tracking_code)!,
    status: s(t.status) ?? 'unknown',
    ...(s(t.public_url) ? { publicUrl: s(t.public_url) } : {}),
    ...(s(t.est_delivery_date) ? { estDeliveryDate: s(t.est_delivery_date) } : {}),
    events: details.map((d) => {
      const loc = isObj(d.tracking_location) ? [s(d.tracking_location.city), s(d.tracking_location.state), s(d.tracking_location.country)].filter(Boolean).join(', ') : '';
      return { at: s(d.datetime) ?? '', status: s(d.status) ?? '', message: s(d.message) ?? '', ...(loc ? { location: loc } : {}) };
    }),
  };
}

export class EasyPostCarrier implements CarrierPort {
  readonly name = 'easypost' as const;
  readonly mode: 'test' | 'live';
  private http: HttpClient;
  private files: CarrierFiles;

  constructor(factory: HttpFactory, opts: { apiKey: string; baseURL?: string }) {
    this.mode = easypostMode(opts.apiKey);
    const auth = `Basic ${Buffer.from(`${opts.apiKey}:`).toString('base64')}`;
    registerSecret(opts.apiKey);
    registerSecret(auth.slice(6)); // the base64 form can never be printed either
    const baseURL = `${(opts.baseURL ?? EASYPOST_BASE_URL).replace(/\/+$/, '')}/v2`;
    this.http = factory.create({ service: 'easypost', baseURL, headers: { authorization: auth, 'content-type': 'application/json' } });
    this.files = new CarrierFiles(factory, 'easypost', baseURL);
  }

  async verify(): Promise<void> {
    // A read of one object that does not exist: 404 proves the key is accepted (401 would not), and it
    // avoids the 5-per-second limiter of the list endpoints.
    await this.http.request({ method: 'GET', url: '/shipments/shp_merchant_verify', acceptStatus: [404], operation: 'verifyKey' });
  }

  async createShipment(req: CreateShipmentRequest): Promise<RemoteShipment> {
    const customs = easypostCustoms(req);
    const body: Obj = {
      shipment: {
        reference: req.reference,
        from_address: addressFields(req.from),
        to_address: addressFields(req.to),
        parcel: parcel(req.parcel),
        options: { label_format: 'PDF', invoice_number: req.reference },
        ...(customs ? { customs_info: customs.customs_info } : {}),
        ...(customs && customs.tax_identifiers.length ? { tax_identifiers: customs.tax_identifiers } : {}),
      },
    };
    const res = await this.http.request<unknown>({ method: 'POST', url: '/shipments', data: body, operation: 'createShipment' });
    return parseShipment(res.data, 'createShipment');
  }

  async getShipment(id: string): Promise<RemoteShipment> {
    // EasyPost's shipment carries its label: nothing else to look up.
    const res = await this.http.request<unknown>({ method: 'GET', url: `/shipments/${encodeURIComponent(id)}`, operation: 'getShipment' });
    const sh = parseShipment(res.data, `getShipment ${id}`);
    if (sh.id !== id) throw malformed(`getShipment ${id}`, `shipment ${sh.id}`);
    return sh;
  }

  async findByReference(reference: string): Promise<RemoteShipment[]> {
    const found: RemoteShipment[] = [];
    let before: string | undefined;
    for (let page = 0; page < 10; page++) {
      const res = await this.http.request<unknown>({ method: 'GET', url: '/shipments', params: { page_size: 100, before_id: before }, operation: 'listShipments' });
      const data = res.data;
      if (!isObj(data) || !Array.isArray(data.shipments)) throw malformed('listShipments', data);
      const list = data.shipments.map((o) => parseShipment(o, 'listShipments'));
      for (const sh of list) if (sh.reference === reference) found.push(sh);
      if (data.has_more !== true || list.length === 0) break;
      before = list[list.length - 1]!.id;
    }
    return found;
  }

  async buy(shipmentId: string, rateId: string): Promise<RemoteShipment> {
    const what = `the purchase of ${shipmentId}`;
    const res = await this.http.request<unknown>({ method: 'POST', url: `/shipments/${encodeURIComponent(shipmentId)}/buy`, data: { rate: { id: rateId } }, operation: 'buyShipment' });
    const sh = parseShipment(res.data, what);
    // A 2xx answer that does not show this shipment with a label proves nothing either way.
    if (sh.id !== shipmentId || !sh.purchased) throw malformed(what, res.data);
    return sh;
  }

  async labelPdfUrl(sh: RemoteShipment): Promise<string> {
    if (sh.labelPdfUrl) return sh.labelPdfUrl;
    if (sh.labelUrl && /\.pdf(\?|$)/i.test(sh.labelUrl)) return sh.labelUrl;
    const res = await this.http.request<unknown>({ method: 'GET', url: `/shipments/${encodeURIComponent(sh.id)}/label`, params: { file_format: 'PDF' }, operation: 'convertLabel' });
    const conv = parseShipment(res.data, `convertLabel ${sh.id}`);
    // The answer lists every format made so far (label_url is the original PNG, label_zpl_url…): only
    // the PDF link is the PDF.
    if (!conv.labelPdfUrl) throw new RemoteError(`easypost: shipment ${sh.id} has no PDF label (the conversion answer holds no label_pdf_url)`, { service: 'easypost', hints: ['run `merchant ship label` again later'] });
    return conv.labelPdfUrl;
  }

  download(url: string): Promise<Uint8Array> {
    return this.files.download(url);
  }

  async track(sh: RemoteShipment): Promise<Tracking> {
    // The label's Tracker (created by the purchase); a tracking code without one gets a tracker, which
    // EasyPost deduplicates by code and carrier (POST answers the existing tracker with 200).
    if (sh.trackerId) {
      const res = await this.http.request<unknown>({ method: 'GET', url: `/trackers/${encodeURIComponent(sh.trackerId)}`, operation: 'getTracker' });
      return parseTracker(res.data, `getTracker ${sh.trackerId}`);
    }
    if (!sh.trackingCode) return { trackingCode: '', status: 'unknown', events: [] };
    const res = await this.http.request<unknown>({
      method: 'POST',
      url: '/trackers',
      data: { tracker: { tracking_code: sh.trackingCode, ...(sh.selectedRate?.carrier ? { carrier: sh.selectedRate.carrier } : {}) } },
      operation: 'createTracker',
      idempotent: true,
    });
    return parseTracker(res.data, `createTracker ${sh.trackingCode}`);
  }

  async void(sh: RemoteShipment): Promise<{ status: string }> {
    const res = await this.http.request<unknown>({ method: 'POST', url: `/shipments/${encodeURIComponent(sh.id)}/refund`, data: {}, operation: 'refundShipment', idempotent: true });
    const o = parseShipment(res.data, `refundShipment ${sh.id}`);
    return { status: o.refundStatus ?? 'submitted' };
  }
}
