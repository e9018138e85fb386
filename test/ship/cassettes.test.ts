// The EasyPost adapter against EasyPost's own recorded traffic (HAR cassettes of easypost-node, test mode,
// 2024-07-30; fixtures/easypost-cassettes, MIT). The adapter's requests must match the recorded ones in
// method, path, query and body shape; the recorded answers must read into the results written out below
// by hand from the recordings.
import { afterEach, describe, expect, it } from 'vitest';
import { EasyPostCarrier } from '../../src/adapters/carriers/easypost/index.js';
import { httpFactory } from '../../src/adapters/http/factory.js';
import { checkCustoms } from '../../src/core/customs/engine.js';
import type { CreateShipmentRequest } from '../../src/ports/carrier.js';
import { definiteRefusal } from '../../src/services/ship/book.js';
import { item, parcel, tableFx } from '../customs/helpers.js';
import { loadCassette, Player, requestShapeProblems, shape, union, type Interaction } from './cassette.js';

const SHIP = 'Shipment-Service_2987889512';
const KEY = 'EZTKcassettereplay000000'; // the recordings carry no key; any test key is accepted by the player
const factory = httpFactory({ timeoutMs: 5000, retries: 0, backoffScale: 0 });

const players: Player[] = [];
afterEach(async () => {
  while (players.length) await players.pop()!.stop();
});

async function replay(...interactions: Interaction[]): Promise<{ player: Player; carrier: EasyPostCarrier }> {
  const player = await new Player(interactions).start();
  players.push(player);
  return { player, carrier: new EasyPostCarrier(factory, { apiKey: KEY, baseURL: player.url }) };
}

const usd = (minor: bigint) => ({ minor, currency: 'USD' });

/** A shipment with a customs declaration, as merchant builds it (line totals, ounces, tax ids). */
function ourShipment(): CreateShipmentRequest {
  const input = parcel({ from: { country: 'US' }, to: { country: 'GB' }, date: '2026-07-02', currency: 'USD', items: [item({ description: 'Stoneware mug', value: '24.90', currency: 'USD', quantity: 2, unitWeightGrams: 420, hsCode: '691200', sku: 'MUG-BLU-S' })] });
  return {
    reference: 'O1--1042',
    from: { name: 'Ann Lee', company: 'Lee Ceramics LLC', street1: '1 Pine St', city: 'Portland', state: 'OR', postalCode: '97204', country: 'US', phone: '+15035550100', email: 'ann@example.com' },
    to: { name: 'Jane Doe', street1: '1 High St', city: 'York', postalCode: 'YO1 7HH', country: 'GB', phone: '+441904000000', email: 'jane@example.co.uk' },
    parcel: { weightGrams: 900, lengthMm: 200, widthMm: 150, heightMm: 100 },
    customs: { input, result: checkCustoms(input, tableFx()), signer: 'Ann Lee' },
  };
}

