// The marketplace accounts repository (store/repos/marketplace-accounts.ts) and doctor's read-only view
// (store/repos/doctor.ts), against a real migrated database.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openStore } from '../../src/store/db.js';
import { LATEST_VERSION } from '../../src/store/migrate.js';
import { sqliteDoctorStore } from '../../src/store/repos/doctor.js';
import { upsertChannels } from '../../src/services/marketplace/accounts.js';
import { tempDir } from '../helpers/run.js';

const AT = '2026-11-03T09:00:00.000Z';
const LATER = '2026-11-04T09:00:00.000Z';

function enabled(db: ReturnType<typeof openStore>['db']): Array<{ code: string; currency: string; enabled: bigint }> {
  return db.prepare('SELECT code, currency, enabled FROM channels ORDER BY code').all() as Array<{ code: string; currency: string; enabled: bigint }>;
}

describe('marketplace accounts repository', () => {
  it('saves, reads back, updates and deletes an account; settings round-trip as JSON', () => {
    const store = openStore(join(tempDir(), 'm.db'));
    const repo = store.marketplaceAccounts;
    const a = { marketplace: 'ebay' as const, baseUrl: 'https://api.ebay.com', authUrl: null, sandbox: false, settings: { marketplaceIds: ['EBAY_GB', 'EBAY_DE'], homeMarketplaceId: 'EBAY_GB' }, verifiedAt: AT, tokenExpiresAt: null };
    repo.save(a, AT);
    expect(repo.get('ebay')).toEqual({ ...a, createdAt: AT, updatedAt: AT });
    repo.save({ ...a, sandbox: true, settings: { ...a.settings, label: 'seller' } }, LATER);
    expect(repo.list()).toEqual([{ ...a, sandbox: true, settings: { ...a.settings, label: 'seller' }, createdAt: AT, updatedAt: LATER }]);
    expect(repo.get('amazon')).toBeUndefined();
    expect(repo.delete('ebay')).toBe(true);
    expect(repo.delete('ebay')).toBe(false);
    expect(repo.list()).toEqual([]);
    store.close();
  });

  it('a connect enables the storefronts (Shopify takes the shop currency), a remove disables only the enabled ones', () => {
    const store = openStore(join(tempDir(), 'm.db'));
    expect(upsertChannels(store, { marketplace: 'ebay', settings: { marketplaceIds: ['EBAY_GB', 'EBAY_DE'] } }, AT)).toEqual(['ebay-uk', 'ebay-de']);
    upsertChannels(store, { marketplace: 'shopify', settings: { currency: 'SEK' } }, AT);
    store.db.prepare("UPDATE channels SET currency = 'CHF' WHERE code = 'ebay-de'").run(); // a local override
    upsertChannels(store, { marketplace: 'ebay', settings: { marketplaceIds: ['EBAY_DE'] } }, LATER);
    upsertChannels(store, { marketplace: 'shopify', settings: { currency: 'NOK' } }, LATER);
    expect(enabled(store.db)).toEqual([
      { code: 'ebay-de', currency: 'CHF', enabled: 1n },
      { code: 'ebay-uk', currency: 'GBP', enabled: 1n },
      { code: 'shopify', currency: 'NOK', enabled: 1n },
    ]);
    expect(store.marketplaceAccounts.disableChannels('ebay', LATER)).toBe(2);
    expect(store.marketplaceAccounts.disableChannels('ebay', LATER)).toBe(0);
    expect(enabled(store.db).map((c) => [c.code, c.enabled])).toEqual([['ebay-de', 0n], ['ebay-uk', 0n], ['shopify', 1n]]);
    store.close();
  });
});

describe("doctor's view of the database", () => {
  it('reads the schema version against the newest, integrity, journal, lock, profile and accounts, read-only', () => {
    const path = join(tempDir(), 'm.db');
    const w = openStore(path);
    w.db.prepare("INSERT INTO carrier_accounts (carrier, base_url, mode, sandbox, settings_json, credential_store, verified_at, created_at, updated_at) VALUES ('shippo', 'http://x', 'test', 1, '{}', 'file', ?, ?, ?)").run(AT, AT, AT);
    w.close();
    const d = sqliteDoctorStore.open(path);
    try {
      expect(sqliteDoctorStore.latestVersion).toBe(LATEST_VERSION);
      expect(d.schemaVersion()).toBe(LATEST_VERSION);
      expect(d.integrity()).toBe('ok');
      expect(d.journalMode()).toBe('wal');
      expect(d.lock(() => Date.parse(AT))).toBeUndefined();
      expect(d.profileName()).toBeUndefined();
      expect(d.marketplaceAccounts.list()).toEqual([]);
      expect(d.carrierAccounts()).toEqual([{ name: 'shippo', base_url: 'http://x', verified_at: AT, mode: 'test' }]);
    } finally {
      d.close();
    }
  });
});
