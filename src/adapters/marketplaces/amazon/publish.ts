// The calls `merchant listings publish` makes to Amazon (ports/listing-publish.ts):
//   searchCatalogItems (Catalog Items 2022-04-01) by EAN/UPC/GTIN, 20 identifiers a call, one
//     marketplace a call (the model's maxItems 1);
//   getDefinitionsProductType (Product Type Definitions 2020-09-01) with the requirements set, then
//     the schema document at its link (a presigned URL: no SP-API token on it), cached per run;
//   getListingsItem with summaries and issues;
//   putListingsItem with `requirements` in the body. A PUT replaces a listing whole, so it is sent
//     as non-idempotent: a lost answer is never retried blindly but read back by the caller.
// Sources: https://developer-docs.amazon.com/sp-api/docs/catalog-items-api-v2022-04-01-reference,
// https://developer-docs.amazon.com/sp-api/docs/product-type-definitions-api-v2020-09-01-use-case-guide,
// https://developer-docs.amazon.com/sp-api/docs/listings-items-api-v2021-08-01-use-case-guide.

import type { HttpClient, HttpResponse, RequestOptions } from '../../http/client.js';
import { HttpError } from '../../http/errors.js';
import { channelDef } from '../../../core/channels.js';
import type { AmazonOffer, AmazonListingState, AmazonPublishingPort, AmazonPutResult, AmazonRequirements, CatalogMatch, ListingIssue, ProductTypeSchema } from '../../../ports/listing-publish.js';
import { asArray, asRecord, decimalOf, jsonWithDecimals, str } from '../common.js';
import type { AmazonOperation } from './limits.js';
import { regionOf, type AmazonRegion } from './regions.js';


export type AmazonCall = <T>(region: AmazonRegion, op: AmazonOperation, req: Omit<RequestOptions, 'operation' | 'pace'>, marketplaceIds: readonly string[]) => Promise<HttpResponse<T>>;

const IDENTIFIERS_PER_CALL = 20;

export class AmazonPublishing implements AmazonPublishingPort {
  private schemas = new Map<string, ProductTypeSchema>();
  constructor(
    private sellerId: string,
    private call: AmazonCall,
    /** Presigned document URLs (no SP-API token). */
    private docHttp: HttpClient,
  ) {}

  private where(channel: string): { mk: string; region: AmazonRegion } {
    const mk = channelDef(channel)?.remoteId;
    const region = mk ? regionOf(mk) : undefined;
    if (!mk || !region) throw new HttpError(`amazon: ${channel} is not an Amazon marketplace merchant knows`, { service: 'amazon', kind: 'http', method: '-', url: channel, attempts: 0 });
    return { mk, region };
  }

  private listingPath(sku: string): string {
    return `/listings/2021-08-01/items/${encodeURIComponent(this.sellerId)}/${encodeURIComponent(sku)}`;
  }

  async matchIdentifiers(channel: string, type: 'EAN' | 'UPC' | 'GTIN', values: readonly string[]): Promise<Map<string, CatalogMatch[]>> {
    const { mk, region } = this.where(channel);
    const out = new Map<string, CatalogMatch[]>();
    const unique = [...new Set(values)];
    for (let i = 0; i < unique.length; i += IDENTIFIERS_PER_CALL) {
      const batch = unique.slice(i, i + IDENTIFIERS_PER_CALL);
      for (const v of batch) out.set(v, []);
      let pageToken: string | undefined;
      do {
        const res = await this.call<{ items?: unknown[]; pagination?: { nextToken?: string } }>(
          region,
          'searchCatalogItems',
          { method: 'GET', url: '/catalog/2022-04-01/items', params: { identifiers: batch.join(','), identifiersType: type, marketplaceIds: mk, includedData: 'identifiers,productTypes,summaries', pageSize: 20, ...(pageToken ? { pageToken } : {}) } },
          [mk],
        );
        for (const raw of asArray(res.data.items).map(asRecord)) {
          const asin = str(raw.asin);
          if (!asin) continue;
          const pt = asArray(raw.productTypes).map(asRecord).find((p) => str(p.marketplaceId) === mk) ?? asRecord(asArray(raw.productTypes)[0]);
          const sum = asArray(raw.summaries).map(asRecord).find((p) => str(p.marketplaceId) === mk) ?? asRecord(asArray(raw.summaries)[0]);
          const match: CatalogMatch = { asin, productType: str(pt.productType), itemName: str(sum.itemName), brand: str(sum.brand) };
          // Which of the asked identifiers this item carries.
          const ids = asArray(raw.identifiers).flatMap((g) => asArray(asRecord(g).identifiers).map((x) => str(asRecord(x).identifier) ?? ''));
          for (const v of batch) if (ids.some((id) => sameGtin(id, v)) && !out.get(v)!.some((m) => m.asin === asin)) out.get(v)!.push(match);
        }
        pageToken = str(asRecord(res.data.pagination).nextToken);
      } while (pageToken);
    }
    return out;
  }

