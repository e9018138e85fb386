// Shippo (shared/reference/shipping-customs.md §1.2). `Authorization: ShippoToken <key>`; keys start
// shippo_test_ / shippo_live_. Customs items carry PER-ITEM value and net weight as strings with a
// mass unit (Shippo's 2026 guide; its OpenAPI text says "total" — the reference flags the conflict);
// enums are UPPER case; IOSS/VAT/ARN travel in exporter_identification.tax_id; our ledger reference
// travels in `metadata` on the shipment and the transaction, so a lost answer can be reconciled.

import { RemoteError } from '../../../core/errors.js';
import { registerSecret } from '../../../core/redact.js';
import { formatAmount, parseAmount } from '../../../core/money.js';
import type { HttpClient } from '../../http/index.js';
import type { HttpFactory } from '../../http/factory.js';
import type { CarrierAddress, CarrierPort, CreateShipmentRequest, RemoteRate, RemoteShipment, Tracking } from '../../../ports/carrier.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const s = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined);

export const SHIPPO_BASE_URL = 'https://api.goshippo.com';

const CONTENTS: Record<string, string> = {
  merchandise: 'MERCHANDISE',
  gift: 'GIFT',
  documents: 'DOCUMENTS',
  sample: 'SAMPLE',
  returned_goods: 'RETURN_MERCHANDISE',
  other: 'OTHER',
};

