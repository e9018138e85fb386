// Who collects and remits the VAT (GST) of a sale: the seller, the marketplace as deemed supplier, or
// nobody at sale (the destination collects it at import). Decided per sale from the channel (an online
// marketplace or the seller's own shop), the seller's establishment, where the goods ship from, the
// buyer's territory and whether the consignment is within the destination's at-sale threshold. The
// rules are data in rules.ts (id, dates, source); the outcome says why. Pure.
//
// The customs engine uses it for the declaration (which registration number goes on it, and whose),
// orders store it (orders.vat_collector / vat_scheme / vat_country / vat_rule), reports split by it and
// the accounting profiles post each scheme to its own accounts.

import { EU_COUNTRIES } from '../currencies.js';
import { RULES, inForce, type RuleId } from './rules.js';
import { euGoodsVat, ukVat, vatCountry, type Territory } from './territories.js';
import type { SellerIds } from './types.js';

export type VatCollector = 'seller' | 'marketplace' | 'import';
export const VAT_COLLECTORS: readonly VatCollector[] = ['seller', 'marketplace', 'import'];

/**
 * How the VAT is accounted for, which is what the VAT returns and the books split by:
 *   domestic     the seller charges the VAT of the country the goods are in (sold and delivered there)
 *   oss          EU distance sale from EU (or Northern Ireland) stock: destination VAT, union OSS return
 *   ioss         imported ≤ EUR 150, the seller's own IOSS number: destination VAT, IOSS return
 *   uk           imported ≤ GBP 135 into Great Britain, the seller's UK VAT registration
 *   voec / gst / ch   Norway VOEC, Australian or New Zealand GST, Swiss VAT under the seller's registration
 *   marketplace  the marketplace is the deemed supplier (or US marketplace facilitator): not the seller's VAT
 *   import       nobody charges VAT at sale: it is paid at import (or the sale is outside any VAT the seller owes)
 */
export type VatScheme = 'domestic' | 'oss' | 'ioss' | 'uk' | 'voec' | 'gst' | 'ch' | 'marketplace' | 'import';
export const VAT_SCHEMES: readonly VatScheme[] = ['domestic', 'oss', 'ioss', 'uk', 'voec', 'gst', 'ch', 'marketplace', 'import'];

/** A registration number a low-value import regime puts on the declaration. */
export type TaxIdKind = 'IOSS' | 'UKVAT' | 'VOEC' | 'ARN' | 'NZGST' | 'CHVAT';

/** The destination's VAT regime for goods. */
export type VatRegime = 'EU' | 'UK' | 'NO' | 'AU' | 'NZ' | 'CH' | 'US' | 'OTHER';

/** Online marketplaces (deemed suppliers / facilitators). A Shopify shop is the seller's own shop. */
export const ONLINE_MARKETPLACES: ReadonlySet<string> = new Set(['amazon', 'ebay']);

export interface SaleFacts {
  from: Territory;
  to: Territory;
  /** The online marketplace the sale went through (amazon, ebay), or null for the seller's own shop. */
  marketplace: string | null;
  /** Where the seller is established (the business profile's country); unknown = treated as established where the goods are. */
  sellerCountry?: string;
  /** The sale (payment) date: the rules in force then decide. */
  date: string;
  /**
   * For imports into a regime with VAT at sale: the consignment is within its threshold (EU ≤ EUR 150,
   * UK ≤ GBP 135, NO every item < NOK 3,000, AU/NZ ≤ 1,000) and holds no excluded (excise) goods.
   * Ignored for local sales. undefined = not known (no exchange rate): treated as not low value.
   */
  lowValue?: boolean;
  seller: SellerIds;
}

export interface VatDecision {
  collector: VatCollector;
  scheme: VatScheme;
  /** The country whose VAT is due (XI for Northern Ireland); for a sale outside any VAT: the destination. */
  country: string;
  /** The rule that decided it. */
  rule: RuleId;
  /** One line: why. */
  reason: string;
  /** The registration number the declaration carries for VAT collected at sale, and whose it is. */
  taxId?: { kind: TaxIdKind; holder: 'seller' | 'marketplace' };
  /** VAT at sale was possible but neither the seller nor a marketplace is registered: it is collected at import. */
  unregistered?: TaxIdKind;
}

