// `marketplace connect|list|remove` as use-cases. Connect verifies the credentials with one cheap real
// call through the adapter before anything is stored; secrets go to the credential store only.

import type { CredentialStore } from '../../config/credentials.js';
import type { MarketplaceName } from '../../core/channels.js';
import { CHANNELS } from '../../core/channels.js';
import { SANDBOX_CREDENTIALS, SANDBOX_PREFIX } from '../../sandbox/credentials.js';
import { UsageError } from '../../core/errors.js';
import { AMAZON_ENDPOINTS, AMAZON_REGIONS, expandEndpoint, isAmazonRegion, regionOf, type AmazonRegion } from '../../core/amazon-regions.js';
import type { AccountMarketplace } from '../../ports/marketplace.js';
import type { Repositories } from '../../ports/repositories.js';
import type { MarketplaceConnector } from '../../ports/marketplace-connector.js';
import { credentialRenewals, type Renewal } from '../../core/credential-renewals.js';
import {
  PRODUCTION_URLS,
  SECRET_NAMES,
  SHOPIFY_SECRET_NAMES,
  accountChannels,
  credentialInfo,
  tokenCacheFor,
  type ShopifyAuth,
  deleteAccount,
  disableChannels,
  getAccount,
  homeChannel,
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
  /** Amazon: the regions to connect (na, eu, fe; comma-separated or "all"); default all, keeping those the seller authorized. */
  region?: string;
  /** Channel codes to sell on (amazon-de,amazon-uk…); default: all the account offers / sandbox set. */
  channels?: string[];
  clientId?: string;
  /** Shopify: the stock location (a name or an id); default the shop's primary location. */
  location?: string;
  /** The seller's own renewal date for the long-lived credential (YYYY-MM-DD). */
  renewBy?: string;
  /** Secrets read by the command from --token-file / stdin / a prompt. */
  secrets: Record<string, string>;
  verify: boolean;
  /** The command's clock in ms (token lifetimes); default real time. */
  clock?: () => number;
}

export interface ConnectResult {
  marketplace: MarketplaceName;
  account: string;
  sandbox: boolean;
  baseUrl: string;
  channels: string[];
  /** eBay: the storefront whose listings use the SKU itself on eBay (the others: SKU-<SITE>). */
  homeChannel?: string;
  verified: boolean;
  check?: string;
  tokenExpiresAt?: string;
  refreshExpiresAt?: string;
  /** How the account authenticates, in words (e.g. "client credentials (24-hour tokens, renewed automatically)"). */
  tokenKind?: string;
  /** Shopify: where stock is written and read. */
  stockLocation?: { id: string; name: string; primary: boolean };
  secretsStored: string[];
  /** Amazon: the marketplaces the account sells on (getMarketplaceParticipations) and whether merchant syncs each. */
  marketplaces?: Array<AccountMarketplace & { connected: boolean }>;
  /** Amazon: each region's endpoint and whether the account could be used there. */
  regions?: Array<{ region: string; endpoint: string; ok: boolean; error?: string }>;
  /** What the seller must renew by hand, and when (access tokens renew themselves). */
  renewals: Renewal[];
}

/** --region for Amazon: one or more of na, eu, fe, or "all". */
export function parseAmazonRegions(v: string | undefined): AmazonRegion[] {
  if (!v || v.trim().toLowerCase() === 'all') return [...AMAZON_REGIONS];
  const out: AmazonRegion[] = [];
  for (const part of v.split(',').map((x) => x.trim().toLowerCase()).filter(Boolean)) {
    if (!isAmazonRegion(part)) throw new UsageError(`--region must be na, eu, fe (comma-separated) or all, got "${part}"`);
    if (!out.includes(part)) out.push(part);
  }
  return out;
}

/**
 * --base-url for Amazon: "URL" for one region, "…/{region}" expanded per region, or "na=URL,eu=URL".
 * A plain URL with several regions would send every region to one host: refused.
 */
