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
import {
  PRODUCTION_URLS,
  SECRET_NAMES,
  accountChannels,
  adapterFor,
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
  region?: string;
  /** Channel codes to sell on (amazon-de,amazon-uk…); default: all the account offers / sandbox set. */
  channels?: string[];
  clientId?: string;
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
  /** eBay: the storefront whose listings use the SKU itself on eBay (the others: SKU-<SITE>). */
  homeChannel?: string;
  verified: boolean;
  check?: string;
  tokenExpiresAt?: string;
  refreshExpiresAt?: string;
  secretsStored: string[];
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

/** What would be stored: account row and secrets, from options (sandbox or real). */
export function resolveConnect(o: ConnectOptions): { account: Omit<Account, 'createdAt' | 'updatedAt' | 'verifiedAt' | 'tokenExpiresAt'>; secrets: Record<string, string> } {
  const mp = o.marketplace;
  if (o.sandboxUrl) {
    const root = o.sandboxUrl.replace(/\/+$/, '');
    if (!/^https?:\/\//.test(root)) throw new UsageError(`--sandbox takes the sandbox URL (http://127.0.0.1:4010), got "${o.sandboxUrl}"`);
    if (mp === 'amazon') {
      const c = SANDBOX_CREDENTIALS.amazon;
      return {
        account: {
          marketplace: mp,
          baseUrl: root + SANDBOX_PREFIX.amazon,
          authUrl: `${root}${SANDBOX_PREFIX.amazon}/auth/o2/token`,
          sandbox: true,
          settings: { sellerId: c.sellerId, region: c.region, marketplaceIds: marketplaceIdsFor(mp, o.channels, c.marketplaceIds) },
        },
        secrets: { client_id: c.clientId, client_secret: c.clientSecret, refresh_token: c.refreshToken },
      };
    }
    if (mp === 'ebay') {
      const c = SANDBOX_CREDENTIALS.ebay;
      return {
        account: { marketplace: mp, baseUrl: root + SANDBOX_PREFIX.ebay, authUrl: root + SANDBOX_PREFIX.ebay, sandbox: true, settings: { marketplaceIds: marketplaceIdsFor(mp, o.channels, c.marketplaceIds) } },
        secrets: { client_id: c.clientId, client_secret: c.clientSecret, refresh_token: c.refreshToken },
      };
    }
    const c = SANDBOX_CREDENTIALS.shopify;
    return {
      account: { marketplace: mp, baseUrl: root + SANDBOX_PREFIX.shopify, authUrl: null, sandbox: true, settings: { shop: c.shop, currency: c.currency } },
      secrets: { token: c.token },
    };
  }
  const secrets: Record<string, string> = { ...o.secrets };
  if (o.clientId) secrets.client_id = o.clientId;
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
  let settings: AccountSettings;
  let baseUrl: string;
  let authUrl: string | null = o.authUrl ?? null;
  if (mp === 'amazon') {
    if (!o.sellerId) throw new UsageError('amazon: --seller-id is required (your merchant token, Seller Central → Settings → Account info)');
    const region = (o.region ?? 'eu').toLowerCase();
    if (!(region in PRODUCTION_URLS.amazon)) throw new UsageError(`--region must be na, eu or fe, got "${o.region}"`);
    const def = CHANNELS.filter((c) => c.marketplace === 'amazon' && ['GB', 'DE', 'FR', 'IT', 'ES', 'NL', 'SE'].includes(c.country ?? '') === (region === 'eu')).map((c) => c.remoteId!);
    settings = { sellerId: o.sellerId, region, marketplaceIds: marketplaceIdsFor(mp, o.channels, def) };
    baseUrl = o.baseUrl ?? PRODUCTION_URLS.amazon[region as 'na' | 'eu' | 'fe'];
    authUrl ??= PRODUCTION_URLS.amazonAuth;
  } else if (mp === 'ebay') {
    settings = { marketplaceIds: marketplaceIdsFor(mp, o.channels, ['EBAY_US']) };
    baseUrl = o.baseUrl ?? PRODUCTION_URLS.ebay;
  } else {
    if (!o.shop) throw new UsageError('shopify: --shop is required (your-shop.myshopify.com)');
    const shop = o.shop.replace(/^https?:\/\//, '').replace(/\/+$/, '');
    settings = { shop };
    baseUrl = o.baseUrl ?? `https://${shop}`;
  }
  return { account: { marketplace: mp, baseUrl: baseUrl.replace(/\/+$/, ''), authUrl, sandbox: false, settings }, secrets };
}

export async function connectMarketplace(store: Store, creds: CredentialStore, http: HttpFactory, o: ConnectOptions, now: string): Promise<ConnectResult> {
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
    ...(account.marketplace === 'ebay' ? { homeChannel: homeChannel(account) } : {}),
    verified,
    check,
    tokenExpiresAt,
    refreshExpiresAt,
    secretsStored: Object.keys(secrets),
  };
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
}

export function listMarketplaces(store: Store, creds: CredentialStore): AccountView[] {
  return listAccounts(store).map((a) => ({
    marketplace: a.marketplace,
    account: a.settings.label ?? a.settings.shop ?? (a.settings.sellerId ? `seller ${a.settings.sellerId}` : a.marketplace),
    sandbox: a.sandbox,
    baseUrl: a.baseUrl,
    channels: accountChannels(a),
    verifiedAt: a.verifiedAt,
    tokenExpiresAt: a.tokenExpiresAt,
    secrets: creds.describe(a.marketplace, SECRET_NAMES[a.marketplace]),
  }));
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
