// Seed orders straight into the store, the way sync writes them, for report tests.
import { join, resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { openStore, type Store } from '../../src/store/db.js';

export interface SeedLine { sku: string; qty: number; price: bigint; discount?: bigint; tax?: bigint; gross?: bigint }
export interface SeedOrder {
  id: string;
  channel: string;
  marketplace?: string;
  currency: string;
  at: string;
  country?: string;
  status?: string;
  shipping?: bigint;
  discount?: bigint;
  tax?: bigint;
  includesTax?: 0 | 1 | null;
  lines: SeedLine[];
  fees?: Array<{ amount: bigint; currency: string; kind?: string }>;
  refunds?: Array<{ at: string; amount: bigint; shipping?: bigint; tax?: bigint; currency?: string }>;
}

export function openHomeStore(home: string): Store {
  return openStore(join(home, 'merchant.db'));
}

export function seed(store: Store, orders: SeedOrder[]): void {
  const now = '2026-11-25T00:00:00Z';
  const insO = store.db.prepare(`INSERT INTO orders (marketplace, channel, external_id, status, ordered_at, currency, ship_country,
    shipping_minor, discount_minor, tax_minor, prices_include_tax, source, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'test', ?, ?)`);
  const insL = store.db.prepare(`INSERT INTO order_lines (order_id, external_line_id, sku, quantity, unit_price_minor, discount_minor, tax_minor, gross_minor)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  const insF = store.db.prepare(`INSERT INTO order_fees (order_id, kind, amount_minor, currency, external_id) VALUES (?, ?, ?, ?, ?)`);
  const insR = store.db.prepare(`INSERT INTO order_refunds (order_id, external_id, refunded_at, amount_minor, shipping_minor, tax_minor, currency)
    VALUES (?, ?, ?, ?, ?, ?, ?)`);
  store.tx(() => {
    for (const o of orders) {
      const mp = o.marketplace ?? o.channel.split('-')[0]!;
      const r = insO.run(mp, o.channel, o.id, o.status ?? 'shipped', o.at, o.currency, o.country ?? null, o.shipping ?? 0n,
        o.discount ?? 0n, o.tax ?? 0n, o.includesTax === undefined ? null : o.includesTax, now, now);
      const oid = r.lastInsertRowid;
      o.lines.forEach((l, i) => insL.run(oid, `L${i + 1}`, l.sku, l.qty, l.price, l.discount ?? 0n, l.tax ?? 0n, l.gross ?? null));
      (o.fees ?? []).forEach((f, i) => insF.run(oid, f.kind ?? 'commission', f.amount, f.currency, `F${i + 1}`));
      (o.refunds ?? []).forEach((f, i) => insR.run(oid, `R${i + 1}`, f.at, f.amount, f.shipping ?? 0n, f.tax ?? 0n, f.currency ?? o.currency));
    }
  });
}

export function seedRates(store: Store, rates: Array<[date: string, quote: string, rate: string, source?: string]>): void {
  const ins = store.db.prepare(`INSERT INTO fx_rates (source, rate_date, base, quote, rate, fetched_at) VALUES (?, ?, 'EUR', ?, ?, '2026-11-25T00:00:00Z')`);
  store.tx(() => { for (const [d, q, r, src] of rates) ins.run(src ?? 'ecb', d, q, r); });
}

/**
 * Reference rates for the fixture orders (March–April 2026): the real ECB history bundled in
 * fixtures/ecb (1 EUR = rate quote; weekends and TARGET holidays such as Good Friday and Easter Monday
 * have no row), from 2026-02-01, plus manual EUR/KWD rates (KWD is not an ECB currency).
 * Returns [date, quote, rate, source].
 */
export function fixtureRates(): Array<[string, string, string, string]> {
  const out: Array<[string, string, string, string]> = [];
  const [head, ...rows] = readFileSync(resolve(FIXTURES, '../ecb/eurofxref-hist.csv'), 'utf8').trim().split('\n');
  const quotes = head!.split(',');
  for (const row of rows) {
    const cells = row.split(',');
    if (cells[0]! < '2026-02-01') break; // newest first
    quotes.forEach((q, i) => {
      if (i > 0 && q && ['USD', 'GBP', 'JPY', 'SEK'].includes(q) && cells[i] && cells[i] !== 'N/A') out.push([cells[0]!, q, cells[i]!, 'ecb']);
    });
  }
  for (const line of readFileSync(join(FIXTURES, 'fx', 'kwd-manual-2026.csv'), 'utf8').trim().split('\n').slice(1)) {
    const [d, , q, r] = line.split(',');
    out.push([d!, q!, r!, 'manual']);
  }
  return out;
}

export const FIXTURES = resolve(import.meta.dirname, '../../fixtures/orders');
export const fixture = (name: string) => join(FIXTURES, name);

export function setTimezone(store: Store, tz: string): void {
  store.db.prepare(`INSERT INTO business_profile (id, legal_name, country, base_currency, timezone, created_at, updated_at)
    VALUES (1, 'Lindqvist Design AB', 'SE', 'EUR', ?, '2026-11-25T00:00:00Z', '2026-11-25T00:00:00Z')
    ON CONFLICT (id) DO UPDATE SET timezone = excluded.timezone`).run(tz);
}
