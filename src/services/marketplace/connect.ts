// `marketplace connect|list|remove` as use-cases. Connect verifies the credentials with one cheap real
// call through the adapter before anything is stored; secrets go to the credential store only.

import type { Store } from '../../store/db.js';
import type { CredentialStore } from '../../config/credentials.js';
import type { MarketplaceName } from '../../core/channels.js';
import { CHANNELS } from '../../core/channels.js';
import { SANDBOX_CREDENTIALS, SANDBOX_PREFIX } from '../../sandbox/credentials.js';
import { UsageError } from '../../core/errors.js';
import type { HttpFactory } from '../../adapters/http/factory.js';
import { audit } from '../../store/repos/audit.js';
import { credentialRenewals, type Renewal } from '../../core/credential-renewals.js';
import {
  PRODUCTION_URLS,
  SECRET_NAMES,
  accountChannels,
  adapterFor,
  deleteAccount,
  disableChannels,
  getAccount,
  listAccounts,
  saveAccount,
  upsertChannels,
  type Account,
  type AccountSettings,
} from './accounts.js';

export interface ConnectOptions {
  marketplace: MarketplaceName;
  /** Use the sandbox at this URL with its public test credentials. */
  sandboxUrl?: string;
  baseUrl?: string;
  authUrl?: string;
  shop?: string;
  sellerId?: string;
  region?: string;
  /** Channel codes to sell on (amazon-de,amazon-uk…); default: all the account offers / sandbox set. */
  channels?: string[];
  clientId?: string;
  /** The seller's own renewal date for the long-lived credential (YYYY-MM-DD). */
  renewBy?: string;
  /** Secrets read by the command from --token-file / stdin / a prompt. */
  secrets: Record<string, string>;
  verify: boolean;
}

export interface ConnectResult {
  marketplace: MarketplaceName;
  account: string;
  sandbox: boolean;
  baseUrl: string;
  channels: string[];
  verified: boolean;
  check?: string;
  tokenExpiresAt?: string;
  refreshExpiresAt?: string;
  secretsStored: string[];
  /** What the seller must renew by hand, and when (access tokens renew themselves). */
  renewals: Renewal[];
}

function marketplaceIdsFor(mp: MarketplaceName, channels: string[] | undefined, fallback: readonly string[]): string[] {
  if (!channels?.length) return [...fallback];
  const ids: string[] = [];
  for (const code of channels) {
    const d = CHANNELS.find((c) => c.code === code);
    if (!d || d.marketplace !== mp) {
      const known = CHANNELS.filter((c) => c.marketplace === mp).map((c) => c.code).join(', ');
      throw new UsageError(`--channels: "${code}" is not a ${mp} channel; use one of ${known}`);
    }
    if (d.remoteId) ids.push(d.remoteId);
  }
  return ids;
}

type ResolvedAccount = Omit<Account, 'createdAt' | 'updatedAt' | 'verifiedAt' | 'tokenExpiresAt'>;

/** Amazon merchant token (seller id): capital letters and digits, e.g. A2EUQ1WTGCTBG2. */
export const SELLER_ID_FORMAT = 'the merchant token: capital letters and digits, e.g. A2EUQ1WTGCTBG2 (Seller Central → Settings → Account Info → Merchant Token)';
const AMAZON_CLIENT_ID_FORMAT = 'amzn1.application-oa2-client. followed by 32 letters and digits (Seller Central → Develop Apps → LWA credentials)';
const SHOP_FORMAT = 'your shop\'s myshopify.com domain, e.g. lindqvist.myshopify.com (Shopify admin → Settings → Domains)';

function checkUrl(flag: string, v: string | undefined): void {
  if (v === undefined) return;
  let u: URL | undefined;
  try {
    u = new URL(v);
  } catch {
    u = undefined;
  }
  if (!u || !/^https?:$/.test(u.protocol)) throw new UsageError(`${flag} takes an http(s) URL, e.g. https://sellingpartnerapi-eu.amazon.com; got ${JSON.stringify(v)}`);
}