export function vatRegime(t: Territory): VatRegime {
  if (euGoodsVat(t)) return 'EU';
  if (t.vat === 'UK') return 'UK';
  if (t.vat === 'NO' || t.vat === 'AU' || t.vat === 'NZ' || t.vat === 'CH' || t.vat === 'US') return t.vat;
  return 'OTHER';
}

/** True when the goods are already inside the destination's VAT area (no import). */
export function sameVatArea(from: Territory, to: Territory): boolean {
  if (euGoodsVat(from) && euGoodsVat(to)) return true; // EU member states and Northern Ireland
  if (ukVat(from) && ukVat(to)) return true; // GB, Isle of Man and Northern Ireland
  return from.vat === to.vat;
}

const SELLER_ID: Record<TaxIdKind, keyof SellerIds> = {
  IOSS: 'ioss', UKVAT: 'ukVat', VOEC: 'voec', ARN: 'abnArn', NZGST: 'nzGst', CHVAT: 'chVat',
};

const SCHEME_OF: Record<TaxIdKind, VatScheme> = { IOSS: 'ioss', UKVAT: 'uk', VOEC: 'voec', ARN: 'gst', NZGST: 'gst', CHVAT: 'ch' };

interface ImportRegime {
  id: TaxIdKind;
  atSale: RuleId;
  atImport: RuleId;
  deemed?: RuleId;
}

const IMPORT_REGIMES: Partial<Record<VatRegime, ImportRegime>> = {
  EU: { id: 'IOSS', atSale: 'EU-IOSS-150', atImport: 'EU-IMPORT-VAT', deemed: 'EU-DEEMED-SUPPLIER-IMPORT' },
  UK: { id: 'UKVAT', atSale: 'UK-VAT-AT-SALE-135', atImport: 'UK-IMPORT-VAT-DUTY', deemed: 'UK-OMP-DEEMED-SUPPLIER' },
  NO: { id: 'VOEC', atSale: 'NO-VOEC-3000', atImport: 'NO-IMPORT', deemed: 'NO-VOEC-MARKETPLACE' },
  AU: { id: 'ARN', atSale: 'AU-GST-LVG-1000', atImport: 'AU-IMPORT', deemed: 'AU-EDP-OPERATOR' },
  NZ: { id: 'NZGST', atSale: 'NZ-GST-LVG-1000', atImport: 'NZ-IMPORT', deemed: 'NZ-MARKETPLACE' },
};

const inForceOn = (id: RuleId, date: string) => inForce(RULES[id], date);

export function decideVat(f: SaleFacts): VatDecision {
  const regime = vatRegime(f.to);
  const dest = vatCountry(f.to);
  const mp = f.marketplace && ONLINE_MARKETPLACES.has(f.marketplace) ? f.marketplace : null;

  if (sameVatArea(f.from, f.to)) return local(f, regime, dest, mp);

  // ── an import into the destination's VAT area ──
  if (regime === 'CH') {
    if (mp && inForceOn('CH-PLATFORM-SUPPLIER', f.date)) {
      return { collector: 'marketplace', scheme: 'marketplace', country: dest, rule: 'CH-PLATFORM-SUPPLIER', reason: `sold through ${mp}: the platform is the deemed supplier of Swiss VAT`, taxId: { kind: 'CHVAT', holder: 'marketplace' } };
    }
    if (f.seller.chVat && inForceOn('CH-MAIL-ORDER', f.date)) {
      return { collector: 'seller', scheme: 'ch', country: dest, rule: 'CH-MAIL-ORDER', reason: 'registered for Swiss VAT: the seller charges it at sale and is the importer', taxId: { kind: 'CHVAT', holder: 'seller' } };
    }
    return { collector: 'import', scheme: 'import', country: dest, rule: 'CH-VAT-SMALL-AMOUNT', reason: 'no Swiss VAT registration: import VAT at the border (not collected when it is CHF 5 or less)' };
  }
  if (regime === 'US') {
    if (mp) return { collector: 'marketplace', scheme: 'marketplace', country: dest, rule: 'US-MARKETPLACE-FACILITATOR', reason: `sold through ${mp}: the marketplace facilitator collects the sales tax` };
    return { collector: 'import', scheme: 'import', country: dest, rule: 'US-DEMINIMIS-SUSPENDED', reason: 'no VAT at sale: duty (and any state tax) at import' };
  }
  const r = IMPORT_REGIMES[regime];
  if (!r) {
    const rule: RuleId = f.to.rule ?? 'NO-REGIME';
    return { collector: 'import', scheme: 'import', country: dest, rule, reason: `${f.to.name}: no VAT at sale; tax and duty at import` };
  }
  if (!f.lowValue) {
    return { collector: 'import', scheme: 'import', country: dest, rule: r.atImport, reason: f.lowValue === undefined ? 'the consignment value could not be tested: treated as above the threshold, VAT at import' : 'above the at-sale threshold (or excluded goods): VAT at import' };
  }
  if (mp && r.deemed && inForceOn(r.deemed, f.date)) {
    return { collector: 'marketplace', scheme: 'marketplace', country: dest, rule: r.deemed, reason: `sold through ${mp}: the marketplace is the deemed supplier and its ${r.id} number goes on the declaration`, taxId: { kind: r.id, holder: 'marketplace' } };
  }
  if (f.seller[SELLER_ID[r.id]] && inForceOn(r.atSale, f.date)) {
    return { collector: 'seller', scheme: SCHEME_OF[r.id], country: dest, rule: r.atSale, reason: `the seller charges the VAT at sale under its ${r.id} registration`, taxId: { kind: r.id, holder: 'seller' } };
  }
  return { collector: 'import', scheme: 'import', country: dest, rule: r.atImport, reason: `no ${r.id} registration and no marketplace collects it: VAT is collected at import`, unregistered: r.id };
}

