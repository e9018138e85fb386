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
    const rate = ship.body.rates.find((r: { provider: string }) => r.provider === 'UPS');
    const tx = await call(`${S}/transactions`, { method: 'POST', headers: H, json: { rate: rate.object_id, label_file_type: 'PNG' } });
    expect((await call(tx.body.label_url)).headers.get('content-type')).toBe('image/png');
    expect(rate.provider).toBe('UPS');
    const path = `${S}/tracks/ups/${tx.body.tracking_number}`;
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
  it("tracking takes Shippo's carrier tokens: an unknown token is refused as Shippo refuses it; another carrier's token finds nothing", async () => {
    const { sb } = await harness();
    const S = sb.urls.shippo;
    const US = { name: 'Ann Lee', street1: '1 Pine St', city: 'Portland', state: 'OR', zip: '97204', country: 'US', phone: '+15035550100', email: 'ann@example.com' };
    const ship = await call(`${S}/shipments`, { method: 'POST', headers: H, json: { address_from: US, address_to: { ...US, name: 'Bo', city: 'Austin', state: 'TX', zip: '78701' }, parcels: [PARCEL] } });
    const fedex = ship.body.rates.find((r: { provider: string }) => r.provider === 'FedEx');
    expect(fedex.servicelevel.token).toBe('fedex_ground');
    const tx = await call(`${S}/transactions`, { method: 'POST', headers: H, json: { rate: fedex.object_id } });
    expect(tx.body.status).toBe('SUCCESS');
    expect(tx.body.rate).toBe(fedex.object_id); // Transaction.rate is the Rate's id
    for (const wrong of ['fed_ex', 'FedEx', 'x']) {
      const r = await call(`${S}/tracks/${encodeURIComponent(wrong)}/${tx.body.tracking_number}`, { headers: H });
      expect(r.status).toBe(400);
      expect(r.body).toEqual({ carrier: [`Invalid value specified for provider '${wrong}'`] });
    }
    const other = await call(`${S}/tracks/ups/${tx.body.tracking_number}`, { headers: H });
    expect(other.status).toBe(200);
    expect(other.body).toMatchObject({ tracking_status: { status: 'UNKNOWN' }, tracking_history: [] });
    const right = await call(`${S}/tracks/fedex/${tx.body.tracking_number}`, { headers: H });
    expect(right.body).toMatchObject({ carrier: 'fedex', transaction: tx.body.object_id, tracking_status: { status: 'PRE_TRANSIT' } });
    // Evri's token is its former name; DHL eCommerce is its own carrier, not DHL Express.
    const gb = await call(`${S}/shipments`, { method: 'POST', headers: H, json: { address_from: { ...TO, phone: '+441904000000' }, address_to: { ...TO, name: 'Amy', city: 'Leeds', zip: 'LS1 1AA' }, parcels: [PARCEL] } });
    expect(gb.body.rates.find((r: { provider: string }) => r.provider === 'Evri UK').servicelevel.token).toMatch(/^hermes_uk_/);
    const intl = await call(`${S}/shipments`, { method: 'POST', headers: H, json: { address_from: US, address_to: TO, parcels: [PARCEL] } });
    expect(intl.body.rates.find((r: { provider: string }) => r.provider === 'DHL eCommerce').servicelevel.token).toMatch(/^dhl_ecommerce_/);
    // The test carrier works with the SHIPPO_* numbers only.
    expect((await call(`${S}/tracks/shippo/SHIPPO_TRANSIT`, { headers: H })).body.tracking_status.status).toBe('TRANSIT');
    expect((await call(`${S}/tracks/shippo/${tx.body.tracking_number}`, { headers: H })).body.tracking_status.status).toBe('UNKNOWN');
  });

  it('label files come from a signed S3 URL on another host; an Authorization header there gets S3\'s 400; unsigned, tampered or expired URLs get 403', async () => {
    const { sb, clock } = await harness();
    const S = sb.urls.shippo;
    const ship = await call(`${S}/shipments`, { method: 'POST', headers: H, json: { address_from: FROM, address_to: TO, parcels: [PARCEL], customs_declaration: DECL } });
    const tx = await call(`${S}/transactions`, { method: 'POST', headers: H, json: { rate: ship.body.rates[0].object_id, label_file_type: 'PDF_4x6' } });
    const url = new URL(tx.body.label_url);
    expect(url.pathname).toMatch(/^\/s3\/shippo-delivery\/[0-9a-f]{32}\.pdf$/);
    expect([...url.searchParams.keys()].sort()).toEqual(['AWSAccessKeyId', 'Expires', 'Signature']);
    expect((await call(url.href)).raw.subarray(0, 5).toString()).toBe('%PDF-');

    const withKey = await call(url.href, { headers: H });
    expect(withKey.status).toBe(400);
    expect(withKey.headers.get('content-type')).toBe('application/xml');
    expect(withKey.text).toMatch(/<Code>InvalidArgument<\/Code><Message>Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified<\/Message><ArgumentName>Authorization<\/ArgumentName>/);
    expect((sb.state() as { apis: { s3: { authorizationRefused: Array<{ bucket: string; scheme: string }> } } }).apis.s3.authorizationRefused).toEqual([expect.objectContaining({ bucket: 'shippo-delivery', scheme: 'ShippoToken' })]);

    const unsigned = await call(`${url.origin}${url.pathname}`);
    expect(unsigned.status).toBe(403);
    expect(unsigned.text).toContain('<Code>AccessDenied</Code>');
    const tampered = new URL(url.href);
    tampered.searchParams.set('Expires', String(Number(tampered.searchParams.get('Expires')) + 3600));
    expect((await call(tampered.href)).text).toContain('<Code>SignatureDoesNotMatch</Code>');
    clock.advance(2 * 3_600_000);
    const expired = await call(url.href);
    expect(expired.status).toBe(403);
    expect(expired.text).toContain('<Message>Request has expired</Message>');
    // Reading the transaction again signs the URL afresh.
    const again = await call(`${S}/transactions/${tx.body.object_id}`, { headers: H });
    expect((await call(again.body.label_url)).status).toBe(200);
  });

  it('customs items are line totals: goods heavier than the parcel, or a US export line above USD 2,500 under NOEEI 30.37(a), fail at purchase', async () => {
    const { sb } = await harness();
    const S = sb.urls.shippo;
    const heavy = await call(`${S}/shipments`, { method: 'POST', headers: H, json: { address_from: FROM, address_to: TO, parcels: [{ ...PARCEL, weight: '600' }], customs_declaration: DECL } });
    const t1 = await call(`${S}/transactions`, { method: 'POST', headers: H, json: { rate: heavy.body.rates[0].object_id } });
    expect(t1.body.status).toBe('ERROR');
    expect(t1.body.messages.map((m: { code: string }) => m.code)).toEqual(['customs_weight_exceeds_parcel']);
    const US = { name: 'Ann Lee', street1: '1 Pine St', city: 'Portland', state: 'OR', zip: '97204', country: 'US', phone: '+15035550100', email: 'ann@example.com' };
    const line = { ...DECL.items[0], quantity: 2, value_amount: '3000.00', value_currency: 'USD', net_weight: '640', origin_country: 'US' };
    const big = await call(`${S}/shipments`, { method: 'POST', headers: H, json: { address_from: US, address_to: TO, parcels: [PARCEL], customs_declaration: { ...DECL, exporter_identification: undefined, items: [line] } } });
    const t2 = await call(`${S}/transactions`, { method: 'POST', headers: H, json: { rate: big.body.rates[0].object_id } });
    expect(t2.body.messages.map((m: { code: string }) => m.code)).toEqual(['aes_itn_required']);
    // The same goods declared as two lines of USD 1,250 under other tariff numbers are fine; so is an AES ITN.
    const split = await call(`${S}/shipments`, { method: 'POST', headers: H, json: { address_from: US, address_to: TO, parcels: [PARCEL], customs_declaration: { ...DECL, exporter_identification: undefined, items: [{ ...line, quantity: 1, value_amount: '1250.00', net_weight: '320' }, { ...line, quantity: 1, value_amount: '1250.00', net_weight: '320', tariff_number: '691390' }] } } });
    expect((await call(`${S}/transactions`, { method: 'POST', headers: H, json: { rate: split.body.rates[0].object_id } })).body.status).toBe('SUCCESS');
    const itn = await call(`${S}/shipments`, { method: 'POST', headers: H, json: { address_from: US, address_to: TO, parcels: [PARCEL], customs_declaration: { ...DECL, exporter_identification: undefined, eel_pfc: 'AES_ITN', aes_itn: 'X20260702123456', items: [line] } } });
    expect((await call(`${S}/transactions`, { method: 'POST', headers: H, json: { rate: itn.body.rates[0].object_id } })).body.status).toBe('SUCCESS');
  });
});
