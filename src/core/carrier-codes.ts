// A carrier's own code on each marketplace (data/marketplace-carriers.csv, with its sources): what a
// shipment confirmation sends. Unknown carriers go as "Other" plus the carrier's name where the
// marketplace takes that (Amazon carrierName, eBay "Other"), and as the name itself on Shopify (any
// company is accepted there; only listed ones get a tracking link).

import { readFileSync } from 'node:fs';
import { dataPath } from '../config/paths.js';
import { parseCsvLine } from './csvline.js';
import type { MarketplaceName } from './channels.js';

export interface CarrierRow {
  carrier: string;
  names: string[];
  amazon: string;
  ebay: string;
  shopify: string;
}

export interface MarketplaceCarrier {
  /** The marketplace's code ("Royal Mail", "RoyalMail", "Other"). */
  code: string;
  /** The carrier's name, sent beside "Other" (Amazon carrierName). */
  name?: string;
  /** Our row (undefined: not in the table). */
  carrier?: string;
}

let rows: CarrierRow[] | undefined;

export function carrierTable(): CarrierRow[] {
  if (rows) return rows;
  rows = readFileSync(dataPath('marketplace-carriers.csv'), 'utf8')
    .split(/\r?\n/)
    .slice(1)
    .filter((l) => l.trim())
    .map((l) => {
      const [carrier = '', names = '', amazon = '', ebay = '', shopify = ''] = parseCsvLine(l);
      return { carrier, names: names.split(';').map((n) => n.trim()).filter(Boolean), amazon, ebay, shopify };
    });
  return rows;
}

const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '');

/** Our row for a carrier name as EasyPost/Shippo/the seller write it (case and punctuation ignored). */
export function findCarrier(name: string): CarrierRow | undefined {
  const k = squash(name);
  if (!k) return undefined;
  return carrierTable().find((r) => squash(r.carrier) === k || r.names.some((n) => squash(n) === k));
}

export function marketplaceCarrier(marketplace: MarketplaceName, name: string): MarketplaceCarrier {
  const row = findCarrier(name);
  const code = row ? row[marketplace] : undefined;
  if (code && code !== 'Other') return { code, carrier: row!.carrier };
  if (marketplace === 'shopify') return { code: name, ...(row ? { carrier: row.carrier } : {}) };
  return { code: 'Other', name, ...(row ? { carrier: row.carrier } : {}) };
}

/** Every code the table knows for a marketplace (the sandboxes refuse others). */
export function knownCodes(marketplace: MarketplaceName): Set<string> {
  return new Set([...carrierTable().map((r) => r[marketplace]), 'Other']);
}