function local(f: SaleFacts, destRegime: VatRegime, dest: string, mp: string | null): VatDecision {
  const goodsIn = vatCountry(f.from);
  // GB ↔ Northern Ireland is a UK domestic sale, although EU VAT rules for goods apply in Northern Ireland.
  const regime: VatRegime = ukVat(f.from) && ukVat(f.to) ? 'UK' : destRegime;
  const established = (area: 'EU' | 'UK') => {
    if (!f.sellerCountry) return true;
    const s = f.sellerCountry.toUpperCase();
    return area === 'EU' ? EU_COUNTRIES.has(s) : s === 'GB';
  };
  if (regime === 'EU' && mp && !established('EU') && inForceOn('EU-DEEMED-SUPPLIER-EU-STOCK', f.date)) {
    return { collector: 'marketplace', scheme: 'marketplace', country: dest, rule: 'EU-DEEMED-SUPPLIER-EU-STOCK', reason: `goods in the EU sold through ${mp} by a seller established outside the EU: the marketplace is the deemed supplier` };
  }
  if (regime === 'UK' && mp && !established('UK') && inForceOn('UK-OMP-DEEMED-SUPPLIER', f.date)) {
    return { collector: 'marketplace', scheme: 'marketplace', country: dest, rule: 'UK-OMP-DEEMED-SUPPLIER', reason: `goods in the UK sold through ${mp} by an overseas seller: the marketplace is the deemed supplier` };
  }
  if (regime === 'CH' && mp && inForceOn('CH-PLATFORM-SUPPLIER', f.date)) {
    return { collector: 'marketplace', scheme: 'marketplace', country: dest, rule: 'CH-PLATFORM-SUPPLIER', reason: `sold through ${mp}: the platform is the deemed supplier of Swiss VAT` };
  }
  if (regime === 'US' && mp) {
    return { collector: 'marketplace', scheme: 'marketplace', country: dest, rule: 'US-MARKETPLACE-FACILITATOR', reason: `sold through ${mp}: the marketplace facilitator collects the sales tax` };
  }
  if (regime === 'EU' && goodsIn !== dest) {
    const windsor = f.from.code === 'XI' || f.to.code === 'XI';
    return { collector: 'seller', scheme: 'oss', country: dest, rule: windsor ? 'TERR-NI-WINDSOR' : 'EU-OSS-DISTANCE-SALES', reason: `distance sale from ${goodsIn} to ${dest}: the seller charges ${dest} VAT and declares it in the OSS return` };
  }
  const uk = ukVat(f.from) && ukVat(f.to);
  const country = uk ? (f.from.code === 'XI' && f.to.code === 'XI' ? 'XI' : 'GB') : dest;
  return { collector: 'seller', scheme: 'domestic', country, rule: 'DOMESTIC', reason: `goods in ${goodsIn} sold to a buyer in ${dest}: the seller charges ${uk ? 'UK' : dest} VAT` };
}
