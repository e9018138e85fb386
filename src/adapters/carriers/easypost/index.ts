// EasyPost REST v2 (shared/reference/shipping-customs.md §1.1). Basic auth with the key as user name;
// bodies wrapped in their object name; parcel in inches and ounces (1 decimal); customs items carry
// the LINE total value (in the declaration's currency, stated per item) and the LINE total weight in
// ounces, truncated to 3 decimals; enums are lower case; IOSS/VAT/EORI/VOEC go in tax_identifiers.

import { RemoteError } from '../../../core/errors.js';
import { registerSecret } from '../../../core/redact.js';
import { formatAmount, parseAmount } from '../../../core/money.js';
import type { HttpClient } from '../../http/index.js';
import type { HttpFactory } from '../../http/factory.js';
import type {
  CarrierAddress,
  CarrierPort,
  CreateShipmentRequest,
  ParcelSpec,
  RemoteRate,
  RemoteShipment,
  Tracking,
} from '../../../ports/carrier.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const s = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined);

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

function address(a: CarrierAddress): Obj {
  return {
    name: a.name,
    company: a.company,
    street1: a.street1,
    street2: a.street2,
    city: a.city,
    state: a.state,
    zip: a.postalCode,
    country: a.country,
    phone: a.phone,
    email: a.email,
  };
}

function parcel(p: ParcelSpec): Obj {
  const out: Obj = { weight: oz1(p.weightGrams) };
  if (p.lengthMm && p.widthMm && p.heightMm) Object.assign(out, { length: inch1(p.lengthMm), width: inch1(p.widthMm), height: inch1(p.heightMm) });
  return out;
}

const TAX_ID: Record<string, { type: string; country?: string }> = {
  IOSS: { type: 'IOSS' },
  EORI: { type: 'EORI' },
  UKVAT: { type: 'VAT', country: 'GB' },
  VOEC: { type: 'VOEC', country: 'NO' },
  ARN: { type: 'ARN', country: 'AU' },
  CHVAT: { type: 'VAT', country: 'CH' },
  NZGST: { type: 'GST', country: 'NZ' },
};