export function amazonEndpointsFor(regions: readonly AmazonRegion[], baseUrl: string | undefined): Partial<Record<AmazonRegion, string>> {
  const out: Partial<Record<AmazonRegion, string>> = {};
  if (!baseUrl) {
    for (const r of regions) out[r] = AMAZON_ENDPOINTS[r];
    return out;
  }
  if (/^(na|eu|fe)=/i.test(baseUrl.trim())) {
    for (const part of baseUrl.split(',').map((x) => x.trim()).filter(Boolean)) {
      const m = /^(na|eu|fe)=(https?:\/\/.+)$/i.exec(part);
      if (!m) throw new UsageError(`--base-url: "${part}" is not REGION=URL (e.g. eu=https://sellingpartnerapi-eu.amazon.com)`);
      const r = m[1]!.toLowerCase() as AmazonRegion;
      if (regions.includes(r)) out[r] = m[2]!.replace(/\/+$/, '');
    }
    return out;
  }
  if (!/^https?:\/\//.test(baseUrl)) throw new UsageError(`--base-url takes a URL, got "${baseUrl}"`);
  if (baseUrl.includes('{region}')) {
    for (const r of regions) out[r] = expandEndpoint(baseUrl, r);
    return out;
  }
  if (regions.length !== 1) {
    throw new UsageError('--base-url with one URL serves one Amazon region: add --region na|eu|fe, or give one URL per region (eu=URL,na=URL) or a template with {region}');
  }
  out[regions[0]!] = baseUrl.replace(/\/+$/, '');
  return out;
}

/** Which kind of Shopify credentials these secrets are: an Admin API token, or client id + secret. */
export function shopifyAuthOf(secrets: Record<string, string>): ShopifyAuth | undefined {
  const cc = Boolean(secrets.client_id || secrets.client_secret);
  if (secrets.token && cc) {
    throw new UsageError('shopify: give either an Admin API token or the client id and secret of a Dev Dashboard app, not both', {
      hints: ['a legacy custom app (made in the shop admin) has an Admin API token (shpat_…); an app from the Dev Dashboard has a client id and secret'],
    });
  }
  return secrets.token ? 'admin_token' : cc ? 'client_credentials' : undefined;
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
      // One regional endpoint per region under the sandbox URL: /amazon/na, /amazon/eu, /amazon/fe.
      const regions = parseAmazonRegions(o.region);
      const endpoints: Partial<Record<AmazonRegion, string>> = {};
      for (const r of regions) endpoints[r] = `${root}${SANDBOX_PREFIX.amazon}/${r}`;
      return {
        marketplace: mp,
        baseUrl: endpoints.eu ?? Object.values(endpoints)[0]!,
        authUrl: `${root}${SANDBOX_PREFIX.amazon}/auth/o2/token`,
        sandbox: true,
        settings: { sellerId: c.sellerId, endpoints, marketplaceIds: marketplaceIdsFor(mp, o.channels, c.marketplaceIds) },
      };
    }
    if (mp === 'ebay') {
      const c = SANDBOX_CREDENTIALS.ebay;
      return { marketplace: mp, baseUrl: root + SANDBOX_PREFIX.ebay, authUrl: root + SANDBOX_PREFIX.ebay, sandbox: true, settings: { marketplaceIds: marketplaceIdsFor(mp, o.channels, c.marketplaceIds) } };
    }
    const c = SANDBOX_CREDENTIALS.shopify;
    // --client-id: the sandbox's Dev Dashboard app (client credentials, expiring tokens); else the
    // legacy custom app's Admin API token.
    const cc = Boolean(o.clientId);
    return { marketplace: mp, baseUrl: root + SANDBOX_PREFIX.shopify, authUrl: null, sandbox: true, settings: { shop: c.shop, currency: c.currency, auth: cc ? 'client_credentials' : 'admin_token', ...(o.location ? { location: o.location } : {}) } };
  }
  // Amazon's --base-url may hold one URL per region (eu=URL,na=URL) or a {region} template: checked below.
  if (mp !== 'amazon') checkUrl('--base-url', o.baseUrl);
  checkUrl('--auth-url', o.authUrl);
  if (o.clientId !== undefined) checkClientId(mp, o.clientId);
  let settings: AccountSettings;
  let baseUrl: string;
  let authUrl: string | null = o.authUrl ?? null;
  if (mp === 'amazon') {
    if (!o.sellerId) throw new UsageError(`amazon: --seller-id is required: ${SELLER_ID_FORMAT}`);
    const sellerId = checkSellerId(o.sellerId);
    let regions = parseAmazonRegions(o.region);
    const chosen = o.channels?.length ? marketplaceIdsFor(mp, o.channels, []) : undefined;
    // Channels named without --region: connect just their regions.
    if (!o.region && chosen) regions = AMAZON_REGIONS.filter((r) => chosen.some((id) => regionOf(id) === r));
    const endpoints = amazonEndpointsFor(regions, o.baseUrl);
    // Without verification the marketplaces cannot be read from Amazon: the named channels, or every
    // channel merchant knows in the regions given.
    const def = CHANNELS.filter((c) => c.marketplace === 'amazon' && c.remoteId && regions.includes(regionOf(c.remoteId)!)).map((c) => c.remoteId!);
    settings = { sellerId, endpoints, marketplaceIds: chosen ?? def };
    baseUrl = endpoints.eu ?? Object.values(endpoints)[0]!;
    authUrl ??= PRODUCTION_URLS.amazonAuth;
  } else if (mp === 'ebay') {
    settings = { marketplaceIds: marketplaceIdsFor(mp, o.channels, ['EBAY_US']) };
    baseUrl = o.baseUrl ?? PRODUCTION_URLS.ebay;
  } else {
    if (!o.shop) throw new UsageError(`shopify: --shop is required: ${SHOP_FORMAT}`);
    const shop = normaliseShop(o.shop);
    // A client id means a Dev Dashboard app (client credentials); resolveConnect settles it from the secrets.
    settings = { shop, auth: o.clientId ? 'client_credentials' : 'admin_token', ...(o.location ? { location: o.location } : {}) };
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
      : o.clientId ? { client_id: o.clientId, client_secret: c.shopify.clientSecret }
      : { token: c.shopify.token };
    return { account, secrets };
  }
  const secrets: Record<string, string> = { ...o.secrets };
  if (o.clientId) secrets.client_id = o.clientId.trim();
  const shopifyAuth: ShopifyAuth = mp === 'shopify' ? (shopifyAuthOf(secrets) ?? 'admin_token') : 'admin_token';
  if (mp === 'shopify') account.settings.auth = shopifyAuth;
  const needed = mp === 'shopify' ? SHOPIFY_SECRET_NAMES[shopifyAuth] : SECRET_NAMES[mp];
  const missing = needed.filter((n) => !secrets[n]);
  if (missing.length) {
    throw new UsageError(`${mp}: missing ${missing.join(', ')}`, {
      hints:
        mp === 'shopify'
          ? shopifyAuth === 'client_credentials'
            ? ['a Dev Dashboard app: pass its client id with --client-id and put client_secret=… in a file for --token-file FILE (or --token-file - to read stdin)']
            : ['a legacy custom app: put the Admin API token (shpat_…) in a file and pass --token-file FILE (or --token-file - to read stdin)', 'a Dev Dashboard app (created since 2026): --client-id ID and a token file with client_secret=…']
          : [`put client_secret=… and refresh_token=… lines in a file and pass --token-file FILE; the client id goes in --client-id`],
    });
  }
  // Only the secrets this kind of account uses are stored.
  for (const k of Object.keys(secrets)) if (!needed.includes(k)) delete secrets[k];
  return { account, secrets };
}