describe('EasyPost adapter replayed against easypost-node cassettes', () => {
  it('createShipment: POST /v2/shipments with the recorded body shape (customs, tax identifiers); the recorded answer reads as a quoted shipment', async () => {
    const created = loadCassette(`${SHIP}/creates-a-shipment_2399399653`);
    const withTax = loadCassette(`${SHIP}/creates-a-shipment-with-tax_identifiers_2190110005`);
    const { player, carrier } = await replay(created[0]!);
    const req = ourShipment();
    const got = await carrier.createShipment(req);

    expect(player.unmatched).toEqual([]);
    expect(player.sent.map((q) => [q.method, q.path])).toEqual([['POST', '/v2/shipments']]);
    expect(player.sent[0]!.headers.authorization).toBe(`Basic ${Buffer.from(`${KEY}:`).toString('base64')}`);
    const recorded = union(shape(created[0]!.body), shape(withTax[0]!.body));
    const echoed = shape({ shipment: created[0]!.response });
    // Optional fields we leave out when empty: contents_explanation (needed for contents_type "other" only;
    // the recording sends ""), a second street line, a state outside the countries that have them.
    expect(requestShapeProblems(player.sent[0]!.body, recorded, echoed, ['shipment.customs_info.contents_explanation', 'shipment.from_address.street2', 'shipment.to_address.state'])).toEqual([]);
    const body = player.sent[0]!.body as { shipment: { customs_info: { customs_items: Array<Record<string, unknown>> }; tax_identifiers: unknown[]; reference: string; options: Record<string, unknown> } };
    expect(body.shipment.customs_info.customs_items[0]).toMatchObject({ quantity: 2, value: '49.80', weight: 29.63 });
    expect(body.shipment).toMatchObject({ reference: 'O1--1042', options: { label_format: 'PDF', invoice_number: 'O1--1042' } });

    expect(got).toEqual({
      id: 'shp_eb44b23e83a44682b0b13881b61682c8',
      reference: '123',
      purchased: false,
      rates: [
        { id: 'rate_0f86f26146df40d884d02a84ed36e31d', carrier: 'USPS', service: 'Express', amount: usd(3310n), deliveryDays: 2 },
        { id: 'rate_5e64eb8208734f9f9eb24418de5cb4fe', carrier: 'USPS', service: 'Priority', amount: usd(690n), deliveryDays: 2 },
        { id: 'rate_440371076f8c429381dc82df7b078b48', carrier: 'USPS', service: 'GroundAdvantage', amount: usd(593n), deliveryDays: 3 },
      ],
      forms: [],
      messages: [],
    });
  });

  it('our customs_info and customs_items have the shapes EasyPost recorded for its own customs objects', async () => {
    const info = loadCassette('CustomsInfo-Service_3680532552/creates-a-customs-info_377615867')[0]!;
    const itemRec = loadCassette('CustomsItem-Service_1926184595/creates-a-customs-item_3109926696')[0]!;
    const { player, carrier } = await replay(loadCassette(`${SHIP}/creates-a-shipment_2399399653`)[0]!);
    await carrier.createShipment(ourShipment());
    const sent = (player.sent[0]!.body as { shipment: { customs_info: Record<string, unknown> } }).shipment.customs_info;
    expect(requestShapeProblems({ customs_info: sent }, shape(info.body), shape({ customs_info: info.response }), ['customs_info.contents_explanation'])).toEqual([]);
    const one = (sent.customs_items as unknown[])[0];
    expect(requestShapeProblems({ customs_item: one }, shape(itemRec.body), shape({ customs_item: itemRec.response }))).toEqual([]);
  });

  it('buy: the recorded request exactly; the recorded answer reads as the purchased shipment with its label, tracker and selected rate', async () => {
    const rec = loadCassette(`${SHIP}/buys-a-shipment_3413405727`)[1]!;
    const { player, carrier } = await replay(rec);
    const got = await carrier.buy('shp_c19ef39504854bdeb0647fe46d9aa6ae', 'rate_1417b8ba15e0420287f0249d36bb0ef6');
    expect(player.sent.map((q) => [q.method, q.path, q.body])).toEqual([[rec.method, rec.path, rec.body]]);
    expect(got).toEqual({
      id: 'shp_c19ef39504854bdeb0647fe46d9aa6ae',
      reference: '123',
      purchased: true,
      trackingCode: '9400100110368068953228',
      selectedRate: { id: 'rate_1417b8ba15e0420287f0249d36bb0ef6', carrier: 'USPS', service: 'GroundAdvantage', amount: usd(593n), deliveryDays: 3 },
      labelUrl: 'https://easypost-files.s3.us-west-2.amazonaws.com/files/postage_label/20240730/e80af044eacbb34c648540530560435ed0.png',
      trackerId: 'trk_19ed3cce156c4fd6a6d02eb268efcd6d',
      rates: [
        { id: 'rate_2baae5495eb74855bdeaeaff9d621960', carrier: 'USPS', service: 'Express', amount: usd(3310n), deliveryDays: 2 },
        { id: 'rate_fc2b0e59d8684eb5a5df11fb231fd460', carrier: 'USPS', service: 'Priority', amount: usd(690n), deliveryDays: 2 },
        { id: 'rate_1417b8ba15e0420287f0249d36bb0ef6', carrier: 'USPS', service: 'GroundAdvantage', amount: usd(593n), deliveryDays: 3 },
      ],
      forms: [],
      messages: [],
    });
  });

  it("buy: the recorded answer for another shipment is not this purchase (unknown outcome, not 'booked')", async () => {
    const rec = loadCassette(`${SHIP}/buys-a-shipment_3413405727`)[1]!;
    const { carrier } = await replay({ ...rec, path: '/v2/shipments/shp_00000000000000000000000000000000/buy' });
    const e = await carrier.buy('shp_00000000000000000000000000000000', 'rate_1417b8ba15e0420287f0249d36bb0ef6').catch((x: unknown) => x);
    expect(e).toMatchObject({ apiCode: 'MALFORMED_REPLY' });
    expect(definiteRefusal(e)).toBe(false);
  });

  it('getShipment: GET /v2/shipments/{id}; the recorded answer reads as the unpurchased shipment', async () => {
    const rec = loadCassette(`${SHIP}/retrieves-a-shipment_1463360065`)[1]!;
    const { player, carrier } = await replay(rec);
    const got = await carrier.getShipment('shp_cfbf8e2ec1cb4c28b35a1cf5b8b01f29');
    expect(player.sent.map((q) => [q.method, q.path, q.query])).toEqual([[rec.method, rec.path, rec.query]]);
    expect(got).toMatchObject({ id: 'shp_cfbf8e2ec1cb4c28b35a1cf5b8b01f29', reference: '123', purchased: false, forms: [], messages: [] });
    expect(got.rates.map((r) => [r.service, r.amount.minor, r.deliveryDays])).toEqual([['Express', 3310n, 2], ['Priority', 690n, 2], ['GroundAdvantage', 593n, 3]]);
  });

  it("findByReference pages the shipment list with before_id = the last id of the page, as EasyPost's own client does", async () => {
    const [p1, p2] = loadCassette(`${SHIP}/retrieves-next-page-of-shipments_3501818668`);
    const { player, carrier } = await replay(p1!, p2!);
    // Both recorded pages say has_more: the adapter asks for a third page, which was never recorded.
    await expect(carrier.findByReference('O1--1042')).rejects.toThrow(/listShipments → HTTP 404/);
    expect(player.sent.slice(0, 2).map((q) => [q.method, q.path, Object.keys(q.query).sort()])).toEqual([
      ['GET', '/v2/shipments', ['page_size']],
      ['GET', '/v2/shipments', ['before_id', 'page_size']],
    ]);
    expect(player.sent[1]!.query.before_id).toBe(p2!.query.before_id);
    expect(player.sent[2]!.query.before_id).toBe('shp_499f5b36e2a84856b033be9837cbd4e9');
    expect(Number(player.sent[0]!.query.page_size)).toBeLessThanOrEqual(100);
  });

  it('labelPdfUrl: GET /v2/shipments/{id}/label?file_format=; an answer without the PDF link is an error, never the PNG or ZPL link', async () => {
    const rec = loadCassette(`${SHIP}/converts-the-label-format-of-a-shipment_4034441427`)[2]!; // asked for ZPL
    const { player, carrier } = await replay(rec);
    const sh = { id: 'shp_d7aa1bf4171041609ad0a4f2e97e2d26', rates: [], purchased: true, forms: [], messages: [], labelUrl: 'https://easypost-files.s3.us-west-2.amazonaws.com/files/postage_label/20240730/e8f897e7f24bde4b78a9d48ab7cb24be13.png' };
    await expect(carrier.labelPdfUrl(sh)).rejects.toThrow(/no PDF label/);
    expect(player.sent.map((q) => [q.method, q.path, Object.keys(q.query)])).toEqual([[rec.method, rec.path, Object.keys(rec.query)]]);
    expect(player.sent[0]!.query.file_format).toBe('PDF');
  });

  it('void: POST /v2/shipments/{id}/refund with {}; the recorded answer reads as submitted', async () => {
    const rec = loadCassette(`${SHIP}/refunds-a-shipment_2011747091`)[1]!;
    const { player, carrier } = await replay(rec);
    const got = await carrier.void({ id: 'shp_7800715831eb412a8376c0733f6a7974', rates: [], purchased: true, forms: [], messages: [] });
    expect(player.sent.map((q) => [q.method, q.path, q.body])).toEqual([[rec.method, rec.path, rec.body]]);
    expect(got).toEqual({ status: 'submitted' });
  });

  it("track: the label's tracker by id (GET /v2/trackers/{id}); the recorded answer reads as its status and events", async () => {
    const rec = loadCassette('Tracker-Service_4233073632/retrieves-a-tracker_1615216565')[1]!;
    const { player, carrier } = await replay(rec);
    const got = await carrier.track({ id: 'shp_x', rates: [], purchased: true, forms: [], messages: [], trackingCode: 'EZ1000000001', trackerId: 'trk_8b5833c2c3e6428ab09a48a31c1a9071' });
    expect(player.sent.map((q) => [q.method, q.path])).toEqual([[rec.method, rec.path]]);
    expect(got).toEqual({
      trackingCode: 'EZ1000000001',
      status: 'pre_transit',
      publicUrl: 'https://track.easypost.com/djE6dHJrXzhiNTgzM2MyYzNlNjQyOGFiMDlhNDhhMzFjMWE5MDcx',
      estDeliveryDate: '2024-07-30T16:06:32Z',
      events: [
        { at: '2024-06-30T16:06:32Z', status: 'pre_transit', message: 'Pre-Shipment Info Sent to USPS' },
        { at: '2024-07-01T04:43:32Z', status: 'pre_transit', message: 'Shipping Label Created', location: 'HOUSTON, TX' },
      ],
    });
  });

  it('track: a code without a tracker gets one (POST /v2/trackers with the recorded shape)', async () => {
    const rec = loadCassette('Tracker-Service_4233073632/creates-a-tracker_1417034065')[0]!;
    const { player, carrier } = await replay(rec);
    const got = await carrier.track({ id: 'shp_x', rates: [], purchased: true, forms: [], messages: [], trackingCode: 'EZ1000000001', selectedRate: { id: 'rate_x', carrier: 'USPS', service: 'First', amount: usd(100n) } });
    expect(player.sent.map((q) => [q.method, q.path])).toEqual([[rec.method, rec.path]]);
    expect(requestShapeProblems(player.sent[0]!.body, shape(rec.body), shape({ tracker: rec.response }))).toEqual([]);
    expect(got).toMatchObject({ trackingCode: 'EZ1000000001', status: 'pre_transit', events: [expect.anything(), expect.anything()] });
  });

  it("an error answer reads as EasyPost's code and message, and is a definite refusal", async () => {
    const rec = loadCassette('Error-Service_386538342/pulls-out-error-properties-of-an-API-error_2733221812')[0]!;
    const { carrier } = await replay(rec);
    const e = await carrier.createShipment(ourShipment()).catch((x: unknown) => x);
    expect(e).toMatchObject({ status: 422, apiCode: 'PARAMETER.REQUIRED', apiMessage: 'Missing required parameter.' });
    expect(definiteRefusal(e)).toBe(true);
  });
});