/** The Shopify shop domain, normalised (a bare name gets .myshopify.com; https:// and /admin are dropped). */
export function normaliseShop(v: string): string {
  let shop = v.trim().toLowerCase().replace(/^https?:\/\//, '').replace(/\/.*$/, '');
  if (/^[a-z0-9][a-z0-9-]*$/.test(shop)) shop = `${shop}.myshopify.com`;
  if (!/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/.test(shop)) throw new UsageError(`--shop: ${JSON.stringify(v)} is not a shop domain; expected ${SHOP_FORMAT}`);
  return shop;
}

export function checkSellerId(v: string): string {
  const id = v.trim();
  if (!/^[A-Z0-9]{8,20}$/.test(id)) throw new UsageError(`--seller-id: ${JSON.stringify(v)} is not an Amazon merchant token; expected ${SELLER_ID_FORMAT}`);
  return id;
}

export function checkClientId(mp: MarketplaceName, v: string): string {
  const id = v.trim();
  if (mp === 'amazon' && !/^amzn1\.application-oa2-client\.[A-Za-z0-9]+$/.test(id)) {
    throw new UsageError(`--client-id: ${JSON.stringify(v)} is not an LWA client id; expected ${AMAZON_CLIENT_ID_FORMAT}`);
  }
  if (mp === 'ebay' && !/^[A-Za-z0-9][A-Za-z0-9._-]*-(PRD|SBX)-[A-Za-z0-9-]+$/.test(id)) {
    throw new UsageError(`--client-id: ${JSON.stringify(v)} is not an eBay App ID; expected the App ID (Client ID) of your keyset, e.g. Lindqvis-merchant-PRD-1a2b3c4d5-6e7f8a9b (developer.ebay.com → Application Keys)`);
  }
  return id;
}

export function checkRenewBy(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const d = v.trim();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d) || Number.isNaN(Date.parse(`${d}T00:00:00Z`)) || new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) !== d) {
    throw new UsageError(`--renew-by takes a date YYYY-MM-DD (the deadline your marketplace shows), got ${JSON.stringify(v)}`);
  }
  return d;
}

