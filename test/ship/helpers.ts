import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { openStore } from '../../src/store/db.js';
import { run, tempDir } from '../helpers/run.js';

export const NOW = '2026-07-02T09:00:00Z';

export function useSandbox(): () => Sandbox {
  let sb: Sandbox | undefined;
  // One sandbox per test: its own state and its own rate-limit buckets; its clock starts at NOW and runs.
  beforeEach(async () => {
    const start = Date.now();
    sb = await startSandbox({ port: 0, seedData: 'empty', now: () => Date.parse(NOW) + (Date.now() - start) });
  });
  afterEach(async () => {
    await sb?.stop();
  });
  return () => sb!;
}

export const ENV = { MERCHANT_NOW: NOW, MERCHANT_HTTP_BACKOFFSCALE: '0', MERCHANT_HTTP_TIMEOUTMS: '1500', MERCHANT_HTTP_RETRIES: '2' };

type Obj = Record<string, unknown>;

/** Labels the sandbox has sold, per our reference. */
export function labelsByReference(sb: Sandbox): Map<string, number> {
  const st = sb.state() as { apis: { easypost?: { accounts: Record<string, { shipments: Record<string, Obj> }> } } };
  const out = new Map<string, number>();
  for (const acct of Object.values(st.apis.easypost?.accounts ?? {})) {
    for (const s of Object.values(acct.shipments)) {
      if (!s.postage_label) continue;
      const ref = String(s.reference);
      out.set(ref, (out.get(ref) ?? 0) + 1);
    }
  }
  return out;
}

/** Labels the carriers have sold in all (whatever the reference): EasyPost shipments with postage, Shippo transactions that made a label. */
export function labelsSold(sb: Sandbox): number {
  const st = sb.state() as { apis: { easypost?: { accounts: Record<string, { shipments: Record<string, Obj> }> }; shippo?: { accounts: Record<string, { transactions: Record<string, Obj> }> } } };
  let n = 0;
  for (const acct of Object.values(st.apis.easypost?.accounts ?? {})) n += Object.values(acct.shipments).filter((s) => s.postage_label).length;
  for (const acct of Object.values(st.apis.shippo?.accounts ?? {})) n += Object.values(acct.transactions).filter((t) => t.status !== 'ERROR').length;
  return n;
}

/**
 * Purchase requests the carriers APPLIED, from the sandbox's request log: a 2xx answer, or a fault that
 * lets the request land (lost, or a garbled answer). A refused purchase (4xx) is not one.
 */
export function purchasesInLog(sb: Sandbox): number {
  const applied = new Set(['lost', 'html', 'empty', 'truncated']);
  return sb
    .requests()
    .filter((r) => r.method === 'POST' && (/\/easypost\/v2\/shipments\/[^/]+\/buy$/.test(r.path) || /\/shippo\/transactions\/?$/.test(r.path)))
    .filter((r) => (r.fault ? applied.has(r.fault) : r.status !== undefined && r.status >= 200 && r.status < 300)).length;
}

export function requestsMatching(sb: Sandbox, method: string, pathPart: string): number {
  return sb.requests().filter((r) => r.method === method && r.path.includes(pathPart)).length;
}

export function shipment(over: Obj = {}): Obj {
  return {
    date: '2026-07-02',
    from: { name: 'Anna Lindqvist', company: 'Lindqvist Keramik AB', street1: 'Storgatan 1', city: 'Stockholm', postalCode: '11122', country: 'SE', phone: '+46812345678', email: 'anna@example.se' },
    to: { name: 'Jane Doe', street1: '1 Main St', city: 'Springfield', state: 'IL', postalCode: '62701', country: 'US', phone: '+12175550100' },
    service: 'postal',
    currency: 'EUR',
    shipping: '4.90',
    incoterm: 'DAP',
    parcel: { weightGrams: 900, lengthMm: 200, widthMm: 150, heightMm: 100 },
    items: [{ description: 'Stoneware mug', hsCode: '691200', originCountry: 'SE', quantity: 2, unitValue: '24.90', unitWeightGrams: 420 }],
    ...over,
  };
}

/** A home with ECB-style rates, an EasyPost account on the sandbox, and a shipment file. */
export async function home(sb: Sandbox, doc: Obj = shipment()): Promise<{ home: string; file: string }> {
  const h = tempDir();
  const store = openStore(join(h, 'merchant.db'));
  const ins = store.db.prepare("INSERT INTO fx_rates (source, rate_date, base, quote, rate, fetched_at) VALUES ('ecb', '2026-06-30', 'EUR', ?, ?, '2026-06-30T16:00:00Z')");
  for (const [q, r] of Object.entries({ USD: '1.08', GBP: '0.85', CNY: '7.8', JPY: '160', AUD: '1.65', SEK: '11.2', NOK: '11.5', CHF: '0.95', CAD: '1.5' })) ins.run(q, r);
  store.close();
  const c = await run(['carrier', 'connect', 'easypost', '--sandbox', sb.url], { home: h, env: ENV });
  if (c.code !== 0) throw new Error(`carrier connect failed: ${c.stderr}`);
  const file = join(h, 'shipment.json');
  writeFileSync(file, JSON.stringify(doc));
  return { home: h, file };
}