/** What connect and remove write: the account, its storefronts and the audit log, in one transaction. */
type AccountsWriter = Pick<Repositories, 'marketplaceAccounts' | 'audit' | 'tx'>;

export async function connectMarketplace(store: AccountsWriter, creds: CredentialStore, connector: Pick<MarketplaceConnector, 'make'>, o: ConnectOptions, now: string): Promise<ConnectResult> {
  const { account, secrets } = resolveConnect(o);
  if (account.marketplace === 'ebay') {
    // The home site decides which eBay SKU each listing has (core/remote-sku.ts): set once, kept on a
    // reconnect that still sells there, so a reordered --channels never renames every listing.
    const ids = account.settings.marketplaceIds ?? [];
    const before = getAccount(store, 'ebay')?.settings.homeMarketplaceId;
    account.settings.homeMarketplaceId = before && ids.includes(before) ? before : ids[0];
  }
  let verified = false;
  let check: string | undefined;
  let tokenExpiresAt: string | undefined;
  let refreshExpiresAt: string | undefined;
  let label = account.settings.shop ?? account.settings.sellerId ?? account.marketplace;
  let marketplaces: ConnectResult['marketplaces'];
  let regions: ConnectResult['regions'];
  let tokenKind: string | undefined;
  let stockLocation: ConnectResult['stockLocation'];
  const tokens = tokenCacheFor(creds, o.clock);
  if (o.verify) {
    // One cheap real call through the adapter, with the new secrets, before anything is stored. A
    // client-credentials token obtained here is cached (never in the database) for the next command.
    const adapter = connector.make(account, (n) => secrets[n], { tokenCache: tokens, now: o.clock });
    const v = await adapter.verify();
    verified = true;
    check = v.check;
    tokenExpiresAt = v.tokenExpiresAt;
    refreshExpiresAt = v.refreshExpiresAt;
    tokenKind = v.tokenKind;
    label = v.account;
    account.settings.label = v.account;
    if (v.currency && account.marketplace === 'shopify') account.settings.currency = v.currency;
    if (account.marketplace === 'amazon' && v.marketplaces) {
      const r = amazonFromParticipations(account.settings, v.marketplaces, v.regions ?? [], o.channels);
      marketplaces = r.marketplaces;
      regions = v.regions;
      const urls = Object.values(account.settings.endpoints ?? {});
      if (!urls.length) {
        throw new UsageError('the Amazon account sells on no marketplace in the regions that answered; nothing was stored', {
          hints: [`regions: ${(v.regions ?? []).map((x) => `${x.region} ${x.ok ? 'ok' : `refused (${x.error ?? ''})`}`).join('; ')}`, 'authorize the app for the region you sell in (Seller Central → Apps and services), then connect again'],
        });
      }
      account.baseUrl = account.settings.endpoints?.eu ?? urls[0]!;
    }
    if (v.stockLocation) {
      stockLocation = v.stockLocation;
      // A location named at connect is kept by id (a rename in Shopify does not lose it).
      if (o.location) account.settings.location = v.stockLocation.id;
    }
  }
  // The long-lived credential's lifetime starts when it is stored (unless the seller or the API says).
  account.settings.secretsStoredAt = now;
  if (o.renewBy) account.settings.renewBy = checkRenewBy(o.renewBy);
  if (refreshExpiresAt) account.settings.refreshExpiresAt = refreshExpiresAt;
  creds.setService(account.marketplace, secrets);
  const channels = store.tx(() => {
    // A client-credentials token is renewed by merchant itself: its expiry is the token cache's business,
    // not the account's (doctor would otherwise call the account expired a day later).
    const renews = account.marketplace === 'shopify' && account.settings.auth === 'client_credentials';
    saveAccount(store, { ...account, verifiedAt: verified ? now : null, tokenExpiresAt: renews ? null : (tokenExpiresAt ?? null) }, now);
    const codes = upsertChannels(store, account, now);
    store.audit.record({ at: now, command: 'marketplace connect', entity: 'marketplace', entityId: account.marketplace, action: 'connect', detail: { sandbox: account.sandbox, baseUrl: account.baseUrl, channels: codes, verified } });
    return codes;
  });
  return {
    marketplace: account.marketplace,
    account: label,
    sandbox: account.sandbox,
    baseUrl: account.baseUrl,
    channels,
    ...(account.marketplace === 'ebay' ? { homeChannel: homeChannel(account) } : {}),
    verified,
    check,
    tokenExpiresAt,
    refreshExpiresAt,
    tokenKind,
    stockLocation,
    secretsStored: Object.keys(secrets),
    ...(marketplaces ? { marketplaces } : {}),
    ...(regions ? { regions } : {}),
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

/**
 * The account's marketplaces as Amazon reported them decide what is stored: the marketplaces merchant
 * syncs (those named with --channels, which must be among them; else every participating one) and the
 * endpoints of the regions that answered and hold them.
 */
function amazonFromParticipations(settings: AccountSettings, found: readonly AccountMarketplace[], regions: ReadonlyArray<{ region: string; ok: boolean }>, channels: string[] | undefined): { marketplaces: Array<AccountMarketplace & { connected: boolean }> } {
  const participating = found.filter((m) => m.participating);
  let ids: string[];
  if (channels?.length) {
    const wanted = marketplaceIdsFor('amazon', channels, []);
    const missing = wanted.filter((id) => !participating.some((m) => m.id === id));
    if (missing.length) {
      const names = channels.filter((c) => missing.includes(CHANNELS.find((d) => d.code === c)?.remoteId ?? ''));
      const sells = participating.map((m) => m.channel ?? m.id).join(', ') || 'none';
      throw new UsageError(`--channels: the Amazon account does not sell on ${names.join(', ')} (Amazon lists: ${sells}); nothing was stored`, {
        hints: ['name channels the account sells on, or register the marketplace in Seller Central first (or connect its region with --region)'],
      });
    }
    ids = wanted;
  } else {
    ids = participating.map((m) => m.id);
  }
  const endpoints: Partial<Record<AmazonRegion, string>> = {};
  for (const [r, url] of Object.entries(settings.endpoints ?? {}) as Array<[AmazonRegion, string]>) {
    if (regions.some((x) => x.region === r && x.ok) && ids.some((id) => regionOf(id) === r)) endpoints[r] = url;
  }
  settings.endpoints = endpoints;
  settings.marketplaceIds = ids;
  delete settings.region;
  return { marketplaces: found.map((m) => ({ ...m, connected: ids.includes(m.id) })) };
}

export interface AccountView {
  marketplace: MarketplaceName;
  account: string;
  sandbox: boolean;
  baseUrl: string;
  channels: string[];
  verifiedAt: string | null;
  tokenExpiresAt: string | null;
  /** admin_token | client_credentials | refresh_token, and whether merchant renews the access token itself. */
  credentials: { kind: string; renewsItself: boolean };
  secrets: Array<{ name: string; source: 'env' | 'file' | 'missing' }>;
  renewals: Renewal[];
}

/** `now`: the command's clock (ms), for which cached access token is still valid. */
export function listMarketplaces(store: Pick<Repositories, 'marketplaceAccounts'>, creds: CredentialStore, now: () => number = Date.now): AccountView[] {
  return listAccounts(store).map((a) => {
    const info = credentialInfo(a, creds, now);
    return {
      marketplace: a.marketplace,
      account: a.settings.label ?? a.settings.shop ?? (a.settings.sellerId ? `seller ${a.settings.sellerId}` : a.marketplace),
      sandbox: a.sandbox,
      baseUrl: a.baseUrl,
      channels: accountChannels(a),
      verifiedAt: a.verifiedAt,
      tokenExpiresAt: info.accessTokenExpiresAt,
      credentials: { kind: info.kind, renewsItself: info.renewsItself },
      secrets: info.secrets,
      renewals: renewalsOf(a, info.secrets.filter((x) => x.source !== 'missing').map((x) => x.name)),
    };
  });
}

export function removeMarketplace(store: AccountsWriter, creds: CredentialStore, mp: MarketplaceName, now: string): { removed: boolean; channelsDisabled: number; secretsRemoved: boolean } {
  const existed = Boolean(getAccount(store, mp));
  const r = store.tx(() => {
    const removed = deleteAccount(store, mp);
    const channelsDisabled = disableChannels(store, mp, now);
    if (removed) store.audit.record({ at: now, command: 'marketplace remove', entity: 'marketplace', entityId: mp, action: 'remove' });
    return { removed, channelsDisabled };
  });
  const secretsRemoved = creds.removeService(mp);
  tokenCacheFor(creds).deletePrefix(`${mp}:`);
  return { removed: existed && r.removed, channelsDisabled: r.channelsDisabled, secretsRemoved };
}