  async productTypeSchema(channel: string, productType: string, requirements: AmazonRequirements): Promise<ProductTypeSchema> {
    const { mk, region } = this.where(channel);
    const key = `${mk}/${productType}/${requirements}`;
    const cached = this.schemas.get(key);
    if (cached) return cached;
    const def = await this.call<Record<string, unknown>>(
      region,
      'getDefinitionsProductType',
      { method: 'GET', url: `/definitions/2020-09-01/productTypes/${encodeURIComponent(productType)}`, params: { marketplaceIds: mk, sellerId: this.sellerId, requirements, requirementsEnforced: 'ENFORCED', locale: 'DEFAULT' } },
      [mk],
    );
    const link = asRecord(asRecord(def.data.schema).link);
    const url = str(link.resource);
    if (!url) throw new HttpError(`amazon: the ${productType} definition has no schema link`, { service: 'amazon', kind: 'http', status: def.status, method: 'GET', url: 'definitions', attempts: def.attempts });
    const doc = await this.docHttp.request<Record<string, unknown>>({ method: 'GET', url, operation: 'getProductTypeSchema', noAuth: true });
    const out: ProductTypeSchema = {
      productType,
      requirements,
      version: str(asRecord(def.data.productTypeVersion).version) ?? 'LATEST',
      locale: str(def.data.locale) ?? 'en_US',
      schema: typeof doc.data === 'string' ? (JSON.parse(doc.data) as Record<string, unknown>) : doc.data,
    };
    this.schemas.set(key, out);
    return out;
  }

  async listing(channel: string, sku: string): Promise<AmazonListingState> {
    const { mk, region } = this.where(channel);
    const r = await this.call<Record<string, unknown>>(region, 'getListingsItem', { method: 'GET', url: this.listingPath(sku), params: { marketplaceIds: mk, includedData: 'summaries,issues' }, acceptStatus: [404] }, [mk]);
    if (r.status === 404) return { found: false, issues: [] };
    const sum = asArray(r.data.summaries).map(asRecord).find((s) => str(s.marketplaceId) === mk) ?? {};
    return {
      found: true,
      asin: str(sum.asin),
      productType: str(sum.productType),
      status: asArray(sum.status).map((x) => String(x)),
      issues: issuesOf(r.data.issues),
    };
  }

  async putListing(channel: string, sku: string, req: { productType: string; requirements: AmazonRequirements; attributes: Record<string, unknown[]>; offer: AmazonOffer }): Promise<AmazonPutResult> {
    const { mk, region } = this.where(channel);
    const body = { productType: req.productType, requirements: req.requirements, attributes: { ...req.attributes, ...offerAttributes(req.offer, mk) } };
    const r = await this.call<Record<string, unknown>>(
      region,
      'putListingsItem',
      {
        method: 'PUT',
        url: this.listingPath(sku),
        params: { marketplaceIds: mk, includedData: 'issues,identifiers', issueLocale: 'en_US' },
        data: jsonWithDecimals(body),
        headers: { 'Content-Type': 'application/json' },
        // A whole-listing replace: a lost answer is read back (getListingsItem), never resent blindly.
        idempotent: false,
      },
      [mk],
    );
    const status = str(r.data.status);
    const ident = asArray(r.data.identifiers).map(asRecord).find((x) => str(x.marketplaceId) === mk);
    return {
      status: status === 'ACCEPTED' || status === 'VALID' ? status : 'INVALID',
      submissionId: str(r.data.submissionId),
      issues: issuesOf(r.data.issues),
      asin: str(ident?.asin),
    };
  }
}

/** purchasable_offer and fulfillment_availability of a merchant-fulfilled offer (the price an exact decimal). */
export function offerAttributes(o: AmazonOffer, mk: string): Record<string, unknown[]> {
  return {
    purchasable_offer: [{ marketplace_id: mk, currency: o.price.currency, audience: 'ALL', our_price: [{ schedule: [{ value_with_tax: decimalOf(o.price) }] }] }],
    fulfillment_availability: [{ fulfillment_channel_code: 'DEFAULT', quantity: o.quantity, ...(o.handlingDays !== undefined ? { lead_time_to_ship_max_days: o.handlingDays } : {}) }],
  };
}

function issuesOf(raw: unknown): ListingIssue[] {
  return asArray(raw).map(asRecord).map((i) => ({
    code: str(i.code) ?? '',
    message: str(i.message) ?? '',
    severity: str(i.severity) ?? 'ERROR',
    attributeNames: asArray(i.attributeNames).map((x) => String(x)),
    categories: asArray(i.categories).map((x) => String(x)),
  }));
}

/** GTINs compare without leading zeros (a UPC is a GTIN-14 with two zeros in front). */
function sameGtin(a: string, b: string): boolean {
  return a.replace(/^0+/, '') === b.replace(/^0+/, '');
}
