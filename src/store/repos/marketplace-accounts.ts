// Connected marketplace accounts (marketplace_accounts: base URLs, seller id, shop domain, marketplace ids
// as settings JSON) and the storefronts they enable in channels. The secrets are in the credential store,
// never in the database. Statements moved verbatim from src/services/marketplace/accounts.ts.

import type { Store } from '../db.js';
import type { MarketplaceName } from '../../core/channels.js';
import type { Account, AccountChannel, AccountSettings, MarketplaceAccountsRepo } from '../../ports/marketplace-accounts.js';

interface AccountRow {
  marketplace: string;
  base_url: string | null;
  auth_url: string | null;
  sandbox: bigint;
  settings_json: string;
  verified_at: string | null;
  token_expires_at: string | null;
  created_at: string;
  updated_at: string;
}

function toAccount(r: AccountRow): Account {
  return {
    marketplace: r.marketplace as MarketplaceName,
    baseUrl: r.base_url ?? '',
    authUrl: r.auth_url,
    sandbox: r.sandbox === 1n,
    settings: JSON.parse(r.settings_json || '{}') as AccountSettings,
    verifiedAt: r.verified_at,
    tokenExpiresAt: r.token_expires_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export class SqliteMarketplaceAccounts implements MarketplaceAccountsRepo {
  constructor(private readonly store: Store) {}

  list(): Account[] {
    const rows = this.store.db.prepare('SELECT * FROM marketplace_accounts ORDER BY marketplace').all() as AccountRow[];
    return rows.map(toAccount);
  }

  get(marketplace: MarketplaceName): Account | undefined {
    const r = this.store.db.prepare('SELECT * FROM marketplace_accounts WHERE marketplace = ?').get(marketplace) as AccountRow | undefined;
    return r ? toAccount(r) : undefined;
  }

  save(a: Omit<Account, 'createdAt' | 'updatedAt'>, at: string): void {
    this.store.db
      .prepare(
        `INSERT INTO marketplace_accounts (marketplace, base_url, auth_url, sandbox, settings_json, credential_store, verified_at, token_expires_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, 'file', ?, ?, ?, ?)
         ON CONFLICT (marketplace) DO UPDATE SET base_url = excluded.base_url, auth_url = excluded.auth_url, sandbox = excluded.sandbox,
           settings_json = excluded.settings_json, credential_store = excluded.credential_store, verified_at = excluded.verified_at,
           token_expires_at = excluded.token_expires_at, updated_at = excluded.updated_at`,
      )
      .run(a.marketplace, a.baseUrl, a.authUrl, a.sandbox ? 1 : 0, JSON.stringify(a.settings), a.verifiedAt, a.tokenExpiresAt, at, at);
  }

  delete(marketplace: MarketplaceName): boolean {
    return this.store.db.prepare('DELETE FROM marketplace_accounts WHERE marketplace = ?').run(marketplace).changes > 0;
  }

  enableChannels(channels: readonly AccountChannel[], at: string): void {
    const stmt = this.store.db.prepare(
      `INSERT INTO channels (code, marketplace, currency, country, prices_include_tax, vat_rate, remote_id, enabled, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)
     ON CONFLICT (code) DO UPDATE SET enabled = 1, currency = CASE WHEN excluded.marketplace = 'shopify' THEN excluded.currency ELSE channels.currency END, updated_at = excluded.updated_at`,
    );
    for (const c of channels) stmt.run(c.code, c.marketplace, c.currency, c.country, c.pricesIncludeTax ? 1 : 0, c.vatRate, c.remoteId, at, at);
  }

  disableChannels(marketplace: MarketplaceName, at: string): number {
    return this.store.db.prepare('UPDATE channels SET enabled = 0, updated_at = ? WHERE marketplace = ? AND enabled = 1').run(at, marketplace).changes;
  }
}
