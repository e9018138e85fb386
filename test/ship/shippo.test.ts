// The same guarantees through Shippo: its own wire format, and one label whatever fails.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { run, spawnBin, tempDir } from '../helpers/run.js';
import { openStore } from '../../src/store/db.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { ENV, shipment, useSandbox } from './helpers.js';

const sandbox = useSandbox();
type Obj = Record<string, unknown>;

function shippoLabels(sb: Sandbox, reference: string): number {
  const st = sb.state() as { apis: { shippo?: { accounts: Record<string, { shipments: Record<string, Obj>; transactions: Record<string, Obj> }> } } };
  let n = 0;
  for (const a of Object.values(st.apis.shippo?.accounts ?? {})) {
    for (const tx of Object.values(a.transactions)) {
      const sh = a.shipments[String((tx.rate as Obj).shipment)];
      if (sh?.metadata === reference && (tx.status === 'SUCCESS' || tx.status === 'QUEUED')) n++;
    }
  }
  return n;
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
  it('books with per-item values, upper-case enums and the reference in metadata; a re-run buys nothing', async () => {
    const sb = sandbox();
    const { home: h, file } = await shippoHome(sb, shipment({ reference: 'SH-1' }));
    const r = await run(['ship', 'book', '--file', file, '--cheapest', '--json'], { home: h, env: ENV });
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ reference: 'SH-1', state: 'purchased' });
    expect(doc.labelPath).toBe(join(h, 'labels', 'SH-1.pdf'));
    const create = sb.requests().find((q) => q.method === 'POST' && q.path.endsWith('/shippo/shipments'));
    const body = JSON.parse(create!.body) as { metadata: string; customs_declaration: { contents_type: string; items: Obj[] } };
    expect(body.metadata).toBe('SH-1');
    expect(body.customs_declaration.contents_type).toBe('MERCHANDISE');
    expect(body.customs_declaration.items[0]).toMatchObject({ quantity: 2, value_amount: '24.90', net_weight: '420', mass_unit: 'g', tariff_number: '691200' });
    const again = await run(['ship', 'book', '--file', file, '--cheapest', '--json'], { home: h, env: ENV });
    expect(JSON.parse(again.stdout)).toMatchObject({ alreadyBooked: true });
    expect(shippoLabels(sb, 'SH-1')).toBe(1);
    const t = await run(['ship', 'track', 'SH-1', '--json'], { home: h, env: ENV });
    expect(t.code, t.stderr).toBe(0);
  });

  it('a lost transaction answer never leads to a second label', async () => {
    const sb = sandbox();
    const { home: h, file } = await shippoHome(sb, shipment({ reference: 'SH-LOST' }));
    sb.scriptFaults([{ match: 'POST /shippo/transactions', nth: 1, fault: 'lost' }]);
    const r = await run(['ship', 'book', '--file', file, '--cheapest', '--json'], { home: h, env: ENV });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ state: 'purchased', reconciled: true });
    expect(shippoLabels(sb, 'SH-LOST')).toBe(1);
  });

  it('kill -9 right after the purchase (built binary): the re-run adopts the label', async () => {
    const sb = sandbox();
    const { home: h, file } = await shippoHome(sb, shipment({ reference: 'SH-CRASH' }));
    const child = spawnBin(['ship', 'book', '--file', file, '--cheapest'], { env: { ...ENV, MERCHANT_HOME: h, MERCHANT_CRASH_AT: 'ship.after-buy' } });
    const sig = await new Promise<string | null>((res) => child.on('exit', (_c, s) => res(s)));
    expect(sig).toBe('SIGKILL');
    expect(shippoLabels(sb, 'SH-CRASH')).toBe(1);
    const r = await run(['ship', 'book', '--file', file, '--cheapest', '--json'], { home: h, env: ENV });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ state: 'purchased' });
    expect(shippoLabels(sb, 'SH-CRASH')).toBe(1);
  }, 60_000);
});
