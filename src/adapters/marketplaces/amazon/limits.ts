// The documented usage plans of the SP-API operations this adapter calls, paced before sending
// (src/adapters/http/pacer.ts). Rates are requests per second per selling-partner account and
// application; each region's endpoint has its own buckets. The server's x-amzn-RateLimit-Limit header
// replaces a rate when it answers with one (a seller may have been granted more).
//
// Sources (the "Usage Plan" table in each operation's description in Amazon's models, copied in
// fixtures/sandbox/specs/amazon; and the rate-limit pages):
//   listingsItems_2021-08-01.json   getListingsItem 5/10 in the model, 5/5 on
//                                   https://developer-docs.amazon.com/sp-api/docs/listings-items-api-rate-limits (we use 5);
//                                   patchListingsItem 5/5, searchListingsItems 5/5
//   feeds_2021-06-30.json           createFeedDocument 0.5/15, createFeed 0.0083/15, getFeed 2/15,
//                                   getFeedDocument 0.0222/10 (also https://developer-docs.amazon.com/sp-api/docs/feeds-api-rate-limits)
//   orders_2026-01-01.json          searchOrders 0.0056/20 (≈ one call per 179 s after a burst of 20), getOrder 0.5/30
//   ordersV0.json                   getOrders 0.0167/20, confirmShipment 2/10 (shipment confirmation)
//   sellers.json                    getMarketplaceParticipations 0.016/15
//   fbaInventory.json               getInventorySummaries 2/2 (FBA stock per marketplace)
// and the JSON_LISTINGS_FEED quota, separate from createFeed's own bucket: 5 feed submissions per
// 5 minutes per region (https://developer-docs.amazon.com/sp-api/changelog/update-feed-size-and-rate-limit-changes-for-the-json_listings_feed,
// May 2025; up from 1 per 5 minutes).

import type { Limit } from '../../http/pacer.js';

export type AmazonOperation =
  | 'getListingsItem'
  | 'patchListingsItem'
  | 'searchListingsItems'
  | 'createFeedDocument'
  | 'createFeed'
  | 'getFeed'
  | 'getFeeds'
  | 'getFeedDocument'
  | 'searchOrders'
  | 'getOrder'
  | 'getMarketplaceParticipations'
  // New listings (publish.ts): catalogItems_2022-04-01 searchCatalogItems 2/2,
  // definitionsProductTypes_2020-09-01 getDefinitionsProductType 5/10, putListingsItem 5/10.
  | 'searchCatalogItems'
  | 'getDefinitionsProductType'
  | 'putListingsItem'
  | 'confirmShipment'
  | 'getInventorySummaries';

export const AMAZON_USAGE_PLANS: Record<AmazonOperation, Limit> = {
  getListingsItem: { kind: 'bucket', rate: 5, burst: 5 },
  patchListingsItem: { kind: 'bucket', rate: 5, burst: 5 },
  searchListingsItems: { kind: 'bucket', rate: 5, burst: 5 },
  createFeedDocument: { kind: 'bucket', rate: 0.5, burst: 15 },
  createFeed: { kind: 'bucket', rate: 0.0083, burst: 15 },
  getFeed: { kind: 'bucket', rate: 2, burst: 15 },
  getFeeds: { kind: 'bucket', rate: 0.0222, burst: 10 },
  getFeedDocument: { kind: 'bucket', rate: 0.0222, burst: 10 },
  searchOrders: { kind: 'bucket', rate: 0.0056, burst: 20 },
  getOrder: { kind: 'bucket', rate: 0.5, burst: 30 },
  getMarketplaceParticipations: { kind: 'bucket', rate: 0.016, burst: 15 },
  searchCatalogItems: { kind: 'bucket', rate: 2, burst: 2 },
  getDefinitionsProductType: { kind: 'bucket', rate: 5, burst: 10 },
  putListingsItem: { kind: 'bucket', rate: 5, burst: 10 },
  confirmShipment: { kind: 'bucket', rate: 2, burst: 10 },
  getInventorySummaries: { kind: 'bucket', rate: 2, burst: 2 },
};

/** JSON_LISTINGS_FEED submissions: 5 per 5 minutes per region. */
export const LISTINGS_FEED_QUOTA: Limit = { kind: 'window', count: 5, windowMs: 5 * 60_000 };