/** The declaration in EasyPost's customs_info format. */
export function easypostCustoms(req: CreateShipmentRequest): { customs_info: Obj; tax_identifiers: Obj[] } | undefined {
  const c = req.customs;
  if (!c || c.result.form === 'none') return undefined;
  const { input, result } = c;
  const items = input.items.map((it) => ({
    description: it.description.slice(0, 255),
    quantity: it.quantity,
    // line total = unit × quantity, exact in minor units, in the declaration's stated currency
    value: formatAmount({ minor: it.unitValue.minor * BigInt(it.quantity), currency: it.unitValue.currency }),
    currency: it.unitValue.currency,
    weight: ozLineTotal(it.unitWeightGrams * it.quantity),
    hs_tariff_number: it.hsCode?.replace(/[\s.-]/g, ''),
    origin_country: it.originCountry,
    code: it.sku,
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
  const ids: Record<string, string | undefined> = {
    IOSS: input.seller.ioss, EORI: input.seller.eori, UKVAT: input.seller.ukVat, VOEC: input.seller.voec,
    ARN: input.seller.abnArn, CHVAT: input.seller.chVat, NZGST: input.seller.nzGst,
  };
  const wanted = new Set([...result.requiredIds, ...(input.seller.eori ? ['EORI'] : [])]);
  const tax_identifiers: Obj[] = [];
  for (const id of wanted) {
    const v = ids[id];
    const t = TAX_ID[id];
    if (!v || !t) continue;
    tax_identifiers.push({ entity: 'SENDER', tax_id_type: t.type, tax_id: v, issuing_country: t.country ?? v.slice(0, 2).replace('IM', input.to.country) });
  }
  return { customs_info, tax_identifiers };
}

function rate(r: Obj): RemoteRate {
  const currency = s(r.currency) ?? 'USD';
  return {
    id: s(r.id) ?? '',
    carrier: s(r.carrier) ?? '',
    service: s(r.service) ?? '',
    amount: parseAmount(s(r.rate) ?? '0', currency, { rounding: 'halfUp' }),
    ...(typeof r.delivery_days === 'number' ? { deliveryDays: r.delivery_days } : typeof r.est_delivery_days === 'number' ? { deliveryDays: r.est_delivery_days } : {}),
  };
}

function shipment(o: Obj): RemoteShipment {
  const pl = isObj(o.postage_label) ? o.postage_label : undefined;
  const sel = isObj(o.selected_rate) ? rate(o.selected_rate) : undefined;
  const messages = Array.isArray(o.messages) ? o.messages.map((m) => (isObj(m) ? `${s(m.carrier) ?? ''}: ${s(m.message) ?? ''}` : String(m))) : [];
  const forms = Array.isArray(o.forms) ? o.forms.filter(isObj).map((f) => ({ type: s(f.form_type) ?? 'form', url: s(f.form_url) ?? '' })) : [];
  return {
    id: s(o.id) ?? '',
    ...(s(o.reference) ? { reference: s(o.reference) } : {}),
    rates: Array.isArray(o.rates) ? o.rates.filter(isObj).map(rate) : [],
    purchased: Boolean(pl),
    ...(sel ? { selectedRate: sel } : {}),
    ...(s(o.tracking_code) ? { trackingCode: s(o.tracking_code) } : {}),
    ...(pl && s(pl.label_url) ? { labelUrl: s(pl.label_url) } : {}),
    ...(pl && s(pl.label_pdf_url) ? { labelPdfUrl: s(pl.label_pdf_url) } : {}),
    forms,
    ...(s(o.refund_status) ? { refundStatus: s(o.refund_status) } : {}),
    messages,
  };
}

export class EasyPostCarrier implements CarrierPort {
  readonly name = 'easypost' as const;
  readonly mode: 'test' | 'live';
  private http: HttpClient;

  constructor(factory: HttpFactory, opts: { apiKey: string; baseURL?: string }) {
    this.mode = easypostMode(opts.apiKey);
    const auth = `Basic ${Buffer.from(`${opts.apiKey}:`).toString('base64')}`;
    registerSecret(opts.apiKey);
    registerSecret(auth.slice(6)); // the base64 form can never be printed either
    this.http = factory.create({
      service: 'easypost',
      baseURL: `${(opts.baseURL ?? EASYPOST_BASE_URL).replace(/\/+$/, '')}/v2`,
      headers: { authorization: auth, 'content-type': 'application/json' },
    });
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
        from_address: address(req.from),
        to_address: address(req.to),
        parcel: parcel(req.parcel),
        options: { label_format: 'PDF', invoice_number: req.reference },
        ...(customs ? { customs_info: customs.customs_info } : {}),
        ...(customs && customs.tax_identifiers.length ? { tax_identifiers: customs.tax_identifiers } : {}),
      },
    };
    const res = await this.http.request<Obj>({ method: 'POST', url: '/shipments', data: body, operation: 'createShipment' });
    return this.parse(res.data, 'shipment');
  }

  async getShipment(id: string, _known?: { transactionId?: string }): Promise<RemoteShipment> {
    void _known; // EasyPost's shipment carries its label
    const res = await this.http.request<Obj>({ method: 'GET', url: `/shipments/${encodeURIComponent(id)}`, operation: 'getShipment' });
    return this.parse(res.data, 'shipment');
  }

  async findByReference(reference: string): Promise<RemoteShipment[]> {
    const found: RemoteShipment[] = [];
    let before: string | undefined;
    for (let page = 0; page < 10; page++) {
      const res = await this.http.request<Obj>({ method: 'GET', url: '/shipments', params: { page_size: 100, before_id: before }, operation: 'listShipments' });
      const list = Array.isArray(res.data.shipments) ? res.data.shipments.filter(isObj) : [];
      for (const o of list) if (o.reference === reference) found.push(shipment(o));
      if (!res.data.has_more || list.length === 0) break;
      before = s(list[list.length - 1]!.id);
    }
    return found;
  }

  async buy(shipmentId: string, rateId: string): Promise<RemoteShipment> {
    const res = await this.http.request<Obj>({ method: 'POST', url: `/shipments/${encodeURIComponent(shipmentId)}/buy`, data: { rate: { id: rateId } }, operation: 'buyShipment' });
    return this.parse(res.data, 'shipment');
  }

  async labelPdfUrl(sh: RemoteShipment): Promise<string> {
    if (sh.labelPdfUrl) return sh.labelPdfUrl;
    if (sh.labelUrl && /\.pdf(\?|$)/i.test(sh.labelUrl)) return sh.labelUrl;
    const res = await this.http.request<Obj>({ method: 'GET', url: `/shipments/${encodeURIComponent(sh.id)}/label`, params: { file_format: 'PDF' }, operation: 'convertLabel' });
    const conv = this.parse(res.data, 'shipment');
    const url = conv.labelPdfUrl ?? conv.labelUrl;
    if (!url) throw new RemoteError(`easypost: shipment ${sh.id} has no PDF label`, { service: 'easypost' });
    return url;
  }

  async download(url: string): Promise<Uint8Array> {
    const res = await this.http.request<ArrayBuffer>({ method: 'GET', url, noAuth: true, responseType: 'arraybuffer', operation: 'downloadFile' });
    return new Uint8Array(res.data);
  }

  async track(sh: RemoteShipment): Promise<Tracking> {
    const fresh = await this.http.request<Obj>({ method: 'GET', url: `/shipments/${encodeURIComponent(sh.id)}`, operation: 'getShipment' });
    const data = isObj(fresh.data.shipment) ? fresh.data.shipment : fresh.data;
    const t = isObj(data.tracker) ? data.tracker : undefined;
    if (!t) return { trackingCode: sh.trackingCode ?? '', status: 'unknown', events: [] };
    const details = Array.isArray(t.tracking_details) ? t.tracking_details.filter(isObj) : [];
    return {
      trackingCode: s(t.tracking_code) ?? sh.trackingCode ?? '',
      status: s(t.status) ?? 'unknown',
      ...(s(t.public_url) ? { publicUrl: s(t.public_url) } : {}),
      ...(s(t.est_delivery_date) ? { estDeliveryDate: s(t.est_delivery_date) } : {}),
      events: details.map((d) => {
        const loc = isObj(d.tracking_location) ? [s(d.tracking_location.city), s(d.tracking_location.country)].filter(Boolean).join(', ') : '';
        return { at: s(d.datetime) ?? '', status: s(d.status) ?? '', message: s(d.message) ?? '', ...(loc ? { location: loc } : {}) };
      }),
    };
  }

  async void(sh: RemoteShipment): Promise<{ status: string }> {
    const res = await this.http.request<Obj>({ method: 'POST', url: `/shipments/${encodeURIComponent(sh.id)}/refund`, data: {}, operation: 'refundShipment', idempotent: true });
    const o = this.parse(res.data, 'shipment');
    return { status: o.refundStatus ?? 'submitted' };
  }

  private parse(data: Obj, wrapper: string): RemoteShipment {
    const o = isObj(data[wrapper]) ? (data[wrapper] as Obj) : data;
    return shipment(o);
  }
}
