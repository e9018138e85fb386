// Publishing new listings (ports/listing-publish.ts PublishStore): which catalogue SKUs there are and
// their listing on a channel, the seller's per-SKU choices (product type, attributes), and the record
// of each publication (state, remote ASIN/offer, issues), written in one transaction with the channel
// listing's acknowledged values.

import type { Store } from '../db.js';
import { big, num } from '../db.js';
import { marketplaceOf } from '../../core/channels.js';
import type { ListingIssue, PublicationRecord, PublishCandidate, PublishSettings, PublishStore } from '../../ports/listing-publish.js';
import { enqueueChange } from './outbox.js';
import { audit } from './audit.js';

interface CandidateRow {
  sku: string;
  handle: string;
  title: string;
  variant_title: string | null;
  description: string | null;
  brand: string | null;
  vendor: string | null;
  barcode: string | null;
  image_url: string | null;
  origin_country: string | null;
  weight_grams: bigint | null;
  options_json: string | null;
  v_status: string;
  p_status: string;
  on_hand: bigint | null;
  reserved: bigint | null;
  listing_id: bigint | null;
  price_minor: bigint | null;
  currency: string | null;
  cl_status: string | null;
  acked_status: string | null;
  remote_id: string | null;
  remote_sku: string | null;
}

function options(json: string | null): Array<{ name: string; value: string }> {
  if (!json) return [];
  try {
    const parsed = JSON.parse(json) as unknown;
    if (!Array.isArray(parsed)) return [];
    return parsed.filter((o): o is [string, string] => Array.isArray(o) && o.length === 2).map(([name, value]) => ({ name: String(name), value: String(value) }));
  } catch {
    return [];
  }
}

const rank = (s: string) => (s === 'archived' ? 2 : s === 'draft' ? 1 : 0);

