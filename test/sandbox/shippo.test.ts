import { describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import { call, harness } from './helpers.js';
import { SANDBOX_CREDENTIALS } from '../../src/sandbox/credentials.js';

const H = { authorization: `ShippoToken ${SANDBOX_CREDENTIALS.shippo.apiKey}` };

// Shippo object shapes (OpenAPI in the Shippo SDKs; shipping-customs.md §1.2).
const ajv = new Ajv({ strict: false, allErrors: true });
const rateSchema = { type: 'object', required: ['object_id', 'amount', 'currency', 'amount_local', 'currency_local', 'provider', 'servicelevel', 'estimated_days', 'attributes', 'carrier_account', 'shipment', 'messages', 'test'], properties: { amount: { type: 'string', pattern: '^\\d+\\.\\d{2}$' }, servicelevel: { type: 'object', required: ['name', 'token'] }, attributes: { type: 'array', items: { enum: ['CHEAPEST', 'FASTEST', 'BESTVALUE'] } } } };
const validShipment = ajv.compile({ type: 'object', required: ['object_id', 'status', 'address_from', 'address_to', 'parcels', 'rates', 'messages', 'customs_declaration', 'test'], properties: { status: { enum: ['WAITING', 'QUEUED', 'SUCCESS', 'ERROR'] }, rates: { type: 'array', items: rateSchema }, parcels: { type: 'array', items: { type: 'object', required: ['object_id', 'length', 'width', 'height', 'distance_unit', 'weight', 'mass_unit'] } } } });
const validTx = ajv.compile({ type: 'object', required: ['object_id', 'object_state', 'status', 'rate', 'tracking_number', 'tracking_status', 'tracking_url_provider', 'label_url', 'commercial_invoice_url', 'eta', 'messages', 'test'], properties: { status: { enum: ['WAITING', 'QUEUED', 'SUCCESS', 'ERROR', 'REFUNDED', 'REFUNDPENDING', 'REFUNDREJECTED'] } } });
const validTrack = ajv.compile({ type: 'object', required: ['carrier', 'tracking_number', 'tracking_status', 'tracking_history', 'eta'], properties: { tracking_status: { type: ['object', 'null'], properties: { status: { enum: ['PRE_TRANSIT', 'TRANSIT', 'DELIVERED', 'RETURNED', 'FAILURE', 'UNKNOWN'] } } } } });

const FROM = { name: 'Karin Lindqvist', company: 'Lindqvist Keramik AB', street1: 'Drottninggatan 1', city: 'Stockholm', zip: '111 51', country: 'SE', phone: '+46 8 123 456', email: 'ship@lindqvist.example' };
const TO = { name: 'Oliver Smith', street1: '14 Church Lane', city: 'York', zip: 'YO1 7HH', country: 'GB', email: 'o@example.co.uk' };
const PARCEL = { length: '20', width: '15', height: '10', distance_unit: 'cm', weight: '700', mass_unit: 'g' };
const DECL = { certify: true, certify_signer: 'Karin Lindqvist', contents_type: 'MERCHANDISE', non_delivery_option: 'RETURN', incoterm: 'DDU', eel_pfc: 'NOEEI_30_37_a', exporter_identification: { eori_number: 'SE5566778899', tax_id: { number: 'GB123456789', type: 'VAT' } }, items: [{ description: 'Stoneware mug', quantity: 2, net_weight: '640', mass_unit: 'g', value_amount: '29.98', value_currency: 'GBP', origin_country: 'SE', tariff_number: '691200' }] };

describe('Shippo emulator', () => {
  it('ShippoToken auth with DRF-style 401 bodies', async () => {
    const { sb } = await harness();
    expect((await call(`${sb.urls.shippo}/shipments/x`)).body).toEqual({ detail: 'Authentication credentials were not provided.' });
    const bad = await call(`${sb.urls.shippo}/shipments/x`, { headers: { authorization: 'ShippoToken shippo_test_nope' } });
    expect(bad.status).toBe(401);
    expect(bad.body).toEqual({ detail: 'Token does not exist' });
  });

  it('shipment with customs → rates in the sender currency → transaction → PDF label and invoice → tracking → refund', async () => {
    const { sb, clock } = await harness();
    const S = sb.urls.shippo;
    const ship = await call(`${S}/shipments`, { method: 'POST', headers: H, json: { address_from: FROM, address_to: TO, parcels: [PARCEL], customs_declaration: DECL } });
    expect(ship.status).toBe(201);
    expect(validShipment(ship.body), JSON.stringify(validShipment.errors)).toBe(true);
    expect(ship.body.rates.every((r: { currency: string }) => r.currency === 'EUR')).toBe(true);
    expect(ship.body.rates.some((r: { attributes: string[] }) => r.attributes.includes('CHEAPEST'))).toBe(true);
    const decl = await call(`${S}/customs/declarations/${ship.body.customs_declaration}`, { headers: H });
    expect(decl.body).toMatchObject({ contents_type: 'MERCHANDISE', incoterm: 'DDU', certify: true });
    const rate = ship.body.rates.find((r: { attributes: string[] }) => r.attributes.includes('CHEAPEST'));
    const tx = await call(`${S}/transactions`, { method: 'POST', headers: H, json: { rate: rate.object_id, label_file_type: 'PDF_4x6', async: false } });
    expect(tx.status).toBe(201);
    expect(validTx(tx.body), JSON.stringify(validTx.errors)).toBe(true);
    expect(tx.body).toMatchObject({ status: 'SUCCESS', tracking_status: 'PRE_TRANSIT', messages: [] });
    const pdf = await call(tx.body.label_url);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.raw.toString('latin1')).toContain(tx.body.tracking_number);
    const inv = await call(tx.body.commercial_invoice_url);
    expect(inv.raw.toString('latin1')).toMatch(/^%PDF-1\.4[\s\S]*COMMERCIAL INVOICE[\s\S]*691200/);
    const dup = await call(`${S}/transactions`, { method: 'POST', headers: H, json: { rate: rate.object_id } });
    expect(dup.status).toBe(400);

    const carrier = rate.provider === 'Deutsche Post' ? 'deutsche_post' : rate.provider === 'DHL Express' ? 'dhl_express' : rate.provider.toLowerCase();
    const t0 = await call(`${S}/tracks/${carrier}/${tx.body.tracking_number}`, { headers: H });
    expect(validTrack(t0.body), JSON.stringify(validTrack.errors)).toBe(true);
    expect(t0.body.tracking_status.status).toBe('PRE_TRANSIT');
    const rf = await call(`${S}/refunds`, { method: 'POST', headers: H, json: { transaction: tx.body.object_id } });
    expect(rf.status).toBe(201);
    expect(rf.body.status).toBe('QUEUED');
    expect((await call(`${S}/transactions/${tx.body.object_id}`, { headers: H })).body.status).toBe('REFUNDPENDING');
    clock.advance(86_400_000);
    expect((await call(`${S}/refunds/${rf.body.object_id}`, { headers: H })).body.status).toBe('SUCCESS');
    expect((await call(`${S}/transactions/${tx.body.object_id}`, { headers: H })).body.status).toBe('REFUNDED');
  });

  it('tracking progresses with the clock; SHIPPO_* test numbers have fixed statuses', async () => {
    const { sb, clock } = await harness();
    const S = sb.urls.shippo;
    const ship = await call(`${S}/shipments`, { method: 'POST', headers: H, json: { address_from: FROM, address_to: { ...TO, country: 'SE', city: 'Uppsala', zip: '753 20' }, parcels: [PARCEL] } });
    const rate = ship.body.rates[0];
    const tx = await call(`${S}/transactions`, { method: 'POST', headers: H, json: { rate: rate.object_id, label_file_type: 'PNG' } });
    expect((await call(tx.body.label_url)).headers.get('content-type')).toBe('image/png');
    const path = `${S}/tracks/x/${tx.body.tracking_number}`;
    clock.advance(13 * 3_600_000);
    const mid = await call(path, { headers: H });
    expect(mid.body.tracking_status.status).toBe('TRANSIT');
    expect(mid.body.tracking_history).toHaveLength(3);
    clock.advance(30 * 86_400_000);
    expect((await call(path, { headers: H })).body.tracking_status.status).toBe('DELIVERED');
    expect((await call(`${S}/transactions/${tx.body.object_id}`, { headers: H })).body.tracking_status).toBe('DELIVERED');
    const late = await call(`${S}/refunds`, { method: 'POST', headers: H, json: { transaction: tx.body.object_id } });
    expect(late.status).toBe(400);
    const test = await call(`${S}/tracks`, { method: 'POST', headers: H, json: { carrier: 'shippo', tracking_number: 'SHIPPO_DELIVERED' } });
    expect(test.body.tracking_status.status).toBe('DELIVERED');
  });

  it('validates like Shippo: field errors, enums in upper case, purchase-time customs failures, async purchase, rate expiry', async () => {
    const { sb, clock } = await harness();
    const S = sb.urls.shippo;
    const missing = await call(`${S}/shipments`, { method: 'POST', headers: H, json: { address_from: FROM, address_to: TO } });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ parcels: ['This field is required.'] });
    const lower = await call(`${S}/customs/declarations`, { method: 'POST', headers: H, json: { ...DECL, contents_type: 'merchandise' } });
    expect(lower.body).toEqual({ contents_type: ['"merchandise" is not a valid choice.'] });
    const item = await call(`${S}/customs/items`, { method: 'POST', headers: H, json: { ...DECL.items[0], net_weight: 640, mass_unit: 'grams' } });
    expect(item.body).toEqual({ mass_unit: ['"grams" is not a valid choice.'] });
    const aes = await call(`${S}/customs/declarations`, { method: 'POST', headers: H, json: { ...DECL, eel_pfc: 'AES_ITN' } });
    expect(Object.keys(aes.body)).toEqual(['aes_itn']);

    // International without a declaration: rates come back, the purchase fails with messages.
    const noDecl = await call(`${S}/shipments`, { method: 'POST', headers: H, json: { address_from: FROM, address_to: TO, parcels: [PARCEL] } });
    expect(noDecl.body.messages[0].code).toBe('customs_declaration_required');
    const failed = await call(`${S}/transactions`, { method: 'POST', headers: H, json: { rate: noDecl.body.rates[0].object_id } });
    expect(failed.body.status).toBe('ERROR');
    expect(failed.body.messages[0].text).toMatch(/Customs declaration is required/);
    const noHs = await call(`${S}/shipments`, { method: 'POST', headers: H, json: { address_from: FROM, address_to: TO, parcels: [PARCEL], customs_declaration: { ...DECL, items: [{ ...DECL.items[0], tariff_number: undefined }] } } });
    const f2 = await call(`${S}/transactions`, { method: 'POST', headers: H, json: { rate: noHs.body.rates[0].object_id } });
    expect(f2.body.messages.map((m: { code: string }) => m.code)).toEqual(['tariff_number_required']);

    const ok = await call(`${S}/shipments`, { method: 'POST', headers: H, json: { address_from: FROM, address_to: TO, parcels: [PARCEL], customs_declaration: DECL } });
    const queued = await call(`${S}/transactions`, { method: 'POST', headers: H, json: { rate: ok.body.rates[0].object_id, async: true } });
    expect(queued.body.status).toBe('QUEUED');
    expect(queued.body.label_url).toBe('');
    clock.advance(2000);
    const done = await call(`${S}/transactions/${queued.body.object_id}`, { headers: H });
    expect(done.body.status).toBe('SUCCESS');
    expect(done.body.label_url).toMatch(/^http/);

    const old = await call(`${S}/shipments`, { method: 'POST', headers: H, json: { address_from: FROM, address_to: TO, parcels: [PARCEL], customs_declaration: DECL } });
    clock.advance(8 * 86_400_000);
    const expired = await call(`${S}/transactions`, { method: 'POST', headers: H, json: { rate: old.body.rates[0].object_id } });
    expect(expired.body.messages[0].code).toBe('rate_expired');
  });

  it('test-mode rate limit: 10 list calls per minute, then 429 with X-RateLimit-Reset; a lost purchase is still made', async () => {
    const { sb, clock } = await harness();
    const S = sb.urls.shippo;
    for (let i = 0; i < 10; i++) expect((await call(`${S}/shipments`, { headers: H })).status).toBe(200);
    const over = await call(`${S}/shipments`, { headers: H });
    expect(over.status).toBe(429);
    expect(over.headers.get('x-ratelimit-reset')).toMatch(/^\d+$/);
    expect(over.body.detail).toMatch(/throttled/);
    clock.advance(6000);
    expect((await call(`${S}/shipments`, { headers: H })).status).toBe(200);

    const ship = await call(`${S}/shipments`, { method: 'POST', headers: H, json: { address_from: FROM, address_to: TO, parcels: [PARCEL], customs_declaration: DECL } });
    sb.scriptFaults([{ match: 'POST /shippo/transactions', fault: 'lost' }]);
    await expect(call(`${S}/transactions`, { method: 'POST', headers: H, json: { rate: ship.body.rates[0].object_id } })).rejects.toThrow();
    const retry = await call(`${S}/transactions`, { method: 'POST', headers: H, json: { rate: ship.body.rates[0].object_id } });
    expect(retry.status).toBe(400);
    expect(retry.body.rate[0]).toMatch(/already exists/);
  });
});
