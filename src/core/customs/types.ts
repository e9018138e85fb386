// The canonical customs model: what a declaration says (per unit: quantity, unit value, unit weight,
// as the reference advises; every carrier adapter computes its own totals) and what `customs check`
// decides. Pure types, no I/O.

import type { Money, Ratio } from '../money.js';
import type { TaxIdKind, VatCollector, VatScheme } from './vat-collector.js';

export type ServiceKind = 'postal' | 'courier';
export type Incoterm = 'DAP' | 'DDP';
export type ContentsType = 'merchandise' | 'gift' | 'documents' | 'sample' | 'returned_goods' | 'other';
/** How a lithium battery travels with the item (IATA PI 965–970 wording). */
export type BatteryPacking = 'none' | 'installed' | 'packed' | 'loose';
export type BatteryChemistry = 'lithium-ion' | 'lithium-metal';

export interface CustomsItem {
  description: string;
  sku?: string;
  hsCode?: string;
  originCountry?: string;
  quantity: number;
  unitValue: Money;
  unitWeightGrams: number;
  battery?: BatteryPacking;
  batteryChemistry?: BatteryChemistry;
  /** Standardised manufacturer product identifier (GTIN / EAN / UPC), where the product has one. */
  gtin?: string;
  /** The manufacturer's own product code (a non-standard manufacturer identifier). */
  manufacturerCode?: string;
  /** The goods claim preferential origin (a trade agreement) or a Customs Union measure in the declaration. */
  preferentialOrigin?: boolean;
}

/** The seller's registration numbers (from the profile, or the parcel file's `seller`). */
export interface SellerIds {
  ioss?: string;
  eori?: string;
  /** Further EORI numbers (a seller may hold a GB and an EU one); the one valid for the destination is used. */
  eoris?: string[];
  ukVat?: string;
  voec?: string;
  abnArn?: string;
  chVat?: string;
  nzGst?: string;
}

export interface CustomsAddress {
  country: string;
  postalCode?: string;
}

/** How the goods were sold: through an online marketplace (a possible deemed supplier) or the seller's own shop. */
export interface SaleInfo {
  /** amazon, ebay…; null (or absent) = the seller's own shop. */
  marketplace: string | null;
  /** The channel (amazon-de, shopify, …) for the record. */
  channel?: string;
  /** Where the seller is established (profile country). */
  sellerCountry?: string;
  /** The marketplace's own registration numbers, when the order carries them (it provides them for the declaration). */
  marketplaceIds?: Partial<Record<TaxIdKind, string>>;
}

export type DeclarationType = 'H7' | 'H6' | 'H1';

export interface CustomsInput {
  /** The shipment (posting / import) date, YYYY-MM-DD: rules and customs rates are taken as of this date. */
  date: string;
  /** The day payment was accepted (the VAT-at-sale threshold tests use its rate); default: `date`. */
  paymentDate?: string;
  /** The sale behind the parcel (who collects the VAT); absent = the seller's own shop. */
  sale?: SaleInfo;
  /** EU import declaration data set: H7 (low value, default ≤ EUR 150), H6 (postal) or H1 (full). */
  declarationType?: DeclarationType;
  from: CustomsAddress;
  to: CustomsAddress;
  service: ServiceKind;
  currency: string;
  shipping: Money;
  incoterm: Incoterm;
  contentsType: ContentsType;
  items: CustomsItem[];
  /** Gross weight of the parcel when known (packaging included); otherwise the items' net weight is used. */
  grossWeightGrams?: number;
  seller: SellerIds;
  /** Order value (items, before shipping) to compare the declaration with, when the parcel comes from an order. */
  orderValue?: Money;
}

/** 1 unit of `from` = `rate` units of `to`, as published on `rateDate` by `source`. */
export interface FxQuote {
  rate: Ratio;
  rateDate: string;
  source: string;
}

/**
 * Exchange rates as input (the engine never reads a store): the rate on `date` (or the latest earlier
 * publication); without a date, the input's shipment date.
 */
export type FxLookup = (from: string, to: string, date?: string) => FxQuote | undefined;

export type Form = 'none' | 'CN22' | 'CN23' | 'commercial-invoice';

export interface Finding {
  code: string;
  message: string;
  /** The item's description (or SKU) when the finding is about one item. */
  item?: string;
  /** 1-based position of the item in the declaration. */
  itemIndex?: number;
  /** The rule that raised it. */
  rule?: string;
}

export interface AppliedRule {
  id: string;
  effectiveFrom: string;
  effectiveTo?: string;
  source: string;
  /** What the rule decided for this parcel, in one line. */
  outcome: string;
}

export interface ThresholdTest {
  rule: string;
  /** What is compared: the consignment's intrinsic value, one item's value, the VAT amount… */
  basis: string;
  value: { amount: string; currency: string };
  threshold: { amount: string; currency: string };
  comparison: 'below' | 'at' | 'above';
  /** The conversion used (absent when the values were already in the threshold's currency). */
  fx?: { from: string; to: string; rate: string; rateDate: string; source: string; basis?: string };
}

/** A registration number the declaration must carry, and whose it is. */
export interface DeclarationId {
  id: string;
  holder: 'seller' | 'marketplace';
  /** The number; null when the marketplace's number is not known here (take it from the order). */
  number: string | null;
}

export interface Charge {
  rule: string;
  kind: 'duty' | 'fee';
  amount: string;
  currency: string;
  basis: string;
}

export interface CheckedItem {
  index: number;
  description: string;
  sku?: string;
  hsCode?: string;
  hsDescription?: string;
  originCountry?: string;
  quantity: number;
  unitValue: string;
  lineValue: string;
  currency: string;
  unitWeightGrams: number;
  lineWeightGrams: number;
  flags: string[];
}

export interface CustomsResult {
  ok: boolean;
  form: Form;
  vatCollectedAtSale: boolean;
  /** Who collects and remits the VAT: the seller, the marketplace (deemed supplier) or nobody at sale (import). */
  vatCollector: VatCollector;
  vatScheme: VatScheme;
  /** The country whose VAT is due (XI = Northern Ireland). */
  vatCountry: string;
  requiredIds: string[];
  /** The numbers that go on the declaration, with whose they are (never the seller's when the marketplace collected). */
  declarationIds: DeclarationId[];
  dutyApplies: boolean;
  errors: Finding[];
  warnings: Finding[];
  rules: AppliedRule[];
  date: string;
  from: string;
  to: string;
  /** The territories when they differ from the country (XI, IC, EA, AX, ATHOS, JE, GG). */
  fromTerritory: string;
  toTerritory: string;
  regime: string;
  service: ServiceKind;
  incoterm: Incoterm;
  contentsType: ContentsType;
  currency: string;
  value: string;
  shipping: string;
  netWeightGrams: number;
  grossWeightGrams: number;
  thresholds: ThresholdTest[];
  charges: Charge[];
  items: CheckedItem[];
}
