// What `merchant listings publish` needs, kept apart from sync's push (MarketplacePort): creating a
// listing is a different conversation with each marketplace (Amazon: match the GTIN to an ASIN, read
// the product type's schema, submit the whole listing; eBay: category, policies, location, offer,
// publish), and the store's side (which SKUs to publish, what was sent, the issues Amazon reported).

import type { Money } from '../core/money.js';

/** One problem Amazon reports on a listing (putListingsItem / getListingsItem issues). */
export interface ListingIssue {
  code: string;
  message: string;
  /** ERROR (not buyable or refused), WARNING, INFO. */
  severity: string;
  attributeNames: string[];
  categories?: string[];
}

/** An Amazon catalogue item a GTIN matched (searchCatalogItems). */
export interface CatalogMatch {
  asin: string;
  productType?: string;
  itemName?: string;
  brand?: string;
}

/** The sales terms of a new listing: price (pricing rules) and quantity (inventory rules), merchant-fulfilled. */
export interface AmazonOffer {
  price: Money;
  quantity: number;
  /** Days to ship (lead_time_to_ship_max_days), when the seller set one. */
  handlingDays?: number;
}

export type AmazonRequirements = 'LISTING' | 'LISTING_OFFER_ONLY';

/** A product type's definition: its JSON Schema, as getDefinitionsProductType links it. */
export interface ProductTypeSchema {
  productType: string;
  requirements: AmazonRequirements;
  version: string;
  /** The definition's locale (the marketplace's language): text attributes are tagged with it. */
  locale: string;
  /** The JSON Schema document (Amazon's meta-schema v1, a draft 2019-09 vocabulary). */
  schema: Record<string, unknown>;
}

export interface AmazonListingState {
  found: boolean;
  asin?: string;
  productType?: string;
  /** BUYABLE, DISCOVERABLE… */
  status?: string[];
  issues: ListingIssue[];
}

export interface AmazonPutResult {
  /** ACCEPTED (queued for processing), INVALID (refused; nothing changed), VALID (preview only). */
  status: 'ACCEPTED' | 'INVALID' | 'VALID';
  submissionId?: string;
  issues: ListingIssue[];
  asin?: string;
}

export interface AmazonPublishingPort {
  /** searchCatalogItems by identifier, ≤ 20 per call: GTIN → the catalogue items it matches. */
  matchIdentifiers(channel: string, type: 'EAN' | 'UPC' | 'GTIN', values: readonly string[]): Promise<Map<string, CatalogMatch[]>>;
  /** getDefinitionsProductType and the schema its link points to. */
  productTypeSchema(channel: string, productType: string, requirements: AmazonRequirements): Promise<ProductTypeSchema>;
  /** getListingsItem with summaries and issues (found: false on 404). */
  listing(channel: string, sku: string): Promise<AmazonListingState>;
  /**
   * putListingsItem (a whole listing: create, or replace all of its attributes). The offer (price and
   * the seller's own stock) is added by the adapter as purchasable_offer and fulfillment_availability,
   * the price as an exact decimal.
   */
  putListing(channel: string, sku: string, body: { productType: string; requirements: AmazonRequirements; attributes: Record<string, unknown[]>; offer: AmazonOffer }): Promise<AmazonPutResult>;
}

// ---- the store's side ----

/** A catalogue SKU as publishing sees it, with its listing on one channel (if any). */
export interface PublishCandidate {
  sku: string;
  handle: string;
  title: string;
  variantTitle: string | null;
  description: string | null;
  brand: string | null;
  vendor: string | null;
  barcode: string | null;
  imageUrl: string | null;
  originCountry: string | null;
  weightGrams: number | null;
  options: Array<{ name: string; value: string }>;
  status: 'active' | 'draft' | 'archived';
  /** The SKU the marketplace knows the listing by, when a mapping is stored (eBay: channel_listings.remote_sku). */
  remoteSku?: string | null;
  /** Available stock (on hand − reserved), null when the SKU has no stock level. */
  available: number | null;
  /** The channel listing (price from the pricing rules), absent: never priced for this channel. */
  listing: null | {
    price: Money | null;
    status: string;
    ackedStatus: string | null;
    remoteId: string | null;
  };
}

/** What the seller chose for a SKU on a channel, kept between runs. */
export interface PublishSettings {
  productType: string | null;
  /** eBay: the leaf category the seller confirmed. */
  categoryId?: string | null;
  /** Attribute name → raw values from the attributes file (fields as "name.field" keys). */
  attributes: Record<string, string>;
}

export type PublicationState = 'sending' | 'listed' | 'refused' | 'failed';

export interface PublicationRecord {
  channel: string;
  sku: string;
  state: PublicationState;
  method: 'offer' | 'create' | 'adopted' | 'migrated';
  remoteRef: string | null;
  productType: string | null;
  issues: ListingIssue[];
  message: string | null;
  updatedAt: string;
}

