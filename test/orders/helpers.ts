// A home connected to the sandbox's marketplaces and EasyPost, with a ship-from profile, FX rates and a
// catalogue carrying weights and HS codes: what `ship book <order>` needs for an order of any channel.

import { join } from 'node:path';
import type { Store } from '../../src/store/db.js';
import { world, type World } from '../sync/helpers.js';

export const T0 = '2026-11-25T06:00:00Z';

export function shipReady(store: Store): void {
  const db = store.db;
  db.prepare(
    `INSERT OR REPLACE INTO business_profile (id, legal_name, country, base_currency, timezone, eori, ioss_number, ship_from_json, created_at, updated_at)
     VALUES (1, 'Lindqvist Keramik AB', 'SE', 'SEK', 'Europe/Stockholm', 'SE5566778899', 'IM7520000123', ?, ?, ?)`,
  ).run(JSON.stringify({ name: 'Anna Lindqvist', street1: 'Storgatan 1', city: 'Stockholm', postalCode: '11122', country: 'SE', phone: '+46812345678', email: 'anna@example.se' }), T0, T0);
  db.prepare("UPDATE variants SET weight_grams = 400, length_mm = 150, width_mm = 150, height_mm = 120, hs_code = '6912004810', origin_country = 'SE'").run();
  // Customs converts at the order's date: rates from before the oldest order of the fixtures.
  const ins = db.prepare("INSERT OR REPLACE INTO fx_rates (source, rate_date, base, quote, rate, fetched_at) VALUES ('ecb', ?, 'EUR', ?, ?, ?)");
  for (const d of ['2026-09-01', '2026-11-24']) {
    for (const [q, r] of Object.entries({ USD: '1.08', GBP: '0.85', SEK: '11.2', CHF: '0.95', NOK: '11.5', CNY: '7.8', JPY: '160', AUD: '1.65', CAD: '1.5' })) ins.run(d, q, r, `${d}T16:00:00Z`);
  }
}

/** Marketplaces connected, EasyPost connected, ready to ship. */
export async function shipWorld(marketplaces: Array<'amazon' | 'ebay' | 'shopify'>, env: Record<string, string> = {}): Promise<World> {
  const w = await world(marketplaces, { env });
  const c = await w.cli(['carrier', 'connect', 'easypost', '--sandbox', w.sb.url]);
  if (c.code !== 0) throw new Error(`carrier connect failed: ${c.stderr}`);
  shipReady(w.store());
  return w;
}

export function dbPath(w: World): string {
  return join(w.home, 'merchant.db');
}
