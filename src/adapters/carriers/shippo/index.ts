// Shippo (shared/reference/shipping-customs.md §1.2). `Authorization: ShippoToken <key>`; keys start
// shippo_test_ / shippo_live_. Customs items carry LINE totals: `net_weight` = quantity × unit weight and
// `value_amount` = quantity × unit value, as strings with a mass unit (Shippo API reference, Customs
// Items: "Total weight of this item, i.e. quantity * weight per item", "Total value of this item, i.e.
// quantity * value per item"; docs/sandbox.md cites it). Enums are UPPER case; IOSS/VAT/ARN travel in
// exporter_identification.tax_id. Our ledger reference travels in the shipment's `metadata`, so a lost
// answer can be reconciled; tracking uses Shippo's carrier tokens (core/shippo-carriers.ts).

import { RemoteError } from '../../../core/errors.js';
import { registerSecret } from '../../../core/redact.js';
import { formatAmount, parseAmount } from '../../../core/money.js';
import { shippoCarrierToken } from '../../../core/shippo-carriers.js';
import type { HttpClient } from '../../http/index.js';
import type { HttpFactory } from '../../http/factory.js';
import type { CarrierPort, CreateShipmentRequest, KnownPurchase, RemoteRate, RemoteShipment, Tracking } from '../../../ports/carrier.js';
import { addressFields, CarrierFiles, customsLines, hsDigits, isObj, malformedReply, sellerIds, str as s, type Obj } from '../shared.js';

export const SHIPPO_BASE_URL = 'https://api.goshippo.com';

/** Test keys start shippo_test_, production keys shippo_live_ (Shippo authentication guide). */
export function shippoMode(key: string): 'test' | 'live' {
  return key.startsWith('shippo_live_') ? 'live' : 'test';
}

const CONTENTS: Record<string, string> = {
  merchandise: 'MERCHANDISE',
  gift: 'GIFT',
  documents: 'DOCUMENTS',
  sample: 'SAMPLE',
  returned_goods: 'RETURN_MERCHANDISE',
  other: 'OTHER',
};

/** Transaction statuses (TransactionStatusEnum) under which a label exists or is being made. */
const LIVE_TX = new Set(['SUCCESS', 'QUEUED', 'WAITING', 'REFUNDPENDING', 'REFUNDREJECTED']);
const TX_STATUSES = new Set([...LIVE_TX, 'ERROR', 'REFUNDED']);

/** The declaration in Shippo's customs_declaration format (inline items, line totals). */
export function shippoCustoms(req: CreateShipmentRequest): Obj | undefined {
  const c = req.customs;
  if (!c || c.result.form === 'none') return undefined;
  const { input, result } = c;
  const ids = sellerIds(input);
  const wants = (k: string) => result.requiredIds.includes(k);
  const taxId = ids.IOSS && wants('IOSS')
    ? { number: ids.IOSS, type: 'IOSS' }
    : ids.UKVAT && wants('UKVAT')
      ? { number: ids.UKVAT, type: 'VAT' }
      : ids.VOEC && wants('VOEC')
        ? { number: ids.VOEC, type: 'VAT' }
        : ids.ARN && wants('ARN')
          ? { number: ids.ARN, type: 'ARN' }
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
    ...(ids.EORI || taxId ? { exporter_identification: { ...(ids.EORI ? { eori_number: ids.EORI } : {}), ...(taxId ? { tax_id: taxId } : {}) } } : {}),
    items: customsLines(input).map(({ item, value, weightGrams }) => ({
      description: item.description.slice(0, 255),
      quantity: item.quantity,
      net_weight: String(weightGrams),
      mass_unit: 'g',
      value_amount: formatAmount(value),
      value_currency: value.currency,
      origin_country: item.originCountry,
      ...(hsDigits(item.hsCode) ? { tariff_number: hsDigits(item.hsCode)!.slice(0, 12) } : {}),
      ...(item.sku ? { sku_code: item.sku } : {}),
      metadata: req.reference.slice(0, 100),
    })),
  };
}

const malformed = (what: string, data: unknown) => malformedReply('shippo', what, data);

function rate(r: Obj): RemoteRate {
  const sl = isObj(r.servicelevel) ? r.servicelevel : {};
  const token = shippoCarrierToken({ servicelevelToken: s(sl.token), provider: s(r.provider) });
  return {
    id: s(r.object_id) ?? '',
    carrier: s(r.provider) ?? '',
    service: s(sl.name) ?? s(sl.token) ?? '',
    amount: parseAmount(s(r.amount) ?? '0', s(r.currency) ?? 'USD', { rounding: 'halfUp' }),
    ...(typeof r.estimated_days === 'number' ? { deliveryDays: r.estimated_days } : {}),
    ...(token ? { carrierToken: token } : {}),
  };
}

/** The rate id of a transaction: an id string, or (instalabel) a simplified Rate object. */
const txRateId = (t: Obj): string | undefined => (isObj(t.rate) ? s(t.rate.object_id) : s(t.rate));

