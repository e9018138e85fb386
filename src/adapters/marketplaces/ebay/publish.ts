// eBay publishing (`merchant listings publish --channel ebay-*`), the calls behind EbayPublishingPort:
//   - Commerce Taxonomy v1 (an application token, client-credentials grant): getDefaultCategoryTreeId
//     (cached per marketplace: tree ids do not change), getCategorySuggestions, getItemAspectsForCategory;
//   - Sell Account v1 (a user token WITH sell.account.readonly, asked for only here, so a consent without
//     it keeps sync and orders working): getFulfillmentPolicies / getPaymentPolicies / getReturnPolicies;
//   - Sell Inventory v1: createInventoryLocation (409/25803 "already exists" is adopted),
//     createOrReplaceInventoryItem, createOrReplaceInventoryItemGroup, getOffers, getOffer, createOffer,
//     publishOffer, publishOfferByInventoryItemGroup. Writes eBay refuses (400) come back as their list
//     of errors (every one of them, not only the first); transport failures are thrown (HttpError, with
//     `ambiguous` when a write may have happened).

import type { HttpClient } from '../../http/client.js';
import { HttpError } from '../../http/errors.js';
import { channelDef } from '../../../core/channels.js';
import { formatAmount } from '../../../core/money.js';
import type { EbayApiError, EbayAspect, EbayCategorySuggestion, EbayGroupBody, EbayItemBody, EbayOfferBody, EbayOfferState, EbayPolicies, EbayPublishingPort, EbayWrite } from '../../../ports/listing-publish.js';
import { asArray, asRecord, str } from '../common.js';

export const EBAY_ACCOUNT_SCOPE = 'https://api.ebay.com/oauth/api_scope/sell.account.readonly';

const I = '/sell/inventory/v1';

function marketplaceIdOf(channel: string): string {
  return channelDef(channel)?.remoteId ?? `EBAY_${channel.replace(/^ebay-/, '').toUpperCase()}`;
}
/** Content-Language of a marketplace's payloads: en-GB, de-DE (channels keep en_GB style for Amazon). */
function languageOf(channel: string): string {
  return (channelDef(channel)?.language ?? 'en-US').replace('_', '-');
}

function errorsOf(data: unknown, status: number): EbayApiError[] {
  const list = asArray(asRecord(data).errors).map(asRecord);
  if (!list.length) return [{ errorId: `HTTP_${status}`, message: `eBay answered ${status}` }];
  return list.map((e) => ({ errorId: String(e.errorId ?? ''), message: str(e.longMessage) ?? str(e.message) ?? '' }));
}

export interface EbayPublishingClients {
  /** The seller's token (sell.inventory, sell.fulfillment). */
  user: HttpClient;
  /** The seller's token asking for sell.account.readonly too (business policies only). */
  account: HttpClient;
  /** An application token (client credentials): Taxonomy. */
  app: HttpClient;
  remoteSku(sku: string, channel: string, mapped: string | null): string;
}

export class EbayPublishing implements EbayPublishingPort {
  private trees = new Map<string, string>();
  constructor(private c: EbayPublishingClients) {}

  remoteSku(sku: string, channel: string, mapped: string | null): string {
    return this.c.remoteSku(sku, channel, mapped);
  }

  private async tree(channel: string): Promise<string> {
    const mk = marketplaceIdOf(channel);
    const hit = this.trees.get(mk);
    if (hit) return hit;
    const res = await this.c.app.request<{ categoryTreeId?: string }>({ method: 'GET', url: '/commerce/taxonomy/v1/get_default_category_tree_id', params: { marketplace_id: mk }, operation: 'getDefaultCategoryTreeId' });
    const id = res.data.categoryTreeId;
    if (!id) throw new HttpError(`ebay: getDefaultCategoryTreeId answered without a categoryTreeId for ${mk}`, { service: 'ebay', kind: 'malformed', status: res.status, method: 'GET', url: 'commerce/taxonomy/v1/get_default_category_tree_id', attempts: res.attempts });
    this.trees.set(mk, id);
    return id;
  }

