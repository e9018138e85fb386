// The marketplaces' production API hosts (a connect without --base-url/--auth-url uses these).
export const PRODUCTION_URLS = {
  amazon: { na: 'https://sellingpartnerapi-na.amazon.com', eu: 'https://sellingpartnerapi-eu.amazon.com', fe: 'https://sellingpartnerapi-fe.amazon.com' },
  amazonAuth: 'https://api.amazon.com/auth/o2/token',
  ebay: 'https://api.ebay.com',
} as const;
