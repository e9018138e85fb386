import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../helpers/run.js';
import { openStore } from '../../src/store/db.js';
import { ENV, home, labelsByReference, requestsMatching, shipment, useSandbox } from './helpers.js';

const sandbox = useSandbox();
let n = 0;
const ref = (name: string) => `T${++n}-${name}`;

function ledger(h: string): Array<{ reference: string; state: string; attempts: bigint; tracking_code: string | null }> {
  const store = openStore(join(h, 'merchant.db'));
  try {
    return store.db.prepare('SELECT reference, state, attempts, tracking_code FROM shipments ORDER BY id').all() as Array<{ reference: string; state: string; attempts: bigint; tracking_code: string | null }>;
  } finally {
    store.close();
  }
}

describe('ship book against the sandbox', () => {
  it('books once, saves the label PDF under the home, prints its path; a re-run buys nothing', async () => {
    const sb = sandbox();
    const reference = ref('plain');
    const { home: h, file } = await home(sb, shipment({ reference }));
    const r = await run(['ship', 'book', '--yes', '--file', file, '--cheapest'], { home: h, env: ENV });
    expect(r.code, r.stderr).toBe(0);
    const path = r.stdout.trim();
    expect(path).toBe(join(h, 'labels', `${reference}.pdf`));
    expect(readFileSync(path).subarray(0, 5).toString()).toBe('%PDF-');
    expect(r.stderr).toContain('booked');
    expect(existsSync(join(h, 'documents', `${reference}-CN22.pdf`))).toBe(true);

    const again = await run(['ship', 'book', '--yes', '--file', file, '--cheapest', '--json'], { home: h, env: ENV });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ reference, state: 'purchased', alreadyBooked: true });
    expect(labelsByReference(sb).get(reference)).toBe(1);
    expect(ledger(h)).toEqual([expect.objectContaining({ reference, state: 'purchased' })]);
  });

  it('label and invoice files are fetched from the file host without the API key (S3 refuses one, and it would leak)', async () => {
    const sb = sandbox();
    const reference = ref('files');
    const { home: h, file } = await home(sb, shipment({ reference }));
    const r = await run(['ship', 'book', '--yes', '--file', file, '--cheapest'], { home: h, env: ENV });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/not downloaded/);
    const again = await run(['ship', 'label', reference], { home: h, env: ENV });
    expect(again.code, again.stderr).toBe(0);
    const files = sb.requests().filter((q) => q.api === 's3');
    expect(files.length).toBeGreaterThanOrEqual(2);
    expect(files.every((q) => q.status === 200 && q.headers.authorization === undefined)).toBe(true);
    expect(files.every((q) => q.path.startsWith('/s3/easypost-files/files/postage_label/'))).toBe(true);
    expect((sb.state() as { apis: { s3: { authorizationRefused: unknown[] } } }).apis.s3.authorizationRefused).toEqual([]);
    // …while every API call carried it.
    expect(sb.requests().filter((q) => q.api === 'easypost').every((q) => q.headers.authorization === 'Basic ***')).toBe(true);
  });

  it('sends the declaration in EasyPost\'s format: line totals in the stated currency, ounces, lower-case enums', async () => {
    const sb = sandbox();
    const reference = ref('format');
    const { home: h, file } = await home(sb, shipment({ reference }));
    expect((await run(['ship', 'book', '--yes', '--file', file, '--cheapest'], { home: h, env: ENV })).code).toBe(0);
    const create = sb.requests().find((q) => q.method === 'POST' && q.path.endsWith('/v2/shipments') && String(q.body ?? '').includes(reference));
    const body = JSON.parse(String(create?.body ?? '{}')) as { shipment: { customs_info: { contents_type: string; eel_pfc: string; customs_items: Array<Record<string, unknown>> } } };
    const ci = body.shipment.customs_info;
    expect(ci.contents_type).toBe('merchandise');
    expect(ci.eel_pfc).toBe('NOEEI 30.37(a)');
    expect(ci.customs_items[0]).toMatchObject({ quantity: 2, value: '49.80', currency: 'EUR', weight: 29.63, hs_tariff_number: '691200', origin_country: 'SE' });
  });

  it('a lost purchase answer (applied, response lost) reconciles and never buys a second label', async () => {
    const sb = sandbox();
    const reference = ref('lost-buy');
    const { home: h, file } = await home(sb, shipment({ reference }));
    sb.scriptFaults([{ match: '/buy', nth: 1, fault: 'lost' }]);
    const buysBefore = requestsMatching(sb, 'POST', '/buy');
    const r = await run(['ship', 'book', '--yes', '--file', file, '--cheapest', '--json'], { home: h, env: ENV });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ state: 'purchased', reconciled: true, alreadyBooked: false });
    expect(requestsMatching(sb, 'POST', '/buy') - buysBefore).toBe(1);
    expect(labelsByReference(sb).get(reference)).toBe(1);
    expect(ledger(h)[0]).toMatchObject({ state: 'purchased', attempts: 1n });
  });

  it('a lost create answer is found again by reference, not created twice', async () => {
    const sb = sandbox();
    const reference = ref('lost-create');
    const { home: h, file } = await home(sb, shipment({ reference }));
    sb.scriptFaults([{ match: 'POST /easypost/v2/shipments', nth: 1, fault: 'lost' }]);
    const r = await run(['ship', 'book', '--yes', '--file', file, '--cheapest', '--json'], { home: h, env: ENV });
    expect(r.code, r.stderr).toBe(0);
    const st = sb.state() as { apis: { easypost: { accounts: Record<string, { shipments: Record<string, { reference: string }> }> } } };
    const remote = Object.values(Object.values(st.apis.easypost.accounts)[0]!.shipments).filter((s) => s.reference === reference);
    expect(remote).toHaveLength(1);
    expect(labelsByReference(sb).get(reference)).toBe(1);
  });

  it('a 500 on the purchase: the carrier is asked, has no label, and exactly one is bought', async () => {
    const sb = sandbox();
    const reference = ref('500');
    const { home: h, file } = await home(sb, shipment({ reference }));
    sb.scriptFaults([{ match: '/buy', nth: 1, fault: '500' }]);
    const r = await run(['ship', 'book', '--yes', '--file', file, '--cheapest'], { home: h, env: ENV });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('buying again');
    expect(labelsByReference(sb).get(reference)).toBe(1);
  });

  it('a timeout on the purchase, then the carrier unreachable: stays purchasing (exit 6); the re-run reconciles to one label', async () => {
    const sb = sandbox();
    const reference = ref('timeout');
    const { home: h, file } = await home(sb, shipment({ reference }));
    // The buy lands but its answer is lost, and the read-back is dropped too.
    sb.scriptFaults([
      { match: '/buy', nth: 1, fault: 'lost' },
      { match: 'GET /easypost/v2/shipments/shp_', nth: 1, fault: 'drop' },
      { match: 'GET /easypost/v2/shipments/shp_', nth: 2, fault: 'drop' },
      { match: 'GET /easypost/v2/shipments/shp_', nth: 3, fault: 'drop' },
    ]);
    const r1 = await run(['ship', 'book', '--yes', '--file', file, '--cheapest'], { home: h, env: ENV });
    expect(r1.code).toBe(6);
    expect(r1.stderr).toMatch(/stays 'purchasing'/);
    expect(ledger(h)[0]).toMatchObject({ state: 'purchasing' });
    sb.scriptFaults([]);
    const buys = requestsMatching(sb, 'POST', '/buy');
    const r2 = await run(['ship', 'book', '--yes', '--file', file, '--cheapest', '--json'], { home: h, env: ENV });
    expect(r2.code, r2.stderr).toBe(0);
    expect(JSON.parse(r2.stdout)).toMatchObject({ state: 'purchased', reconciled: true });
    expect(requestsMatching(sb, 'POST', '/buy')).toBe(buys); // no purchase call on the re-run
    expect(labelsByReference(sb).get(reference)).toBe(1);
  });

  it('customs errors block the booking: exit 3 naming the item, nothing written, nothing sent', async () => {
    const sb = sandbox();
    const reference = ref('customs');
    const doc = shipment({ reference, items: [{ description: 'Blue teapot', sku: 'TEA-BLU', originCountry: 'SE', quantity: 1, unitValue: '30.00', unitWeightGrams: 900 }] });
    const { home: h, file } = await home(sb, doc);
    const before = sb.requests().length;
    const r = await run(['ship', 'book', '--yes', '--file', file, '--cheapest'], { home: h, env: ENV });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('TEA-BLU Blue teapot');
    expect(sb.requests().length).toBe(before);
    expect(ledger(h)).toEqual([]);
  });

  it('ship rates then book --rate <id> buys that rate on the same carrier shipment', async () => {
    const sb = sandbox();
    const reference = ref('rates');
    const { home: h, file } = await home(sb, shipment({ reference }));
    const rates = await run(['ship', 'rates', '--file', file, '--json'], { home: h, env: ENV });
    expect(rates.code, rates.stderr).toBe(0);
    const list = JSON.parse(rates.stdout).rates as Array<{ id: string; carrier: string; kind: string }>;
    const courier = list.find((x) => x.kind === 'courier')!;
    const r = await run(['ship', 'book', '--yes', '--file', file, '--rate', courier.id, '--json'], { home: h, env: ENV });
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ carrier: courier.carrier, state: 'purchased' });
    expect(doc.customs.form).toBe('commercial-invoice');
    expect(requestsMatching(sb, 'POST', '/v2/shipments') - requestsMatching(sb, 'POST', '/buy')).toBeGreaterThan(0);
    expect(labelsByReference(sb).get(reference)).toBe(1);
  });

  it('list, track, label, void', async () => {
    const sb = sandbox();
    const reference = ref('manage');
    const { home: h, file } = await home(sb, shipment({ reference }));
    expect((await run(['ship', 'book', '--yes', '--file', file, '--fastest'], { home: h, env: ENV })).code).toBe(0);
    const list = await run(['ship', 'list', '--json'], { home: h, env: ENV });
    expect(JSON.parse(list.stdout).items).toEqual([expect.objectContaining({ reference, state: 'purchased' })]);
    const track = await run(['ship', 'track', reference, '--json'], { home: h, env: ENV });
    expect(track.code, track.stderr).toBe(0);
    expect(JSON.parse(track.stdout)).toMatchObject({ reference, status: expect.any(String), events: expect.any(Array) });
    const label = await run(['ship', 'label', reference], { home: h, env: ENV });
    expect(label.stdout.trim()).toBe(join(h, 'labels', `${reference}.pdf`));
    const noYes = await run(['ship', 'void', reference], { home: h, env: ENV });
    expect(noYes.code).toBe(2);
    const v = await run(['ship', 'void', reference, '--yes', '--json'], { home: h, env: ENV });
    expect(v.code, v.stderr).toBe(0);
    expect(JSON.parse(v.stdout)).toMatchObject({ state: 'voided', voidStatus: 'submitted' });
  });

  it('carrier connect refuses a key given nowhere, and never prints the key', async () => {
    const sb = sandbox();
    const { home: h } = await home(sb);
    expect((await run(['carrier', 'connect', 'easypost'], { home: h, env: ENV })).code).toBe(2);
    const bad = await run(['carrier', 'connect', 'easypost', '--key-file', '-', '--base-url', `${sb.url}/easypost`], { home: h, env: ENV, stdin: 'EZTKnotavalidkey000\n' });
    expect(bad.code).toBe(6);
    expect(bad.stderr).not.toContain('EZTKnotavalidkey000');
    const ok = await run(['carrier', 'connect', 'easypost', '--key-file', '-', '--base-url', `${sb.url}/easypost`, '--json'], { home: h, env: ENV, stdin: 'EZTKsandbox00000000000000\n' });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).not.toContain('EZTKsandbox00000000000000');
    expect(JSON.parse(ok.stdout)).toMatchObject({ carrier: 'easypost', mode: 'test' });
  });

  it('--dry-run sends nothing and writes nothing; customs check <shipment> re-checks the stored declaration', async () => {
    const sb = sandbox();
    const reference = ref('dry');
    const { home: h, file } = await home(sb, shipment({ reference }));
    const before = sb.requests().length;
    const dry = await run(['ship', 'book', '--yes', '--file', file, '--cheapest', '--dry-run', '--json'], { home: h, env: ENV });
    expect(dry.code, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ dryRun: true, reference, customs: { form: 'CN22', dutyApplies: true } });
    expect(sb.requests().length).toBe(before);
    expect(ledger(h)).toEqual([]);
    expect((await run(['ship', 'book', '--yes', '--file', file, '--cheapest'], { home: h, env: ENV })).code).toBe(0);
    const c = await run(['customs', 'check', reference, '--json'], { home: h, env: ENV });
    expect(c.code, c.stderr).toBe(0);
    expect(JSON.parse(c.stdout)).toMatchObject({ to: 'US', form: 'CN22', dutyApplies: true });
    const old = await run(['customs', 'check', reference, '--date', '2025-08-28', '--json'], { home: h, env: ENV });
    // no rates stored for 2025: the SDR value cannot be computed, which is an error, not a guess
    expect(old.code).toBe(3);
  });
});