  async categorySuggestions(channel: string, query: string): Promise<EbayCategorySuggestion[]> {
    const tree = await this.tree(channel);
    const res = await this.c.app.request<{ categorySuggestions?: unknown[] }>({ method: 'GET', url: `/commerce/taxonomy/v1/category_tree/${encodeURIComponent(tree)}/get_category_suggestions`, params: { q: query }, operation: 'getCategorySuggestions' });
    if (res.status === 204) return [];
    return asArray(res.data?.categorySuggestions).map(asRecord).map((s) => {
      const cat = asRecord(s.category);
      const anc = asArray(s.categoryTreeNodeAncestors).map(asRecord).sort((a, b) => Number(a.categoryTreeNodeLevel ?? 0) - Number(b.categoryTreeNodeLevel ?? 0));
      const name = str(cat.categoryName) ?? '';
      return { categoryId: str(cat.categoryId) ?? '', categoryName: name, path: [...anc.map((a) => str(a.categoryName) ?? ''), name].filter(Boolean).join(' > ') };
    }).filter((s) => s.categoryId);
  }

  async aspects(channel: string, categoryId: string): Promise<EbayAspect[] | null> {
    const tree = await this.tree(channel);
    const res = await this.c.app.request<{ aspects?: unknown[] }>({ method: 'GET', url: `/commerce/taxonomy/v1/category_tree/${encodeURIComponent(tree)}/get_item_aspects_for_category`, params: { category_id: categoryId }, operation: 'getItemAspectsForCategory', acceptStatus: [400, 404] });
    if (res.status === 400 || res.status === 404) return null;
    return asArray(res.data.aspects).map(asRecord).map((a) => {
      const k = asRecord(a.aspectConstraint);
      return {
        name: str(a.localizedAspectName) ?? '',
        required: k.aspectRequired === true,
        mode: str(k.aspectMode) === 'SELECTION_ONLY' ? ('SELECTION_ONLY' as const) : ('FREE_TEXT' as const),
        multi: str(k.itemToAspectCardinality) === 'MULTI',
        forVariations: k.aspectEnabledForVariations === true,
        values: asArray(a.aspectValues).map(asRecord).map((v) => str(v.localizedValue) ?? '').filter(Boolean),
      };
    }).filter((a) => a.name);
  }

  async policies(channel: string): Promise<EbayPolicies> {
    const mk = marketplaceIdOf(channel);
    const read = async (kind: 'fulfillment' | 'payment' | 'return', key: string, idKey: string) => {
      const res = await this.c.account.request<Record<string, unknown>>({ method: 'GET', url: `/sell/account/v1/${kind}_policy`, params: { marketplace_id: mk }, operation: `get${kind[0]!.toUpperCase()}${kind.slice(1)}Policies` });
      return asArray(res.data[key]).map(asRecord).map((p) => ({ id: str(p[idKey]) ?? '', name: str(p.name) ?? '' })).filter((p) => p.id);
    };
    try {
      return { fulfillment: await read('fulfillment', 'fulfillmentPolicies', 'fulfillmentPolicyId'), payment: await read('payment', 'paymentPolicies', 'paymentPolicyId'), return: await read('return', 'returnPolicies', 'returnPolicyId') };
    } catch (e) {
      if (e instanceof HttpError && (e.kind === 'auth' || e.status === 403)) {
        throw new HttpError(`eBay refused to show the business policies: the seller's consent does not include sell.account.readonly (${e.apiCode ?? e.status ?? e.kind})`, {
          service: 'ebay',
          kind: 'auth',
          status: e.status,
          apiCode: e.apiCode ?? 'invalid_scope',
          method: 'GET',
          url: 'sell/account/v1/fulfillment_policy',
          attempts: e.attempts,
          hints: [
            'listings publish reads your eBay business policies (shipping, payment, returns) with the sell.account.readonly scope; consents given before merchant published listings lack it',
            'grant merchant access again including sell.account.readonly, then run `merchant marketplace connect ebay --token-file FILE`',
            'or name the policies yourself (their ids are in Seller Hub > Account > Business policies): --fulfillment-policy ID --payment-policy ID --return-policy ID',
          ],
        });
      }
      throw e;
    }
  }

