// The canonical customs model: what a declaration says (per unit: quantity, unit value, unit weight,
// as the reference advises; every carrier adapter computes its own totals) and what `customs check`
// decides. Pure types, no I/O.

import type { Money, Ratio } from '../money.js';

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
}

/** The seller's registration numbers (from the profile, or the parcel file's `seller`). */
export interface SellerIds {
  ioss?: string;
  eori?: string;
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

export interface CustomsInput {
  /** The shipment (posting / import) date, YYYY-MM-DD: rules and rates are taken as of this date. */
  date: string;
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

/** Exchange rates as input (the engine never reads a store): the rate to use on the input's date. */
export type FxLookup = (from: string, to: string) => FxQuote | undefined;

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
  fx?: { from: string; to: string; rate: string; rateDate: string; source: string };
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
  requiredIds: string[];
  dutyApplies: boolean;
  errors: Finding[];
  warnings: Finding[];
  rules: AppliedRule[];
  date: string;
  from: string;
  to: string;
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
