// Which stored order a user means: "marketplace:id", the marketplace's order id, a Shopify order's
// name as the seller sees it in the admin and in e-mails ("#1002" or "1002"), or merchant's own
// numeric id. One answer, none, or the several orders an id that exists on several marketplaces names
// (the caller asks the user to qualify it: services/orders/ref.ts).

import type { Store } from '../db.js';
import { num } from '../db.js';
import type { OrderLookup, OrderRef } from '../../ports/orders.js';

type Hit = { id: bigint; marketplace: string; external_id: string };
const toRef = (h: Hit): OrderRef => ({ id: num(h.id), marketplace: h.marketplace, externalId: h.external_id });

function one(hits: Hit[]): OrderLookup | undefined {
  const distinct = [...new Map(hits.map((h) => [String(h.id), h])).values()];
  if (distinct.length > 1) return { kind: 'ambiguous', candidates: distinct.map(toRef) };
  return distinct[0] ? { kind: 'found', order: toRef(distinct[0]) } : undefined;
}

/** The order a reference names: found, none, or ambiguous with the orders it names (in id order). */
export function lookupOrderRef(store: Store, ref: string): OrderLookup {
  const db = store.db;
  const r = ref.trim();
  const q = /^(amazon|ebay|shopify):(.+)$/.exec(r);
  const mp = q?.[1];
  const id = q ? q[2]! : r;
  const where = mp ? 'marketplace = ? AND ' : '';
  const args = mp ? [mp] : [];
  const byExternal = db.prepare(`SELECT id, marketplace, external_id FROM orders WHERE ${where}external_id = ? ORDER BY id`).all(...args, id) as Hit[];
  const found = one(byExternal);
  if (found) return found;
  // A Shopify order's name (#1002): what the seller sees in the admin, the buyer in the e-mails. Pulled
  // orders keep it in the API payload (name), imported ones in the export's row (_name).
  const name = /^#?\d+$/.test(id) ? `#${id.replace(/^#/, '')}` : /^#/.test(id) ? id : undefined;
  if (name && (!mp || mp === 'shopify')) {
    const byName = db
      .prepare(`SELECT id, marketplace, external_id FROM orders WHERE marketplace = 'shopify' AND json_valid(raw_json) AND coalesce(json_extract(raw_json, '$.name'), json_extract(raw_json, '$._name')) = ? ORDER BY id`)
      .all(name) as Hit[];
    const n = one(byName);
    if (n) return n;
  }
  if (!mp && /^\d+$/.test(id)) {
    const local = db.prepare('SELECT id, marketplace, external_id FROM orders WHERE id = ?').get(BigInt(id)) as Hit | undefined;
    if (local) return { kind: 'found', order: toRef(local) };
  }
  return { kind: 'none' };
}