function address(a: CarrierAddress): Obj {
  return {
    name: a.name ?? a.company,
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

/** The declaration in Shippo's customs_declaration format (inline items). */
export function shippoCustoms(req: CreateShipmentRequest): Obj | undefined {
  const c = req.customs;
  if (!c || c.result.form === 'none') return undefined;
  const { input, result } = c;
  const taxId = input.seller.ioss && result.requiredIds.includes('IOSS')
    ? { number: input.seller.ioss, type: 'IOSS' }
    : input.seller.ukVat && result.requiredIds.includes('UKVAT')
      ? { number: input.seller.ukVat, type: 'VAT' }
      : input.seller.voec && result.requiredIds.includes('VOEC')
        ? { number: input.seller.voec, type: 'VAT' }
        : input.seller.abnArn && result.requiredIds.includes('ARN')
          ? { number: input.seller.abnArn, type: 'ARN' }
          : undefined;
  return {
    certify: true,
    certify_signer: c.signer,
    contents_type: CONTENTS[input.contentsType] ?? 'OTHER',
    ...(input.contentsType === 'other' ? { contents_explanation: input.items.map((i) => i.description).join(', ').slice(0, 255) } : {}),
    non_delivery_option: 'RETURN',
    eel_pfc: input.from.country === 'US' && input.to.country === 'CA' ? 'NOEEI_30_36' : 'NOEEI_30_37_a',
    incoterm: input.incoterm === 'DDP' ? 'DDP' : 'DDU',
    is_vat_collected: result.vatCollectedAtSale,
    ...(input.seller.eori || taxId ? { exporter_identification: { ...(input.seller.eori ? { eori_number: input.seller.eori } : {}), ...(taxId ? { tax_id: taxId } : {}) } } : {}),
    items: input.items.map((it) => ({
      description: it.description.slice(0, 255),
      quantity: it.quantity,
      net_weight: String(it.unitWeightGrams),
      mass_unit: 'g',
      value_amount: formatAmount(it.unitValue),
      value_currency: it.unitValue.currency,
      origin_country: it.originCountry,
      ...(it.hsCode ? { tariff_number: it.hsCode.replace(/[\s.-]/g, '').slice(0, 12) } : {}),
      ...(it.sku ? { sku_code: it.sku } : {}),
      metadata: req.reference.slice(0, 100),
    })),
  };
}

function rate(r: Obj): RemoteRate {
  const sl = isObj(r.servicelevel) ? r.servicelevel : {};
  return {
    id: s(r.object_id) ?? '',
    carrier: s(r.provider) ?? '',
    service: s(sl.name) ?? s(sl.token) ?? '',
    amount: parseAmount(s(r.amount) ?? '0', s(r.currency) ?? 'USD', { rounding: 'halfUp' }),
    ...(typeof r.estimated_days === 'number' ? { deliveryDays: r.estimated_days } : {}),
  };
}

const LIVE_TX = new Set(['SUCCESS', 'QUEUED', 'WAITING', 'REFUNDPENDING', 'REFUNDREJECTED']);

export class ShippoCarrier implements CarrierPort {
  readonly name = 'shippo' as const;
  readonly mode: 'test' | 'live';
  private http: HttpClient;

  constructor(factory: HttpFactory, opts: { apiKey: string; baseURL?: string }) {
    this.mode = opts.apiKey.startsWith('shippo_live_') ? 'live' : 'test';
    registerSecret(opts.apiKey);
    this.http = factory.create({
      service: 'shippo',
      baseURL: (opts.baseURL ?? SHIPPO_BASE_URL).replace(/\/+$/, ''),
      headers: { authorization: `ShippoToken ${opts.apiKey}`, 'content-type': 'application/json' },
    });
  }

  async verify(): Promise<void> {
    await this.http.request({ method: 'GET', url: '/shipments', params: { results: 1 }, operation: 'listShipments' });
  }

  async createShipment(req: CreateShipmentRequest): Promise<RemoteShipment> {
    const p = req.parcel;
    const customs = shippoCustoms(req);
    const body: Obj = {
      address_from: address(req.from),
      address_to: address(req.to),
      parcels: [
        {
          length: String((p.lengthMm ?? 100) / 10),
          width: String((p.widthMm ?? 100) / 10),
          height: String((p.heightMm ?? 50) / 10),
          distance_unit: 'cm',
          weight: String(Math.max(1, p.weightGrams)),
          mass_unit: 'g',
        },
      ],
      ...(customs ? { customs_declaration: customs } : {}),
      metadata: req.reference.slice(0, 100),
      async: false,
    };
    const res = await this.http.request<Obj>({ method: 'POST', url: '/shipments', data: body, operation: 'createShipment' });
    return this.toShipment(res.data, []);
  }

  private async transactionsFor(rateIds: Set<string>, reference?: string): Promise<Obj[]> {
    const res = await this.http.request<Obj>({ method: 'GET', url: '/transactions', params: { results: 100 }, acceptStatus: [404, 405], operation: 'listTransactions' });
    // An API without the list endpoint (the local sandbox): buy() then recognises "a transaction for this
    // rate already exists" and adopts that transaction instead of buying a second label.
    if (res.status === 404 || res.status === 405) return [];
    const list = Array.isArray(res.data.results) ? res.data.results.filter(isObj) : [];
    return list.filter((t) => {
      const r = isObj(t.rate) ? s(t.rate.object_id) : s(t.rate);
      return (r !== undefined && rateIds.has(r)) || (reference !== undefined && t.metadata === reference);
    });
  }

  private toShipment(o: Obj, txs: Obj[]): RemoteShipment {
    const rates = Array.isArray(o.rates) ? o.rates.filter(isObj).map(rate) : [];
    const live = txs.find((t) => LIVE_TX.has(String(t.status ?? t.object_status)));
    const refunded = txs.find((t) => String(t.status) === 'REFUNDED');
    const tx = live ?? refunded;
    const txRate = tx ? (isObj(tx.rate) ? s(tx.rate.object_id) : s(tx.rate)) : undefined;
    const sel = rates.find((r) => r.id === txRate);
    const messages = Array.isArray(o.messages) ? o.messages.filter(isObj).map((m) => `${s(m.source) ?? ''}: ${s(m.text) ?? ''}`) : [];
    return {
      id: s(o.object_id) ?? '',
      ...(s(o.metadata) ? { reference: s(o.metadata) } : {}),
      rates,
      purchased: Boolean(live),
      ...(sel ? { selectedRate: sel } : {}),
      ...(tx && s(tx.tracking_number) ? { trackingCode: s(tx.tracking_number) } : {}),
      ...(tx && s(tx.label_url) ? { labelUrl: s(tx.label_url), labelPdfUrl: s(tx.label_url) } : {}),
      forms: tx && s(tx.commercial_invoice_url) ? [{ type: 'commercial_invoice', url: s(tx.commercial_invoice_url)! }] : [],
      ...(refunded && !live ? { refundStatus: 'refunded' } : live && String(live.status).startsWith('REFUND') ? { refundStatus: String(live.status).toLowerCase() } : {}),
      messages,
      ...(tx && s(tx.object_id) ? { transactionId: s(tx.object_id) } : {}),
    };
  }

  async getShipment(id: string, known: { transactionId?: string } = {}): Promise<RemoteShipment> {
    const res = await this.http.request<Obj>({ method: 'GET', url: `/shipments/${encodeURIComponent(id)}`, operation: 'getShipment' });
    const rates = Array.isArray(res.data.rates) ? res.data.rates.filter(isObj).map((r) => s(r.object_id) ?? '') : [];
    const txs = await this.transactionsFor(new Set(rates), s(res.data.metadata));
    if (known.transactionId && !txs.some((t) => t.object_id === known.transactionId)) {
      const tx = await this.http.request<Obj>({ method: 'GET', url: `/transactions/${encodeURIComponent(known.transactionId)}`, acceptStatus: [404], operation: 'getTransaction' });
      if (tx.status === 200) txs.push(tx.data);
    }
    return this.toShipment(res.data, txs);
  }

  async findByReference(reference: string): Promise<RemoteShipment[]> {
    const res = await this.http.request<Obj>({ method: 'GET', url: '/shipments', params: { results: 100 }, operation: 'listShipments' });
    const list = Array.isArray(res.data.results) ? res.data.results.filter(isObj) : [];
    const mine = list.filter((o) => o.metadata === reference);
    const out: RemoteShipment[] = [];
    for (const o of mine) out.push(await this.getShipment(s(o.object_id) ?? ''));
    return out;
  }

  async buy(shipmentId: string, rateId: string): Promise<RemoteShipment> {
    const res = await this.http.request<Obj>({
      method: 'POST',
      url: '/transactions',
      data: { rate: rateId, label_file_type: 'PDF', async: false, metadata: shipmentId },
      acceptStatus: [400],
      operation: 'createTransaction',
    });
    if (res.status === 400) {
      // "A transaction for this rate already exists": the label was bought before (an answer that got
      // lost); adopt it rather than buying again.
      const existing = Array.isArray(res.data.transaction) ? s(res.data.transaction[0]) : undefined;
      if (existing) {
        const tx = await this.http.request<Obj>({ method: 'GET', url: `/transactions/${encodeURIComponent(existing)}`, operation: 'getTransaction' });
        const ship = await this.http.request<Obj>({ method: 'GET', url: `/shipments/${encodeURIComponent(shipmentId)}`, operation: 'getShipment' });
        return this.toShipment(ship.data, [tx.data]);
      }
      const detail = Object.entries(res.data).map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(' ') : String(v)}`).join('; ');
      throw new RemoteError(`shippo: the label purchase was refused (400): ${detail}`, { service: 'shippo', status: 400 });
    }
    const status = String(res.data.status ?? '');
    if (status === 'ERROR') {
      const msgs = Array.isArray(res.data.messages) ? res.data.messages.filter(isObj).map((m) => s(m.text)).filter(Boolean).join('; ') : '';
      throw new RemoteError(`shippo: the label purchase failed: ${msgs || 'status ERROR'}`, { service: 'shippo', apiCode: 'TRANSACTION_ERROR' });
    }
    const ship = await this.http.request<Obj>({ method: 'GET', url: `/shipments/${encodeURIComponent(shipmentId)}`, operation: 'getShipment' });
    return this.toShipment(ship.data, [res.data]);
  }

  async labelPdfUrl(sh: RemoteShipment): Promise<string> {
    const url = sh.labelPdfUrl ?? sh.labelUrl;
    if (!url) throw new RemoteError(`shippo: shipment ${sh.id} has no label`, { service: 'shippo' });
    return url;
  }

  async download(url: string): Promise<Uint8Array> {
    const res = await this.http.request<ArrayBuffer>({ method: 'GET', url, noAuth: true, responseType: 'arraybuffer', operation: 'downloadFile' });
    return new Uint8Array(res.data);
  }

  async track(sh: RemoteShipment): Promise<Tracking> {
    // Shippo carrier tokens are snake case: DHLExpress → dhl_express, DeutschePost → deutsche_post, USPS → usps.
    const carrier = (sh.selectedRate?.carrier ?? 'shippo')
      .replace(/([a-z])([A-Z])/g, '$1_$2')
      .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
      .replace(/[\s-]+/g, '_')
      .toLowerCase();
    const code = sh.trackingCode ?? '';
    const res = await this.http.request<Obj>({ method: 'GET', url: `/tracks/${encodeURIComponent(carrier)}/${encodeURIComponent(code)}`, operation: 'getTrack' });
    const status = isObj(res.data.tracking_status) ? res.data.tracking_status : {};
    const history = Array.isArray(res.data.tracking_history) ? res.data.tracking_history.filter(isObj) : [];
    return {
      trackingCode: code,
      status: (s(status.status) ?? 'UNKNOWN').toLowerCase(),
      ...(s(res.data.eta) ? { estDeliveryDate: s(res.data.eta) } : {}),
      events: history.map((h) => {
        const loc = isObj(h.location) ? [s(h.location.city), s(h.location.country)].filter(Boolean).join(', ') : '';
        return { at: s(h.status_date) ?? '', status: (s(h.status) ?? '').toLowerCase(), message: s(h.status_details) ?? '', ...(loc ? { location: loc } : {}) };
      }),
    };
  }

  async void(sh: RemoteShipment): Promise<{ status: string }> {
    const tx = sh.transactionId;
    if (!tx) throw new RemoteError(`shippo: no label transaction found for ${sh.id}`, { service: 'shippo' });
    const res = await this.http.request<Obj>({ method: 'POST', url: '/refunds', data: { transaction: tx, async: false }, operation: 'createRefund' });
    return { status: (s(res.data.status) ?? 'QUEUED').toLowerCase() };
  }
}
