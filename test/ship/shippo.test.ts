// The same guarantees through Shippo: its own wire format, and one label whatever fails.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { run, spawnBin, tempDir } from '../helpers/run.js';
import { openStore } from '../../src/store/db.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { ENV, purchasesInLog, shipment, useSandbox } from './helpers.js';

const sandbox = useSandbox();
type Obj = Record<string, unknown>;

type ShippoState = { apis: { shippo?: { accounts: Record<string, { shipments: Record<string, Obj>; rates: Record<string, Obj>; transactions: Record<string, Obj>; declarations: Record<string, Obj>; items: Record<string, Obj> }> } } };

/** Labels the sandbox has sold (transactions SUCCESS or QUEUED), for one reference or (no reference) in all. */
function shippoLabels(sb: Sandbox, reference?: string): number {
  const st = sb.state() as ShippoState;
  let n = 0;
  for (const a of Object.values(st.apis.shippo?.accounts ?? {})) {
    for (const tx of Object.values(a.transactions)) {
      const sh = a.shipments[String(a.rates[String(tx.rate)]?.shipment)];
      if ((reference === undefined || sh?.metadata === reference) && (tx.status === 'SUCCESS' || tx.status === 'QUEUED')) n++;
    }
  }
  return n;
}

/** The customs items the sandbox holds for a reference's shipment. */
function declaredItems(sb: Sandbox, reference: string): Obj[] {
  const st = sb.state() as ShippoState;
  for (const a of Object.values(st.apis.shippo?.accounts ?? {})) {
    for (const sh of Object.values(a.shipments)) {
      if (sh.metadata !== reference || !sh.customs_declaration) continue;
      return (a.declarations[String(sh.customs_declaration)]!.items as string[]).map((id) => a.items[id]!);
    }
  }
  return [];
}

async function shippoHome(sb: Sandbox, doc: Obj): Promise<{ home: string; file: string }> {
  const h = tempDir();
  const store = openStore(join(h, 'merchant.db'));
  const ins = store.db.prepare("INSERT INTO fx_rates (source, rate_date, base, quote, rate, fetched_at) VALUES ('ecb', '2026-06-30', 'EUR', ?, ?, '2026-06-30T16:00:00Z')");
  for (const [q, r] of Object.entries({ USD: '1.08', GBP: '0.85', CNY: '7.8', JPY: '160' })) ins.run(q, r);
  store.close();
  const c = await run(['carrier', 'connect', 'shippo', '--sandbox', sb.url], { home: h, env: ENV });
  if (c.code !== 0) throw new Error(c.stderr);
  const file = join(h, 'shipment.json');
  writeFileSync(file, JSON.stringify(doc));
  return { home: h, file };
}