  async ensureLocation(key: string, a: { name: string; street1: string; street2?: string; city: string; state?: string; postalCode: string; country: string }): Promise<'created' | 'exists'> {
    const address = { addressLine1: a.street1, ...(a.street2 ? { addressLine2: a.street2 } : {}), city: a.city, ...(a.state ? { stateOrProvince: a.state } : {}), postalCode: a.postalCode, country: a.country.toUpperCase() };
    const res = await this.c.user.request({
      method: 'POST',
      url: `${I}/location/${encodeURIComponent(key)}`,
      data: { location: { address }, name: a.name.slice(0, 1000), merchantLocationStatus: 'ENABLED', locationTypes: ['WAREHOUSE'] },
      headers: { 'Content-Type': 'application/json' },
      operation: 'createInventoryLocation',
      // Creating a location twice is harmless: the second answer is 409 "already exists", adopted.
      idempotent: true,
      acceptStatus: [409],
    });
    return res.status === 409 ? 'exists' : 'created';
  }

  async offers(remoteSku: string): Promise<EbayOfferState[]> {
    const res = await this.c.user.request<{ offers?: unknown[] }>({ method: 'GET', url: `${I}/offer`, params: { sku: remoteSku, limit: 100 }, operation: 'getOffers', acceptStatus: [404] });
    if (res.status === 404) return [];
    return asArray(res.data.offers).map(asRecord).map(offerState);
  }

  async getOffer(offerId: string): Promise<EbayOfferState | null> {
    const res = await this.c.user.request<unknown>({ method: 'GET', url: `${I}/offer/${encodeURIComponent(offerId)}`, operation: 'getOffer', acceptStatus: [404] });
    return res.status === 404 ? null : offerState(asRecord(res.data));
  }

  async putItem(channel: string, remoteSku: string, item: EbayItemBody): Promise<EbayWrite<object>> {
    const lang = languageOf(channel);
    const product: Record<string, unknown> = { title: item.title, description: item.description, aspects: item.aspects, imageUrls: item.imageUrls };
    if (item.brand) product.brand = item.brand;
    if (item.ean?.length) product.ean = item.ean;
    if (item.upc?.length) product.upc = item.upc;
    const body: Record<string, unknown> = {
      // No locale here: createOrReplaceInventoryItem's InventoryItem has none (Content-Language says it).
      condition: item.condition,
      product,
      availability: { shipToLocationAvailability: { quantity: item.quantity } },
      ...(item.weightGrams ? { packageWeightAndSize: { weight: { unit: 'GRAM', value: item.weightGrams } } } : {}),
    };
    const res = await this.c.user.request({ method: 'PUT', url: `${I}/inventory_item/${encodeURIComponent(remoteSku)}`, data: body, headers: { 'Content-Type': 'application/json', 'Content-Language': lang }, operation: 'createOrReplaceInventoryItem', acceptStatus: [400] });
    return res.status === 400 ? { ok: false, errors: errorsOf(res.data, 400) } : { ok: true };
  }

  async putGroup(channel: string, groupKey: string, g: EbayGroupBody): Promise<EbayWrite<object>> {
    const lang = languageOf(channel);
    const body = { title: g.title, description: g.description, imageUrls: g.imageUrls, aspects: g.aspects, variantSKUs: g.variantSkus, variesBy: { specifications: g.variesBy, ...(g.variesBy[0] ? { aspectsImageVariesBy: [g.variesBy[0].name] } : {}) } };
    const res = await this.c.user.request({ method: 'PUT', url: `${I}/inventory_item_group/${encodeURIComponent(groupKey)}`, data: body, headers: { 'Content-Type': 'application/json', 'Content-Language': lang }, operation: 'createOrReplaceInventoryItemGroup', acceptStatus: [400] });
    return res.status === 400 ? { ok: false, errors: errorsOf(res.data, 400) } : { ok: true };
  }

