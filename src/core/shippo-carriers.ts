// Shippo's carrier tokens (data/shippo-carriers.csv, from Shippo's own list: the CarriersEnum of
// goshippo/shippo-javascript-sdk and docs.goshippo.com "Tracking Carriers"). Tracking takes the token
// (`GET /tracks/{carrier}/{tracking_number}`), never the display name a rate carries in `provider`;
// tokens are not derivable from names (FedEx → fedex, Evri UK → hermes_uk, DHL eCommerce → dhl_ecommerce).

import { readFileSync } from 'node:fs';
import { dataPath } from '../config/paths.js';
import { parseCsvLine } from './csvline.js';

export interface ShippoCarrier {
  token: string;
  name: string;
  /** Other names Shippo uses for the same carrier (brands, older names). */
  aliases: string[];
}

let table: ShippoCarrier[] | undefined;

export function shippoCarriers(): ShippoCarrier[] {
  if (table) return table;
  const lines = readFileSync(dataPath('shippo-carriers.csv'), 'utf8').split(/\r?\n/);
  table = lines
    .slice(1)
    .filter((l) => l.trim() !== '')
    .map((line) => {
      const [token = '', name = '', aka = ''] = parseCsvLine(line);
      return { token, name, aliases: aka ? aka.split(';').map((a) => a.trim()) : [] };
    });
  return table;
}

export function isShippoCarrierToken(token: string): boolean {
  return shippoCarriers().some((c) => c.token === token);
}

const norm = (s: string) => s.normalize('NFKD').replace(/[^\p{L}\p{N}]/gu, '').toLowerCase();

/**
 * The carrier token for a rate: first from its service level token, which Shippo prefixes with the
 * carrier's token (`fedex_ground`, `hermes_uk_parcelshop_dropoff`; the longest matching token wins,
 * so dhl_ecommerce_… is not dhl_…), then from the provider's display name. Undefined when neither is known.
 */
export function shippoCarrierToken(rate: { servicelevelToken?: string; provider?: string }): string | undefined {
  const sl = rate.servicelevelToken?.toLowerCase();
  if (sl) {
    const hit = shippoCarriers()
      .filter((c) => sl === c.token || sl.startsWith(`${c.token}_`))
      .sort((a, b) => b.token.length - a.token.length)[0];
    if (hit) return hit.token;
  }
  if (rate.provider) {
    const p = norm(rate.provider);
    const hit = shippoCarriers().find((c) => norm(c.name) === p || norm(c.token) === p || c.aliases.some((a) => norm(a) === p));
    if (hit) return hit.token;
  }
  return undefined;
}
