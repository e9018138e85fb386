// Which stored order a user means: "marketplace:id", the marketplace's order id, a Shopify order's
// name as the seller sees it in the admin and in e-mails ("#1002" or "1002"), or merchant's own
// numeric id. One answer or none; an id that exists on several marketplaces must be qualified.

import type { Store } from '../db.js';
import { num } from '../db.js';
import { UsageError } from '../../core/errors.js';

export interface OrderRef {
  id: number;
  marketplace: string;
  externalId: string;
}

type Hit = { id: bigint; marketplace: string; external_id: string };
const toRef = (h: Hit): OrderRef => ({ id: num(h.id), marketplace: h.marketplace, externalId: h.external_id });

function one(ref: string, hits: Hit[]): OrderRef | undefined {
  const distinct = [...new Map(hits.map((h) => [String(h.id), h])).values()];
  if (distinct.length > 1) {
    throw new UsageError(`order ${ref} names ${distinct.length} orders; write it as ${distinct.map((h) => `${h.marketplace}:${h.external_id}`).join(' or ')}`);
  }
  return distinct[0] ? toRef(distinct[0]) : undefined;
}

/** The order a reference names, or undefined. Throws UsageError when it names several. */
export function findOrderRef(store: Store, ref: string): OrderRef | undefined {
  const db = store.db;
  const r = ref.trim();
  const q = /^(amazon|ebay|shopify):(.+)$/.exec(r);
  const mp = q?.[1];
  const id = q ? q[2]! : r;
  const where = mp ? 'marketplace = ? AND ' : '';
  const args = mp ? [mp] : [];
  const byExternal = db.prepare(`SELECT id, marketplace, external_id FROM orders WHERE ${where}external_id = ? ORDER BY id`).all(...args, id) as Hit[];
  const found = one(r, byExternal);
  if (found) return found;
  // A Shopify order's name (#1002): what the seller sees in the admin, the buyer in the e-mails. Pulled
  // orders keep it in the API payload (name), imported ones in the export's row (_name).
  const name = /^#?\d+$/.test(id) ? `#${id.replace(/^#/, '')}` : /^#/.test(id) ? id : undefined;
  if (name && (!mp || mp === 'shopify')) {
    const byName = db
      .prepare(`SELECT id, marketplace, external_id FROM orders WHERE marketplace = 'shopify' AND json_valid(raw_json) AND coalesce(json_extract(raw_json, '$.name'), json_extract(raw_json, '$._name')) = ? ORDER BY id`)
      .all(name) as Hit[];
    const n = one(r, byName);
    if (n) return n;
  }
  if (!mp && /^\d+$/.test(id)) {
    const local = db.prepare('SELECT id, marketplace, external_id FROM orders WHERE id = ?').get(BigInt(id)) as Hit | undefined;
    if (local) return toRef(local);
  }
  return undefined;
}