  private offerBody(channel: string, o: EbayOfferBody): Record<string, unknown> {
    return {
      sku: o.remoteSku,
      marketplaceId: marketplaceIdOf(channel),
      format: 'FIXED_PRICE',
      availableQuantity: o.quantity,
      categoryId: o.categoryId,
      ...(o.description ? { listingDescription: o.description } : {}),
      listingDuration: 'GTC',
      listingPolicies: o.policies,
      merchantLocationKey: o.merchantLocationKey,
      pricingSummary: { price: { value: formatAmount(o.price), currency: o.price.currency } },
    };
  }

  async updateOffer(channel: string, offerId: string, o: EbayOfferBody): Promise<EbayWrite<object>> {
    const res = await this.c.user.request({ method: 'PUT', url: `${I}/offer/${encodeURIComponent(offerId)}`, data: this.offerBody(channel, o), headers: { 'Content-Type': 'application/json', 'Content-Language': languageOf(channel) }, operation: 'updateOffer', acceptStatus: [400] });
    return res.status === 400 ? { ok: false, errors: errorsOf(res.data, 400) } : { ok: true };
  }

  async createOffer(channel: string, o: EbayOfferBody): Promise<EbayWrite<{ offerId: string }>> {
    const body = this.offerBody(channel, o);
    const res = await this.c.user.request<{ offerId?: string }>({ method: 'POST', url: `${I}/offer`, data: body, headers: { 'Content-Type': 'application/json', 'Content-Language': languageOf(channel) }, operation: 'createOffer', acceptStatus: [400] });
    if (res.status === 400) return { ok: false, errors: errorsOf(res.data, 400) };
    const offerId = res.data.offerId;
    if (!offerId) throw new HttpError('ebay: createOffer answered without an offerId', { service: 'ebay', kind: 'malformed', status: res.status, method: 'POST', url: 'sell/inventory/v1/offer', attempts: res.attempts, ambiguous: true });
    return { ok: true, offerId };
  }

  async publishOffer(offerId: string): Promise<EbayWrite<{ listingId: string }>> {
    const res = await this.c.user.request<{ listingId?: string }>({ method: 'POST', url: `${I}/offer/${encodeURIComponent(offerId)}/publish`, operation: 'publishOffer', acceptStatus: [400] });
    if (res.status === 400) return { ok: false, errors: errorsOf(res.data, 400) };
    return { ok: true, listingId: res.data.listingId ?? '' };
  }

  async publishGroup(channel: string, groupKey: string): Promise<EbayWrite<{ listingId: string }>> {
    const res = await this.c.user.request<{ listingId?: string }>({ method: 'POST', url: `${I}/offer/publish_by_inventory_item_group`, data: { inventoryItemGroupKey: groupKey, marketplaceId: marketplaceIdOf(channel) }, headers: { 'Content-Type': 'application/json' }, operation: 'publishOfferByInventoryItemGroup', acceptStatus: [400] });
    if (res.status === 400) return { ok: false, errors: errorsOf(res.data, 400) };
    return { ok: true, listingId: res.data.listingId ?? '' };
  }

  async groupListing(channel: string, remoteSkus: readonly string[]): Promise<string | null> {
    const mk = marketplaceIdOf(channel);
    for (const s of remoteSkus) {
      const o = (await this.offers(s)).find((x) => x.marketplaceId === mk && x.listingId && x.status === 'PUBLISHED');
      if (o) return o.listingId;
    }
    return null;
  }
}

function offerState(o: Record<string, unknown>): EbayOfferState {
  return { offerId: str(o.offerId) ?? '', marketplaceId: str(o.marketplaceId) ?? '', format: str(o.format) ?? null, status: str(o.status) ?? null, listingId: str(asRecord(o.listing).listingId) ?? null };
}