describe('ship book through Shippo (sandbox)', () => {
  it('books with line totals (quantity × unit value and weight), upper-case enums and the reference in metadata; a re-run buys nothing', async () => {
    const sb = sandbox();
    const { home: h, file } = await shippoHome(sb, shipment({ reference: 'SH-1' }));
    const r = await run(['ship', 'book', '--yes', '--file', file, '--cheapest', '--json'], { home: h, env: ENV });
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ reference: 'SH-1', state: 'purchased' });
    expect(doc.labelPath).toBe(join(h, 'labels', 'SH-1.pdf'));
    const create = sb.requests().find((q) => q.method === 'POST' && q.path.endsWith('/shippo/shipments'));
    const body = JSON.parse(create!.body) as { metadata: string; customs_declaration: { contents_type: string; items: Obj[] } };
    expect(body.metadata).toBe('SH-1');
    expect(body.customs_declaration.contents_type).toBe('MERCHANDISE');
    // 2 mugs at EUR 24.90 and 420 g each: the line is EUR 49.80 and 840 g (Shippo's CustomsItem definition)
    expect(body.customs_declaration.items[0]).toMatchObject({ quantity: 2, value_amount: '49.80', value_currency: 'EUR', net_weight: '840', mass_unit: 'g', tariff_number: '691200' });
    // …and that is what the carrier holds and prints: the declared total equals the goods' value.
    expect(declaredItems(sb, 'SH-1').map((i) => [i.quantity, i.value_amount, i.net_weight])).toEqual([[2, '49.80', '840']]);
    const st = sb.state() as ShippoState;
    const tx = Object.values(Object.values(st.apis.shippo!.accounts)[0]!.transactions)[0]!;
    expect(typeof tx.rate).toBe('string'); // Shippo's Transaction.rate is the Rate's id
    // The label came from the signed file host, without the ShippoToken.
    const files = sb.requests().filter((q) => q.api === 's3');
    expect(files.map((q) => [q.path.split('?')[0]!.split('/')[2], q.status, q.headers.authorization])).toEqual([['shippo-delivery', 200, undefined]]);
    const again = await run(['ship', 'book', '--yes', '--file', file, '--cheapest', '--json'], { home: h, env: ENV });
    expect(JSON.parse(again.stdout)).toMatchObject({ alreadyBooked: true });
    expect(shippoLabels(sb, 'SH-1')).toBe(1);
    const t = await run(['ship', 'track', 'SH-1', '--json'], { home: h, env: ENV });
    expect(t.code, t.stderr).toBe(0);
    expect(JSON.parse(t.stdout)).toMatchObject({ status: 'pre_transit', events: [expect.objectContaining({ status: 'pre_transit' })] });
  });

  it('the commercial invoice Shippo makes shows the declared total of the lines', async () => {
    const sb = sandbox();
    const doc = shipment({ reference: 'SH-INV', items: [
      { description: 'Stoneware mug', hsCode: '691200', originCountry: 'SE', quantity: 3, unitValue: '24.90', unitWeightGrams: 420 },
      { description: 'Linen tea towel', hsCode: '630260', originCountry: 'SE', quantity: 2, unitValue: '12.50', unitWeightGrams: 90 },
    ], parcel: { weightGrams: 1600, lengthMm: 300, widthMm: 200, heightMm: 150 } });
    const { home: h, file } = await shippoHome(sb, doc);
    const r = await run(['ship', 'book', '--yes', '--file', file, '--fastest', '--json'], { home: h, env: ENV });
    expect(r.code, r.stderr).toBe(0);
    const invoice = (JSON.parse(r.stdout).forms as Array<{ type: string; url: string }>).find((f) => f.type === 'commercial_invoice')!;
    const pdf = Buffer.from(await (await fetch(invoice.url)).arrayBuffer()).toString('latin1');
    expect(pdf).toContain('Total declared value: 99.70 EUR'); // 3 × 24.90 + 2 × 12.50
    expect(pdf).toContain('Total net weight: 1440 g'); // 3 × 420 + 2 × 90
  });

  it('a US export whose line is above USD 2,500 is refused at purchase (the line total, not the unit value, counts): exit 6, no label', async () => {
    const sb = sandbox();
    const doc = shipment({
      reference: 'SH-AES',
      from: { name: 'Ann Lee', company: 'Lee Ceramics LLC', street1: '1 Pine St', city: 'Portland', state: 'OR', postalCode: '97204', country: 'US', phone: '+15035550100', email: 'ann@example.com' },
      to: { name: 'Jane Doe', street1: '1 High St', city: 'York', postalCode: 'YO1 7HH', country: 'GB', phone: '+441904000000' },
      currency: 'USD',
      items: [{ description: 'Porcelain vase, hand painted', hsCode: '691310', originCountry: 'US', quantity: 2, unitValue: '1500.00', unitWeightGrams: 1200 }],
      parcel: { weightGrams: 2600, lengthMm: 400, widthMm: 300, heightMm: 300 },
      service: 'courier',
    });
    const { home: h, file } = await shippoHome(sb, doc);
    const r = await run(['ship', 'book', '--yes', '--file', file, '--fastest'], { home: h, env: ENV });
    expect(r.code, r.stderr).toBe(6);
    expect(r.stderr).toMatch(/USD 3000\.00[\s\S]*AES ITN/);
    expect(shippoLabels(sb)).toBe(0);
  });

  it('a lost transaction answer never leads to a second label', async () => {
    const sb = sandbox();
    const { home: h, file } = await shippoHome(sb, shipment({ reference: 'SH-LOST' }));
    sb.scriptFaults([{ match: 'POST /shippo/transactions', nth: 1, fault: 'lost' }]);
    const r = await run(['ship', 'book', '--yes', '--file', file, '--cheapest', '--json'], { home: h, env: ENV });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ state: 'purchased', reconciled: true });
    expect(shippoLabels(sb, 'SH-LOST')).toBe(1);
    expect(shippoLabels(sb)).toBe(1);
  });

  it('kill -9 right after the purchase (built binary): the re-run adopts the label', async () => {
    const sb = sandbox();
    const { home: h, file } = await shippoHome(sb, shipment({ reference: 'SH-CRASH' }));
    const child = spawnBin(['ship', 'book', '--yes', '--file', file, '--cheapest'], { env: { ...ENV, MERCHANT_HOME: h, MERCHANT_CRASH_AT: 'ship.after-buy' } });
    const sig = await new Promise<string | null>((res) => child.on('exit', (_c, s) => res(s)));
    expect(sig).toBe('SIGKILL');
    expect(shippoLabels(sb, 'SH-CRASH')).toBe(1);
    const r = await run(['ship', 'book', '--yes', '--file', file, '--cheapest', '--json'], { home: h, env: ENV });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ state: 'purchased', reference: 'SH-CRASH' });
    expect(shippoLabels(sb, 'SH-CRASH')).toBe(1);
    expect(shippoLabels(sb)).toBe(1);
    expect(purchasesInLog(sb)).toBe(1);
  }, 60_000);
  const US_FROM = { name: 'Ann Lee', company: 'Lee Ceramics LLC', street1: '1 Pine St', city: 'Portland', state: 'OR', postalCode: '97204', country: 'US', phone: '+15035550100', email: 'ann@example.com' };
  const GB_FROM = { name: 'Oliver Smith', company: 'Smith Pottery Ltd', street1: '14 Church Lane', city: 'York', postalCode: 'YO1 7HH', country: 'GB', phone: '+441904000000', email: 'o@example.co.uk' };
  it.each([
    ['FedEx', 'fedex', { from: US_FROM, to: { name: 'Jane Doe', street1: '1 High St', city: 'Leeds', postalCode: 'LS1 1AA', country: 'GB', phone: '+441130000000' }, currency: 'USD' }, '--fastest'],
    ['DHL eCommerce', 'dhl_ecommerce', { from: US_FROM, to: { name: 'Jane Doe', street1: '1 High St', city: 'Leeds', postalCode: 'LS1 1AA', country: 'GB', phone: '+441130000000' }, currency: 'USD' }, '--cheapest'],
    ['Evri UK', 'hermes_uk', { from: GB_FROM, to: { name: 'Amy Jones', street1: '2 Park Row', city: 'Leeds', postalCode: 'LS1 5HD', country: 'GB' }, currency: 'GBP' }, '--cheapest'],
  ] as const)('ship track finds a %s label with Shippo\'s token %s', async (provider, token, over, pick) => {
    const sb = sandbox();
    const reference = `SH-TRK-${token}`;
    const { home: h, file } = await shippoHome(sb, shipment({ reference, ...over, items: [{ description: 'Stoneware mug', hsCode: '691200', originCountry: 'US', quantity: 1, unitValue: '24.90', unitWeightGrams: 420 }] }));
    const b = await run(['ship', 'book', '--yes', '--file', file, pick, '--json'], { home: h, env: ENV });
    expect(b.code, b.stderr).toBe(0);
    expect(JSON.parse(b.stdout).carrier).toBe(provider);
    const t = await run(['ship', 'track', reference, '--json'], { home: h, env: ENV });
    expect(t.code, t.stderr).toBe(0);
    expect(JSON.parse(t.stdout)).toMatchObject({ status: 'pre_transit' });
    const track = sb.requests().filter((q) => q.path.includes('/shippo/tracks/'));
    expect(track.map((q) => [q.path.split('/')[3], q.status])).toEqual([[token, 200]]);
  });
});