export function publishStore(store: Store, command = 'listings publish'): PublishStore {
  const db = store.db;
  return {
    candidates(channel) {
      const rows = db
        .prepare(
          `SELECT v.sku, p.handle, p.title, v.title AS variant_title, p.description, p.brand, p.vendor, v.barcode, v.image_url,
                  v.origin_country, v.weight_grams, v.options_json, v.status AS v_status, p.status AS p_status,
                  i.on_hand, i.reserved, cl.id AS listing_id, cl.price_minor, cl.currency, cl.status AS cl_status, cl.acked_status, cl.remote_id, cl.remote_sku
           FROM variants v JOIN products p ON p.id = v.product_id
           LEFT JOIN inventory i ON i.variant_id = v.id
           LEFT JOIN channel_listings cl ON cl.variant_id = v.id AND cl.channel = ?
           ORDER BY v.sku`,
        )
        .all(channel) as CandidateRow[];
      return rows.map((r): PublishCandidate => {
        const worst = Math.max(rank(r.v_status), rank(r.p_status));
        return {
          sku: r.sku,
          handle: r.handle,
          title: r.title,
          variantTitle: r.variant_title,
          description: r.description,
          brand: r.brand,
          vendor: r.vendor,
          barcode: r.barcode,
          imageUrl: r.image_url,
          originCountry: r.origin_country,
          weightGrams: r.weight_grams === null ? null : num(r.weight_grams),
          options: options(r.options_json),
          status: worst === 2 ? 'archived' : worst === 1 ? 'draft' : 'active',
          available: r.on_hand === null ? null : num(r.on_hand) - num(r.reserved ?? 0n),
          remoteSku: r.remote_sku,
          listing:
            r.listing_id === null
              ? null
              : { price: r.price_minor !== null && r.currency ? { minor: big(r.price_minor), currency: r.currency } : null, status: r.cl_status ?? 'active', ackedStatus: r.acked_status, remoteId: r.remote_id },
        };
      });
    },

    settings(channel, skus) {
      const out = new Map<string, PublishSettings>();
      const stmt = db.prepare('SELECT product_type, category_id, attributes_json FROM publish_settings WHERE channel = ? AND sku = ?');
      for (const sku of skus) {
        const r = stmt.get(channel, sku) as { product_type: string | null; category_id: string | null; attributes_json: string } | undefined;
        if (r) out.set(sku, { productType: r.product_type, categoryId: r.category_id, attributes: JSON.parse(r.attributes_json) as Record<string, string> });
      }
      return out;
    },

    saveSettings(channel, rows, at) {
      const get = db.prepare('SELECT product_type, category_id, attributes_json FROM publish_settings WHERE channel = ? AND sku = ?');
      const put = db.prepare(
        `INSERT INTO publish_settings (channel, sku, product_type, category_id, attributes_json, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (channel, sku) DO UPDATE SET product_type = excluded.product_type, category_id = excluded.category_id, attributes_json = excluded.attributes_json, updated_at = excluded.updated_at`,
      );
      store.tx(() => {
        for (const r of rows) {
          const old = get.get(channel, r.sku) as { product_type: string | null; category_id: string | null; attributes_json: string } | undefined;
          const attrs = { ...(old ? (JSON.parse(old.attributes_json) as Record<string, string>) : {}) };
          for (const [k, v] of Object.entries(r.attributes)) if (v !== '') attrs[k] = v;
          put.run(channel, r.sku, r.productType || old?.product_type || null, r.categoryId || old?.category_id || null, JSON.stringify(attrs), at);
        }
      });
    },

    channelSettings(channel) {
      const rows = db.prepare('SELECT name, value FROM publish_channel_settings WHERE channel = ? ORDER BY name').all(channel) as Array<{ name: string; value: string }>;
      return Object.fromEntries(rows.map((r) => [r.name, r.value]));
    },

    saveChannelSettings(channel, values, at) {
      const put = db.prepare(
        `INSERT INTO publish_channel_settings (channel, name, value, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (channel, name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      );
      store.tx(() => {
        for (const [k, v] of Object.entries(values)) put.run(channel, k, v, at);
      });
    },

    shipFrom() {
      const r = db.prepare('SELECT ship_from_json FROM business_profile WHERE id = 1').get() as { ship_from_json: string | null } | undefined;
      if (!r?.ship_from_json) return null;
      try {
        const a = JSON.parse(r.ship_from_json) as Record<string, string | undefined>;
        if (!a.street1 || !a.city || !a.postalCode || !a.country) return null;
        return { name: a.company || a.name || 'Ship-from', street1: a.street1, ...(a.street2 ? { street2: a.street2 } : {}), city: a.city, ...(a.state ? { state: a.state } : {}), postalCode: a.postalCode, country: a.country };
      } catch {
        return null;
      }
    },

    publications(channel, skus) {
      const out = new Map<string, PublicationRecord>();
      const stmt = db.prepare('SELECT state, method, remote_ref, product_type, issues_json, message, updated_at FROM listing_publications WHERE channel = ? AND sku = ?');
      for (const sku of skus) {
        const r = stmt.get(channel, sku) as { state: PublicationRecord['state']; method: PublicationRecord['method']; remote_ref: string | null; product_type: string | null; issues_json: string; message: string | null; updated_at: string } | undefined;
        if (r) out.set(sku, { channel, sku, state: r.state, method: r.method, remoteRef: r.remote_ref, productType: r.product_type, issues: JSON.parse(r.issues_json) as ListingIssue[], message: r.message, updatedAt: r.updated_at });
      }
      return out;
    },

    markSending(channel, sku, method, productType, requestHash, at) {
      db.prepare(
        `INSERT INTO listing_publications (channel, sku, state, method, product_type, request_hash, attempts, created_at, updated_at)
         VALUES (?, ?, 'sending', ?, ?, ?, 1, ?, ?)
         ON CONFLICT (channel, sku) DO UPDATE SET state = 'sending', method = excluded.method, product_type = excluded.product_type,
           request_hash = excluded.request_hash, attempts = attempts + 1, message = NULL, updated_at = excluded.updated_at`,
      ).run(channel, sku, method, productType, requestHash, at, at);
    },

    markListed(channel, sku, r) {
      store.tx(() => {
        db.prepare(
          `INSERT INTO listing_publications (channel, sku, state, method, product_type, remote_ref, issues_json, created_at, updated_at)
           VALUES (?, ?, 'listed', ?, ?, ?, ?, ?, ?)
           ON CONFLICT (channel, sku) DO UPDATE SET state = 'listed', method = excluded.method, product_type = coalesce(excluded.product_type, product_type),
             remote_ref = excluded.remote_ref, issues_json = excluded.issues_json, message = NULL, updated_at = excluded.updated_at`,
        ).run(channel, sku, r.method, r.productType, r.remoteRef, JSON.stringify(r.issues), r.at, r.at);
        const variant = `(SELECT id FROM variants WHERE sku = ?)`;
        if (r.acked) {
          db.prepare(
            `UPDATE channel_listings SET remote_id = coalesce(?, remote_id), remote_sku = coalesce(?, remote_sku), remote_product_type = coalesce(?, remote_product_type), fulfilled_by = 'merchant',
               acked_price_minor = ?, acked_quantity = ?, acked_status = 'active', acked_at = ?, updated_at = ?, sync_pending = 0
             WHERE channel = ? AND variant_id = ${variant}`,
          ).run(r.remoteId ?? r.remoteRef, r.remoteSku ?? null, r.productType, r.acked.price?.minor ?? null, r.acked.quantity, r.at, r.at, channel, sku);
          // What the new listing was created with is acknowledged; changes queued for it before are spent.
          db.prepare(`UPDATE outbox SET state = 'superseded', updated_at = ? WHERE channel = ? AND sku = ? AND state IN ('pending', 'failed')`).run(r.at, channel, sku);
        } else {
          // A listing that already existed (made elsewhere): remember it, and let sync send it our price and stock.
          db.prepare(`UPDATE channel_listings SET remote_id = coalesce(?, remote_id), remote_sku = coalesce(?, remote_sku), remote_product_type = coalesce(?, remote_product_type), updated_at = ? WHERE channel = ? AND variant_id = ${variant}`).run(
            r.remoteId ?? r.remoteRef,
            r.remoteSku ?? null,
            r.productType,
            r.at,
            channel,
            sku,
          );
          enqueueChange(store, { channel, marketplace: marketplaceOf(channel) ?? channel, sku, kind: 'listing', payload: { sku, channel, adopted: true } }, r.at);
        }
      });
    },

    markRefused(channel, sku, r) {
      db.prepare(
        `INSERT INTO listing_publications (channel, sku, state, method, issues_json, message, created_at, updated_at)
         VALUES (?, ?, ?, 'create', ?, ?, ?, ?)
         ON CONFLICT (channel, sku) DO UPDATE SET state = excluded.state, issues_json = excluded.issues_json, message = excluded.message, updated_at = excluded.updated_at`,
      ).run(channel, sku, r.state ?? 'refused', JSON.stringify(r.issues), r.message, r.at, r.at);
    },

    saveIssues(channel, sku, issues, at) {
      db.prepare('UPDATE listing_publications SET issues_json = ?, updated_at = ? WHERE channel = ? AND sku = ?').run(JSON.stringify(issues), at, channel, sku);
    },

    audit(detail, at) {
      audit(store, { at, command, entity: 'listings', action: 'publish', detail });
    },
  };
}

/** The stored publications of one SKU (listings show). */
export function publicationsOfSku(store: Store, sku: string): PublicationRecord[] {
  const rows = store.db
    .prepare('SELECT channel, state, method, remote_ref, product_type, issues_json, message, updated_at FROM listing_publications WHERE sku = ? ORDER BY channel')
    .all(sku) as Array<{ channel: string; state: PublicationRecord['state']; method: PublicationRecord['method']; remote_ref: string | null; product_type: string | null; issues_json: string; message: string | null; updated_at: string }>;
  return rows.map((r) => ({ channel: r.channel, sku, state: r.state, method: r.method, remoteRef: r.remote_ref, productType: r.product_type, issues: JSON.parse(r.issues_json) as ListingIssue[], message: r.message, updatedAt: r.updated_at }));
}