function shipmentObject(data: unknown, what: string): Obj {
  if (!isObj(data) || !/^[0-9a-f]{32}$/.test(s(data.object_id) ?? '') || !Array.isArray(data.rates)) throw malformed(what, data);
  return data;
}

function transactionObject(data: unknown, what: string): Obj {
  if (!isObj(data) || !s(data.object_id) || !TX_STATUSES.has(String(data.status ?? data.object_status))) throw malformed(what, data);
  return data;
}

function listResults(data: unknown, what: string): unknown[] {
  if (!isObj(data) || !Array.isArray(data.results)) throw malformed(what, data);
  return data.results;
}

export class ShippoCarrier implements CarrierPort {
  readonly name = 'shippo' as const;
  readonly mode: 'test' | 'live';
  private http: HttpClient;
  private files: CarrierFiles;

  constructor(factory: HttpFactory, opts: { apiKey: string; baseURL?: string }) {
    this.mode = shippoMode(opts.apiKey);
    registerSecret(opts.apiKey);
    const baseURL = (opts.baseURL ?? SHIPPO_BASE_URL).replace(/\/+$/, '');
    this.http = factory.create({ service: 'shippo', baseURL, headers: { authorization: `ShippoToken ${opts.apiKey}`, 'content-type': 'application/json' } });
    this.files = new CarrierFiles(factory, 'shippo', baseURL);
  }

  async verify(): Promise<void> {
    await this.http.request({ method: 'GET', url: '/shipments', params: { results: 1 }, operation: 'listShipments' });
  }

