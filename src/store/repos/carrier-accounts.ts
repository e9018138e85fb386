// Connected carrier accounts (carrier_accounts): where each carrier's API is and in which mode; the
// API key is in the credentials file, never in the database.

import type { Store } from '../db.js';
import type { CarrierAccountRecord, CarrierAccountsRepo, CarrierName } from '../../ports/carrier.js';

interface Row {
  carrier: string;
  base_url: string | null;
  mode: string;
  sandbox: bigint;
  verified_at: string | null;
}

export class SqliteCarrierAccounts implements CarrierAccountsRepo {
  constructor(private readonly store: Store) {}

  save(a: CarrierAccountRecord, now: string): void {
    this.store.db
      .prepare(
        `INSERT INTO carrier_accounts (carrier, base_url, mode, sandbox, settings_json, credential_store, verified_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, '{}', 'file', ?, ?, ?)
         ON CONFLICT (carrier) DO UPDATE SET base_url = excluded.base_url, mode = excluded.mode, sandbox = excluded.sandbox,
           credential_store = excluded.credential_store, verified_at = excluded.verified_at, updated_at = excluded.updated_at`,
      )
      .run(a.carrier, a.baseUrl, a.mode, a.sandbox ? 1 : 0, a.verifiedAt, now, now);
  }

  list(): CarrierAccountRecord[] {
    const rows = this.store.db.prepare('SELECT carrier, base_url, mode, sandbox, verified_at FROM carrier_accounts ORDER BY carrier').all() as Row[];
    return rows.map((r) => ({ carrier: r.carrier as CarrierName, baseUrl: r.base_url, mode: r.mode as 'test' | 'live', sandbox: r.sandbox === 1n, verifiedAt: r.verified_at }));
  }
}