export interface PublishStore {
  /** Every SKU of the catalogue with its listing on `channel`, SKU order. */
  candidates(channel: string): PublishCandidate[];
  settings(channel: string, skus: readonly string[]): Map<string, PublishSettings>;
  /** Merge (non-empty values win) and keep. */
  saveSettings(channel: string, rows: ReadonlyArray<{ sku: string; productType?: string | null; categoryId?: string | null; attributes: Record<string, string> }>, at: string): void;
  /** Choices made once per channel (eBay business policies, merchant location key). */
  channelSettings(channel: string): Record<string, string>;
  saveChannelSettings(channel: string, values: Record<string, string>, at: string): void;
  /** The business profile's ship-from address (eBay merchant location), null when not set. */
  shipFrom(): { name: string; street1: string; street2?: string; city: string; state?: string; postalCode: string; country: string } | null;
  publications(channel: string, skus: readonly string[]): Map<string, PublicationRecord>;
  /** Recorded before the request goes out: a crash leaves 'sending', read back by the next run. */
  markSending(channel: string, sku: string, method: 'offer' | 'create', productType: string, requestHash: string, at: string): void;
  /**
   * The listing exists on the marketplace: the publication, the channel listing's remote id and the
   * values the marketplace now has (acked, so sync sends only later changes), in one transaction.
   */
  markListed(channel: string, sku: string, r: { method: 'offer' | 'create' | 'adopted' | 'migrated'; remoteRef: string | null; productType: string | null; issues: ListingIssue[]; acked: { price: Money | null; quantity: number | null } | null; at: string; remoteId?: string | null; remoteSku?: string | null }): void;
  markRefused(channel: string, sku: string, r: { issues: ListingIssue[]; message: string; at: string; state?: 'refused' | 'failed' }): void;
  /** Keep the issues Amazon reports on a listing now (listings show). */
  saveIssues(channel: string, sku: string, issues: ListingIssue[], at: string): void;
  audit(detail: Record<string, unknown>, at: string): void;
}

// ---- eBay (Sell Inventory, Sell Account, Commerce Taxonomy) ----

/** A leaf category getCategorySuggestions proposes for a title. */
export interface EbayCategorySuggestion {
  categoryId: string;
  categoryName: string;
  /** "Home, Furniture & DIY > Home Décor > Vases" */
  path: string;
}

/** One item specific of a leaf category (getItemAspectsForCategory). */
export interface EbayAspect {
  name: string;
  required: boolean;
  /** SELECTION_ONLY: the value must be one of `values`. */
  mode: 'FREE_TEXT' | 'SELECTION_ONLY';
  multi: boolean;
  /** Can tell the variants of a multiple-variation listing apart (Colour, Size). */
  forVariations: boolean;
  values: string[];
}

export interface EbayPolicy {
  id: string;
  name: string;
}

export interface EbayPolicies {
  fulfillment: EbayPolicy[];
  payment: EbayPolicy[];
  return: EbayPolicy[];
}

/** An Inventory API offer of an eBay SKU. */
export interface EbayOfferState {
  offerId: string;
  marketplaceId: string;
  format: string | null;
  status: string | null;
  listingId: string | null;
}

/** createOrReplaceInventoryItem: what merchant sends for one SKU. */
export interface EbayItemBody {
  title: string;
  description: string;
  aspects: Record<string, string[]>;
  imageUrls: string[];
  condition: string;
  quantity: number;
  brand?: string;
  ean?: string[];
  upc?: string[];
  weightGrams?: number;
}

export interface EbayGroupBody {
  title: string;
  description: string;
  imageUrls: string[];
  aspects: Record<string, string[]>;
  variantSkus: string[];
  variesBy: Array<{ name: string; values: string[] }>;
}

export interface EbayOfferBody {
  remoteSku: string;
  categoryId: string;
  policies: { fulfillmentPolicyId: string; paymentPolicyId: string; returnPolicyId: string };
  merchantLocationKey: string;
  price: Money;
  quantity: number;
  /** Omitted for a variation (the group's description is the listing's). */
  description?: string;
}

/** One error eBay returned ({errorId, message}). */
export interface EbayApiError {
  errorId: string;
  message: string;
}

/** A write eBay answered: ok, or the errors it refused with (400). Transport failures are thrown. */
export type EbayWrite<T> = ({ ok: true } & T) | { ok: false; errors: EbayApiError[] };

export interface EbayPublishingPort {
  /** The eBay SKU of `sku` on `channel`: the stored mapping, else merchant's convention. */
  remoteSku(sku: string, channel: string, mapped: string | null): string;
  categorySuggestions(channel: string, query: string): Promise<EbayCategorySuggestion[]>;
  /** The aspects of a leaf category, or null when the category is unknown or not a leaf. */
  aspects(channel: string, categoryId: string): Promise<EbayAspect[] | null>;
  /** The seller's business policies on the channel's marketplace (Sell Account API, sell.account.readonly). */
  policies(channel: string): Promise<EbayPolicies>;
  /** createInventoryLocation; an existing key is adopted ('exists'). */
  ensureLocation(key: string, address: { name: string; street1: string; street2?: string; city: string; state?: string; postalCode: string; country: string }): Promise<'created' | 'exists'>;
  /** getOffers by eBay SKU ([] when eBay has none). */
  offers(remoteSku: string): Promise<EbayOfferState[]>;
  getOffer(offerId: string): Promise<EbayOfferState | null>;
  putItem(channel: string, remoteSku: string, item: EbayItemBody): Promise<EbayWrite<object>>;
  putGroup(channel: string, groupKey: string, group: EbayGroupBody): Promise<EbayWrite<object>>;
  createOffer(channel: string, offer: EbayOfferBody): Promise<EbayWrite<{ offerId: string }>>;
  /** updateOffer: an unpublished offer found on eBay is completed with what this run would have created. */
  updateOffer(channel: string, offerId: string, offer: EbayOfferBody): Promise<EbayWrite<object>>;
  publishOffer(offerId: string): Promise<EbayWrite<{ listingId: string }>>;
  publishGroup(channel: string, groupKey: string): Promise<EbayWrite<{ listingId: string }>>;
  /** The offers of a published group's listing, read back (listingId of the first published one). */
  groupListing(channel: string, remoteSkus: readonly string[]): Promise<string | null>;
}
