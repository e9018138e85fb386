// The sandbox's test credentials (PRODUCT.md §10: `marketplace connect … --sandbox URL` uses these).
// They are public by design and only ever accepted by the local emulator.

export const SANDBOX_CREDENTIALS = {
  amazon: {
    clientId: 'amzn1.application-oa2-client.sandbox0000',
    clientSecret: 'amzn1.oa2-cs.v1.sandbox-secret-0000',
    refreshToken: 'Atzr|sandbox-refresh-token-0000',
    sellerId: 'A1SANDBOXSELLER',
    region: 'eu',
    marketplaceIds: ['A1PA6795UKMFR9', 'A1F83G8C2ARO7P', 'ATVPDKIKX0DER'],
  },
  ebay: {
    clientId: 'SandboxS-merchant-SBX-0000000000-00000000',
    clientSecret: 'SBX-sandbox-secret-0000',
    refreshToken: 'v^1.1#i^1#sandbox-ebay-refresh-token-0000',
    marketplaceIds: ['EBAY_GB', 'EBAY_US'],
  },
  shopify: {
    shop: 'sandbox-shop.myshopify.com',
    /** A legacy custom app's Admin API token: never expires. */
    token: 'shpat_sandbox00000000000000000000',
    /** A Dev Dashboard app installed on the shop: client-credentials grant, tokens expire after 24 h. */
    clientId: '5a4db0c1e2f3a4b5c6d7e8f901234567',
    clientSecret: 'shpss_sandbox0secret000000000000',
    currency: 'EUR',
  },
  easypost: { apiKey: 'EZTKsandbox00000000000000' },
  shippo: { apiKey: 'shippo_test_sandbox000000000000' },
} as const;

/** Base paths under the sandbox URL, one per API, mirroring each real host. */
export const SANDBOX_PREFIX = {
  amazon: '/amazon', // SP-API host; LWA token endpoint at /amazon/auth/o2/token
  ebay: '/ebay', // api.ebay.com (OAuth at /ebay/identity/v1/oauth2/token)
  shopify: '/shopify', // https://{shop}; GraphQL at /shopify/admin/api/2026-10/graphql.json
  easypost: '/easypost', // api.easypost.com (/v2/…)
  shippo: '/shippo', // api.goshippo.com
  ecb: '/ecb', // www.ecb.europa.eu/stats/eurofxref (eurofxref-daily.xml, eurofxref-hist.csv)
  inspect: '/_sandbox',
} as const;