/** The non-secret half of a connection, validated before any secret is asked for. */
export function resolveAccount(o: Omit<ConnectOptions, 'secrets' | 'verify'>): ResolvedAccount {
  const mp = o.marketplace;
  checkRenewBy(o.renewBy);
  if (o.sandboxUrl) {
    const root = o.sandboxUrl.replace(/\/+$/, '');
    if (!/^https?:\/\//.test(root)) throw new UsageError(`--sandbox takes the sandbox URL (http://127.0.0.1:4010), got "${o.sandboxUrl}"`);
    if (mp === 'amazon') {
      const c = SANDBOX_CREDENTIALS.amazon;
      return {
        marketplace: mp,
        baseUrl: root + SANDBOX_PREFIX.amazon,
        authUrl: `${root}${SANDBOX_PREFIX.amazon}/auth/o2/token`,
        sandbox: true,
        settings: { sellerId: c.sellerId, region: c.region, marketplaceIds: marketplaceIdsFor(mp, o.channels, c.marketplaceIds) },
      };
    }
    if (mp === 'ebay') {
      const c = SANDBOX_CREDENTIALS.ebay;
      return { marketplace: mp, baseUrl: root + SANDBOX_PREFIX.ebay, authUrl: root + SANDBOX_PREFIX.ebay, sandbox: true, settings: { marketplaceIds: marketplaceIdsFor(mp, o.channels, c.marketplaceIds) } };
    }
    const c = SANDBOX_CREDENTIALS.shopify;
    return { marketplace: mp, baseUrl: root + SANDBOX_PREFIX.shopify, authUrl: null, sandbox: true, settings: { shop: c.shop, currency: c.currency } };
  }
  checkUrl('--base-url', o.baseUrl);
  checkUrl('--auth-url', o.authUrl);
  if (o.clientId !== undefined) checkClientId(mp, o.clientId);
  let settings: AccountSettings;
  let baseUrl: string;
  let authUrl: string | null = o.authUrl ?? null;
  if (mp === 'amazon') {
    if (!o.sellerId) throw new UsageError(`amazon: --seller-id is required: ${SELLER_ID_FORMAT}`);
    const sellerId = checkSellerId(o.sellerId);
    const region = (o.region ?? 'eu').toLowerCase();
    if (!(region in PRODUCTION_URLS.amazon)) throw new UsageError(`--region must be na, eu or fe, got "${o.region}"`);
    const def = CHANNELS.filter((c) => c.marketplace === 'amazon' && ['GB', 'DE', 'FR', 'IT', 'ES', 'NL', 'SE'].includes(c.country ?? '') === (region === 'eu')).map((c) => c.remoteId!);
    settings = { sellerId, region, marketplaceIds: marketplaceIdsFor(mp, o.channels, def) };
    baseUrl = o.baseUrl ?? PRODUCTION_URLS.amazon[region as 'na' | 'eu' | 'fe'];
    authUrl ??= PRODUCTION_URLS.amazonAuth;
  } else if (mp === 'ebay') {
    settings = { marketplaceIds: marketplaceIdsFor(mp, o.channels, ['EBAY_US']) };
    baseUrl = o.baseUrl ?? PRODUCTION_URLS.ebay;
  } else {
    if (!o.shop) throw new UsageError(`shopify: --shop is required: ${SHOP_FORMAT}`);
    const shop = normaliseShop(o.shop);
    settings = { shop };
    baseUrl = o.baseUrl ?? `https://${shop}`;
  }
  return { marketplace: mp, baseUrl: baseUrl.replace(/\/+$/, ''), authUrl, sandbox: false, settings };
}

/** What would be stored: account row and secrets, from options (sandbox or real). */
export function resolveConnect(o: ConnectOptions): { account: ResolvedAccount; secrets: Record<string, string> } {
  const account = resolveAccount(o);
  const mp = o.marketplace;
  if (account.sandbox) {
    const c = SANDBOX_CREDENTIALS;
    const secrets: Record<string, string> =
      mp === 'amazon' ? { client_id: c.amazon.clientId, client_secret: c.amazon.clientSecret, refresh_token: c.amazon.refreshToken }
      : mp === 'ebay' ? { client_id: c.ebay.clientId, client_secret: c.ebay.clientSecret, refresh_token: c.ebay.refreshToken }
      : { token: c.shopify.token };
    return { account, secrets };
  }
  const secrets: Record<string, string> = { ...o.secrets };
  if (o.clientId) secrets.client_id = o.clientId.trim();
  const missing = SECRET_NAMES[mp].filter((n) => !secrets[n]);
  if (missing.length) {
    throw new UsageError(`${mp}: missing ${missing.join(', ')}`, {
      hints: [
        mp === 'shopify'
          ? 'put the Admin API token in a file and pass --token-file FILE (or --token-file - to read stdin)'
          : `put client_secret=… and refresh_token=… lines in a file and pass --token-file FILE; the client id goes in --client-id`,
      ],
    });
  }
  return { account, secrets };
}

export async function connectMarketplace(store: Store, creds: CredentialStore, http: HttpFactory, o: ConnectOptions, now: string): Promise<ConnectResult> {
  const { account, secrets } = resolveConnect(o);
  let verified = false;
  let check: string | undefined;
  let tokenExpiresAt: string | undefined;
  let refreshExpiresAt: string | undefined;
  let label = account.settings.shop ?? account.settings.sellerId ?? account.marketplace;
  if (o.verify) {
    // One cheap real call through the adapter, with the new secrets, before anything is stored.
    const adapter = adapterFor(account, (n) => secrets[n], http);
    const v = await adapter.verify();
    verified = true;
    check = v.check;
    tokenExpiresAt = v.tokenExpiresAt;
    refreshExpiresAt = v.refreshExpiresAt;
    label = v.account;
    account.settings.label = v.account;
    if (v.currency && account.marketplace === 'shopify') account.settings.currency = v.currency;
  }
  // The long-lived credential's lifetime starts when it is stored (unless the seller or the API says).
  account.settings.secretsStoredAt = now;
  if (o.renewBy) account.settings.renewBy = checkRenewBy(o.renewBy);
  if (refreshExpiresAt) account.settings.refreshExpiresAt = refreshExpiresAt;
  creds.setService(account.marketplace, secrets);
  const channels = store.tx(() => {
    saveAccount(store, { ...account, verifiedAt: verified ? now : null, tokenExpiresAt: tokenExpiresAt ?? null }, now);
    const codes = upsertChannels(store, account, now);
    audit(store, { at: now, command: 'marketplace connect', entity: 'marketplace', entityId: account.marketplace, action: 'connect', detail: { sandbox: account.sandbox, baseUrl: account.baseUrl, channels: codes, verified } });
    return codes;
  });
  return {
    marketplace: account.marketplace,
    account: label,
    sandbox: account.sandbox,
    baseUrl: account.baseUrl,
    channels,
    verified,
    check,
    tokenExpiresAt,
    refreshExpiresAt,
    secretsStored: Object.keys(secrets),
    renewals: renewalsOf(account, Object.keys(secrets), now),
  };
}

/** What the seller must renew for an account (stored settings, or the connect date of an older account). */
export function renewalsOf(a: Pick<Account, 'marketplace' | 'sandbox' | 'settings'> & { updatedAt?: string }, secretNames: readonly string[], fallbackStoredAt?: string): Renewal[] {
  return credentialRenewals({
    marketplace: a.marketplace,
    sandbox: a.sandbox,
    secretsStoredAt: a.settings.secretsStoredAt ?? a.updatedAt ?? fallbackStoredAt ?? new Date(0).toISOString(),
    ...(a.settings.renewBy ? { renewBy: a.settings.renewBy } : {}),
    ...(a.settings.refreshExpiresAt ? { refreshExpiresAt: a.settings.refreshExpiresAt } : {}),
    secretNames,
  });
}

export interface AccountView {
  marketplace: MarketplaceName;
  account: string;
  sandbox: boolean;
  baseUrl: string;
  channels: string[];
  verifiedAt: string | null;
  tokenExpiresAt: string | null;
  secrets: Array<{ name: string; source: 'env' | 'file' | 'missing' }>;
  renewals: Renewal[];
}

export function listMarketplaces(store: Store, creds: CredentialStore): AccountView[] {
  return listAccounts(store).map((a) => {
    const secrets = creds.describe(a.marketplace, SECRET_NAMES[a.marketplace]);
    return {
      marketplace: a.marketplace,
      account: a.settings.label ?? a.settings.shop ?? (a.settings.sellerId ? `seller ${a.settings.sellerId}` : a.marketplace),
      sandbox: a.sandbox,
      baseUrl: a.baseUrl,
      channels: accountChannels(a),
      verifiedAt: a.verifiedAt,
      tokenExpiresAt: a.tokenExpiresAt,
      secrets,
      renewals: renewalsOf(a, secrets.filter((x) => x.source !== 'missing').map((x) => x.name)),
    };
  });
}

export function removeMarketplace(store: Store, creds: CredentialStore, mp: MarketplaceName, now: string): { removed: boolean; channelsDisabled: number; secretsRemoved: boolean } {
  const existed = Boolean(getAccount(store, mp));
  const r = store.tx(() => {
    const removed = deleteAccount(store, mp);
    const channelsDisabled = disableChannels(store, mp, now);
    if (removed) audit(store, { at: now, command: 'marketplace remove', entity: 'marketplace', entityId: mp, action: 'remove' });
    return { removed, channelsDisabled };
  });
  const secretsRemoved = creds.removeService(mp);
  return { removed: existed && r.removed, channelsDisabled: r.channelsDisabled, secretsRemoved };
}