  async createShipment(req: CreateShipmentRequest): Promise<RemoteShipment> {
    const p = req.parcel;
    const customs = shippoCustoms(req);
    const body: Obj = {
      address_from: { ...addressFields(req.from), name: req.from.name ?? req.from.company },
      address_to: { ...addressFields(req.to), name: req.to.name ?? req.to.company },
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
    const res = await this.http.request<unknown>({ method: 'POST', url: '/shipments', data: body, operation: 'createShipment' });
    return this.toShipment(shipmentObject(res.data, 'createShipment'), []);
  }

  /** Transactions behind a shipment: by the ids we know, else among the account's recent ones. */
  private async transactionsFor(ship: Obj, known: KnownPurchase): Promise<Obj[]> {
    const rateIds = new Set((ship.rates as unknown[]).filter(isObj).map((r) => s(r.object_id) ?? ''));
    const out: Obj[] = [];
    if (known.transactionId) {
      const tx = await this.http.request<unknown>({ method: 'GET', url: `/transactions/${encodeURIComponent(known.transactionId)}`, acceptStatus: [404], operation: 'getTransaction' });
      if (tx.status === 200) out.push(transactionObject(tx.data, `getTransaction ${known.transactionId}`));
      // The label we recorded is there: no list call (Shippo allows 10 a minute in test mode).
      if (out.some((t) => LIVE_TX.has(String(t.status)))) return out;
    }
    // The rate we tried to buy: Shippo filters transactions by rate (`GET /transactions?rate=`), which
    // finds the purchase however many labels the account bought since.
    const params = known.rateId ? { rate: known.rateId, results: 100 } : { results: 100 };
    const res = await this.http.request<unknown>({ method: 'GET', url: '/transactions', params, operation: 'listTransactions' });
    for (const t of listResults(res.data, 'listTransactions')) {
      const tx = transactionObject(t, 'listTransactions');
      const r = txRateId(tx);
      if (r !== undefined && rateIds.has(r) && !out.some((o) => o.object_id === tx.object_id)) out.push(tx);
    }
    return out;
  }

  private toShipment(o: Obj, txs: Obj[]): RemoteShipment {
    const rates = (o.rates as unknown[]).filter(isObj).map(rate);
    const live = txs.find((t) => LIVE_TX.has(String(t.status ?? t.object_status)));
    const refunded = txs.find((t) => String(t.status) === 'REFUNDED');
    const tx = live ?? refunded;
    const txRate = tx ? txRateId(tx) : undefined;
    const sel = rates.find((r) => r.id === txRate);
    const messages = Array.isArray(o.messages) ? o.messages.filter(isObj).map((m) => `${s(m.source) ?? ''}: ${s(m.text) ?? ''}`) : [];
    return {
      id: s(o.object_id)!,
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

  private async readShipment(id: string): Promise<Obj> {
    const res = await this.http.request<unknown>({ method: 'GET', url: `/shipments/${encodeURIComponent(id)}`, operation: 'getShipment' });
    const o = shipmentObject(res.data, `getShipment ${id}`);
    if (o.object_id !== id) throw malformed(`getShipment ${id}`, `shipment ${String(o.object_id)}`);
    return o;
  }

  async getShipment(id: string, known: KnownPurchase = {}): Promise<RemoteShipment> {
    const o = await this.readShipment(id);
    return this.toShipment(o, await this.transactionsFor(o, known));
  }

  async findByReference(reference: string): Promise<RemoteShipment[]> {
    const res = await this.http.request<unknown>({ method: 'GET', url: '/shipments', params: { results: 100 }, operation: 'listShipments' });
    const mine = listResults(res.data, 'listShipments').map((o) => shipmentObject(o, 'listShipments')).filter((o) => o.metadata === reference);
    const out: RemoteShipment[] = [];
    for (const o of mine) out.push(this.toShipment(o, await this.transactionsFor(o, {})));
    return out;
  }

  async buy(shipmentId: string, rateId: string): Promise<RemoteShipment> {
    const what = `the purchase of rate ${rateId}`;
    const res = await this.http.request<unknown>({
      method: 'POST',
      url: '/transactions',
      data: { rate: rateId, label_file_type: 'PDF', async: false, metadata: shipmentId },
      acceptStatus: [400],
      operation: 'createTransaction',
    });
    if (res.status === 400) {
      const body = isObj(res.data) ? res.data : {};
      // "A transaction for this rate already exists": the label was bought before (an answer that got
      // lost); adopt it rather than buying again.
      const existing = Array.isArray(body.transaction) ? s(body.transaction[0]) : undefined;
      if (existing) return this.getShipment(shipmentId, { transactionId: existing });
      const detail = Object.entries(body).map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(' ') : String(v)}`).join('; ');
      throw new RemoteError(`shippo: the label purchase was refused (400): ${detail || 'no detail'}`, { service: 'shippo', status: 400 });
    }
    const tx = transactionObject(res.data, what);
    if (txRateId(tx) !== undefined && txRateId(tx) !== rateId) throw malformed(what, res.data);
    const status = String(tx.status);
    if (status === 'ERROR') {
      const msgs = Array.isArray(tx.messages) ? tx.messages.filter(isObj).map((m) => s(m.text)).filter(Boolean).join('; ') : '';
      throw new RemoteError(`shippo: the label purchase failed: ${msgs || 'status ERROR'}`, { service: 'shippo', status: 400, apiCode: 'TRANSACTION_ERROR' });
    }
    if (status === 'SUCCESS' && !s(tx.label_url)) throw malformed(what, res.data);
    return this.toShipment(await this.readShipment(shipmentId), [tx]);
  }

  async labelPdfUrl(sh: RemoteShipment): Promise<string> {
    const url = sh.labelPdfUrl ?? sh.labelUrl;
    if (!url) throw new RemoteError(`shippo: shipment ${sh.id} has no label yet`, { service: 'shippo', hints: ['Shippo is still making it: run `merchant ship label` again in a minute'] });
    return url;
  }

  download(url: string): Promise<Uint8Array> {
    return this.files.download(url);
  }

  async track(sh: RemoteShipment): Promise<Tracking> {
    const code = sh.trackingCode ?? '';
    const carrier = sh.selectedRate?.carrierToken;
    if (!carrier) {
      throw new RemoteError(`shippo: no Shippo carrier token is known for "${sh.selectedRate?.carrier ?? 'this label'}", so it cannot be tracked`, {
        service: 'shippo',
        hints: ['data/shippo-carriers.csv lists the carriers Shippo tracks; a carrier missing there cannot be tracked through Shippo'],
      });
    }
    const res = await this.http.request<unknown>({ method: 'GET', url: `/tracks/${encodeURIComponent(carrier)}/${encodeURIComponent(code)}`, operation: 'getTrack' });
    const data = res.data;
    if (!isObj(data) || !('tracking_status' in data)) throw malformed(`getTrack ${carrier} ${code}`, data);
    const status = isObj(data.tracking_status) ? data.tracking_status : {};
    const history = Array.isArray(data.tracking_history) ? data.tracking_history.filter(isObj) : [];
    return {
      trackingCode: code,
      status: (s(status.status) ?? 'UNKNOWN').toLowerCase(),
      ...(s(data.eta) ? { estDeliveryDate: s(data.eta) } : {}),
      events: history.map((h) => {
        const loc = isObj(h.location) ? [s(h.location.city), s(h.location.country)].filter(Boolean).join(', ') : '';
        return { at: s(h.status_date) ?? '', status: (s(h.status) ?? '').toLowerCase(), message: s(h.status_details) ?? '', ...(loc ? { location: loc } : {}) };
      }),
    };
  }

  async void(sh: RemoteShipment): Promise<{ status: string }> {
    const tx = sh.transactionId;
    if (!tx) throw new RemoteError(`shippo: no label transaction found for ${sh.id}`, { service: 'shippo' });
    const res = await this.http.request<unknown>({ method: 'POST', url: '/refunds', data: { transaction: tx, async: false }, operation: 'createRefund' });
    if (!isObj(res.data) || !s(res.data.status)) throw malformed(`createRefund ${tx}`, res.data);
    return { status: (s(res.data.status) ?? 'QUEUED').toLowerCase() };
  }
}
